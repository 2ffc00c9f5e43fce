import { type Document, deserialize } from 'bson';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { encodeDocument } from '../wire/bson-writer';
import { acquireLock } from './lock';
import { DESERIALIZE_OPTIONS, RawDocument } from './raw-document';
import { type JournalOp, type JournalSink, type Storage } from './storage';

/*
 * On-disk format (all integers little-endian):
 *   record   := u32 payloadLength, u32 crc32(payload), payload (one BSON document)
 *   snapshot.bson    := record* ; first record {op: 'hdr', gen, format: 1}; the rest are JournalOps
 *   journal-<gen>.log := record*  (ops applied after the snapshot with the same gen)
 * A snapshot is written to snapshot.tmp, fsynced and renamed, and only then is the old journal removed,
 * so a crash at any point leaves either the old (snapshot, journal) pair or the new one.
 */
const SNAPSHOT = 'snapshot.bson';
const SNAPSHOT_TMP = 'snapshot.tmp';
const LOCK = 'mongod.lock';
const HEADER = 8;

const crc32: (data: Uint8Array) => number = zlib.crc32;

function journalName(gen: number): string {
  return `journal-${String(gen).padStart(8, '0')}.log`;
}

/** Byte length of an insert/update record's payload, `{op, db, c, doc}`. */
function documentRecordSize(db: string, c: string, doc: RawDocument): number {
  return (
    4 +
    (1 + 3 + 4 + 2) +
    (1 + 3 + 4 + Buffer.byteLength(db, 'utf8') + 1) +
    (1 + 2 + 4 + Buffer.byteLength(c, 'utf8') + 1) +
    (1 + 4) +
    doc.size +
    1
  );
}

/**
 * Writes an insert/update record (header, then `{op, db, c, doc}` with the document's stored
 * bytes embedded) into `target` at `at`, directly: this runs for every stored write, and for
 * every document of a snapshot. Returns the record's length.
 */
function writeDocumentRecord(
  target: Buffer,
  at: number,
  op: 'i' | 'u',
  db: string,
  c: string,
  doc: RawDocument,
): number {
  const size = documentRecordSize(db, c, doc);
  let offset = at + HEADER;
  offset = target.writeInt32LE(size, offset);
  offset += target.write('\x02op\0', offset, 'latin1');
  offset = target.writeInt32LE(2, offset);
  offset += target.write(`${op}\0\x02db\0`, offset, 'latin1');
  offset = target.writeInt32LE(Buffer.byteLength(db, 'utf8') + 1, offset);
  offset += target.write(db, offset, 'utf8');
  offset += target.write('\0\x02c\0', offset, 'latin1');
  offset = target.writeInt32LE(Buffer.byteLength(c, 'utf8') + 1, offset);
  offset += target.write(c, offset, 'utf8');
  offset += target.write('\0\x03doc\0', offset, 'latin1');
  offset += target.write(doc.bytes, offset, 'latin1');
  target[offset] = 0;
  target.writeUInt32LE(size, at);
  target.writeUInt32LE(crc32(target.subarray(at + HEADER, at + HEADER + size)), at + 4);
  return HEADER + size;
}

/** The record of an insert/update whose document is a RawDocument, else undefined. */
function asDocumentRecord(
  doc: Document,
): { op: 'i' | 'u'; db: string; c: string; doc: RawDocument } | undefined {
  const op: unknown = doc.op;
  const db: unknown = doc.db;
  const c: unknown = doc.c;
  if ((op !== 'i' && op !== 'u') || typeof db !== 'string' || typeof c !== 'string')
    return undefined;
  return doc.doc instanceof RawDocument ? { op, db, c, doc: doc.doc } : undefined;
}

/** One record; a RawDocument in `doc` (a stored document) is embedded as the bytes it is. */
export function encodeRecord(doc: Document): Buffer {
  const record = asDocumentRecord(doc);
  if (record) {
    const rec = Buffer.allocUnsafe(HEADER + documentRecordSize(record.db, record.c, record.doc));
    writeDocumentRecord(rec, 0, record.op, record.db, record.c, record.doc);
    return rec;
  }
  const rec = encodeDocument(doc, HEADER);
  const payload = rec.subarray(HEADER);
  rec.writeUInt32LE(payload.length, 0);
  rec.writeUInt32LE(crc32(payload), 4);
  return rec;
}

