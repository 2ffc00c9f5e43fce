/*
 * Parley's hot database operations through the real driver against the embedded server started the
 * way Parley starts it (EmbeddedMongo.start from dist: a worker thread, a data directory, journal on),
 * measured as process CPU per operation (process.cpuUsage(): every thread of the process, so the
 * driver, the server worker and GC alike) and latency percentiles. Prints numbers; asserts nothing.
 *
 *   npx nx run embedded-mongo:bench-ops [-- --history 100000 --ops 3000 --fsync --json FILE]
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof libs/embedded-mongo/dist/bench/parley-ops.js
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { type Collection, MongoClient, ObjectId, type WriteConcernSettings } from 'mongodb';
import { EmbeddedMongo } from '../embedded';

interface Options {
  /** Messages stored in the history room before the read phases. */
  history: number;
  /** Measured operations per phase. */
  ops: number;
  /** Start the server with `fsync: true` (every commit fsynced) instead of Parley's default. */
  fsync: boolean;
  /** Write the results as JSON here too. */
  json?: string;
  /** Only these phases (comma separated names), default all. */
  only?: string[];
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      history: { type: 'string', default: '100000' },
      ops: { type: 'string', default: '3000' },
      fsync: { type: 'boolean', default: false },
      json: { type: 'string' },
      only: { type: 'string' },
    },
    strict: true,
  });
  const options: Options = {
    history: Number(values.history),
    ops: Number(values.ops),
    fsync: values.fsync,
  };
  if (values.json !== undefined) options.json = values.json;
  if (values.only !== undefined) options.only = values.only.split(',').map((s) => s.trim());
  if (!Number.isInteger(options.history) || options.history < 200)
    throw new Error('--history must be an integer ≥ 200');
  if (!Number.isInteger(options.ops) || options.ops < 1)
    throw new Error('--ops must be a positive integer');
  return options;
}

interface PhaseResult {
  name: string;
  concurrency: number;
  ops: number;
  cpuMicrosPerOp: number;
  /** The same CPU split by thread (Linux only): the driver's, the server worker's, the rest (GC helpers, libuv). */
  threadMicrosPerOp?: { main: number; worker: number; other: number };
  opsPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
}

const DURABLE = { w: 'majority', journal: true } as const;
const UNJOURNALED = { w: 1, journal: false } as const;

function round(value: number, digits = 3): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

/** CPU ticks (user + system) of every thread of this process, by thread id; empty off Linux. */
function threadTicks(): Map<string, number> {
  const ticks = new Map<string, number>();
  if (!existsSync('/proc/self/task')) return ticks;
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Fields after the command name: state is field 3, utime 14 and stime 15 (1-based).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks.set(tid, Number(fields[11]) + Number(fields[12]));
    } catch {
      // The thread ended between listing and reading.
    }
  }
  return ticks;
}

/** Clock ticks per second of /proc's utime/stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** Which thread is which: set once the server worker is running (see main). */
const threadRoles = { main: String(process.pid), worker: new Set<string>() };

/**
 * Runs `op(i)` for i in [0, ops) with `concurrency` in flight (each lane runs its operations one
 * after another, like Parley's per-room send queue), after `warmup` unmeasured operations.
 */
