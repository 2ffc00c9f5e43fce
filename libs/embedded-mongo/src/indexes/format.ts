import { Binary, Decimal128, Long, ObjectId, Timestamp } from 'bson';
import { isPlainObject } from './paths';

/** Renders a value like the mongod log/error messages do (e.g. `{ name: "x" }`, `ObjectId('...')`). */
export function formatValue(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof ObjectId) return `ObjectId('${v.toHexString()}')`;
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (v instanceof Long) return v.toString();
  if (v instanceof Decimal128) return `Decimal128("${v.toString()}")`;
  if (v instanceof Timestamp) return `Timestamp(${v.high}, ${v.low})`;
  if (v instanceof Binary)
    return `BinData(${v.sub_type}, ${Buffer.from(v.value()).toString('hex').toUpperCase()})`;
  if (Array.isArray(v)) return `[ ${v.map(formatValue).join(', ')} ]`;
  if (isPlainObject(v)) {
    const keys = Object.keys(v);
    if (keys.length === 0) return '{}';
    return `{ ${keys.map((k) => `${k}: ${formatValue(v[k])}`).join(', ')} }`;
  }
  if (typeof v === 'symbol') return v.toString();
  if (typeof v === 'function') return '[function]';
  return Object.prototype.toString.call(v);
}
