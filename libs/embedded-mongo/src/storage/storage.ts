import { type Document, UUID } from 'bson';
import { ErrorCodes, mongoError } from '../errors';
import { type IndexSpec } from '../indexes/btree-index';
import { ridOf } from '../indexes/key-string';
import { Collection } from './collection';
import { encodeRaw, RawDocument, rawOf } from './raw-document';

/**
 * A logical operation as written to the journal (and replayed on recovery). Written documents are
 * RawDocuments (their stored bytes, embedded as they are); a record read back may hold either.
 */
export type JournalOp =
  | { op: 'cc'; db: string; c: string; o: Document }
  | { op: 'dc'; db: string; c: string }
  | { op: 'dd'; db: string }
  | { op: 'ci'; db: string; c: string; spec: IndexSpec }
  | { op: 'di'; db: string; c: string; name: string }
  | { op: 'i'; db: string; c: string; doc: Document | RawDocument }
  | { op: 'u'; db: string; c: string; doc: Document | RawDocument }
  | { op: 'd'; db: string; c: string; id: unknown };

export interface JournalSink {
  append(op: JournalOp): void;
  /**
   * Writes every appended op to the journal (called once per command, before the reply is sent);
   * with `sync` also fsyncs it.
   */
  commit(options?: { sync?: boolean }): void;
}

export function validateCollectionName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0)
    throw mongoError(ErrorCodes.InvalidNamespace, `Invalid collection name: ${String(name)}`);
  if (
    name.includes('$') ||
    name.includes('\0') ||
    name.startsWith('.') ||
    name.startsWith('system.')
  ) {
    if (!name.startsWith('system.') || name.includes('$'))
      throw mongoError(ErrorCodes.InvalidNamespace, `Invalid collection name: ${name}`);
  }
  return name;
}

