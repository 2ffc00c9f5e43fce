import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import Redis from 'ioredis';
import { closeRedis } from '../../src/common/redis/close-redis';

export interface RunningRedis {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const READY_LINE = 'Ready to accept connections';
const START_DEADLINE_MS = 10_000;

/** A port nothing listens on right now (redis-server has no "pick a free port" option). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Resolves once the server logs that it accepts connections; rejects if it exits or the deadline passes. */
function ready(child: ChildProcess, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => {
      finish(
        new Error(`redis-server on port ${port} not ready after ${START_DEADLINE_MS} ms:\n${log}`),
      );
    }, START_DEADLINE_MS);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes(READY_LINE)) finish();
    };
    const onExit = (code: number | null) => {
      finish(new Error(`redis-server exited with ${code} before it was ready:\n${log}`));
    };
    const onError = (error: Error) => finish(error);
    function finish(error?: Error) {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      if (error) reject(error);
      else resolve();
    }
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

async function startOnce(binary: string): Promise<RunningRedis> {
  const port = await freePort();
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    await ready(child, port);
  } catch (error) {
    child.kill('SIGKILL');
    await exited(child);
    throw error;
  }
  // Keep draining its output so a chatty server never blocks on a full pipe.
  child.stdout?.resume();
  child.stderr?.resume();
  const pid = child.pid;
  if (pid === undefined) throw new Error('redis-server has no pid');
  return {
    url: `redis://127.0.0.1:${port}`,
    pid,
    stop: async () => {
      // Only the process this helper started, by its own handle.
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}

/**
 * Starts a throwaway `redis-server` (no persistence) on a free loopback port. Another process can
 * take the port between the probe and the bind, so a failed start is retried on a new port.
 */
export async function startRedisServer(
  binary = process.env['REDIS_SERVER_PATH'] ?? '/usr/bin/redis-server',
): Promise<RunningRedis> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    try {
      return await startOnce(binary);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

export interface RedisFixture {
  /** A new client of the file's server, closed after the current test. */
  client(): Redis;
  /** One client for looking at (and, after each test, emptying) the server. */
  inspector(): Redis;
}

/**
 * For a spec file of stores over Redis: one `redis-server` for the file, a fresh client per
 * "instance" of a test, and the data flushed after each test. Call at the top level of the file.
 */
export function useRedisServer(): RedisFixture {
  let server: RunningRedis | undefined;
  let inspector: Redis | undefined;
  const clients: Redis[] = [];
  const running = (): RunningRedis => {
    if (!server) throw new Error('redis-server not started (useRedisServer outside a spec file?)');
    return server;
  };

  beforeAll(async () => {
    server = await startRedisServer();
    inspector = new Redis(server.url);
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => closeRedis(client)));
    await inspector?.flushall();
  });

  afterAll(async () => {
    if (inspector) await closeRedis(inspector);
    await server?.stop();
  });

  return {
    client: () => {
      const client = new Redis(running().url);
      clients.push(client);
      return client;
    },
    inspector: () => {
      if (!inspector) throw new Error('redis-server not started');
      return inspector;
    },
  };
}
