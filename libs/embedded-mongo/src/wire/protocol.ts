import { type Document, deserialize, serialize } from 'bson';

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

/**
 * Deserialization options: numbers become JS numbers (int64 only when it would lose precision),
 * so mingo compares them naturally; binary stays `Binary` to round-trip its subtype.
 */
export const DESERIALIZE_OPTIONS = {
  promoteLongs: true,
  promoteValues: true,
  promoteBuffers: false,
  bsonRegExp: false,
} as const;

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
    const sequences: [string, Document[]][] = [];
    while (offset < end) {
      const kind = msg[offset++];
      if (kind === 0) {
        if (command) throw new ProtocolError('OP_MSG contains more than one kind-0 section');
        [command, offset] = readDoc(msg, offset);
      } else if (kind === 1) {
        const size = msg.readInt32LE(offset);
        const secEnd = offset + size;
        if (secEnd > end) throw new ProtocolError('document sequence overruns message');
        let id: string;
        [id, offset] = readCString(msg, offset + 4);
        const docs: Document[] = [];
        while (offset < secEnd) {
          let d: Document;
          [d, offset] = readDoc(msg, offset);
          docs.push(d);
        }
        sequences.push([id, docs]);
      } else throw new ProtocolError(`unknown OP_MSG section kind ${kind}`);
    }
    if (!command) throw new ProtocolError('OP_MSG without a body section');
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

function header(length: number, responseTo: number, opCode: number): Buffer {
  const h = Buffer.allocUnsafe(16);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(nextRequestId++ & 0x7fffffff, 4);
  h.writeInt32LE(responseTo, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

export function encodeMsgReply(responseTo: number, doc: Document): Buffer {
  const body = serialize(doc, { ignoreUndefined: true });
  const flags = Buffer.alloc(5); // flagBits = 0, then section kind 0
  return Buffer.concat([header(16 + 5 + body.length, responseTo, OP_MSG), flags, body]);
}

export function encodeOpReply(responseTo: number, doc: Document): Buffer {
  const body = serialize(doc, { ignoreUndefined: true });
  const fields = Buffer.alloc(20); // responseFlags, cursorID (int64), startingFrom, numberReturned
  fields.writeInt32LE(1, 16);
  return Buffer.concat([header(16 + 20 + body.length, responseTo, OP_REPLY), fields, body]);
}
