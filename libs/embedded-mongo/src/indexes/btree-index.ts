import { type Document } from 'bson';
import { ErrorCodes, mongoError } from '../errors';
import { compileFilter, type Predicate } from '../query/engine';
import { formatValue } from './format';
import { AFTER, bracketPrefix, encodeKey, entryOf, ridOf } from './key-string';
import { isPlainObject, pathValues } from './paths';
import { type Position, SortedList } from './sorted-list';

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

/** One end of a range on a single field, in value (not index) order. */
export interface Bound {
  value: unknown;
  inclusive: boolean;
  /** When set, the bound is the edge of a whole BSON type bracket rather than a value. */
  edgeOfRank?: number;
}

/** A document's key in one index: its values (for error messages) and their encoding. */
export interface IndexKey {
  values: unknown[];
  encoded: string;
}

/**
 * An ascending/descending (compound) index over a collection's records. Entries are KeyStrings
 * (see key-string.ts): the encoded key and the record id in one string, kept in a sorted list.
 */
export class BTreeIndex {
  readonly fields: string[];
  readonly dirs: number[];
  readonly entries = new SortedList();
  readonly unique: boolean;
  readonly sparse: boolean;
  readonly partial: Predicate | undefined;
  multikey = false;
  /**
   * Where checkUnique found no entry for a one-key document: the position add() inserts at
   * without searching again (nothing may change the index in between; remove() forgets it).
   */
  private checked: { keys: IndexKey[]; rid: number; pos: Position } | undefined;

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
  }

  get name(): string {
    return this.spec.name;
  }

  /** The encoding of the first `values.length` fields' values (a key prefix). */
  encodePrefix(values: readonly unknown[]): string {
    return encodeKey(values, this.dirs);
  }

  /** The index keys a document produces (several when a field holds an array). */
  keysFor(doc: Document): IndexKey[] {
    if (this.partial && !this.partial(doc)) return [];
    const perField: unknown[][] = [];
    let arrays = 0;
    let allMissing = true;
    for (const f of this.fields) {
      const { values, viaArray } = pathValues(doc, f);
      if (values.length > 0) allMissing = false;
      if (viaArray) arrays++;
      perField.push(values.length === 0 ? [null] : values.map((v) => (v === undefined ? null : v)));
    }
    if (this.sparse && allMissing) return [];
    if (arrays > 1) {
      throw mongoError(
        ErrorCodes.CannotIndexParallelArrays,
        `cannot index parallel arrays [${this.fields.join('] [')}]`,
      );
    }
    if (arrays === 1) this.multikey = true;
    if (arrays === 0) {
      const values = perField.map((vals) => vals[0]);
      return [{ values, encoded: encodeKey(values, this.dirs) }];
    }
    let combos: unknown[][] = [[]];
    for (const vals of perField) {
      const next: unknown[][] = [];
      for (const k of combos) for (const v of vals) next.push([...k, v]);
      combos = next;
    }
    // Equal elements (by BSON comparison) make one key, as their encodings are equal.
    const keys = new Map<string, IndexKey>();
    for (const values of combos) {
      const encoded = encodeKey(values, this.dirs);
      if (!keys.has(encoded)) keys.set(encoded, { values, encoded });
    }
    return [...keys.values()];
  }

  /** Throws DuplicateKey if any key is already held by a different record. */
  checkUnique(keys: IndexKey[], rid: number): void {
    this.checked = undefined;
    if (!this.unique) return;
    for (const key of keys) {
      const found = this.entries.lowerBound(key.encoded);
      const pos = { ...found };
      let held = false;
      for (let entry = this.entries.at(pos); entry !== undefined;) {
        if (!entry.startsWith(key.encoded)) break;
        if (ridOf(entry) !== rid) throw this.duplicateKeyError(key.values);
        held = true;
        entry = this.entries.at(this.entries.advance(pos));
      }
      if (keys.length === 1 && !held) this.checked = { keys, rid, pos: found };
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

  add(keys: IndexKey[], rid: number): void {
    const checked = this.checked;
    this.checked = undefined;
    if (checked && checked.keys === keys && checked.rid === rid) {
      // No entry starts with the key, so the entry goes where the key would.
      this.entries.insertAt(checked.pos, entryOf(keys[0].encoded, rid));
      return;
    }
    for (const key of keys) this.entries.insert(entryOf(key.encoded, rid));
  }

  remove(keys: IndexKey[], rid: number): void {
    this.checked = undefined;
    for (const key of keys) this.entries.delete(entryOf(key.encoded, rid));
  }

  clear(): void {
    this.checked = undefined;
    this.entries.clear();
  }

  /** The record id of the first entry whose key is exactly `values` (the _id lookup). */
  firstRid(values: readonly unknown[]): number | undefined {
    const key = this.encodePrefix(values);
    const entry = this.entries.at(this.entries.lowerBound(key));
    return entry !== undefined && entry.startsWith(key) ? ridOf(entry) : undefined;
  }

  /**
   * The entries whose first fields equal `prefix` and whose next field lies in `range` (value
   * order, either end optional), in index order or backward. A range of the index as a string
   * interval [start, end): see key-string.ts.
   */
  *scan(
    prefix: readonly unknown[],
    range: { lower?: Bound; upper?: Bound } | undefined,
    backward: boolean,
  ): Generator<string> {
    const base = this.encodePrefix(prefix);
    let start = base;
    let end = base + AFTER;
    if (range && prefix.length < this.fields.length) {
      const dir = this.dirs[prefix.length];
      const component = (value: unknown): string => encodeKey([value], [dir]);
      // In index order a descending field's upper value bound comes first.
      const first = dir > 0 ? range.lower : range.upper;
      const last = dir > 0 ? range.upper : range.lower;
      if (first)
        start +=
          first.edgeOfRank !== undefined
            ? bracketPrefix(first.edgeOfRank, dir)
            : component(first.value) + (first.inclusive ? '' : AFTER);
      if (last)
        end =
          base +
          (last.edgeOfRank !== undefined
            ? bracketPrefix(last.edgeOfRank, dir) + AFTER
            : component(last.value) + (last.inclusive ? AFTER : ''));
    }
    if (backward) {
      for (const entry of this.entries.backward(this.entries.lowerBound(end))) {
        if (entry < start) return;
        yield entry;
      }
    } else {
      for (const entry of this.entries.forward(this.entries.lowerBound(start))) {
        if (entry >= end) return;
        yield entry;
      }
    }
  }
}
