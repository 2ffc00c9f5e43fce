import { type Document } from 'bson';
import { ErrorCodes, mongoError } from '../errors';
import { BTreeIndex, type IndexKey, type IndexSpec } from '../indexes/btree-index';
import { decodeRaw } from './raw-document';

export interface CollectionInfo {
  options: Document;
  uuid?: unknown;
}

/**
 * One collection: records keyed by an internal record id (insertion order = natural order) plus its
 * indexes. A record is the document's BSON bytes (see raw-document.ts); callers that need fields
 * decode it. Every mutation checks all unique indexes before touching any structure, so a failed
 * write leaves no partial index state behind.
 */
export class Collection {
  private readonly records = new Map<number, string>();
  readonly indexes: BTreeIndex[] = [];
  private nextRid = 1;

  constructor(
    readonly db: string,
    readonly name: string,
    readonly options: Document = {},
  ) {
    this.addIndex({ v: 2, key: { _id: 1 }, name: '_id_' });
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  get idIndex(): BTreeIndex {
    return this.indexes[0];
  }

  get size(): number {
    return this.records.size;
  }

  /** A record's BSON bytes. */
  raw(rid: number): string | undefined {
    return this.records.get(rid);
  }

  /** A record decoded (a fresh object the caller may change). */
  doc(rid: number): Document | undefined {
    const raw = this.records.get(rid);
    return raw === undefined ? undefined : decodeRaw(raw);
  }

  /** Every record in natural (insertion) order, as record id and bytes. */
  rawRecords(): IterableIterator<[number, string]> {
    return this.records.entries();
  }

  /** Every document decoded, in natural order. */
  *documents(): Generator<Document> {
    for (const raw of this.records.values()) yield decodeRaw(raw);
  }

  findIndex(name: string): BTreeIndex | undefined {
    return this.indexes.find((i) => i.name === name);
  }

  /** Builds a new index over existing records; throws (leaving nothing behind) on duplicates. */
  addIndex(spec: IndexSpec): BTreeIndex {
    const idx = new BTreeIndex(spec, this.ns);
    for (const [rid, raw] of this.records) {
      const keys = idx.keysFor(decodeRaw(raw));
      idx.checkUnique(keys, rid);
      idx.add(keys, rid);
    }
    this.indexes.push(idx);
    return idx;
  }

  dropIndex(name: string): void {
    const i = this.indexes.findIndex((x) => x.name === name);
    if (i > 0) this.indexes.splice(i, 1);
  }

  ridForId(id: unknown): number | undefined {
    return this.idIndex.firstRid([id]);
  }

  getById(id: unknown): Document | undefined {
    const rid = this.ridForId(id);
    return rid === undefined ? undefined : this.doc(rid);
  }

  /** Stores `doc`, whose BSON bytes are `raw`. */
  insert(doc: Document, raw: string): number {
    if (doc._id === undefined) throw mongoError(ErrorCodes.InternalError, 'document without _id');
    if (Array.isArray(doc._id))
      throw mongoError(ErrorCodes.InvalidIdField, `The '_id' value cannot be of type array`);
    const rid = this.nextRid++;
    const keys = this.indexes.map((idx) => idx.keysFor(doc));
    this.indexes.forEach((idx, i) => idx.checkUnique(keys[i], rid));
    this.indexes.forEach((idx, i) => idx.add(keys[i], rid));
    this.records.set(rid, raw);
    return rid;
  }

  /** Replaces a record with `doc` (bytes `raw`); `old` is the current document when the caller has it decoded. */
  replace(
    rid: number,
    doc: Document,
    raw: string,
    old: Document | undefined = this.doc(rid),
  ): void {
    if (!old || !this.records.has(rid))
      throw mongoError(ErrorCodes.InternalError, `record ${rid} vanished`);
    const changes: { idx: BTreeIndex; oldKeys: IndexKey[]; newKeys: IndexKey[] }[] = [];
    for (const idx of this.indexes) {
      const oldKeys = idx.keysFor(old);
      const newKeys = idx.keysFor(doc);
      if (sameKeys(oldKeys, newKeys)) continue;
      idx.checkUnique(newKeys, rid);
      changes.push({ idx, oldKeys, newKeys });
    }
    for (const c of changes) {
      c.idx.remove(c.oldKeys, rid);
      c.idx.add(c.newKeys, rid);
    }
    this.records.set(rid, raw);
  }

  /** Removes a record and returns the document it held (`old` when the caller has it decoded). */
  remove(rid: number, old: Document | undefined = this.doc(rid)): Document | undefined {
    if (!old || !this.records.has(rid)) return undefined;
    for (const idx of this.indexes) idx.remove(idx.keysFor(old), rid);
    this.records.delete(rid);
    return old;
  }

  clear(): void {
    this.records.clear();
    for (const idx of this.indexes) idx.clear();
  }
}

function sameKeys(a: IndexKey[], b: IndexKey[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].encoded !== b[i].encoded) return false;
  return true;
}
