import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

export const PHASES = ['load', 'search', 'ack', 'idle', 'history'] as const;
export type Phase = (typeof PHASES)[number];

/**
 * Where the embedded database runs (ignored when `MONGODB_URI` names a real one): `in-process` (the
 * default) — a worker thread of the Parley server, as `npm start` runs it, its CPU counted as the
 * server's; `process` — its own process on the generators' core, as a MongoDB server would be in
 * production, so the server's CPU is Parley's alone and the database's is reported next to it. On
 * two cores neither is free: in-process the database takes the server's core, as a process the
 * generators' (which then saturate sooner under the heaviest loads).
 */
export const DATABASE_PLACEMENTS = ['process', 'in-process'] as const;
export type DatabasePlacement = (typeof DATABASE_PLACEMENTS)[number];

export interface LoadShape {
  clients: number;
  /** Sockets per room; rooms = clients / roomSize. */
  roomSize: number;
}

export interface BenchOptions {
  quick: boolean;
  phases: Phase[];
  outDir: string;
  /** Write V8 CPU profiles of both servers here (`node --cpu-prof`) when set. */
  profileDir?: string;
  database: DatabasePlacement;
  /**
   * Every sender is its own user sending at most this often: many people chatting, not a few bots
   * (it also stays within Parley's default 10 messages per 10 s per user). Offered load ÷ this =
   * the number of senders.
   */
  perSenderMessagesPerSecond: number;
  contentLength: number;
  drainTimeoutMs: number;
  saturation: { maxCpu: number; maxEventLoopDelayP99Ms: number };
  load: LoadShape & {
    messagesPerSecond: number;
    runs: number;
    warmupMs: number;
    durationMs: number;
  };
  search: {
    startMessagesPerSecond: number;
    factor: number;
    maxSteps: number;
    /** Bisections between the last held and the first failed load, after the stepped search. */
    refineSteps: number;
    warmupMs: number;
    durationMs: number;
    p99LimitMs: number;
    /**
     * A step saturates the server when it used more than this share of the cores it may run on
     * (its one pinned core, or every core unpinned): at capacity, its backlog only grows.
     */
    maxServerCpu: number;
  };
  ack: LoadShape & {
    messagesPerSecond: number;
    runs: number;
    warmupMs: number;
    durationMs: number;
  };
  idle: { levels: number[]; users: number; perGenerator: number };
  /** `warmupRequests` first (timed and reported apart: V8 optimizes the path meanwhile), then `requests`. */
  history: { messages: number; warmupRequests: number; requests: number };
}

/** The repository root (this file runs from apps/bench/src or apps/bench/dist). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

const USAGE = `Usage: nx run bench:run [--quick] [--runs N] [--phases load,search,ack,idle,history]
                          [--history-messages N] [--out DIR] [--cpu-prof]
                          [--database process|in-process]
  --quick               tiny sizes, one run each (smoke check, ~1 min); results go to a temp dir
  --runs N              measured runs per system at the full load (default 5)
  --phases LIST         which measurements to run (default: all)
  --history-messages N  messages stored in the history room (default 100000; 1000000 for the big one)
  --out DIR             where <date>.json, .md and .svg go (default bench/results)
  --cpu-prof            profile both servers (node --cpu-prof) into <out>/profiles/<system>
  --database WHERE      in-process (default: a worker thread of the Parley server, as npm start
                        runs it) or process (its own process, pinned with the generators, its CPU
                        reported apart from the server's); ignored with MONGODB_URI`;

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      runs: { type: 'string' },
      phases: { type: 'string' },
      'history-messages': { type: 'string' },
      out: { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
      database: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const quick = values.quick;
  const options = quick ? quickOptions() : fullOptions();
  if (values.runs !== undefined) options.load.runs = positiveInteger('--runs', values.runs);
  if (values['history-messages'] !== undefined) {
    options.history.messages = positiveInteger('--history-messages', values['history-messages']);
  }
  if (values.phases !== undefined) {
    const phases = values.phases.split(',').map((phase) => phase.trim());
    for (const phase of phases) {
      if (!(PHASES as readonly string[]).includes(phase)) {
        throw new Error(`unknown phase "${phase}"; one of ${PHASES.join(', ')}`);
      }
    }
    options.phases = phases as Phase[];
  }
  if (values.out !== undefined) options.outDir = resolve(values.out);
  if (values['cpu-prof']) options.profileDir = join(options.outDir, 'profiles');
  if (values.database !== undefined) {
    if (!(DATABASE_PLACEMENTS as readonly string[]).includes(values.database)) {
      throw new Error(`--database must be one of ${DATABASE_PLACEMENTS.join(', ')}`);
    }
    options.database = values.database as DatabasePlacement;
  }
  return options;
}

function positiveInteger(name: string, value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new Error(`${name} must be a positive integer`);
  return number;
}

const COMMON = {
  database: 'in-process' as DatabasePlacement,
  perSenderMessagesPerSecond: 0.8,
  contentLength: 64,
  saturation: { maxCpu: 0.9, maxEventLoopDelayP99Ms: 100 },
};

/** Sized for ~10–15 minutes on 2 cores. */
function fullOptions(): BenchOptions {
  return {
    ...COMMON,
    quick: false,
    phases: [...PHASES],
    outDir: join(REPO_ROOT, 'bench', 'results'),
    drainTimeoutMs: 10_000,
    // 50 messages/s (63 senders at 0.8/s) into rooms of 100: ~4,950 deliveries/s.
    load: {
      clients: 1000,
      roomSize: 100,
      messagesPerSecond: 50,
      runs: 5,
      warmupMs: 2000,
      durationMs: 10_000,
    },
    search: {
      startMessagesPerSecond: 25,
      factor: 1.5,
      maxSteps: 9,
      refineSteps: 2,
      warmupMs: 1000,
      durationMs: 5000,
      p99LimitMs: 250,
      maxServerCpu: 0.9,
    },
    // 1,000 messages/s in needs 1,250 senders at 0.8/s; rooms of 10 keep the fan-out modest.
    ack: {
      clients: 1250,
      roomSize: 10,
      messagesPerSecond: 1000,
      runs: 3,
      warmupMs: 1000,
      durationMs: 5000,
    },
    idle: { levels: [5000, 20_000], users: 100, perGenerator: 9000 },
    history: { messages: 100_000, warmupRequests: 300, requests: 1000 },
  };
}

function quickOptions(): BenchOptions {
  return {
    ...COMMON,
    quick: true,
    phases: [...PHASES],
    outDir: join(tmpdir(), 'parley-bench-quick'),
    drainTimeoutMs: 10_000,
    load: {
      clients: 40,
      roomSize: 10,
      messagesPerSecond: 8,
      runs: 1,
      warmupMs: 300,
      durationMs: 1500,
    },
    search: {
      startMessagesPerSecond: 4,
      factor: 2,
      maxSteps: 2,
      refineSteps: 1,
      warmupMs: 200,
      durationMs: 1000,
      p99LimitMs: 250,
      maxServerCpu: 0.9,
    },
    ack: {
      clients: 20,
      roomSize: 10,
      messagesPerSecond: 16,
      runs: 1,
      warmupMs: 200,
      durationMs: 1000,
    },
    idle: { levels: [50, 100], users: 10, perGenerator: 9000 },
    history: { messages: 1000, warmupRequests: 5, requests: 30 },
  };
}
