import { type Document, Long, serialize } from 'bson';
import { RawDocument } from '../storage/raw-document';

/*
 * Encodes a document that may hold RawDocuments (stored documents kept as their BSON bytes): they
 * are copied verbatim instead of being decoded and encoded again. Containers, strings, numbers,
 * booleans, null and Long are written here; any other value is encoded by the bson package as a
 * one-field document whose element bytes are copied, so the output is byte for byte what
 * `serialize(doc, {ignoreUndefined: true})` would produce for the same decoded values.
 */

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

/** UTF-8 length of a string; ASCII (nearly every field name) without asking Buffer. */
function utf8Length(text: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) >= 0x80) return Buffer.byteLength(text, 'utf8');
  }
  return text.length;
}

function isContainer(value: object): boolean {
  if (Array.isArray(value)) return true;
  const proto: unknown = Object.getPrototypeOf(value);
  return (
    (proto === Object.prototype || proto === null) &&
    typeof (value as { toBSON?: unknown }).toBSON !== 'function'
  );
}

/** Element bytes (type, name, value) of a value this writer does not encode itself. */
function foreignElement(name: string, value: unknown): Buffer {
  const doc = serialize({ [name]: value }, { ignoreUndefined: true });
  return Buffer.from(doc.buffer, doc.byteOffset + 4, doc.byteLength - 5);
}

/**
 * Sizes first, bytes second: the plan records each element's size (and the bytes of foreign
 * values) so the write pass allocates nothing.
 */
class Plan {
  readonly foreign: Buffer[] = [];
  readonly sizes: number[] = [];
}

function valueSize(value: unknown, name: string, plan: Plan, inArray: boolean): number {
  const nameBytes = utf8Length(name) + 1;
  if (value === undefined) return inArray ? 1 + nameBytes : 0;
  if (value === null) return 1 + nameBytes;
  switch (typeof value) {
    case 'string':
      return 1 + nameBytes + 4 + utf8Length(value) + 1;
    case 'number':
      return (
        1 +
        nameBytes +
        (!Object.is(value, -0) &&
        Number.isSafeInteger(value) &&
        value >= INT32_MIN &&
        value <= INT32_MAX
          ? 4
          : 8)
      );
    case 'boolean':
      return 1 + nameBytes + 1;
    case 'object':
      if (value instanceof RawDocument) return 1 + nameBytes + value.size;
      if (value instanceof Long || value instanceof Date) return 1 + nameBytes + 8;
      if (isContainer(value)) return 1 + nameBytes + containerSize(value, plan);
      break;
    default:
      break;
  }
  const element = foreignElement(name, value);
  plan.foreign.push(element);
  return element.length;
}

function containerSize(container: Document | unknown[], plan: Plan): number {
  const slot = plan.sizes.length;
  plan.sizes.push(0);
  let size = 4 + 1;
  if (Array.isArray(container)) {
    for (let i = 0; i < container.length; i++)
      size += valueSize(container[i], String(i), plan, true);
  } else {
    for (const key of Object.keys(container)) size += valueSize(container[key], key, plan, false);
  }
  plan.sizes[slot] = size;
  return size;
}

class Writer {
  private offset: number;
  private sizeIndex = 0;
  private foreignIndex = 0;

  constructor(
    private readonly buffer: Buffer,
    start: number,
    private readonly plan: Plan,
  ) {
    this.offset = start;
  }

  get position(): number {
    return this.offset;
  }

  private name(type: number, name: string): void {
    this.buffer[this.offset++] = type;
    this.offset += this.buffer.write(name, this.offset, 'utf8');
    this.buffer[this.offset++] = 0;
  }

  value(value: unknown, name: string, inArray: boolean): void {
    const buffer = this.buffer;
    if (value === undefined) {
      if (inArray) this.name(0x0a, name);
      return;
    }
    if (value === null) {
      this.name(0x0a, name);
      return;
    }
    switch (typeof value) {
      case 'string': {
        this.name(0x02, name);
        const length = buffer.write(value, this.offset + 4, 'utf8');
        buffer.writeInt32LE(length + 1, this.offset);
        this.offset += 4 + length;
        buffer[this.offset++] = 0;
        return;
      }
      case 'number':
        if (
          !Object.is(value, -0) &&
          Number.isSafeInteger(value) &&
          value >= INT32_MIN &&
          value <= INT32_MAX
        ) {
          this.name(0x10, name);
          buffer.writeInt32LE(value, this.offset);
          this.offset += 4;
        } else {
          this.name(0x01, name);
          buffer.writeDoubleLE(value, this.offset);
          this.offset += 8;
        }
        return;
      case 'boolean':
        this.name(0x08, name);
        buffer[this.offset++] = value ? 1 : 0;
        return;
      case 'object':
        if (value instanceof RawDocument) {
          this.name(0x03, name);
          this.offset += buffer.write(value.bytes, this.offset, 'latin1');
          return;
        }
        if (value instanceof Long) {
          this.name(0x12, name);
          buffer.writeInt32LE(value.low, this.offset);
          buffer.writeInt32LE(value.high, this.offset + 4);
          this.offset += 8;
          return;
        }
        if (value instanceof Date) {
          // As the bson package: milliseconds as an int64 (an invalid date becomes 0).
          const millis = Long.fromNumber(value.getTime());
          this.name(0x09, name);
          buffer.writeInt32LE(millis.low, this.offset);
          buffer.writeInt32LE(millis.high, this.offset + 4);
          this.offset += 8;
          return;
        }
        if (isContainer(value)) {
          this.name(Array.isArray(value) ? 0x04 : 0x03, name);
          this.container(value);
          return;
        }
        break;
      default:
        break;
    }
    const element = this.plan.foreign[this.foreignIndex++];
    element.copy(buffer, this.offset);
    this.offset += element.length;
  }

  container(container: Document | unknown[]): void {
    const size = this.plan.sizes[this.sizeIndex++];
    this.buffer.writeInt32LE(size, this.offset);
    this.offset += 4;
    if (Array.isArray(container)) {
      for (let i = 0; i < container.length; i++) this.value(container[i], String(i), true);
    } else {
      for (const key of Object.keys(container)) this.value(container[key], key, false);
    }
    this.buffer[this.offset++] = 0;
  }
}

/**
 * `doc` as BSON, after `prefix` bytes left for the caller (a message header), in one allocation.
 * Throws like the bson package would for values it cannot encode.
 */
export function encodeDocument(doc: Document, prefix = 0): Buffer {
  const plan = new Plan();
  const size = containerSize(doc, plan);
  const buffer = Buffer.allocUnsafe(prefix + size);
  const writer = new Writer(buffer, prefix, plan);
  writer.container(doc);
  if (writer.position !== prefix + size)
    throw new Error(`bson-writer: wrote ${writer.position - prefix} bytes, planned ${size}`);
  return buffer;
}
