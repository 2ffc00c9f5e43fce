import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AuthSessionDto, MessageDto, MessagePageDto, RoomViewDto } from '@parley/contracts';
import request from 'supertest';
import { uniqueUsername } from './users';

/** The production build (`nx run server:build`) and the database CLI it depends on. */
const SERVER_MAIN = resolve(__dirname, '../../dist/main.js');
const MONGO_CLI = resolve(__dirname, '../../../../libs/embedded-mongo/dist/cli.js');
const START_DEADLINE_MS = 20_000;
const STOP_DEADLINE_MS = 5_000;

/** A child process this helper started, stopped only through its own handle. */
export class OwnedProcess {
  private output = '';

  constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    // Keep draining its output so a chatty process never blocks on a full pipe; keep the tail for
    // error messages.
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString()).slice(-8000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  get log(): string {
    return this.output;
  }

  /** Resolves with the first stdout line matching `pattern`; rejects on exit or after a deadline. */
  waitForLine(pattern: RegExp, ms = START_DEADLINE_MS): Promise<RegExpExecArray> {
    return new Promise((resolvePromise, reject) => {
      let seen = '';
      const timer = setTimeout(
        () => finish(new Error(`${this.name} not ready after ${ms} ms:\n${this.output}`)),
        ms,
      );
      const onData = (chunk: Buffer): void => {
        seen += chunk.toString();
        const match = pattern.exec(seen);
        if (match) finish(undefined, match);
      };
      const onExit = (code: number | null, signal: string | null): void => {
        finish(
          new Error(`${this.name} exited (${code ?? signal}) before it was ready:\n${this.output}`),
        );
      };
      const finish = (error?: Error, match?: RegExpExecArray): void => {
        clearTimeout(timer);
        this.child.stdout?.off('data', onData);
        this.child.off('exit', onExit);
        if (match) resolvePromise(match);
        else reject(error ?? new Error('no match'));
      };
      this.child.stdout?.on('data', onData);
      this.child.once('exit', onExit);
    });
  }

  /** SIGKILL: a crash, no shutdown hooks. */
  async kill(): Promise<void> {
    if (!this.running) return;
    const exited = this.exited();
    this.child.kill('SIGKILL');
    await exited;
  }

  /** How it ended: the exit code, or the signal that ended it. */
  get exit(): { code: number | null; signal: NodeJS.Signals | null } {
    return { code: this.child.exitCode, signal: this.child.signalCode };
  }

  /**
   * SIGTERM (graceful shutdown), SIGKILL if it is still running after a deadline. Resolves with
   * whether it had to be killed.
   */
  async stop(): Promise<'stopped' | 'killed'> {
    if (!this.running) return 'stopped';
    const exited = this.exited();
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolvePromise) => {
      timer = setTimeout(() => resolvePromise('late'), STOP_DEADLINE_MS);
    });
    const outcome = await Promise.race([exited, late]);
    clearTimeout(timer);
    if (outcome !== 'late') return 'stopped';
    await this.kill();
    return 'killed';
  }

  private exited(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolvePromise) => this.child.once('exit', () => resolvePromise()));
  }
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolvePromise);
  });
  const address = server.address();
  await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

function spawnNode(name: string, args: string[], env: NodeJS.ProcessEnv, cwd: string) {
  const [script = ''] = args;
  if (!existsSync(script)) {
    throw new Error(`${script} is missing: build first (npx nx run server:build)`);
  }
  return new OwnedProcess(
    name,
    spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] }),
  );
}

/** Only what a server needs from the test runner's environment: no NODE_ENV, no MONGODB_URI. */
function baseEnv(): NodeJS.ProcessEnv {
  const { PATH, SYSTEMROOT } = process.env;
  return { ...(PATH ? { PATH } : {}), ...(SYSTEMROOT ? { SYSTEMROOT } : {}), NO_COLOR: '1' };
}

export interface SharedDatabase {
  uri: string;
  dbName: string;
  process?: OwnedProcess;
}

/**
 * One database for every instance: `MONGODB_URI` when the run has one (a database of its own),
 * else the embedded server's CLI on a free port, in memory.
 */
export async function startSharedDatabase(workDir: string): Promise<SharedDatabase> {
  const dbName = `parley_multi_${randomUUID().slice(0, 8)}`;
  const external = process.env['MONGODB_URI'];
  if (external) return { uri: external, dbName };
  const mongo = spawnNode('parley-mongo', [MONGO_CLI, '--port', '0'], baseEnv(), workDir);
  try {
    const [uri] = await mongo.waitForLine(/mongodb:\/\/\S+/);
    return { uri, dbName, process: mongo };
  } catch (error) {
    await mongo.kill();
    throw error;
  }
}