export function validateDbName(name: unknown): string {
  if (
    typeof name !== 'string' ||
    name.length === 0 ||
    /[/\\. "$\0]/.test(name) ||
    name.length > 63
  ) {
    throw mongoError(ErrorCodes.InvalidNamespace, `Invalid database name: '${String(name)}'`);
  }
  return name;
}

const MAX_BSON_SIZE = 16 * 1024 * 1024;

function checkSize(raw: string): void {
  const size = raw.length;
  if (size > MAX_BSON_SIZE)
    throw mongoError(
      ErrorCodes.BSONObjectTooLarge,
      `BSONObj size: ${size} (0x${size.toString(16)}) is invalid. Size must be between 0 and 16793600(16MB)`,
    );
}

/** All databases and collections of one server, with every mutation mirrored to the journal. */
export class Storage {
  readonly dbs = new Map<string, Map<string, Collection>>();
  journal: JournalSink | undefined;
  /** Monotonic count of mutations, used to decide when to compact. */
  mutations = 0;

  collection(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.get(name);
  }

  listCollections(db: string): Collection[] {
    return [...(this.dbs.get(db)?.values() ?? [])];
  }

  private log(op: JournalOp): void {
    this.mutations++;
    this.journal?.append(op);
  }

  commit(options?: { sync?: boolean }): void {
    this.journal?.commit(options);
  }

  createCollection(db: string, name: string, options: Document = {}): Collection {
    validateDbName(db);
    validateCollectionName(name);
    let colls = this.dbs.get(db);
    if (!colls) {
      colls = new Map();
      this.dbs.set(db, colls);
    }
    if (colls.has(name))
      throw mongoError(ErrorCodes.NamespaceExists, `Collection ${db}.${name} already exists.`);
    const o: Document = { ...options };
    if (!o.uuid) o.uuid = new UUID();
    const coll = new Collection(db, name, o);
    colls.set(name, coll);
    this.log({ op: 'cc', db, c: name, o });
    return coll;
  }

  /** The collection, implicitly created like MongoDB does on first write. */
  ensureCollection(db: string, name: string): Collection {
    return this.collection(db, name) ?? this.createCollection(db, name);
  }

  dropCollection(db: string, name: string): boolean {
    const colls = this.dbs.get(db);
    if (!colls?.has(name)) return false;
    colls.delete(name);
    if (colls.size === 0) this.dbs.delete(db);
    this.log({ op: 'dc', db, c: name });
    return true;
  }

  dropDatabase(db: string): void {
    if (!this.dbs.has(db)) return;
    this.dbs.delete(db);
    this.log({ op: 'dd', db });
  }

  createIndex(coll: Collection, spec: IndexSpec): void {
    coll.addIndex(spec);
    this.log({ op: 'ci', db: coll.db, c: coll.name, spec });
  }

  dropIndex(coll: Collection, name: string): void {
    coll.dropIndex(name);
    this.log({ op: 'di', db: coll.db, c: coll.name, name });
  }

  /** Inserts `doc`; its bytes are the ones it arrived with when it is unchanged (see raw-document.ts). */
  insert(coll: Collection, doc: Document): number {
    const raw = rawOf(doc);
    checkSize(raw);
    const rid = coll.insert(doc, raw);
    this.log({ op: 'i', db: coll.db, c: coll.name, doc: new RawDocument(raw) });
    return rid;
  }

  /** Replaces a record; `old` is its current document when the caller has it decoded already. */
  replace(coll: Collection, rid: number, doc: Document, old?: Document): void {
    const raw = encodeRaw(doc);
    checkSize(raw);
    coll.replace(rid, doc, raw, old);
    this.log({ op: 'u', db: coll.db, c: coll.name, doc: new RawDocument(raw) });
  }

  remove(coll: Collection, rid: number, old?: Document): void {
    const removed = coll.remove(rid, old);
    if (removed) this.log({ op: 'd', db: coll.db, c: coll.name, id: removed._id });
  }

  /** Re-applies a journal op during recovery; idempotent so a record replayed twice is harmless. */
  replay(op: JournalOp): void {
    const journal = this.journal;
    this.journal = undefined;
    try {
      switch (op.op) {
        case 'cc':
          if (!this.collection(op.db, op.c)) this.createCollection(op.db, op.c, op.o);
          break;
        case 'dc':
          this.dropCollection(op.db, op.c);
          break;
        case 'dd':
          this.dropDatabase(op.db);
          break;
        case 'ci': {
          const coll = this.ensureCollection(op.db, op.c);
          if (!coll.findIndex(op.spec.name)) coll.addIndex(op.spec);
          break;
        }
        case 'di':
          this.collection(op.db, op.c)?.dropIndex(op.name);
          break;
        case 'i':
        case 'u': {
          const coll = this.ensureCollection(op.db, op.c);
          const raw = op.doc instanceof RawDocument ? op.doc.bytes : encodeRaw(op.doc);
          const doc = op.doc instanceof RawDocument ? op.doc.decode() : op.doc;
          const rid = coll.ridForId(doc._id);
          if (rid === undefined) coll.insert(doc, raw);
          else coll.replace(rid, doc, raw);
          break;
        }
        case 'd': {
          const coll = this.collection(op.db, op.c);
          const rid = coll?.ridForId(op.id);
          if (coll && rid !== undefined) coll.remove(rid);
          break;
        }
      }
    } finally {
      this.journal = journal;
    }
  }

  /**
   * TTL monitor pass: removes documents whose indexed date (for arrays, the earliest) is older than
   * the index's expireAfterSeconds, like mongod's TTLMonitor. Returns how many were removed.
   */
  expireTtl(now: number): number {
    let removed = 0;
    for (const colls of this.dbs.values()) {
      for (const coll of colls.values()) {
        for (const idx of coll.indexes) {
          const secs: unknown = idx.spec.expireAfterSeconds;
          if (typeof secs !== 'number' || idx.fields.length !== 1) continue;
          const cutoff = now - secs * 1000;
          const victims = new Set<number>();
          // Dates before the cutoff (an array is indexed by each element, so any early one counts).
          const entries = idx.scan(
            [],
            {
              lower: { value: null, inclusive: true, edgeOfRank: 9 },
              upper: { value: new Date(cutoff), inclusive: false },
            },
            false,
          );
          for (const entry of entries) victims.add(ridOf(entry));
          for (const rid of victims) {
            this.remove(coll, rid);
            removed++;
          }
        }
      }
    }
    return removed;
  }

  /** The ops that rebuild the current state from nothing (the content of a snapshot). */
  *dumpOps(): Generator<JournalOp> {
    for (const [db, colls] of this.dbs) {
      for (const coll of colls.values()) {
        yield { op: 'cc', db, c: coll.name, o: coll.options };
        for (const idx of coll.indexes.slice(1))
          yield { op: 'ci', db, c: coll.name, spec: idx.spec };
        for (const [, raw] of coll.rawRecords())
          yield { op: 'i', db, c: coll.name, doc: new RawDocument(raw) };
      }
    }
  }
}