async function phase(
  name: string,
  concurrency: number,
  ops: number,
  op: (index: number, lane: number) => Promise<unknown>,
): Promise<PhaseResult> {
  const warmup = Math.min(200, Math.max(20, Math.floor(ops / 10)));
  const latencies: number[] = [];
  let next = 0;
  const run = async (total: number, measure: boolean): Promise<void> => {
    next = 0;
    const lane = async (laneIndex: number): Promise<void> => {
      while (next < total) {
        const index = next++;
        const started = performance.now();
        await op(measure ? index + warmup : index, laneIndex);
        if (measure) latencies.push(performance.now() - started);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, (_, laneIndex) => lane(laneIndex)));
  };
  await run(warmup, false);
  const ticksBefore = threadTicks();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await run(ops, true);
  const elapsed = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const ticksAfter = threadTicks();
  latencies.sort((a, b) => a - b);
  const split = { main: 0, worker: 0, other: 0 };
  for (const [tid, ticks] of ticksAfter) {
    const micros = ((ticks - (ticksBefore.get(tid) ?? 0)) * 1e6) / TICKS_PER_SECOND / ops;
    if (tid === threadRoles.main) split.main += micros;
    else if (threadRoles.worker.has(tid)) split.worker += micros;
    else split.other += micros;
  }
  return {
    name,
    concurrency,
    ops,
    cpuMicrosPerOp: round((cpu.user + cpu.system) / ops, 1),
    ...(ticksAfter.size > 0
      ? {
          threadMicrosPerOp: {
            main: Math.round(split.main),
            worker: Math.round(split.worker),
            other: Math.round(split.other),
          },
        }
      : {}),
    opsPerSecond: Math.round(ops / (elapsed / 1000)),
    latencyMs: {
      p50: round(percentile(latencies, 0.5)),
      p99: round(percentile(latencies, 0.99)),
      max: round(latencies.at(-1) ?? 0),
    },
  };
}

interface MessageDocument {
  room: string;
  seq: number;
  sender: ObjectId;
  senderUsername: string;
  senderDisplayName: string;
  content: string;
  clientMessageId: string;
  createdAt: Date;
}

function message(room: string, seq: number, sender: ObjectId): MessageDocument {
  return {
    room,
    seq,
    sender,
    senderUsername: 'bench-user',
    senderDisplayName: 'Bench User',
    content: `message ${seq} of ${room}: some sixty-four characters of chat text.`,
    clientMessageId: randomUUID(),
    createdAt: new Date(),
  };
}

