import {
  Binary,
  type BSONRegExp,
  BSONSymbol,
  Decimal128,
  Double,
  Int32,
  Long,
  type ObjectId,
  type Timestamp,
} from 'bson';
import { typeRank } from './compare';

/*
 * Index keys as strings whose plain string order is MongoDB's BSON comparison order (the idea of
 * mongod's KeyString): one compact string per index entry instead of an entry object, a key array
 * and the values it holds, and comparisons done by the engine's string compare instead of a
 * type-dispatching comparator. Every character is a byte (0x00–0xFF), so the strings are one-byte
 * strings, and the garbage collector never looks inside them.
 *
 * A key is its components one after another, then the record id:
 *   component := typeByte payload        (a descending field's component has every byte inverted)
 *   entry     := component* rid(6 bytes, big-endian)
 * Every component encoding is prefix-free (fixed length or terminated), so comparing two entries
 * compares their first components, then the next ones, then the record ids — and a family of
 * entries sharing a prefix P is exactly the strings in [P, P + AFTER).
 */

/** Greater than every character of an encoding: `P + AFTER` bounds everything that starts with P. */
export const AFTER = '\u0100';

const RID_BYTES = 6;

/** The type byte of a BSON type bracket (compare.ts's typeRank), above the 0x00 end marker. */
function typeByte(rank: number): number {
  return 0x10 + rank;
}

class KeyWriter {
  buffer = Buffer.allocUnsafe(256);
  length = 0;

