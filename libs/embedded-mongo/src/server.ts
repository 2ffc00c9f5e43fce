import { type Document } from 'bson';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  CloseConnection,
  type CommandContext,
  CursorManager,
  type FailPoint,
  type ServerInfo,
} from './commands/context';
import { dispatch, wantsJournal } from './commands/registry';
import { ErrorCodes, mongoError } from './errors';
import { Storage } from './storage/storage';
import { Persistence } from './storage/persistence';
import {
  encodeMsgReply,
  encodeOpReply,
  MAX_MESSAGE_SIZE,
  parseMessage,
  ProtocolError,
  type Request,
} from './wire/protocol';

export interface ServerOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Directory for the journal and snapshot; omit for a purely in-memory server. */
  dbPath?: string;
  /** fsync every group commit (survives power loss, slower). */
  fsync?: boolean;
  /** Enable test-only commands (configureFailPoint/failCommand), like mongod's enableTestCommands. */
  enableTestCommands?: boolean;
  /** How often the TTL monitor and idle-cursor reaper run (default 60 s, like mongod's ttlMonitorSleepSecs). */
  housekeepingIntervalMs?: number;
  /** Compact the journal into a snapshot once it exceeds this many bytes (default 64 MiB). */
  compactBytes?: number;
  /**
   * Also listen on a Unix domain socket, `<tmpdir>/embedded-mongo-<port>.sock` (as mongod listens
   * on `/tmp/mongodb-<port>.sock`): a local client's round trip costs less there than on TCP.
   */
  unixSocket?: boolean;
}

export interface RunningServer {
  port: number;
  uri: string;
  /** `mongodb://<percent-encoded socket path>/` when listening on a Unix socket too. */
  socketUri?: string;
  /** The server's storage; only for tests and tooling running in the same thread. */
  storage: Storage;
  stop(): Promise<void>;
}

