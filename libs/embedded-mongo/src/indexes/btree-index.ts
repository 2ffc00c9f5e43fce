import { type Document } from 'bson';
import { ErrorCodes, mongoError } from '../errors';
import { compileFilter, type Predicate } from '../query/engine';
import { compareValues } from './compare';
import { formatValue } from './format';
import { isPlainObject, pathValues } from './paths';
import { SortedList } from './sorted-list';

export interface IndexEntry {
  key: unknown[];
  rid: number;
}

/** The stored description of an index, as returned by listIndexes. */
export type IndexSpec = Document & { v: number; key: Document; name: string };

const ALLOWED_OPTIONS = new Set([
  'key',
  'name',
  'unique',
  'sparse',
  'partialFilterExpression',
  'v',
  'background',
  'expireAfterSeconds',
  'hidden',
  'ns',
  'dropDups',
]);

export function defaultIndexName(key: Document): string {
  return Object.keys(key)
    .map((k) => `${k}_${String(key[k])}`)
    .join('_');
}

/** Validates a createIndexes spec and normalizes it into what listIndexes returns. */
export function normalizeIndexSpec(raw: unknown): IndexSpec {
  if (!isPlainObject(raw))
    throw mongoError(ErrorCodes.TypeMismatch, 'index specification must be an object');
  const key: unknown = raw.key;
  if (!isPlainObject(key) || Object.keys(key).length === 0) {
    throw mongoError(
      ErrorCodes.CannotCreateIndex,
      "The 'key' field is a required property of an index specification",
    );
  }
  for (const f of Object.keys(key)) {
    const d: unknown = key[f];
    if (typeof d === 'string') {
      throw mongoError(
        ErrorCodes.CannotCreateIndex,
        `Index type '${d}' on field '${f}' is not supported by the embedded server (only ascending/descending B-tree indexes)`,
      );
    }
    if (typeof d !== 'number' || d === 0 || Number.isNaN(d)) {
      throw mongoError(
        ErrorCodes.CannotCreateIndex,
        `Values in the index key pattern can't be 0 or non-numbers: ${f}: ${String(d)}`,
      );
    }
  }
  for (const opt of Object.keys(raw)) {
    if (!ALLOWED_OPTIONS.has(opt)) {
      if (opt === 'collation')
        throw mongoError(
          ErrorCodes.InvalidOptions,
          'collation is not supported by the embedded server',
        );
      throw mongoError(
        ErrorCodes.InvalidIndexSpecificationOption,
        `The field '${opt}' is not valid for an index specification. Specification: ${formatValue(raw)}`,
      );
    }
  }
  const name: unknown = raw.name === undefined ? defaultIndexName(key) : raw.name;
  if (typeof name !== 'string' || name.length === 0)
    throw mongoError(ErrorCodes.CannotCreateIndex, 'index name must be a non-empty string');
  const spec: IndexSpec = { v: 2, key: { ...key }, name };
  if (raw.unique === true) spec.unique = true;
  if (raw.sparse === true) spec.sparse = true;
  if (raw.partialFilterExpression !== undefined) {
    if (!isPlainObject(raw.partialFilterExpression))
      throw mongoError(ErrorCodes.TypeMismatch, 'partialFilterExpression must be an object');
    spec.partialFilterExpression = raw.partialFilterExpression;
  }
  if (raw.expireAfterSeconds !== undefined)
    spec.expireAfterSeconds = raw.expireAfterSeconds as unknown;
  if (raw.hidden === true) spec.hidden = true;
  if (spec.name === '_id_' && !(Object.keys(key).length === 1 && key._id === 1)) {
    throw mongoError(ErrorCodes.BadValue, "The index name '_id_' is reserved for the _id index");
  }
  return spec;
}

/** Compares two specs the way createIndexes decides "already exists" vs. conflict. */
export function sameIndexOptions(a: IndexSpec, b: IndexSpec): boolean {
  const pick = (s: IndexSpec): string =>
    JSON.stringify([
      !!s.unique,
      !!s.sparse,
      s.partialFilterExpression ?? null,
      s.expireAfterSeconds ?? null,
    ]);
  return pick(a) === pick(b);
}