/**
 * An insert/update record `{op, db, c, doc}` with its document left as bytes (the stored form), so
 * recovery does not decode and encode every document again; undefined for any other record.
 */
function documentRecord(payload: Buffer): Document | undefined {
  const fields: Record<string, string | RawDocument> = {};
  let offset = 4;
  while (offset < payload.length - 1) {
    const type = payload[offset++];
    const nameEnd = payload.indexOf(0, offset);
    if (nameEnd < 0) return undefined;
    const name = payload.toString('utf8', offset, nameEnd);
    offset = nameEnd + 1;
    if (type !== 0x02 && !(type === 0x03 && name === 'doc')) return undefined;
    const size = payload.readInt32LE(offset);
    if (type === 0x02) {
      fields[name] = payload.toString('utf8', offset + 4, offset + 4 + size - 1);
      offset += 4 + size;
    } else {
      fields[name] = new RawDocument(payload.toString('latin1', offset, offset + size));
      offset += size;
    }
  }
  const { op, db, c, doc } = fields;
  if ((op !== 'i' && op !== 'u') || typeof db !== 'string' || typeof c !== 'string')
    return undefined;
  if (!(doc instanceof RawDocument) || Object.keys(fields).length !== 4) return undefined;
  return { op, db, c, doc };
}

/** Reads records until the end or the first torn/corrupt one; returns the byte length of the valid prefix. */
export function readRecords(buf: Buffer, onRecord: (doc: Document) => void): number {
  let offset = 0;
  while (offset + HEADER <= buf.length) {
    const len = buf.readUInt32LE(offset);
    const crc = buf.readUInt32LE(offset + 4);
    if (len < 5 || offset + HEADER + len > buf.length) break;
    const payload = buf.subarray(offset + HEADER, offset + HEADER + len);
    if (crc32(payload) !== crc || payload.readInt32LE(0) !== len) break;
    let doc: Document;
    try {
      doc = documentRecord(payload) ?? deserialize(payload, DESERIALIZE_OPTIONS);
    } catch {
      break;
    }
    onRecord(doc);
    offset += HEADER + len;
  }
  return offset;
}

function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic.
  }
}

export interface PersistenceOptions {
  fsync: boolean;
  compactBytes?: number;
}

/** Journal + snapshot persistence for one Storage, owning the dbPath lock. */
export class Persistence implements JournalSink {
  private fd: number;
  /** Journal writes a `j: true` command is waiting to see fsynced. */
  private unsynced = false;
  private pending: Buffer[] = [];
  private journalBytes = 0;
  private readonly compactBytes: number;
  private closed = false;

  private constructor(
    private readonly dir: string,
    private readonly storage: Storage,
    private gen: number,
    private readonly opts: PersistenceOptions,
    private readonly releaseLock: () => void,
  ) {
    this.compactBytes = opts.compactBytes ?? 64 * 1024 * 1024;
    const file = path.join(dir, journalName(gen));
    this.fd = fs.openSync(file, 'a');
    this.journalBytes = fs.fstatSync(this.fd).size;
  }

  static open(dir: string, storage: Storage, opts: PersistenceOptions): Persistence {
    fs.mkdirSync(dir, { recursive: true });
    const release = acquireLock(path.join(dir, LOCK));
    try {
      let gen = 1;
      const snap = path.join(dir, SNAPSHOT);
      if (fs.existsSync(snap)) {
        const buf = fs.readFileSync(snap);
        let first = true;
        const valid = readRecords(buf, (doc) => {
          if (first) {
            first = false;
            if (doc.op !== 'hdr' || typeof doc.gen !== 'number')
              throw new Error(`${snap}: missing snapshot header`);
            gen = doc.gen;
            return;
          }
          storage.replay(doc as JournalOp);
        });
        // A snapshot is renamed into place only after fsync, so a bad one is real corruption, not a torn write.
        if (valid !== buf.length)
          throw new Error(`${snap} is corrupt at byte ${valid}; refusing to start`);
      }
      const journal = path.join(dir, journalName(gen));
      if (fs.existsSync(journal)) {
        const buf = fs.readFileSync(journal);
        const valid = readRecords(buf, (doc) => storage.replay(doc as JournalOp));
        if (valid < buf.length) {
          console.error(
            `[embedded-mongo] ${journal}: discarding ${buf.length - valid} bytes of torn/corrupt journal tail`,
          );
          fs.truncateSync(journal, valid);
        }
      }
      for (const f of fs.readdirSync(dir)) {
        if ((f.startsWith('journal-') && f !== journalName(gen)) || f === SNAPSHOT_TMP)
          fs.rmSync(path.join(dir, f), { force: true });
      }
      const p = new Persistence(dir, storage, gen, opts, release);
      storage.journal = p;
      storage.mutations = 0;
      return p;
    } catch (e) {
      release();
      throw e;
    }
  }

