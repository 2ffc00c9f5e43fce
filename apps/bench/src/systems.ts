import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthSessionDto, MessagePageDto, RoomDto } from '@parley/contracts';
import { MongoClient, ObjectId } from 'mongodb';
import { log } from './log';
import { type BenchOptions, type DatabasePlacement, REPO_ROOT } from './options';
import { GENERATOR_CPU, IpcClient, NodeProcess, SERVER_CPU } from './processes';
import type { HeapSnapshotRequest, HeapSnapshotResult, ProbeRequest, ProbeResult } from './probe';

export type SystemName = 'baseline' | 'parley';
export const SYSTEMS: readonly SystemName[] = ['baseline', 'parley'];

const START_DEADLINE_MS = 120_000;
const PROBE_DEADLINE_MS = 60_000;
const HEAP_SNAPSHOT_DEADLINE_MS = 5 * 60_000;
const REST_CONCURRENCY = 16;
/** Both servers get the same Node flags: the probe preloaded, GC callable for memory readings. */
const SERVER_NODE_ARGS = ['--expose-gc', '-r', join(__dirname, 'probe.js')];

/** A server under test, seen the same way whichever it is. */
export interface SystemUnderTest {
  readonly name: SystemName;
  readonly url: string;
  readonly server: NodeProcess;
  /** Handshake tokens of `count` distinct users (the same users on every call). */
  tokens(count: number): Promise<string[]>;
  /** `count` new rooms anyone may join. */
  createRooms(count: number): Promise<string[]>;
  probe(gc?: boolean): Promise<ProbeResult>;
  /** The database process's reading, when this bench runs one for the system (else undefined). */
  probeDatabase(): Promise<ProbeResult | undefined>;
  /** Writes a V8 heap snapshot of the server to `path` (heap-profile.ts). */
  heapSnapshot(path: string): Promise<string>;
  stop(): Promise<void>;
}

/** Runs `task` over `items` with at most `limit` in flight; results in input order. */
async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

abstract class ServerProcess {
  /** One client per process: request ids are per client, so two would answer each other's. */
  private readonly probes: IpcClient<
    ProbeRequest | HeapSnapshotRequest,
    ProbeResult | HeapSnapshotResult
  >;

  protected constructor(
    readonly server: NodeProcess,
    readonly url: string,
  ) {
    this.probes = new IpcClient(server);
  }

  async probe(gc = false): Promise<ProbeResult> {
    return (await this.probes.request({ type: 'probe', gc }, PROBE_DEADLINE_MS)) as ProbeResult;
  }

  probeDatabase(): Promise<ProbeResult | undefined> {
    return Promise.resolve(undefined);
  }

  async heapSnapshot(path: string): Promise<string> {
    const result = (await this.probes.request(
      { type: 'heap-snapshot', path },
      HEAP_SNAPSHOT_DEADLINE_MS,
    )) as HeapSnapshotResult;
    return result.path;
  }
}

