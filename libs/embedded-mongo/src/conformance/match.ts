import { type Document, Binary, Decimal128, Double, Int32, Long, ObjectId, Timestamp } from 'bson';

/** Thrown when an expected value does not match; the message carries the path. */
export class MatchError extends Error {}

export interface MatchContext {
  entities: Map<string, unknown>;
}

function isDoc(v: unknown): v is Document {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function numeric(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (v instanceof Long) return v.toNumber();
  if (v instanceof Int32 || v instanceof Double) return v.valueOf();
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

/** BSON type names as used by `$type` and `$$type`. */
export function bsonTypeOf(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number')
    return Number.isInteger(v) && Math.abs(v) <= 0x7fffffff ? 'int' : 'double';
  if (v instanceof Int32) return 'int';
  if (v instanceof Double) return 'double';
  if (v instanceof Long || typeof v === 'bigint') return 'long';
  if (v instanceof Decimal128) return 'decimal';
  if (v instanceof ObjectId) return 'objectId';
  if (v instanceof Date) return 'date';
  if (v instanceof Timestamp) return 'timestamp';
  if (v instanceof Binary) return 'binData';
  if (v instanceof RegExp) return 'regex';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

function typeMatches(expected: string, actual: unknown): boolean {
  const t = bsonTypeOf(actual);
  if (expected === t) return true;
  // A JS number holding an integer may have been an int64 or a double on the wire.
  if (typeof actual === 'number' && ['int', 'long', 'double', 'number'].includes(expected))
    return Number.isInteger(actual) || expected === 'double';
  if (expected === 'number') return ['int', 'long', 'double', 'decimal'].includes(t);
  return false;
}

function fmt(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  } catch {
    return String(v);
  }
}

function scalarEqual(expected: unknown, actual: unknown): boolean {
  const en = numeric(expected);
  const an = numeric(actual);
  if (en !== undefined || an !== undefined)
    return en !== undefined && an !== undefined && en === an;
  if (expected instanceof ObjectId) return actual instanceof ObjectId && expected.equals(actual);
  if (expected instanceof Date)
    return actual instanceof Date && expected.getTime() === actual.getTime();
  if (expected instanceof Decimal128)
    return actual instanceof Decimal128 && expected.toString() === actual.toString();
  if (expected instanceof Binary)
    return (
      actual instanceof Binary &&
      expected.sub_type === actual.sub_type &&
      Buffer.from(expected.value()).equals(Buffer.from(actual.value()))
    );
  if (expected instanceof Timestamp) return actual instanceof Timestamp && expected.equals(actual);
  if (expected instanceof RegExp)
    return (
      actual instanceof RegExp &&
      expected.source === actual.source &&
      expected.flags === actual.flags
    );
  if (expected !== null && typeof expected === 'object') return fmt(expected) === fmt(actual);
  return expected === actual;
}

/** Driver-side objects (ReadConcern, sort Maps, result classes) compared as plain documents. */
function normalizeActual(v: unknown): unknown {
  if (v instanceof Map) return Object.fromEntries(v as Map<string, unknown>);
  if (
    v !== null &&
    typeof v === 'object' &&
    !Array.isArray(v) &&
    !isDoc(v) &&
    !('_bsontype' in v) &&
    !(v instanceof Date) &&
    !(v instanceof RegExp) &&
    !Buffer.isBuffer(v)
  ) {
    return { ...(v as Document) };
  }
  return v;
}

/** Unified-test-format matching (see "Evaluating Matches"). */
export function match(
  expected: unknown,
  rawActual: unknown,
  ctx: MatchContext,
  path = '$',
  root = true,
): void {
  const actual = normalizeActual(rawActual);
  if (isDoc(expected)) {
    const keys = Object.keys(expected);
    if (keys.length === 1 && keys[0].startsWith('$$')) {
      specialOperator(keys[0], expected[keys[0]], actual, ctx, path, root);
      return;
    }
    if (!isDoc(actual)) throw new MatchError(`${path}: expected a document, got ${fmt(actual)}`);
    for (const k of keys) {
      const ev: unknown = expected[k];
      const p = `${path}.${k}`;
      if (isDoc(ev) && Object.keys(ev).length === 1) {
        const op = Object.keys(ev)[0];
        if (op === '$$exists') {
          if ((k in actual && actual[k] !== undefined) !== (ev[op] === true))
            throw new MatchError(`${p}: expected $$exists ${String(ev[op])}`);
          continue;
        }
        if (op === '$$unsetOrMatches') {
          if (!(k in actual) || actual[k] === undefined) continue;
          match(ev[op], actual[k], ctx, p, false);
          continue;
        }
      }
      if (!(k in actual) || actual[k] === undefined)
        throw new MatchError(`${p}: missing (expected ${fmt(ev)})`);
      match(ev, actual[k], ctx, p, false);
    }
    if (!root) {
      for (const k of Object.keys(actual)) {
        if (!(k in expected) && actual[k] !== undefined)
          throw new MatchError(`${path}: unexpected field ${k}`);
      }
    }
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual))
      throw new MatchError(`${path}: expected an array, got ${fmt(actual)}`);
    if (expected.length !== actual.length)
      throw new MatchError(
        `${path}: expected ${expected.length} elements, got ${actual.length}: ${fmt(actual)}`,
      );
    expected.forEach((e, i) => match(e, actual[i], ctx, `${path}[${i}]`, false));
    return;
  }
  if (!scalarEqual(expected, actual))
    throw new MatchError(`${path}: expected ${fmt(expected)}, got ${fmt(actual)}`);
}

function specialOperator(
  op: string,
  arg: unknown,
  actual: unknown,
  ctx: MatchContext,
  path: string,
  root: boolean,
): void {
  switch (op) {
    case '$$type': {
      const types = Array.isArray(arg) ? (arg as string[]) : [String(arg)];
      if (actual === undefined || !types.some((t) => typeMatches(t, actual)))
        throw new MatchError(
          `${path}: expected type ${types.join('|')}, got ${bsonTypeOf(actual)}`,
        );
      return;
    }
    case '$$unsetOrMatches':
      if (actual === undefined) return;
      match(arg, actual, ctx, path, root);
      return;
    case '$$exists':
      if ((actual !== undefined) !== (arg === true))
        throw new MatchError(`${path}: expected $$exists ${String(arg)}`);
      return;
    case '$$matchesEntity': {
      const name = String(arg);
      if (!ctx.entities.has(name)) throw new MatchError(`${path}: unknown entity ${name}`);
      match(ctx.entities.get(name), actual, ctx, path, root);
      return;
    }
    case '$$matchesHexBytes': {
      const hex = Buffer.isBuffer(actual)
        ? actual.toString('hex')
        : actual instanceof Binary
          ? Buffer.from(actual.value()).toString('hex')
          : String(actual);
      if (hex.toLowerCase() !== String(arg).toLowerCase())
        throw new MatchError(`${path}: bytes differ`);
      return;
    }
    case '$$lte': {
      const a = numeric(actual);
      const e = numeric(arg);
      if (a === undefined || e === undefined || a > e)
        throw new MatchError(`${path}: expected <= ${fmt(arg)}, got ${fmt(actual)}`);
      return;
    }
    case '$$matchAsRoot':
      match(arg, actual, ctx, path, true);
      return;
    case '$$matchAsDocument': {
      if (typeof actual !== 'string')
        throw new MatchError(`${path}: expected an extended JSON string`);
      match(arg, JSON.parse(actual) as unknown, ctx, path, false);
      return;
    }
    default:
      throw new MatchError(`${path}: unsupported special operator ${op}`);
  }
}
