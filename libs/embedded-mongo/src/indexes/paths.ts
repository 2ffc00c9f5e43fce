import { type Document } from 'bson';

export function isPlainObject(v: unknown): v is Document {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Values reached by a dotted path, expanding arrays the way MongoDB index key generation does.
 * Returns `{values, viaArray}`; `values` is empty when the path is missing.
 */
export function pathValues(doc: unknown, path: string): { values: unknown[]; viaArray: boolean } {
  // A top-level field holding no array (nearly every indexed field): no walk.
  if (!path.includes('.') && isPlainObject(doc)) {
    if (!(path in doc)) return { values: [], viaArray: false };
    const value: unknown = doc[path];
    if (!Array.isArray(value)) return { values: [value], viaArray: false };
  }
  const parts = path.split('.');
  const out: unknown[] = [];
  let viaArray = false;
  const walk = (v: unknown, i: number): void => {
    if (i === parts.length) {
      if (Array.isArray(v)) {
        viaArray = true;
        // An empty array is indexed as `undefined` in MongoDB; it sorts with null here.
        if (v.length === 0) out.push(undefined);
        for (const e of v) out.push(e);
      } else out.push(v);
      return;
    }
    if (Array.isArray(v)) {
      const idx = /^\d+$/.test(parts[i]) ? Number(parts[i]) : -1;
      if (idx >= 0 && idx < v.length) {
        walk(v[idx], i + 1);
        return;
      }
      viaArray = true;
      for (const e of v) if (isPlainObject(e)) walk(e[parts[i]], i + 1);
      return;
    }
    if (!isPlainObject(v)) return;
    if (!(parts[i] in v)) return;
    walk(v[parts[i]], i + 1);
  };
  walk(doc, 0);
  return { values: out, viaArray };
}

/** Value at a dotted path without array expansion (undefined if missing or crossing a non-object). */
export function getPath(doc: unknown, path: string): unknown {
  let v: unknown = doc;
  for (const p of path.split('.')) {
    if (Array.isArray(v) && /^\d+$/.test(p)) v = v[Number(p)];
    else if (isPlainObject(v)) v = v[p];
    else return undefined;
  }
  return v;
}

/**
 * Deep copy of plain objects and arrays; BSON value objects (ObjectId, Date, Binary, ...) are shared
 * because stored documents are never mutated in place (updates always work on a copy).
 */
export function deepClone<T>(v: T): T {
  if (Array.isArray(v)) return v.map((e: unknown) => deepClone(e)) as T;
  if (isPlainObject(v)) {
    const o: Document = {};
    for (const k of Object.keys(v)) o[k] = deepClone(v[k] as unknown);
    return o as T;
  }
  return v;
}
