import { parentPort, workerData } from 'node:worker_threads';
import { type ServerOptions, startServer } from './server';

/** Messages exchanged with the worker running the server. */
export type WorkerMessage =
  | { type: 'ready'; uri: string; port: number; socketUri?: string }
  | { type: 'error'; message: string; name: string }
  | { type: 'stopped' };

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('server-worker must run inside a worker thread');
  let server;
  try {
    server = await startServer(workerData as ServerOptions);
  } catch (e) {
    port.postMessage({
      type: 'error',
      message: e instanceof Error ? e.message : String(e),
      name: e instanceof Error ? e.name : 'Error',
    } satisfies WorkerMessage);
    return;
  }
  const running = server;
  port.on('message', (msg: unknown) => {
    if (msg === 'stop') {
      void running.stop().then(() => {
        port.postMessage({ type: 'stopped' } satisfies WorkerMessage);
        port.close();
      });
    }
  });
  port.postMessage({
    type: 'ready',
    uri: running.uri,
    port: running.port,
    ...(running.socketUri ? { socketUri: running.socketUri } : {}),
  } satisfies WorkerMessage);
}

void main();
