import { type Document, deserialize, ObjectId, serialize } from 'bson';
import { findElement } from '../wire/bson-elements';

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

/*
 * A stored document is kept as its BSON bytes in a Latin-1 string (one byte per character), not as
 * a tree of JS objects. A string is one compact heap object that the garbage collector never has
 * to scan, so a million stored messages cost a few hundred megabytes and short GC pauses instead
 * of tens of millions of small objects; and a reply or a journal record copies the bytes instead
 * of encoding the document again. Commands decode a document only when they need its fields (a
 * filter the index does not answer exactly, an update, a projection, an aggregation).
 */

/** A document's BSON bytes, passed around where a reply or a journal record embeds it verbatim. */
export class RawDocument {
  constructor(readonly bytes: string) {}

  get size(): number {
    return this.bytes.length;
  }

  decode(): Document {
    return decodeRaw(this.bytes);
  }
}

/** The stored form of a document, as replies encode it (`undefined` fields left out). */
export function encodeRaw(doc: Document): string {
  const bytes = serialize(doc, { ignoreUndefined: true });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

export function decodeRaw(bytes: string): Document {
  return deserialize(Buffer.from(bytes, 'latin1'), DESERIALIZE_OPTIONS);
}

/** Where a document's bytes are: a range of a received message (copied out only when stored). */
interface WireBytes {
  buffer: Buffer;
  start: number;
  end: number;
}

/**
 * Documents that arrived on the wire, with their exact bytes: an insert stores these instead of
 * encoding the decoded document again. Weak, so a document nobody stores is simply collected.
 */
const wireBytes = new WeakMap<Document, WireBytes>();

export function rememberWireBytes(doc: Document, buffer: Buffer, start: number, end: number): void {
  wireBytes.set(doc, { buffer, start, end });
}

/** `doc`'s stored form: the bytes it arrived with when it is unchanged, else a fresh encoding. */
export function rawOf(doc: Document): string {
  const wire = wireBytes.get(doc);
  return wire ? wire.buffer.toString('latin1', wire.start, wire.end) : encodeRaw(doc);
}

const ID_ELEMENT_HEADER = Buffer.from([0x07, 0x5f, 0x69, 0x64, 0x00]); // ObjectId, "_id"

/**
 * `doc` is `original` with its `_id` put first (see crud's withId), as mongod stores a document:
 * carry the wire bytes over with the `_id` element moved to the front (or, when the server made
 * the _id up, written there), so a document the driver sent with `_id` last (insertOne appends
 * it) is still stored from its bytes.
 */
export function carryWireBytes(original: Document, doc: Document): void {
  if (original === doc) return;
  const wire = wireBytes.get(original);
  if (!wire) return;
  const { buffer, start, end } = wire;
  const idElement = findElement(buffer, '_id', start);
  const id: unknown = doc._id;
  if (!idElement && !(id instanceof ObjectId)) return;
  const idLength = idElement ? idElement.end - idElement.start : ID_ELEMENT_HEADER.length + 12;
  const out = Buffer.allocUnsafe(end - start + (idElement ? 0 : idLength));
  out.writeInt32LE(out.length, 0);
  let offset = 4;
  if (idElement) {
    offset += buffer.copy(out, offset, idElement.start, idElement.end);
    offset += buffer.copy(out, offset, start + 4, idElement.start);
    offset += buffer.copy(out, offset, idElement.end, end - 1);
  } else {
    offset += ID_ELEMENT_HEADER.copy(out, offset);
    offset += Buffer.from((id as ObjectId).id).copy(out, offset);
    offset += buffer.copy(out, offset, start + 4, end - 1);
  }
  out[offset] = 0;
  wireBytes.set(doc, { buffer: out, start: 0, end: out.length });
}