  reset(): void {
    this.length = 0;
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  byte(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  /** Order-preserving 8 bytes of a double: sign bit flipped for positives, all bits for negatives. */
  double(value: number): void {
    this.reserve(8);
    const at = this.length;
    if (Number.isNaN(value)) {
      // NaN sorts below every other number (below -Infinity's encoding, 0x000F...).
      this.buffer.fill(0, at, at + 8);
    } else {
      this.buffer.writeDoubleBE(value === 0 ? 0 : value, at);
      if (this.buffer[at] & 0x80) for (let i = at; i < at + 8; i++) this.buffer[i] ^= 0xff;
      else this.buffer[at] ^= 0x80;
    }
    this.length += 8;
  }

  /** UTF-8 bytes with 0x00 and 0x01 escaped, then a 0x00 terminator (so shorter sorts first). */
  text(value: string): void {
    this.reserve(value.length * 3 + 1);
    const at = this.length;
    const written = this.buffer.write(value, at, 'utf8');
    let needsEscape = false;
    for (let i = at; i < at + written; i++) {
      if (this.buffer[i] <= 0x01) {
        needsEscape = true;
        break;
      }
    }
    if (!needsEscape) {
      this.length += written;
    } else {
      const bytes = Buffer.from(this.buffer.subarray(at, at + written));
      this.reserve(written * 2 + 1);
      let offset = at;
      for (const b of bytes) {
        if (b <= 0x01) {
          this.buffer[offset++] = 0x01;
          this.buffer[offset++] = b + 1;
        } else this.buffer[offset++] = b;
      }
      this.length = offset;
    }
    this.byte(0);
  }

  latin1(value: string): void {
    this.reserve(value.length);
    this.length += this.buffer.write(value, this.length, 'latin1');
  }

  bytes(value: Uint8Array): void {
    this.reserve(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
  }

  /** A value's component: its type bracket, then a payload ordered like compareValues. */
  value(value: unknown): void {
    const rank = typeRank(value);
    this.byte(typeByte(rank));
    this.payload(value, rank);
  }

  private payload(value: unknown, rank: number): void {
    switch (rank) {
      case 0: // MinKey
      case 1: // null, missing
      case 13: // MaxKey
        return;
      case 2:
        this.number(value);
        return;
      case 3:
        this.text(value instanceof BSONSymbol ? value.value : String(value));
        return;
      case 4: {
        // An embedded document compares field by field: value type, then name, then value.
        const object = value as Record<string, unknown>;
        for (const key of Object.keys(object)) {
          const field = object[key];
          const fieldRank = typeRank(field);
          this.byte(typeByte(fieldRank));
          this.text(key);
          this.payload(field, fieldRank);
        }
        this.byte(0);
        return;
      }
      case 5:
        for (const element of value as unknown[]) this.value(element);
        this.byte(0);
        return;
      case 6: {
        // BinData orders by length, then subtype, then bytes.
        const binary = value instanceof Binary ? value : new Binary(value as Uint8Array);
        const bytes = binary.value();
        this.reserve(5);
        this.buffer.writeUInt32BE(bytes.length, this.length);
        this.length += 4;
        this.byte(binary.sub_type);
        this.bytes(bytes);
        return;
      }
      case 7: {
        this.reserve(12);
        this.length += this.buffer.write((value as ObjectId).toHexString(), this.length, 'hex');
        return;
      }
      case 8:
        this.byte(value ? 1 : 0);
        return;
      case 9:
        this.double((value as Date).getTime());
        return;
      case 10: {
        // Unsigned: seconds, then the increment.
        const timestamp = value as Timestamp;
        this.reserve(8);
        this.buffer.writeUInt32BE(timestamp.t >>> 0, this.length);
        this.buffer.writeUInt32BE(timestamp.i >>> 0, this.length + 4);
        this.length += 8;
        return;
      }
      case 11: {
        const [pattern, flags] =
          value instanceof RegExp
            ? [value.source, value.flags]
            : [(value as BSONRegExp).pattern, (value as BSONRegExp).options];
        this.text(pattern);
        this.text(flags);
        return;
      }
      default:
        this.text(String(value));
    }
  }

  /**
   * Numbers of every BSON type compare by value: the double, then (for an int64 a double cannot
   * hold exactly) how far the exact value lies from it, so large int64s stay distinct and ordered.
   */
  private number(value: unknown): void {
    let approximate: number;
    let offset = 0;
    if (typeof value === 'number') approximate = value;
    else if (value instanceof Long || typeof value === 'bigint') {
      const exact = typeof value === 'bigint' ? value : value.toBigInt();
      approximate = Number(exact);
      if (Number.isFinite(approximate)) offset = Number(exact - BigInt(approximate));
    } else if (value instanceof Int32 || value instanceof Double) approximate = value.valueOf();
    else if (value instanceof Decimal128) approximate = Number(value.toString());
    else approximate = NaN;
    this.double(approximate);
    this.reserve(2);
    this.buffer.writeUInt16BE(0x8000 + offset, this.length);
    this.length += 2;
  }

  /** Inverts bytes [from, length): a descending field's component. */
  invertFrom(from: number): void {
    for (let i = from; i < this.length; i++) this.buffer[i] ^= 0xff;
  }

  rid(rid: number): void {
    this.reserve(RID_BYTES);
    this.buffer.writeUIntBE(rid, this.length, RID_BYTES);
    this.length += RID_BYTES;
  }

  toString(): string {
    return this.buffer.toString('latin1', 0, this.length);
  }
}

const writer = new KeyWriter();

/** The encoded key of `values` (one per index field) under `dirs` (1 or -1 per field). */
export function encodeKey(values: readonly unknown[], dirs: readonly number[]): string {
  writer.reset();
  for (let i = 0; i < values.length; i++) {
    const start = writer.length;
    writer.value(values[i]);
    if (dirs[i] < 0) writer.invertFrom(start);
  }
  return writer.toString();
}

/** An index entry: the encoded key followed by the record id, as one flat string. */
export function entryOf(key: string, rid: number): string {
  writer.reset();
  writer.latin1(key);
  writer.rid(rid);
  return writer.toString();
}

export function ridOf(entry: string): number {
  let rid = 0;
  for (let i = entry.length - RID_BYTES; i < entry.length; i++)
    rid = rid * 256 + entry.charCodeAt(i);
  return rid;
}

/** The key part of an entry (without the record id). */
export function keyOf(entry: string): string {
  return entry.slice(0, entry.length - RID_BYTES);
}

/** The one-character prefix every component of BSON type bracket `rank` starts with, under `dir`. */
export function bracketPrefix(rank: number, dir: number): string {
  const byte = typeByte(rank);
  return String.fromCharCode(dir < 0 ? byte ^ 0xff : byte);
}