  append(op: JournalOp): void {
    this.pending.push(encodeRecord(op));
  }

  /**
   * Everything one command wrote goes to the journal in one write before the reply. With the
   * `fsync` option every commit is also fsynced here; a command asking for `j: true` leaves that to
   * `sync()`, which the server runs once for all such commands of one turn of the event loop before
   * replying to any of them (group commit: one fsync for many writers).
   */
  commit(options?: { sync?: boolean }): void {
    if (this.pending.length === 0) return;
    const buf = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
    this.pending = [];
    let off = 0;
    while (off < buf.length) off += fs.writeSync(this.fd, buf, off, buf.length - off);
    if (this.opts.fsync) fs.fsyncSync(this.fd);
    else if (options?.sync === true) this.unsynced = true;
    this.journalBytes += buf.length;
  }

  /** Whether `fsync` is on: every commit is already on disk when `commit` returns. */
  get syncsEveryCommit(): boolean {
    return this.opts.fsync;
  }

  /** Makes every journal write so far durable (one fsync), if any asked for it. */
  sync(): void {
    if (!this.unsynced || this.closed) return;
    fs.fsyncSync(this.fd);
    this.unsynced = false;
  }

  maybeCompact(): void {
    if (this.journalBytes >= this.compactBytes) this.compact();
  }

  /** Writes the whole state as a new snapshot and starts an empty journal generation. */
  compact(): void {
    this.commit();
    const nextGen = this.gen + 1;
    const tmp = path.join(this.dir, SNAPSHOT_TMP);
    const fd = fs.openSync(tmp, 'w');
    try {
      // Records go into one 4 MiB buffer, a document's straight from its stored bytes.
      let buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
      let used = 0;
      const flush = (): void => {
        let off = 0;
        while (off < used) off += fs.writeSync(fd, buffer, off, used - off);
        used = 0;
      };
      const append = (size: number, write: (at: number) => number): void => {
        if (used + size > buffer.length) flush();
        if (size > buffer.length) buffer = Buffer.allocUnsafe(size);
        used += write(used);
      };
      const header = encodeRecord({ op: 'hdr', gen: nextGen, format: 1 });
      append(header.length, (at) => header.copy(buffer, at));
      for (const op of this.storage.dumpOps()) {
        const record = asDocumentRecord(op);
        if (record) {
          append(HEADER + documentRecordSize(record.db, record.c, record.doc), (at) =>
            writeDocumentRecord(buffer, at, record.op, record.db, record.c, record.doc),
          );
        } else {
          const rec = encodeRecord(op);
          append(rec.length, (at) => rec.copy(buffer, at));
        }
      }
      flush();
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, path.join(this.dir, SNAPSHOT));
    fsyncDir(this.dir);
    const oldJournal = path.join(this.dir, journalName(this.gen));
    fs.closeSync(this.fd);
    this.gen = nextGen;
    this.fd = fs.openSync(path.join(this.dir, journalName(nextGen)), 'w');
    this.journalBytes = 0;
    // Everything is in the fsynced snapshot now.
    this.unsynced = false;
    fs.rmSync(oldJournal, { force: true });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.commit();
      if (this.journalBytes > 0) this.compact();
      fs.closeSync(this.fd);
    } finally {
      this.storage.journal = undefined;
      this.releaseLock();
    }
  }

  /** Journal file currently appended to (for tests). */
  get journalPath(): string {
    return path.join(this.dir, journalName(this.gen));
  }
}
