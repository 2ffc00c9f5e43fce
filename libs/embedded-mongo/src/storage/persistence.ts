import { type Document, deserialize, serialize } from 'bson';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { DESERIALIZE_OPTIONS } from '../wire/protocol';
import { acquireLock } from './lock';
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

export function encodeRecord(doc: Document): Buffer {
  const payload = serialize(doc);
  const rec = Buffer.allocUnsafe(HEADER + payload.length);
  rec.writeUInt32LE(payload.length, 0);
  rec.writeUInt32LE(crc32(payload), 4);
  rec.set(payload, HEADER);
  return rec;
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
      doc = deserialize(payload, DESERIALIZE_OPTIONS);
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
      const chunks: Buffer[] = [encodeRecord({ op: 'hdr', gen: nextGen, format: 1 })];
      let size = chunks[0].length;
      const flush = (): void => {
        const b = Buffer.concat(chunks);
        let off = 0;
        while (off < b.length) off += fs.writeSync(fd, b, off, b.length - off);
        chunks.length = 0;
        size = 0;
      };
      for (const op of this.storage.dumpOps()) {
        const rec = encodeRecord(op);
        chunks.push(rec);
        size += rec.length;
        if (size > 4 * 1024 * 1024) flush();
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
