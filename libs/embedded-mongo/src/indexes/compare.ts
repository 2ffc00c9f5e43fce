import {
  Binary,
  Decimal128,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
  BSONRegExp,
  Int32,
  Double,
  BSONSymbol,
  Code,
} from 'bson';

/**
 * Rank of a value's type in MongoDB's cross-type comparison order
 * (MinKey < null < numbers < strings < objects < arrays < binData < ObjectId < bool < date < timestamp < regex < MaxKey).
 * `undefined` (missing) sorts with null, as MongoDB does for sort keys and index keys.
 */
export function typeRank(v: unknown): number {
  if (v === null || v === undefined) return 1;
  switch (typeof v) {
    case 'number':
    case 'bigint':
      return 2;
    case 'string':
      return 3;
    case 'boolean':
      return 8;
    case 'object':
      break;
    default:
      return 5;
  }
  if (Array.isArray(v)) return 5;
  if (v instanceof Date) return 9;
  // BSON value classes identify themselves; a string switch beats a chain of instanceof checks on the hot path.
  switch ((v as { _bsontype?: unknown })._bsontype) {
    case 'ObjectId':
      return 7;
    case 'Long':
    case 'Int32':
    case 'Double':
    case 'Decimal128':
      return 2;
    case 'Binary':
      return 6;
    case 'Timestamp':
      return 10;
    case 'MinKey':
      return 0;
    case 'MaxKey':
      return 13;
    case 'BSONRegExp':
      return 11;
    case 'BSONSymbol':
      return 3;
    case 'Code':
      return 12;
    default:
      break;
  }
  if (v instanceof MinKey) return 0;
  if (v instanceof MaxKey) return 13;
  if (v instanceof Long || v instanceof Decimal128 || v instanceof Int32 || v instanceof Double)
    return 2;
  if (v instanceof BSONSymbol) return 3;
  if (v instanceof Binary || v instanceof Uint8Array) return 6;
  if (v instanceof ObjectId) return 7;
  if (v instanceof Date) return 9;
  if (v instanceof Timestamp) return 10;
  if (v instanceof RegExp || v instanceof BSONRegExp) return 11;
  if (v instanceof Code) return 12;
  return 4;
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Long) return v.toNumber();
  if (v instanceof Int32 || v instanceof Double) return v.valueOf();
  if (v instanceof Decimal128) return Number(v.toString());
  return NaN;
}

function compareNumbers(a: unknown, b: unknown): number {
  if (v_isLong(a) && v_isLong(b)) return (a as Long).compare(b as Long);
  const x = toNumber(a);
  const y = toNumber(b);
  // MongoDB sorts NaN below every other number.
  if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : -1;
  if (Number.isNaN(y)) return 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

function v_isLong(v: unknown): boolean {
  return v instanceof Long;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return a.length - b.length < 0 ? -1 : a.length === b.length ? 0 : 1;
}

/*
 * ObjectId#id allocates a fresh buffer on every access in bson 7; hex strings order exactly like the
 * bytes, and caching them per instance makes index comparisons allocation-free.
 */
const hexCache = new WeakMap<ObjectId, string>();
function oidHex(o: ObjectId): string {
  let h = hexCache.get(o);
  if (h === undefined) {
    h = o.toHexString();
    hexCache.set(o, h);
  }
  return h;
}

function compareStrings(a: string, b: string): number {
  // MongoDB compares strings by their UTF-8 bytes (simple binary collation); for BMP text this equals
  // code-unit order except around surrogates, which is close enough and much faster.
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Total order over BSON values, following MongoDB's comparison rules. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 0:
    case 1:
    case 13:
      return 0;
    case 2:
      return compareNumbers(a, b);
    case 3:
      return compareStrings(
        String(a instanceof BSONSymbol ? a.value : a),
        String(b instanceof BSONSymbol ? b.value : b),
      );
    case 4:
      return compareObjects(a as Record<string, unknown>, b as Record<string, unknown>);
    case 5: {
      const x = a as unknown[];
      const y = b as unknown[];
      const n = Math.min(x.length, y.length);
      for (let i = 0; i < n; i++) {
        const c = compareValues(x[i], y[i]);
        if (c !== 0) return c;
      }
      return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
    }
    case 6: {
      const x = a instanceof Binary ? a : new Binary(a as Uint8Array);
      const y = b instanceof Binary ? b : new Binary(b as Uint8Array);
      // BinData orders by length, then subtype, then bytes.
      if (x.position !== y.position) return x.position < y.position ? -1 : 1;
      if (x.sub_type !== y.sub_type) return x.sub_type < y.sub_type ? -1 : 1;
      return compareBytes(x.value(), y.value());
    }
    case 7:
      return compareStrings(oidHex(a as ObjectId), oidHex(b as ObjectId));
    case 8:
      return a === b ? 0 : a ? 1 : -1;
    case 9: {
      const x = (a as Date).getTime();
      const y = (b as Date).getTime();
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 10:
      return (a as Timestamp).compare(b as Timestamp);
    case 11: {
      const sa = regexParts(a);
      const sb = regexParts(b);
      return compareStrings(sa[0], sb[0]) || compareStrings(sa[1], sb[1]);
    }
    default:
      return compareStrings(String(a), String(b));
  }
}

function regexParts(v: unknown): [string, string] {
  if (v instanceof RegExp) return [v.source, v.flags];
  const r = v as BSONRegExp;
  return [r.pattern, r.options];
}

function compareObjects(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const n = Math.min(ka.length, kb.length);
  for (let i = 0; i < n; i++) {
    const ta = typeRank(a[ka[i]]);
    const tb = typeRank(b[kb[i]]);
    if (ta !== tb) return ta < tb ? -1 : 1;
    const kc = compareStrings(ka[i], kb[i]);
    if (kc !== 0) return kc;
    const vc = compareValues(a[ka[i]], b[kb[i]]);
    if (vc !== 0) return vc;
  }
  return ka.length === kb.length ? 0 : ka.length < kb.length ? -1 : 1;
}

/** Canonical string for a value such that equal BSON values (per compareValues) map to equal strings. */
export function valueKey(v: unknown): string {
  const r = typeRank(v);
  switch (r) {
    case 0:
    case 1:
    case 13:
      return `${r}`;
    case 2: {
      if (v instanceof Long) return `2:${v.toString()}`;
      if (v instanceof Decimal128) return `2d:${v.toString()}`;
      const n = toNumber(v);
      return `2:${Object.is(n, -0) ? 0 : n}`;
    }
    case 3:
      return `3:${v instanceof BSONSymbol ? v.value : String(v)}`;
    case 4: {
      const o = v as Record<string, unknown>;
      return `4{${Object.keys(o)
        .map((k) => `${JSON.stringify(k)}:${valueKey(o[k])}`)
        .join(',')}}`;
    }
    case 5:
      return `5[${(v as unknown[]).map(valueKey).join(',')}]`;
    case 6: {
      const x = v instanceof Binary ? v : new Binary(v as Uint8Array);
      return `6:${x.sub_type}:${Buffer.from(x.value()).toString('base64')}`;
    }
    case 7:
      return `7:${oidHex(v as ObjectId)}`;
    case 8:
      return v ? '8:t' : '8:f';
    case 9:
      return `9:${(v as Date).getTime()}`;
    case 10:
      return `10:${(v as Timestamp).toBigInt()}`;
    case 11: {
      const p = regexParts(v);
      return `11:${p[0]}/${p[1]}`;
    }
    default:
      return `${r}:${String(v)}`;
  }
}