/**
 * Runs the server on this thread. Each request is handled synchronously from parse to reply, so
 * every command is atomic with respect to every other connection without any locking.
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const storage = new Storage();
  const persistence = options.dbPath
    ? Persistence.open(options.dbPath, storage, {
        fsync: options.fsync === true,
        compactBytes: options.compactBytes,
      })
    : undefined;
  const cursors = new CursorManager();
  const sessions = new Map<string, { id: unknown; lastUse: Date }>();
  const failPoints = options.enableTestCommands ? new Map<string, FailPoint>() : undefined;
  const connections = new Map<number, { appName?: string }>();
  const info: ServerInfo = { port: 0, startedAt: new Date() };
  const sockets = new Set<net.Socket>();
  let nextConnectionId = 1;

  const onConnection = (socket: net.Socket): void => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const connectionId = nextConnectionId++;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let needed = 16;
    socket.on('data', (chunk: Buffer) => {
      pending.push(chunk);
      pendingBytes += chunk.length;
      // Concatenate only once a whole message is there: a 48 MB insert arrives in many small chunks.
      if (pendingBytes < needed) return;
      let buf = pending.length === 1 ? pending[0] : Buffer.concat(pending);
      let offset = 0;
      const replies: Buffer[] = [];
      try {
        while (buf.length - offset >= 4) {
          const len = buf.readInt32LE(offset);
          if (len < 16 || len > MAX_MESSAGE_SIZE)
            throw new ProtocolError(`invalid message length ${len}`);
          if (buf.length - offset < len) break;
          const handled = handle(buf.subarray(offset, offset + len), connectionId);
          offset += len;
          if (!handled) continue;
          if (handled.durable || durableQueue.waiting(socket)) {
            // Replies keep their order per connection: what came before goes out first.
            if (replies.length) socket.write(Buffer.concat(replies.splice(0)));
            durableQueue.push(socket, handled.reply);
          } else {
            replies.push(handled.reply);
          }
        }
      } catch (e) {
        if (e instanceof CloseConnection) {
          if (replies.length) socket.write(Buffer.concat(replies));
          durableQueue.flush();
          socket.destroySoon();
          return;
        }
        console.error(
          `[embedded-mongo] closing connection ${connectionId}: ${e instanceof Error ? e.message : String(e)}`,
        );
        socket.destroy();
        return;
      }
      buf = buf.subarray(offset);
      pending = buf.length ? [Buffer.from(buf)] : [];
      pendingBytes = buf.length;
      needed = buf.length >= 4 ? Math.max(16, buf.readInt32LE(0)) : 16;
      if (replies.length) socket.write(replies.length === 1 ? replies[0] : Buffer.concat(replies));
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      sockets.delete(socket);
      connections.delete(connectionId);
    });
  };
  const server = net.createServer(onConnection);

  /**
   * Group commit for `j: true` writes: their journal records are written at once, but their replies
   * wait for one fsync shared by every such write of this turn of the event loop (as mongod's
   * journal flush serves every waiting writer), instead of one fsync per write blocking the thread.
   */
  const durableQueue = (() => {
    const queued: { socket: net.Socket; reply: Buffer }[] = [];
    const waitingSockets = new Set<net.Socket>();
    let scheduled = false;
    const flush = (): void => {
      scheduled = false;
      if (queued.length === 0) return;
      persistence?.sync();
      const batch = queued.splice(0);
      waitingSockets.clear();
      for (const { socket, reply } of batch) if (!socket.destroyed) socket.write(reply);
    };
    return {
      waiting: (socket: net.Socket): boolean => waitingSockets.has(socket),
      push(socket: net.Socket, reply: Buffer): void {
        queued.push({ socket, reply });
        waitingSockets.add(socket);
        if (!scheduled) {
          scheduled = true;
          setImmediate(() => {
            try {
              flush();
            } catch (e) {
              // The journal cannot be made durable: no waiting writer may be told it is.
              console.error(
                '[embedded-mongo] journal fsync failed; closing waiting connections',
                e,
              );
              const sockets = new Set(queued.splice(0).map((entry) => entry.socket));
              waitingSockets.clear();
              for (const socket of sockets) socket.destroy();
            }
          });
        }
      },
      flush,
    };
  })();

  function handle(
    msg: Buffer,
    connectionId: number,
  ): { reply: Buffer; durable: boolean } | undefined {
    const req: Request = parseMessage(msg);
    let db: string;
    if (req.kind === 'query') {
      const ns = req.fullCollectionName ?? '';
      if (!ns.endsWith('.$cmd')) {
        return {
          reply: encodeOpReply(
            req.header.requestId,
            mongoError(
              ErrorCodes.ProtocolError,
              'OP_QUERY is only supported for commands ($cmd)',
            ).toResponse(),
          ),
          durable: false,
        };
      }
      db = ns.slice(0, -'.$cmd'.length);
    } else {
      const d: unknown = req.command.$db;
      if (typeof d !== 'string') {
        return {
          reply: encodeMsgReply(
            req.header.requestId,
            mongoError(
              40414,
              "BSON field 'OperationRequest.$db' is missing but a required field",
            ).toResponse(),
          ),
          durable: false,
        };
      }
      db = d;
    }
    let connection = connections.get(connectionId);
    if (!connection) {
      connection = {};
      connections.set(connectionId, connection);
    }
    const ctx: CommandContext = {
      storage,
      cursors,
      db,
      connectionId,
      server: info,
      sessions,
      failPoints,
      connection,
    };
    const response: Document = dispatch(req.command, ctx);
    persistence?.maybeCompact();
    if (req.moreToCome) return undefined;
    const reply =
      req.kind === 'query'
        ? encodeOpReply(req.header.requestId, response)
        : encodeMsgReply(req.header.requestId, response);
    const durable =
      persistence !== undefined && !persistence.syncsEveryCommit && wantsJournal(req.command);
    return { reply, durable };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => {
      persistence?.close();
      reject(e);
    });
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  let unixServer: net.Server | undefined;
  let socketPath: string | undefined;
  if (options.unixSocket) {
    socketPath = path.join(os.tmpdir(), `embedded-mongo-${port}.sock`);
    // A socket file left by a server that died on this port; the port is ours now, so is the name.
    fs.rmSync(socketPath, { force: true });
    const listening = net.createServer(onConnection);
    const at = socketPath;
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(at, () => {
        listening.removeAllListeners('error');
        resolve();
      });
    });
    unixServer = listening;
  }
  const housekeeping = setInterval(() => {
    const now = Date.now();
    try {
      storage.expireTtl(now);
      storage.commit();
    } catch (e) {
      console.error('[embedded-mongo] TTL monitor failed', e);
    }
    cursors.sweep(now, 10 * 60 * 1000);
  }, options.housekeepingIntervalMs ?? 60_000);
  housekeeping.unref();
  info.port = port;
  let stopped: Promise<void> | undefined;
  return {
    port,
    uri: `mongodb://127.0.0.1:${port}/`,
    ...(socketPath ? { socketUri: `mongodb://${encodeURIComponent(socketPath)}/` } : {}),
    storage,
    stop: () => {
      stopped ??= new Promise<void>((resolve) => {
        clearInterval(housekeeping);
        // Writers waiting for the group commit get their replies before their sockets go.
        durableQueue.flush();
        let open = unixServer ? 2 : 1;
        const closed = (): void => {
          if (--open === 0) resolve();
        };
        server.close(closed);
        unixServer?.close(closed);
        for (const s of sockets) s.destroy();
      }).then(() => {
        if (socketPath) fs.rmSync(socketPath, { force: true });
        persistence?.close();
      });
      return stopped;
    },
  };
}