async function fillHistory(
  messages: Collection<MessageDocument>,
  room: string,
  count: number,
  sender: ObjectId,
): Promise<number> {
  const started = performance.now();
  const batch = 10_000;
  // Two batches in flight: the server works on one while the driver encodes the next.
  const inFlight: Promise<unknown>[] = [];
  for (let start = 0; start < count; start += batch) {
    const documents: MessageDocument[] = [];
    for (let seq = start + 1; seq <= Math.min(count, start + batch); seq++)
      documents.push(message(room, seq, sender));
    inFlight.push(messages.insertMany(documents, { ordered: false, writeConcern: UNJOURNALED }));
    if (inFlight.length >= 2) await inFlight.shift();
  }
  await Promise.all(inFlight);
  return (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  const options = parseOptions();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'embedded-mongo-ops-'));
  const threadsBefore = new Set(threadTicks().keys());
  const server = await EmbeddedMongo.start({
    port: 0,
    dbPath: dataDir,
    ...(options.fsync ? { fsync: true } : {}),
  });
  // Parley's connection pool defaults (mongoose → driver): up to 100 sockets.
  // The thread the server start added is the worker (the driver has not started any yet).
  for (const tid of threadTicks().keys()) if (!threadsBefore.has(tid)) threadRoles.worker.add(tid);
  const client = await MongoClient.connect(server.uri, { maxPoolSize: 100 });
  const results: PhaseResult[] = [];
  const wants = (name: string): boolean =>
    options.only === undefined || options.only.some((prefix) => name.startsWith(prefix));
  const report = (result: PhaseResult): void => {
    results.push(result);
    console.log(
      `${result.name.padEnd(44)} ${String(result.cpuMicrosPerOp).padStart(8)} µs CPU/op ` +
        `(${result.threadMicrosPerOp ? `main ${result.threadMicrosPerOp.main} + worker ${result.threadMicrosPerOp.worker} + other ${result.threadMicrosPerOp.other}` : 'no per-thread split'}) ` +
        `${String(result.opsPerSecond).padStart(6)} ops/s  p50 ${result.latencyMs.p50} ms  p99 ${result.latencyMs.p99} ms  max ${result.latencyMs.max} ms`,
    );
  };
  try {
    if (!server.inWorker)
      throw new Error(
        'the server must run in a worker (run the compiled dist/bench/parley-ops.js)',
      );
    console.log(
      `embedded-mongo Parley operations: node ${process.version}, worker thread, data dir on ${tmpdir()}, ` +
        `${options.fsync ? 'fsync on every commit' : 'fsync for j:true writes (group commit), as Parley runs it'}, ` +
        `${options.ops} ops per phase, history room of ${options.history}`,
    );
    const db = client.db('parley');
    const messages = db.collection<MessageDocument>('messages');
    const rooms = db.collection<{ _id: string; lastSeq: number; lastActivityAt: Date }>('rooms');
    await messages.createIndex({ room: 1, seq: 1 }, { unique: true });
    await messages.createIndex({ room: 1, sender: 1, clientMessageId: 1 }, { unique: true });
    const sender = new ObjectId();
    const historyRoom = 'history00';
    const insertSeconds = await fillHistory(messages, historyRoom, options.history, sender);
    console.log(
      `history room filled: ${options.history} messages in ${insertSeconds.toFixed(1)} s ` +
        `(${Math.round(options.history / insertSeconds)} docs/s, insertMany batches of 10,000)`,
    );
    const roomIds = Array.from(
      { length: 50 },
      (_, index) => `room${String(index).padStart(6, '0')}`,
    );
    await rooms.insertMany(roomIds.map((_id) => ({ _id, lastSeq: 0, lastActivityAt: new Date() })));

    if (wants('ping'))
      report(
        await phase('ping (driver round trip floor)', 1, options.ops, () =>
          db.command({ ping: 1 }),
        ),
      );

    // A lane is one room's send queue: its seqs follow one another as in MessagesService.
    const seqs = new Map<string, number>();
    const insertInto = (
      room: string,
      writeConcern: WriteConcernSettings = DURABLE,
    ): Promise<unknown> => {
      const seq = (seqs.get(room) ?? 0) + 1;
      seqs.set(room, seq);
      return messages.insertOne(message(room, seq, sender), { writeConcern });
    };
    if (wants('insertOne'))
      report(
        await phase('insertOne {w:majority, j:true}', 1, options.ops, () => insertInto(roomIds[0])),
      );
    if (wants('insertOne'))
      report(
        await phase('insertOne {w:majority, j:true}', 50, options.ops, (_index, lane) =>
          insertInto(roomIds[lane]),
        ),
      );
    // The same insert without waiting for the journal: what the fsync of a durable one costs.
    if (wants('insertOne'))
      report(
        await phase('insertOne {w:1, j:false} (reference)', 1, options.ops, () =>
          insertInto(roomIds[1], UNJOURNALED),
        ),
      );
    if (wants('updateOne'))
      report(
        await phase('updateOne $max rooms {w:1, j:false}', 1, options.ops, (index) =>
          rooms.updateOne(
            { _id: roomIds[index % roomIds.length] },
            { $max: { lastSeq: index, lastActivityAt: new Date() } },
            { writeConcern: UNJOURNALED },
          ),
        ),
      );
    // Pages anywhere in the room, the newest included: a spread of positions, the same for every run.
    const before = (index: number): number =>
      options.history + 1 - ((index * 7919) % (options.history - 100));
    if (wants('history'))
      report(
        await phase('history seq<X sort -1 limit 50', 1, options.ops, async (index) => {
          const page = await messages
            .find({ room: historyRoom, seq: { $lt: before(index) } })
            .sort({ seq: -1 })
            .limit(50)
            .toArray();
          if (page.length !== 50) throw new Error(`history page of ${page.length}`);
        }),
      );
    if (wants('sync'))
      report(
        await phase('sync seq>X sort 1 limit 100', 1, options.ops, async (index) => {
          const after = before(index) - 101;
          const page = await messages
            .find({ room: historyRoom, seq: { $gt: after } })
            .sort({ seq: 1 })
            .limit(100)
            .toArray();
          if (page.length !== 100) throw new Error(`sync page of ${page.length}`);
        }),
      );
    if (options.json)
      writeFileSync(
        options.json,
        JSON.stringify(
          { node: process.version, options, insertSeconds: round(insertSeconds), results },
          null,
          2,
        ),
      );
  } finally {
    await client.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
