import { randomBytes } from 'node:crypto';
import { type Document, Long, calculateObjectSize } from 'bson';
import { ErrorCodes, mongoError } from '../errors';
import { RawDocument } from '../storage/raw-document';
import { type Storage } from '../storage/storage';

/** A document of a reply: decoded, or a stored document's bytes. */
export type ReplyDocument = Document | RawDocument;

export interface ServerInfo {
  port: number;
  startedAt: Date;
}

/** Everything a command handler may touch. Handlers are synchronous: a command is atomic. */
export interface CommandContext {
  storage: Storage;
  cursors: CursorManager;
  db: string;
  connectionId: number;
  server: ServerInfo;
  /** Per-connection state (set by the handshake). */
  connection: { appName?: string };
  /** Test-only failpoints (`configureFailPoint`), present only when test commands are enabled. */
  failPoints?: Map<string, FailPoint>;
  /** Logical sessions seen in `lsid` fields, keyed by the UUID's hex. */
  sessions: Map<string, { id: unknown; lastUse: Date }>;
}

export interface FailPoint {
  remaining: number;
  data: Document;
}

/** Thrown to make the server drop the client's connection (failCommand closeConnection). */
export class CloseConnection extends Error {}

export type CommandHandler = (cmd: Document, ctx: CommandContext) => Document;

interface OpenCursor {
  id: bigint;
  ns: string;
  docs: ReplyDocument[];
  pos: number;
  connectionId: number;
  lastUsed: number;
}

const MAX_BATCH_BYTES = 16 * 1024 * 1024 - 16 * 1024;

/** Server-side cursors: a materialized result list consumed batch by batch through getMore. */
export class CursorManager {
  private readonly open = new Map<bigint, OpenCursor>();

  get size(): number {
    return this.open.size;
  }

  /** Builds the `cursor` reply field; registers a cursor when documents remain. */
  firstBatch(
    ns: string,
    docs: ReplyDocument[],
    batchSize: number | undefined,
    singleBatch: boolean,
    connectionId: number,
  ): Document {
    const batch = takeBatch(docs, 0, batchSize ?? 101);
    let id = 0n;
    if (!singleBatch && batch.length < docs.length) {
      id = randomBytes(8).readBigInt64LE() & 0x7fffffffffffffffn;
      if (id === 0n) id = 1n;
      this.open.set(id, { id, ns, docs, pos: batch.length, connectionId, lastUsed: Date.now() });
    }
    return { firstBatch: batch, id: Long.fromBigInt(id), ns };
  }

  getMore(cmd: Document, db: string): Document {
    const raw: unknown = cmd.getMore;
    const id =
      raw instanceof Long ? raw.toBigInt() : typeof raw === 'number' ? BigInt(raw) : undefined;
    if (id === undefined)
      throw mongoError(ErrorCodes.TypeMismatch, "Field 'getMore' must be of type long in: getMore");
    const collection: unknown = cmd.collection;
    if (typeof collection !== 'string')
      throw mongoError(
        ErrorCodes.TypeMismatch,
        "Field 'collection' must be of type string in: getMore",
      );
    const c = this.open.get(id);
    if (!c) throw mongoError(ErrorCodes.CursorNotFound, `cursor id ${id} not found`);
    const ns = `${db}.${collection}`;
    if (c.ns !== ns) {
      throw mongoError(
        ErrorCodes.Unauthorized,
        `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${c.ns}`,
      );
    }
    c.lastUsed = Date.now();
    const batchSize =
      typeof cmd.batchSize === 'number' && cmd.batchSize > 0 ? cmd.batchSize : undefined;
    const batch = takeBatch(c.docs, c.pos, batchSize ?? Number.MAX_SAFE_INTEGER);
    c.pos += batch.length;
    let outId = c.id;
    if (c.pos >= c.docs.length) {
      this.open.delete(c.id);
      outId = 0n;
    }
    return { cursor: { nextBatch: batch, id: Long.fromBigInt(outId), ns }, ok: 1 };
  }

  kill(ids: unknown[]): Document {
    const cursorsKilled: Long[] = [];
    const cursorsNotFound: Long[] = [];
    for (const raw of ids) {
      const id = raw instanceof Long ? raw.toBigInt() : typeof raw === 'number' ? BigInt(raw) : -1n;
      if (this.open.delete(id)) cursorsKilled.push(Long.fromBigInt(id));
      else cursorsNotFound.push(Long.fromBigInt(id < 0n ? 0n : id));
    }
    return { cursorsKilled, cursorsNotFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
  }

  killAll(): void {
    this.open.clear();
  }

  /** Drops cursors idle for longer than `idleMs` (mongod's cursorTimeoutMillis defaults to 10 minutes). */
  sweep(now: number, idleMs: number): void {
    for (const [id, c] of this.open) if (now - c.lastUsed > idleMs) this.open.delete(id);
  }
}

function takeBatch(docs: ReplyDocument[], from: number, batchSize: number): ReplyDocument[] {
  const out: ReplyDocument[] = [];
  let bytes = 0;
  for (let i = from; i < docs.length && out.length < batchSize; i++) {
    const doc = docs[i];
    const size = doc instanceof RawDocument ? doc.size : calculateObjectSize(doc);
    if (out.length > 0 && bytes + size > MAX_BATCH_BYTES) break;
    bytes += size;
    out.push(doc);
  }
  return out;
}

export function requireString(cmd: Document, field: string): string {
  const v: unknown = cmd[field];
  if (typeof v !== 'string') {
    throw mongoError(
      ErrorCodes.TypeMismatch,
      `BSON field '${Object.keys(cmd)[0]}.${field}' is the wrong type '${typeof v}', expected type 'string'`,
    );
  }
  return v;
}

export function optionalDoc(cmd: Document, field: string): Document | undefined {
  const v: unknown = cmd[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) {
    throw mongoError(
      ErrorCodes.TypeMismatch,
      `BSON field '${Object.keys(cmd)[0]}.${field}' is the wrong type '${Array.isArray(v) ? 'array' : typeof v}', expected type 'object'`,
    );
  }
  return v;
}

export function optionalNumber(cmd: Document, field: string): number | undefined {
  const v: unknown = cmd[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return v;
  if (v instanceof Long) return v.toNumber();
  throw mongoError(
    ErrorCodes.TypeMismatch,
    `BSON field '${Object.keys(cmd)[0]}.${field}' is the wrong type '${typeof v}', expected types '[long, int, decimal, double]'`,
  );
}

/** MongoDB refuses collation on this server: say so instead of silently comparing binary strings. */
export function refuseCollation(cmd: Document): void {
  if (cmd.collation !== undefined) {
    throw mongoError(
      ErrorCodes.NotImplemented,
      'collation is not supported by the embedded server',
    );
  }
}
