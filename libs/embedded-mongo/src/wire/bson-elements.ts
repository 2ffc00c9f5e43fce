/*
 * Walking the top-level elements of a BSON document without decoding it: enough to find an
 * element's bytes (a document inside a command, a document's `_id`).
 */

export interface Element {
  type: number;
  name: string;
  /** Offset of the type byte: the element's bytes are [start, end). */
  start: number;
  /** Offset of the value, after the name. */
  valueStart: number;
  end: number;
}

/** Byte length of a value of BSON `type` at `offset`. */
function valueLength(buffer: Buffer, type: number, offset: number): number {
  switch (type) {
    case 0x01: // double
    case 0x09: // date
    case 0x11: // timestamp
    case 0x12: // int64
      return 8;
    case 0x02: // string
    case 0x0d: // code
    case 0x0e: // symbol
      return 4 + buffer.readInt32LE(offset);
    case 0x03: // document
    case 0x04: // array
    case 0x0f: // code with scope
      return buffer.readInt32LE(offset);
    case 0x05: // binary: length, subtype, bytes
      return 4 + 1 + buffer.readInt32LE(offset);
    case 0x06: // undefined
    case 0x0a: // null
    case 0x7f: // max key
    case 0xff: // min key
      return 0;
    case 0x07: // ObjectId
      return 12;
    case 0x08: // boolean
      return 1;
    case 0x0b: {
      // regex: pattern and options, two C strings
      const patternEnd = buffer.indexOf(0, offset);
      return buffer.indexOf(0, patternEnd + 1) + 1 - offset;
    }
    case 0x0c: // DBPointer: string, then ObjectId
      return 4 + buffer.readInt32LE(offset) + 12;
    case 0x10: // int32
      return 4;
    case 0x13: // decimal128
      return 16;
    default:
      throw new Error(`unknown BSON type 0x${type.toString(16)}`);
  }
}

/** The top-level elements of the document starting at `start` (whose bytes are trusted). */
export function elementsOf(buffer: Buffer, start = 0): Element[] {
  const end = start + buffer.readInt32LE(start) - 1;
  const out: Element[] = [];
  let offset = start + 4;
  while (offset < end) {
    const type = buffer[offset];
    const nameEnd = buffer.indexOf(0, offset + 1);
    const valueStart = nameEnd + 1;
    const elementEnd = valueStart + valueLength(buffer, type, valueStart);
    out.push({
      type,
      name: buffer.toString('utf8', offset + 1, nameEnd),
      start: offset,
      valueStart,
      end: elementEnd,
    });
    offset = elementEnd;
  }
  return out;
}

/**
 * The element called `name` (ASCII) at the top level of the document at `start`, found by
 * comparing name bytes in place; undefined when there is none.
 */
export function findElement(buffer: Buffer, name: string, start = 0): Element | undefined {
  const end = start + buffer.readInt32LE(start) - 1;
  let offset = start + 4;
  while (offset < end) {
    const type = buffer[offset];
    const nameEnd = buffer.indexOf(0, offset + 1);
    const valueStart = nameEnd + 1;
    const elementEnd = valueStart + valueLength(buffer, type, valueStart);
    if (nameEnd - offset - 1 === name.length) {
      let same = true;
      for (let i = 0; i < name.length; i++) {
        if (buffer[offset + 1 + i] !== name.charCodeAt(i)) {
          same = false;
          break;
        }
      }
      if (same) return { type, name, start: offset, valueStart, end: elementEnd };
    }
    offset = elementEnd;
  }
  return undefined;
}

/** Calls `visit` with the value range of each element of the document (or array) at `start`. */
export function forEachValue(
  buffer: Buffer,
  start: number,
  visit: (type: number, valueStart: number, end: number, index: number) => void,
): void {
  const end = start + buffer.readInt32LE(start) - 1;
  let offset = start + 4;
  let index = 0;
  while (offset < end) {
    const type = buffer[offset];
    const valueStart = buffer.indexOf(0, offset + 1) + 1;
    const elementEnd = valueStart + valueLength(buffer, type, valueStart);
    visit(type, valueStart, elementEnd, index++);
    offset = elementEnd;
  }
}