export function sameKey(a: Document, b: Document): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length && ka.every((k, i) => k === kb[i] && Number(a[k]) === Number(b[k]))
  );
}

/** An ascending/descending (compound) index over a collection's records. */
export class BTreeIndex {
  readonly fields: string[];
  readonly dirs: number[];
  readonly entries: SortedList<IndexEntry>;
  readonly unique: boolean;
  readonly sparse: boolean;
  readonly partial: Predicate | undefined;
  multikey = false;

  constructor(
    readonly spec: IndexSpec,
    private readonly ns: string,
  ) {
    this.fields = Object.keys(spec.key);
    this.dirs = this.fields.map((f) => (Number(spec.key[f]) < 0 ? -1 : 1));
    // The _id index is unique without saying so in its spec (listIndexes shows no 'unique' for it).
    this.unique = spec.unique === true || spec.name === '_id_';
    this.sparse = spec.sparse === true;
    this.partial = spec.partialFilterExpression
      ? compileFilter(spec.partialFilterExpression as Document)
      : undefined;
    const dirs = this.dirs;
    this.entries = new SortedList<IndexEntry>((a, b) => {
      for (let i = 0; i < dirs.length; i++) {
        const c = compareValues(a.key[i], b.key[i]);
        if (c !== 0) return c * dirs[i];
      }
      return a.rid - b.rid;
    });
  }

  get name(): string {
    return this.spec.name;
  }

  /** Compares an entry's key with a (possibly shorter) key prefix; negative when entry < prefix. */
  comparePrefix(entry: IndexEntry, prefix: unknown[]): number {
    for (let i = 0; i < prefix.length; i++) {
      const c = compareValues(entry.key[i], prefix[i]);
      if (c !== 0) return c * this.dirs[i];
    }
    return 0;
  }

  /** The index keys a document produces (several when a field holds an array). */
  keysFor(doc: Document): unknown[][] {
    if (this.partial && !this.partial(doc)) return [];
    const perField: unknown[][] = [];
    let arrays = 0;
    let allMissing = true;
    for (const f of this.fields) {
      const { values, viaArray } = pathValues(doc, f);
      if (values.length > 0) allMissing = false;
      if (viaArray) arrays++;
      perField.push(
        values.length === 0 ? [null] : dedupe(values.map((v) => (v === undefined ? null : v))),
      );
    }
    if (this.sparse && allMissing) return [];
    if (arrays > 1) {
      throw mongoError(
        ErrorCodes.CannotIndexParallelArrays,
        `cannot index parallel arrays [${this.fields.join('] [')}]`,
      );
    }
    if (arrays === 1) this.multikey = true;
    let keys: unknown[][] = [[]];
    for (const vals of perField) {
      const next: unknown[][] = [];
      for (const k of keys) for (const v of vals) next.push([...k, v]);
      keys = next;
    }
    return keys;
  }

  /** Throws DuplicateKey if any key is already held by a different record. */
  checkUnique(keys: unknown[][], rid: number): void {
    if (!this.unique) return;
    for (const key of keys) {
      const pos = this.entries.lowerBound((e) => this.comparePrefix(e, key));
      for (const e of this.entries.forward(pos)) {
        if (this.comparePrefix(e, key) !== 0) break;
        if (e.rid !== rid) throw this.duplicateKeyError(key);
      }
    }
  }

  duplicateKeyError(key: unknown[]): Error {
    const keyValue: Document = {};
    this.fields.forEach((f, i) => (keyValue[f] = key[i]));
    return mongoError(
      ErrorCodes.DuplicateKey,
      `E11000 duplicate key error collection: ${this.ns} index: ${this.name} dup key: ${formatValue(keyValue)}`,
      { keyPattern: { ...this.spec.key }, keyValue },
    );
  }

  add(keys: unknown[][], rid: number): void {
    for (const key of keys) this.entries.insert({ key, rid });
  }

  remove(keys: unknown[][], rid: number): void {
    for (const key of keys) this.entries.delete({ key, rid });
  }
}

function dedupe(values: unknown[]): unknown[] {
  if (values.length < 2) return values;
  const out: unknown[] = [];
  for (const v of values) if (!out.some((o) => compareValues(o, v) === 0)) out.push(v);
  return out;
}
