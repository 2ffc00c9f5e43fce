import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { type ServerOptions, startServer } from './server';
import { type WorkerMessage } from './server-worker';
import { LockError } from './storage/lock';

export interface EmbeddedMongoOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free port. */
  port?: number;
  /** Directory for persistence; omit for in-memory. */
  dbPath?: string;
  /** fsync each group commit (power-loss safety). */
  fsync?: boolean;
  /** Enable test-only commands such as configureFailPoint (never in production). */
  enableTestCommands?: boolean;
  /** Also listen on a Unix domain socket (see `socketUri`): cheaper round trips for a local client. */
  unixSocket?: boolean;
}

export interface EmbeddedMongoHandle {
  /** e.g. `mongodb://127.0.0.1:27017/` */
  uri: string;
  port: number;
  /** With `unixSocket`: `mongodb://<percent-encoded socket path>/`, the same server. */
  socketUri?: string;
  /** True when the server runs in a worker thread (false in the ts-source fallback). */
  inWorker: boolean;
  stop(): Promise<void>;
}

/**
 * The compiled worker entry next to this file. When this module is loaded from its TypeScript source
 * (jest with the `@parley/source` condition), there is no runnable worker file and plain Node cannot
 * execute .ts in a worker, so we fall back to running the server on the calling thread: tests still
 * exercise the identical server code, and production code (dist) always gets the worker.
 */
function workerFile(): string | undefined {
  if (!__filename.endsWith('.js')) return undefined;
  const file = path.join(__dirname, 'server-worker.js');
  return fs.existsSync(file) ? file : undefined;
}

async function startInWorker(file: string, options: ServerOptions): Promise<EmbeddedMongoHandle> {
  const worker = new Worker(file, { workerData: options });
  const first = await new Promise<WorkerMessage>((resolve, reject) => {
    worker.once('message', (m: WorkerMessage) => resolve(m));
    worker.once('error', reject);
    worker.once('exit', (code) =>
      reject(new Error(`embedded-mongo worker exited with code ${code} before it was ready`)),
    );
  });
  if (first.type !== 'ready') {
    await worker.terminate();
    if (first.type === 'error' && first.name === 'LockError') throw new LockError(first.message);
    throw new Error(
      first.type === 'error' ? first.message : 'embedded-mongo worker failed to start',
    );
  }
  worker.removeAllListeners('error');
  worker.removeAllListeners('exit');
  // A crash inside the worker must not take the embedding process down with an unhandled 'error' event.
  worker.on('error', (e) => console.error('[embedded-mongo] worker crashed:', e));
  let exited = false;
  worker.once('exit', () => (exited = true));
  let stopping: Promise<void> | undefined;
  return {
    uri: first.uri,
    port: first.port,
    ...(first.socketUri ? { socketUri: first.socketUri } : {}),
    inWorker: true,
    stop: () => {
      stopping ??= new Promise<void>((resolve) => {
        // A worker that already died (it logged why) has nothing left to stop.
        if (exited) return resolve();
        worker.once('exit', () => resolve());
        worker.on('message', (m: WorkerMessage) => {
          if (m.type === 'stopped') void worker.terminate();
        });
        worker.postMessage('stop');
      });
      return stopping;
    },
  };
}

export const EmbeddedMongo = {
  /** Starts a MongoDB-compatible server on 127.0.0.1 in a worker thread. */
  async start(options: EmbeddedMongoOptions = {}): Promise<EmbeddedMongoHandle> {
    const opts: ServerOptions = {
      port: options.port ?? 0,
      dbPath: options.dbPath,
      fsync: options.fsync,
      enableTestCommands: options.enableTestCommands,
      unixSocket: options.unixSocket,
    };
    const file = workerFile();
    if (file) return startInWorker(file, opts);
    const server = await startServer(opts);
    return {
      uri: server.uri,
      port: server.port,
      ...(server.socketUri ? { socketUri: server.socketUri } : {}),
      inWorker: false,
      stop: () => server.stop(),
    };
  },
};