export interface ServerInstance {
  name: string;
  port: number;
  /** `http://127.0.0.1:<port>`, bypassing the balancer. */
  url: string;
  process: OwnedProcess;
}

/** Settings every instance shares, as behind one load balancer. */
export interface ClusterSettings {
  database: SharedDatabase;
  redisUrl: string;
  jwtSecret: string;
}

export function clusterSettings(database: SharedDatabase, redisUrl: string): ClusterSettings {
  return { database, redisUrl, jwtSecret: randomBytes(32).toString('hex') };
}

/** `node apps/server/dist/main.js` on a free loopback port, resolved once it listens. */
export async function startServerInstance(
  name: string,
  settings: ClusterSettings,
  workDir: string,
): Promise<ServerInstance> {
  const dataDir = await mkdtemp(join(workDir, `${name}-`));
  let lastError: unknown;
  // Another process can take the port between the probe and the bind: retry on a new one.
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const port = await freePort();
    const server = spawnNode(
      `server ${name}`,
      [SERVER_MAIN],
      {
        ...baseEnv(),
        NODE_ENV: 'test',
        LOG_LEVEL: 'log',
        PORT: String(port),
        HOST: '127.0.0.1',
        MONGODB_URI: settings.database.uri,
        MONGODB_DB_NAME: settings.database.dbName,
        REDIS_URL: settings.redisUrl,
        JWT_SECRET: settings.jwtSecret,
        PARLEY_DATA_DIR: dataDir,
        WEB_DIST_DIR: join(dataDir, 'no-web-app'),
        // Every test client speaks from 127.0.0.1: the per-IP limits would count them as one.
        LOGIN_ATTEMPTS_PER_IP: '100000',
        REST_RATE_LIMIT_PER_MINUTE: '100000',
      },
      dataDir,
    );
    try {
      await server.waitForLine(/Parley listening on/);
      return { name, port, url: `http://127.0.0.1:${port}`, process: server };
    } catch (error) {
      lastError = error;
      await server.kill();
    }
  }
  throw lastError;
}

/** Stops everything given, in order, whatever fails; then removes the work directory. */
export async function stopAll(
  processes: (OwnedProcess | undefined)[],
  workDir: string | undefined,
): Promise<void> {
  for (const owned of processes) {
    try {
      await owned?.stop();
    } catch {
      await owned?.kill().catch(() => undefined);
    }
  }
  if (workDir) await rm(workDir, { recursive: true, force: true });
}

export function makeWorkDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'parley-multi-'));
}

/** REST against one base URL (an instance or the balancer). */
export class Rest {
  constructor(private readonly baseUrl: string) {}

  async guest(displayName: string): Promise<AuthSessionDto> {
    const response = await request(this.baseUrl)
      .post('/api/auth/guest')
      .send({ username: uniqueUsername(), displayName })
      .expect(201);
    return response.body as AuthSessionDto;
  }

  async createRoom(owner: AuthSessionDto, name: string): Promise<RoomViewDto> {
    const response = await request(this.baseUrl)
      .post('/api/rooms')
      .auth(owner.accessToken, { type: 'bearer' })
      .send({ name, kind: 'public' })
      .expect(201);
    return response.body as RoomViewDto;
  }

  async kick(actor: AuthSessionDto, roomId: string, userId: string): Promise<void> {
    await request(this.baseUrl)
      .delete(`/api/rooms/${roomId}/members/${userId}`)
      .auth(actor.accessToken, { type: 'bearer' })
      .expect(204);
  }

  async ban(actor: AuthSessionDto, roomId: string, userId: string): Promise<void> {
    await request(this.baseUrl)
      .put(`/api/rooms/${roomId}/bans/${userId}`)
      .auth(actor.accessToken, { type: 'bearer' })
      .expect(200);
  }

  async deleteRoom(actor: AuthSessionDto, roomId: string): Promise<void> {
    await request(this.baseUrl)
      .delete(`/api/rooms/${roomId}`)
      .auth(actor.accessToken, { type: 'bearer' })
      .expect(204);
  }

  /** The whole history of a room, oldest first, page by page. */
  async history(reader: AuthSessionDto, roomId: string): Promise<MessageDto[]> {
    const pages: MessageDto[][] = [];
    let before: number | null | undefined;
    do {
      const response = await request(this.baseUrl)
        .get(`/api/rooms/${roomId}/messages`)
        .query(before ? { limit: 200, before } : { limit: 200 })
        .auth(reader.accessToken, { type: 'bearer' })
        .expect(200);
      const page = response.body as MessagePageDto;
      pages.unshift(page.items);
      before = page.nextBefore;
    } while (before !== null);
    return pages.flat();
  }
}