/** One directory per system (node names the files itself, one per thread). */
function cpuProfileArgs(profileDir: string | undefined, system: string): string[] {
  return profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, system)}`] : [];
}

export class BaselineSystem extends ServerProcess implements SystemUnderTest {
  readonly name = 'baseline';
  private roomCount = 0;

  /** `profileDir`: write a V8 CPU profile there (`node --cpu-prof`), to compare with Parley's. */
  static async start(profileDir?: string): Promise<BaselineSystem> {
    const server = NodeProcess.start({
      label: 'baseline server',
      script: join(__dirname, 'baseline-server.js'),
      nodeArgs: [...SERVER_NODE_ARGS, ...cpuProfileArgs(profileDir, 'baseline')],
      cpu: SERVER_CPU,
    });
    try {
      const match = await server.waitForOutput(
        /Baseline listening on (http:\/\/[\d.]+:\d+)/,
        START_DEADLINE_MS,
      );
      return new BaselineSystem(server, match[1] ?? '');
    } catch (error) {
      await server.stop();
      throw error;
    }
  }

  tokens(count: number): Promise<string[]> {
    return Promise.resolve(Array.from({ length: count }, (_, index) => `user-${index}`));
  }

  createRooms(count: number): Promise<string[]> {
    const start = this.roomCount;
    this.roomCount += count;
    return Promise.resolve(
      Array.from({ length: count }, (_, index) => `r${String(start + index).padStart(9, '0')}`),
    );
  }

  async stop(): Promise<void> {
    await this.server.stop();
  }
}

/**
 * The server build's own `searchTokens` (apps/server/dist/messages/search-tokens.js), so the
 * history room's messages are stored as Parley stores them, search tokens included, not lighter.
 */
function serverSearchTokens(): (content: string) => string[] {
  const path = join(REPO_ROOT, 'apps', 'server', 'dist', 'messages', 'search-tokens.js');
  const loaded: unknown = createRequire(__filename)(path);
  if (
    typeof loaded !== 'object' ||
    loaded === null ||
    !('searchTokens' in loaded) ||
    typeof loaded.searchTokens !== 'function'
  ) {
    throw new Error(`${path} exports no searchTokens function`);
  }
  const tokenize = loaded.searchTokens;
  return (content) => {
    const tokens: unknown = Reflect.apply(tokenize, undefined, [content]);
    if (!Array.isArray(tokens)) throw new Error('searchTokens answered no array');
    return tokens.map(String);
  };
}

export interface HistoryResult {
  messages: number;
  pageSize: number;
  requests: number;
  insertSeconds: number;
  latency: HistoryLatency;
  /** The warm-up requests, before V8 has optimized the path (a freshly started server). */
  warmup: HistoryLatency & { requests: number };
}

interface HistoryLatency {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

function historyLatency(samples: number[]): HistoryLatency {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (fraction: number) =>
    round3(sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? 0);
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) };
}

/**
 * The embedded database (`libs/embedded-mongo`'s command line) in a process of its own, pinned to
 * the generators' core: where a MongoDB server would be in production, off the server's core, with
 * the same probe as the servers so its CPU is read (and reported) on its own.
 */
class DatabaseProcess extends ServerProcess {
  static async start(dbPath: string): Promise<DatabaseProcess> {
    const script = join(REPO_ROOT, 'libs', 'embedded-mongo', 'dist', 'cli.js');
    if (!existsSync(script)) {
      throw new Error(`${script} does not exist: build it first (npx nx run embedded-mongo:build)`);
    }
    const server = NodeProcess.start({
      label: 'embedded database',
      script,
      args: ['--port', '0', '--db-path', dbPath],
      nodeArgs: SERVER_NODE_ARGS,
      cpu: GENERATOR_CPU,
    });
    try {
      const [, uri] = await server.waitForOutput(/^(mongodb:\/\/\S+)$/m, START_DEADLINE_MS);
      return new DatabaseProcess(server, uri ?? '');
    } catch (error) {
      await server.stop();
      throw error;
    }
  }

  async stop(): Promise<void> {
    await this.server.stop();
  }
}

export interface ParleyStartOptions {
  /** Write a V8 CPU profile of the server here (`node --cpu-prof`). */
  profileDir?: string;
  /** Modules the server loads first (`node -r`), for heap-profile.ts's experiments. */
  preload?: string[];
  /** Where the embedded database runs (default: in the server, as `npm start` runs it). */
  database?: DatabasePlacement;
}

/**
 * Parley's production build (`apps/server/dist/main.js`) with persistence on: the embedded
 * database in a fresh temporary data directory, or `MONGODB_URI` (a fresh database in it).
 */
export class ParleySystem extends ServerProcess implements SystemUnderTest {
  readonly name = 'parley';
  private readonly sessions: AuthSessionDto[] = [];
  private readonly tag = randomBytes(3).toString('hex');
  private signingIn: Promise<unknown> = Promise.resolve();
  private ownerSession: Promise<AuthSessionDto> | undefined;

  private constructor(
    server: NodeProcess,
    url: string,
    private readonly mongoUri: string,
    private readonly dbName: string,
    private readonly dataDir: string,
    private readonly database: DatabaseProcess | undefined,
  ) {
    super(server, url);
  }

  override probeDatabase(): Promise<ProbeResult | undefined> {
    return this.database ? this.database.probe() : Promise.resolve(undefined);
  }

  static serverScript(): string {
    const script = join(REPO_ROOT, 'apps', 'server', 'dist', 'main.js');
    if (!existsSync(script)) {
      throw new Error(`${script} does not exist: build the server first (npx nx run server:build)`);
    }
    return script;
  }

  static async start(options: ParleyStartOptions = {}): Promise<ParleySystem> {
    const { profileDir, preload = [], database: placement = 'in-process' } = options;
    const script = ParleySystem.serverScript();
    const dataDir = await mkdtemp(join(tmpdir(), 'parley-bench-'));
    const externalUri = process.env['MONGODB_URI'];
    const dbName = externalUri ? `parley_bench_${randomBytes(4).toString('hex')}` : 'parley';
    let database: DatabaseProcess | undefined;
    if (!externalUri && placement === 'process') {
      try {
        database = await DatabaseProcess.start(join(dataDir, 'database'));
      } catch (error) {
        await rm(dataDir, { recursive: true, force: true });
        throw error;
      }
    }
    const databaseUri = externalUri ?? database?.url;
    const server = NodeProcess.start({
      label: 'parley server',
      script,
      nodeArgs: [
        ...SERVER_NODE_ARGS,
        ...preload.flatMap((module) => ['-r', module]),
        ...cpuProfileArgs(profileDir, 'parley'),
      ],
      cpu: SERVER_CPU,
      // The data directory doubles as the working directory, so no stray `.env` is loaded.
      cwd: dataDir,
      env: {
        NODE_ENV: 'production',
        JWT_SECRET: randomBytes(32).toString('hex'),
        HOST: '127.0.0.1',
        PORT: '0',
        PARLEY_DATA_DIR: dataDir,
        WEB_DIST_DIR: join(dataDir, 'no-web-app'),
        LOG_LEVEL: 'log',
        ACCESS_TOKEN_TTL: '12h',
        // Every client comes from 127.0.0.1: the per-IP limits would measure themselves.
        REST_RATE_LIMIT_PER_MINUTE: '1000000',
        LOGIN_ATTEMPTS_PER_IP: '1000000',
        // Senders stay at 0.8 messages/s each anyway; this only keeps jitter from being refused.
        SEND_MESSAGES_PER_10_SECONDS: '1000000',
        // Every event counts there too (fan-out search senders reach ~7/s); each still pays the check.
        SOCKET_EVENTS_PER_10_SECONDS: '1000000',
        MONGODB_DB_NAME: dbName,
        ...(databaseUri ? { MONGODB_URI: databaseUri } : {}),
      },
    });
    try {
      const listening = await server.waitForOutput(
        /Parley listening on (http:\/\/[\d.]+:\d+)/,
        START_DEADLINE_MS,
      );
      const embedded = /Using embedded MongoDB at (mongodb:\/\/[^\s/]+)/.exec(server.output());
      const mongoUri = databaseUri ?? embedded?.[1];
      if (!mongoUri)
        throw new Error(`parley server: database address not logged:\n${server.output()}`);
      return new ParleySystem(server, listening[1] ?? '', mongoUri, dbName, dataDir, database);
    } catch (error) {
      await server.stop();
      await database?.stop();
      await rm(dataDir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Calls queue up, so two callers never sign in the same username. */
  tokens(count: number): Promise<string[]> {
    const next = this.signingIn.then(() => this.signInUpTo(count));
    this.signingIn = next.catch(() => undefined);
    return next;
  }

  private async signInUpTo(count: number): Promise<string[]> {
    const missing = Array.from(
      { length: Math.max(0, count - this.sessions.length) },
      (_, index) => this.sessions.length + index,
    );
    const created = await mapLimit(missing, REST_CONCURRENCY, (index) =>
      this.post<AuthSessionDto>('/api/auth/guest', { username: `b${this.tag}-${index}` }),
    );
    this.sessions.push(...created);
    return this.sessions.slice(0, count).map((session) => session.accessToken);
  }

  async createRooms(count: number): Promise<string[]> {
    const owner = await this.owner();
    const rooms = await mapLimit(
      Array.from({ length: count }, (_, index) => index),
      REST_CONCURRENCY,
      (index) =>
        this.post<RoomDto>(
          '/api/rooms',
          { name: `bench room ${index}`, kind: 'public' },
          owner.accessToken,
        ),
    );
    return rooms.map((room) => room.id);
  }

  /**
   * `GET /api/rooms/:id/messages?limit=<pageSize>` timed `requests` times, one after another, on a
   * room holding `messages` messages written straight into the database with the driver.
   */
  async history(
    { messages, warmupRequests, requests }: BenchOptions['history'],
    pageSize = 50,
  ): Promise<HistoryResult> {
    const owner = await this.owner();
    const [room] = await this.createRooms(1);
    if (!room) throw new Error('no room');
    const client = await MongoClient.connect(this.mongoUri);
    const insertStarted = performance.now();
    try {
      const db = client.db(this.dbName);
      const sender = new ObjectId(owner.user.id);
      const tokenize = serverSearchTokens();
      const batch = 10_000;
      const createdAt = Date.now() - messages * 1000;
      // Two batches in flight: the database stores one while this process encodes the next.
      const inFlight: Promise<unknown>[] = [];
      let logged = 0;
      for (let start = 0; start < messages; start += batch) {
        const documents = Array.from({ length: Math.min(batch, messages - start) }, (_, offset) => {
          const seq = start + offset + 1;
          return {
            room,
            seq,
            sender,
            senderUsername: owner.user.username,
            senderDisplayName: owner.user.displayName,
            content: `history message ${seq}`,
            searchTokens: tokenize(`history message ${seq}`),
            clientMessageId: crypto.randomUUID(),
            createdAt: new Date(createdAt + seq * 1000),
          };
        });
        inFlight.push(db.collection('messages').insertMany(documents, { ordered: false }));
        if (inFlight.length >= 2) await inFlight.shift();
        if (start + batch - logged >= 100_000 && messages >= 200_000) {
          logged = start + batch;
          log(
            `history: ${logged} of ${messages} stored (${Math.round((performance.now() - insertStarted) / 1000)} s)`,
          );
        }
      }
      await Promise.all(inFlight);
      // Keep the room consistent with what the server itself would have written.
      await db
        .collection<{ _id: string }>('rooms')
        .updateOne({ _id: room }, { $set: { lastSeq: messages, lastActivityAt: new Date() } });
    } finally {
      await client.close();
    }
    const insertSeconds = (performance.now() - insertStarted) / 1000;

    const path = `/api/rooms/${room}/messages?limit=${pageSize}`;
    const warmupSamples: number[] = [];
    const samples: number[] = [];
    for (let index = 0; index < warmupRequests + requests; index += 1) {
      const started = performance.now();
      const page = await this.get<MessagePageDto>(path, owner.accessToken);
      const elapsed = performance.now() - started;
      if (page.items.length !== Math.min(pageSize, messages)) {
        throw new Error(`history page of ${page.items.length} items, expected ${pageSize}`);
      }
      (index < warmupRequests ? warmupSamples : samples).push(elapsed);
    }
    return {
      messages,
      pageSize,
      requests,
      insertSeconds: round3(insertSeconds),
      latency: historyLatency(samples),
      warmup: { requests: warmupRequests, ...historyLatency(warmupSamples) },
    };
  }

  async stop(): Promise<void> {
    try {
      if (process.env['MONGODB_URI']) {
        const client = await MongoClient.connect(this.mongoUri);
        await client.db(this.dbName).dropDatabase();
        await client.close();
      }
    } finally {
      await this.server.stop();
      await this.database?.stop();
      await rm(this.dataDir, { recursive: true, force: true });
    }
  }

  /**
   * The user who creates the rooms. Not one of the clients: a connection follows every room of
   * its user (docs/decisions/0010), so a client that created all the rooms would receive every
   * room's messages, which the generator counts as duplicates and the server spends CPU on.
   */
  private owner(): Promise<AuthSessionDto> {
    this.ownerSession ??= this.post<AuthSessionDto>('/api/auth/guest', {
      username: `b${this.tag}-owner`,
    });
    return this.ownerSession;
  }

  private post<T>(path: string, body: object, token?: string): Promise<T> {
    return this.request<T>('POST', path, token, body);
  }

  private get<T>(path: string, token: string): Promise<T> {
    return this.request<T>('GET', path, token);
  }

  private async request<T>(
    method: string,
    path: string,
    token?: string,
    body?: object,
  ): Promise<T> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) {
      throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    }
    return (await response.json()) as T;
  }
}

export function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
