import { type Document } from 'bson';
import { ErrorCodes, mongoError } from '../errors';
import { BTreeIndex, type IndexSpec } from '../indexes/btree-index';
import { valueKey } from '../indexes/compare';

export interface CollectionInfo {
  options: Document;
  uuid?: unknown;
}

/**
 * One collection: records keyed by an internal record id (insertion order = natural order) plus its
 * indexes. Every mutation checks all unique indexes before touching any structure, so a failed write
 * leaves no partial index state behind.
 */
export class Collection {
  readonly records = new Map<number, Document>();
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

  findIndex(name: string): BTreeIndex | undefined {
    return this.indexes.find((i) => i.name === name);
  }

  /** Builds a new index over existing records; throws (leaving nothing behind) on duplicates. */
  addIndex(spec: IndexSpec): BTreeIndex {
    const idx = new BTreeIndex(spec, this.ns);
    for (const [rid, doc] of this.records) {
      const keys = idx.keysFor(doc);
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
    const idx = this.idIndex;
    const key = [id];
    const pos = idx.entries.lowerBound((e) => idx.comparePrefix(e, key));
    const e = idx.entries.at(pos);
    return e && idx.comparePrefix(e, key) === 0 ? e.rid : undefined;
  }

  getById(id: unknown): Document | undefined {
    const rid = this.ridForId(id);
    return rid === undefined ? undefined : this.records.get(rid);
  }

  insert(doc: Document): number {
    if (doc._id === undefined) throw mongoError(ErrorCodes.InternalError, 'document without _id');
    if (Array.isArray(doc._id))
      throw mongoError(ErrorCodes.InvalidIdField, `The '_id' value cannot be of type array`);
    const rid = this.nextRid++;
    const keys = this.indexes.map((idx) => idx.keysFor(doc));
    this.indexes.forEach((idx, i) => idx.checkUnique(keys[i], rid));
    this.indexes.forEach((idx, i) => idx.add(keys[i], rid));
    this.records.set(rid, doc);
    return rid;
  }

  replace(rid: number, doc: Document): void {
    const old = this.records.get(rid);
    if (!old) throw mongoError(ErrorCodes.InternalError, `record ${rid} vanished`);
    const changes: { idx: BTreeIndex; oldKeys: unknown[][]; newKeys: unknown[][] }[] = [];
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
    this.records.set(rid, doc);
  }

  remove(rid: number): Document | undefined {
    const old = this.records.get(rid);
    if (!old) return undefined;
    for (const idx of this.indexes) idx.remove(idx.keysFor(old), rid);
    this.records.delete(rid);
    return old;
  }

  clear(): void {
    this.records.clear();
    for (const idx of this.indexes) idx.entries.clear();
  }
}

function sameKeys(a: unknown[][], b: unknown[][]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i].length !== b[i].length) return false;
    for (let j = 0; j < a[i].length; j++) if (valueKey(a[i][j]) !== valueKey(b[i][j])) return false;
  }
  return true;
}
