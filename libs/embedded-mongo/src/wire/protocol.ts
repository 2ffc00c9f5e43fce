import { type Document, deserialize } from 'bson';
import { DESERIALIZE_OPTIONS, rememberWireBytes } from '../storage/raw-document';
import { findElement, forEachValue } from './bson-elements';
import { encodeDocument } from './bson-writer';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

export const MSG_CHECKSUM_PRESENT = 1 << 0;
export const MSG_MORE_TO_COME = 1 << 1;
export const MSG_EXHAUST_ALLOWED = 1 << 16;

export const MAX_MESSAGE_SIZE = 48_000_000;

export interface MsgHeader {
  length: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

/** A decoded request: the command document (kind-0 section with kind-1 sequences folded in). */
export interface Request {
  header: MsgHeader;
  kind: 'msg' | 'query';
  command: Document;
  /** OP_MSG moreToCome: the client expects no reply. */
  moreToCome: boolean;
  /** OP_QUERY: the full collection name, e.g. `admin.$cmd`. */
  fullCollectionName?: string;
}

export class ProtocolError extends Error {}

export { DESERIALIZE_OPTIONS };

function readCString(buf: Buffer, offset: number): [string, number] {
  const end = buf.indexOf(0, offset);
  if (end < 0) throw new ProtocolError('unterminated cstring');
  return [buf.toString('utf8', offset, end), end + 1];
}

function readDoc(buf: Buffer, offset: number): [Document, number] {
  if (offset + 4 > buf.length) throw new ProtocolError('truncated document');
  const size = buf.readInt32LE(offset);
  if (size < 5 || offset + size > buf.length) throw new ProtocolError('invalid document length');
  return [deserialize(buf.subarray(offset, offset + size), DESERIALIZE_OPTIONS), offset + size];
}

export function parseHeader(buf: Buffer): MsgHeader {
  return {
    length: buf.readInt32LE(0),
    requestId: buf.readInt32LE(4),
    responseTo: buf.readInt32LE(8),
    opCode: buf.readInt32LE(12),
  };
}

/**
 * Documents to insert that came inside the body (`insertOne` sends them so) keep their bytes too,
 * found by walking the body's elements rather than decoding anything again.
 */
function rememberBodyDocuments(msg: Buffer, bodyStart: number, documents: unknown[]): void {
  const field = findElement(msg, 'documents', bodyStart);
  if (field?.type !== 0x04) return;
  forEachValue(msg, field.valueStart, (type, valueStart, end, index) => {
    const doc: unknown = documents[index];
    if (type === 0x03 && typeof doc === 'object' && doc !== null)
      rememberWireBytes(doc, msg, valueStart, end);
  });
}

/** Decodes one complete message (header included). */
export function parseMessage(msg: Buffer): Request {
  const header = parseHeader(msg);
  if (header.opCode === OP_MSG) {
    const flags = msg.readUInt32LE(16);
    // Bits 0-15 are "required": an unknown one must make us fail rather than misread the message.
    if (flags & 0xffff & ~(MSG_CHECKSUM_PRESENT | MSG_MORE_TO_COME))
      throw new ProtocolError(`unsupported OP_MSG flag bits ${flags}`);
    // The CRC-32C trailer is optional to verify; TCP already protects the bytes on loopback.
    const end = flags & MSG_CHECKSUM_PRESENT ? msg.length - 4 : msg.length;
    let offset = 20;
    let command: Document | undefined;
    let bodyStart = 0;
    const sequences: [string, Document[]][] = [];
    while (offset < end) {
      const kind = msg[offset++];
      if (kind === 0) {
        if (command) throw new ProtocolError('OP_MSG contains more than one kind-0 section');
        bodyStart = offset;
        [command, offset] = readDoc(msg, offset);
      } else if (kind === 1) {
        const size = msg.readInt32LE(offset);
        const secEnd = offset + size;
        if (secEnd > end) throw new ProtocolError('document sequence overruns message');
        let id: string;
        [id, offset] = readCString(msg, offset + 4);
        const docs: Document[] = [];
        // Documents to insert keep their bytes: the insert stores them as they came.
        const keepBytes = id === 'documents';
        while (offset < secEnd) {
          const start = offset;
          let d: Document;
          [d, offset] = readDoc(msg, offset);
          if (keepBytes) rememberWireBytes(d, msg, start, offset);
          docs.push(d);
        }
        sequences.push([id, docs]);
      } else throw new ProtocolError(`unknown OP_MSG section kind ${kind}`);
    }
    if (!command) throw new ProtocolError('OP_MSG without a body section');
    if (command.insert !== undefined && Array.isArray(command.documents))
      rememberBodyDocuments(msg, bodyStart, command.documents);
    for (const [id, docs] of sequences) {
      if (id in command)
        throw new ProtocolError(`duplicate field ${id} in body and document sequence`);
      command[id] = docs;
    }
    return { header, kind: 'msg', command, moreToCome: (flags & MSG_MORE_TO_COME) !== 0 };
  }
  if (header.opCode === OP_QUERY) {
    let offset = 20;
    const [fullCollectionName, afterName] = readCString(msg, offset);
    offset = afterName;
    offset += 8; // numberToSkip, numberToReturn: irrelevant for $cmd queries
    const [query] = readDoc(msg, offset);
    // Legacy drivers wrap the command as {$query: {...}, $readPreference: ...}.
    const command =
      query.$query !== undefined && typeof query.$query === 'object'
        ? (query.$query as Document)
        : query;
    return { header, kind: 'query', command, moreToCome: false, fullCollectionName };
  }
  throw new ProtocolError(`unsupported opCode ${header.opCode}`);
}

let nextRequestId = 1;

function writeHeader(buffer: Buffer, responseTo: number, opCode: number): void {
  buffer.writeInt32LE(buffer.length, 0);
  buffer.writeInt32LE(nextRequestId++ & 0x7fffffff, 4);
  buffer.writeInt32LE(responseTo, 8);
  buffer.writeInt32LE(opCode, 12);
}

/** One allocation per reply: header, flags and body written in place (stored documents copied as bytes). */
export function encodeMsgReply(responseTo: number, doc: Document): Buffer {
  const message = encodeDocument(doc, 16 + 5);
  writeHeader(message, responseTo, OP_MSG);
  message.writeUInt32LE(0, 16); // flagBits
  message[20] = 0; // section kind 0: the body
  return message;
}

export function encodeOpReply(responseTo: number, doc: Document): Buffer {
  const message = encodeDocument(doc, 16 + 20);
  writeHeader(message, responseTo, OP_REPLY);
  message.writeInt32LE(0, 16); // responseFlags
  message.writeBigInt64LE(0n, 20); // cursorID
  message.writeInt32LE(0, 28); // startingFrom
  message.writeInt32LE(1, 32); // numberReturned
  return message;
}
