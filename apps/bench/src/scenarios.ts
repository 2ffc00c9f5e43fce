import { availableParallelism } from 'node:os';
import type { ClientSpec, LatencySummary, RunResult } from './generator-protocol';
import { LoadGenerator } from './load-generator';
import { log } from './log';
import type { BenchOptions, LoadShape } from './options';
import { openFilesLimit, pinningCommand } from './processes';
import { round3, type SystemName, type SystemUnderTest } from './systems';

/** One measured run of one system, as reported. */
export interface RunSummary {
  system: SystemName;
  offeredMessagesPerSecond: number;
  offeredDeliveriesPerSecond: number;
  senders: number;
  deliveredPerSecond: number;
  serverCpuMicrosPerDelivery: number;
  /** Server CPU time over wall time (1 = one core busy). */
  serverCpu: number;
  /** The same two for the database process, when the bench runs one (else null). */
  databaseCpuMicrosPerDelivery: number | null;
  databaseCpu: number | null;
  receiveLatency: LatencySummary;
  ackLatency: LatencySummary;
  sent: number;
  acked: number;
  expected: number;
  received: number;
  lost: number;
  ackErrors: number;
  ackMissing: number;
  duplicates: number;
  disconnects: number;
  generator: RunResult['generator'];
  /** The generator could not keep up; the run says nothing about the server. */
  saturated: boolean;
}

export interface Topology {
  system: SystemUnderTest;
  generator: LoadGenerator;
  shape: LoadShape;
}

/** Connects `shape.clients` sockets, client i in room i mod rooms (so senders spread over rooms). */
export async function connectTopology(
  system: SystemUnderTest,
  shape: LoadShape,
  label: string,
): Promise<Topology> {
  const roomCount = Math.max(1, Math.ceil(shape.clients / shape.roomSize));
  const [tokens, rooms] = await Promise.all([
    system.tokens(shape.clients),
    system.createRooms(roomCount),
  ]);
  const clients: ClientSpec[] = tokens.map((token, index) => ({
    token,
    room: rooms[index % roomCount] ?? '',
  }));
  const generator = LoadGenerator.start(`${system.name} ${label} generator`);
  try {
    const result = await generator.connect(system.url, clients);
    log(
      `${system.name}: ${result.connected} clients in ${roomCount} rooms (${label}) in ${(result.elapsedMs / 1000).toFixed(1)} s`,
    );
  } catch (error) {
    await generator.stop();
    throw error;
  }
  return { system, generator, shape };
}

export interface RunPlan {
  messagesPerSecond: number;
  warmupMs: number;
  durationMs: number;
}

export async function measureRun(
  topology: Topology,
  plan: RunPlan,
  options: BenchOptions,
): Promise<RunSummary> {
  const { system, generator, shape } = topology;
  const senders = Math.min(
    shape.clients,
    Math.ceil(plan.messagesPerSecond / options.perSenderMessagesPerSecond),
  );
  const [before, databaseBefore] = await Promise.all([system.probe(), system.probeDatabase()]);
  const result = await generator.run({
    senders,
    messagesPerSecond: plan.messagesPerSecond,
    warmupMs: plan.warmupMs,
    durationMs: plan.durationMs,
    drainTimeoutMs: options.drainTimeoutMs,
    contentLength: options.contentLength,
  });
  const [after, databaseAfter] = await Promise.all([system.probe(), system.probeDatabase()]);
  const cpuMicros = after.cpuMicros - before.cpuMicros;
  const databaseCpuMicros =
    databaseBefore && databaseAfter ? databaseAfter.cpuMicros - databaseBefore.cpuMicros : null;
  const seconds = result.totalElapsedMs / 1000;
  const fanOut = Math.min(shape.roomSize, shape.clients) - 1;
  const saturated =
    result.generator.cpu > options.saturation.maxCpu ||
    result.generator.eventLoopDelayP99Ms > options.saturation.maxEventLoopDelayP99Ms;
  return {
    system: system.name,
    offeredMessagesPerSecond: plan.messagesPerSecond,
    offeredDeliveriesPerSecond: plan.messagesPerSecond * fanOut,
    senders,
    deliveredPerSecond: Math.round(result.received / seconds),
    serverCpuMicrosPerDelivery: round3(cpuMicros / Math.max(1, result.received)),
    serverCpu: round3(cpuMicros / 1000 / result.totalElapsedMs),
    databaseCpuMicrosPerDelivery:
      databaseCpuMicros === null ? null : round3(databaseCpuMicros / Math.max(1, result.received)),
    databaseCpu:
      databaseCpuMicros === null ? null : round3(databaseCpuMicros / 1000 / result.totalElapsedMs),
    receiveLatency: result.receiveLatency,
    ackLatency: result.ackLatency,
    sent: result.sent,
    acked: result.acked,
    expected: result.expected,
    received: result.received,
    lost: result.lost,
    ackErrors: Object.values(result.ackErrors).reduce((sum, count) => sum + count, 0),
    ackMissing: result.ackMissing,
    duplicates: result.duplicates,
    disconnects: result.disconnects,
    generator: {
      cpu: round3(result.generator.cpu),
      eventLoopDelayP99Ms: round3(result.generator.eventLoopDelayP99Ms),
      eventLoopDelayMaxMs: round3(result.generator.eventLoopDelayMaxMs),
      scheduleLagMaxMs: round3(result.generator.scheduleLagMaxMs),
    },
    saturated,
  };
}

export interface RepeatedResult {
  /** Medians over the kept runs (over every run if the generator was saturated in all of them). */
  median: RunSummary;
  runs: RunSummary[];
  discarded: number;
  /**
   * Fewer than half the messages of a run were acknowledged by the end of its drain: the server
   * fell behind for good, and its backlog would spill into any further run, so there is none.
   */
  overloaded: boolean;
}

/**
 * `runs` measured runs per system, alternating systems run by run so slow drift on a shared
 * machine hits both alike. A run where the generator saturated is discarded and repeated (at most
 * `runs` extra attempts per system). First, one unmeasured warm-up run per system: the first run
 * of a fresh process pays for compiling its hot paths (more of them in Parley than in the
 * baseline), which is not what the figures are about.
 */
export async function interleavedRuns(
  topologies: Topology[],
  plan: RunPlan,
  runs: number,
  options: BenchOptions,
): Promise<Record<SystemName, RepeatedResult>> {
  const kept = new Map<SystemName, RunSummary[]>();
  const discarded = new Map<SystemName, RunSummary[]>();
  const overloaded = new Set<SystemName>();
  for (const topology of topologies) {
    const warmup = await measureRun(topology, plan, options);
    log(`${describeRun(warmup)} (warm-up, not counted)`);
  }
  for (let attempt = 0; attempt < runs * 2; attempt += 1) {
    let pending = false;
    for (const topology of topologies) {
      const name = topology.system.name;
      const keptRuns = kept.get(name) ?? [];
      const discardedRuns = discarded.get(name) ?? [];
      if (keptRuns.length >= runs || keptRuns.length + discardedRuns.length >= runs * 2) continue;
      if (overloaded.has(name)) continue;
      pending = true;
      const summary = await measureRun(topology, plan, options);
      (summary.saturated ? discardedRuns : keptRuns).push(summary);
      kept.set(name, keptRuns);
      discarded.set(name, discardedRuns);
      log(`${describeRun(summary)}${summary.saturated ? ' (discarded)' : ''}`);
      if (summary.acked < summary.sent / 2) {
        overloaded.add(name);
        log(`${name}: overloaded (${summary.acked} of ${summary.sent} acked); no further runs`);
      }
    }
    if (!pending) break;
  }
  const result = {} as Record<SystemName, RepeatedResult>;
  for (const topology of topologies) {
    const name = topology.system.name;
    const keptRuns = kept.get(name) ?? [];
    const discardedRuns = discarded.get(name) ?? [];
    const basis = keptRuns.length > 0 ? keptRuns : discardedRuns;
    result[name] = {
      median: medianSummary(basis),
      runs: [...keptRuns, ...discardedRuns],
      discarded: discardedRuns.length,
      overloaded: overloaded.has(name),
    };
  }
  return result;
}

export interface SearchPoint {
  offeredMessagesPerSecond: number;
  offeredDeliveriesPerSecond: number;
  deliveredPerSecond: number;
  receiveLatency: LatencySummary;
  ackLatency: LatencySummary;
  lost: number;
  ackErrors: number;
  serverCpuMicrosPerDelivery: number;
  /** Server CPU time over wall time (1 = one core busy). */
  serverCpu: number;
  /** The database process's, when the bench runs one (not part of "saturated"). */
  databaseCpu: number | null;
  /** The server used more than `search.maxServerCpu` of its cores: it is at capacity. */
  saturated: boolean;
  /** The generator was saturated (after one retry); its latencies are then upper bounds. */
  generatorSaturated: boolean;
  sustained: boolean;
}

export interface SearchResult {
  points: SearchPoint[];
  /** The highest offered load with p99 within the limit, nothing lost, the server not saturated; null if none. */
  maxSustainable: { messagesPerSecond: number; deliveriesPerSecond: number } | null;
  stoppedBecause:
    | 'p99-over-limit'
    | 'messages-lost'
    | 'server-saturated'
    | 'generator-saturated'
    | 'max-steps'
    | 'out-of-senders';
}

/** The cores the server may use: its pinned core, or all of them. */
function serverCores(): number {
  return pinningCommand() !== undefined ? 1 : availableParallelism();
}

type StopReason = SearchResult['stoppedBecause'];

/** One search step: a run at `rate`, judged by the server (see `fanOutSearch`). */
async function searchStep(
  topology: Topology,
  rate: number,
  options: BenchOptions,
): Promise<{ point: SearchPoint; failure: StopReason | null }> {
  const { search } = options;
  const plan = {
    messagesPerSecond: rate,
    warmupMs: search.warmupMs,
    durationMs: search.durationMs,
  };
  let summary = await measureRun(topology, plan, options);
  log(`search ${describeRun(summary)}`);
  if (summary.saturated) {
    // One more try: a busy moment on the machine should not decide the step.
    summary = await measureRun(topology, plan, options);
    log(`search ${describeRun(summary)}`);
  }
  const serverSaturated = summary.serverCpu > search.maxServerCpu * serverCores();
  const lost = summary.lost > 0 || summary.ackErrors > 0 || summary.ackMissing > 0;
  const slow = summary.receiveLatency.p99 > search.p99LimitMs;
  const sustained = !lost && !slow && !serverSaturated;
  const point: SearchPoint = {
    offeredMessagesPerSecond: summary.offeredMessagesPerSecond,
    offeredDeliveriesPerSecond: summary.offeredDeliveriesPerSecond,
    deliveredPerSecond: summary.deliveredPerSecond,
    receiveLatency: summary.receiveLatency,
    ackLatency: summary.ackLatency,
    lost: summary.lost,
    ackErrors: summary.ackErrors,
    serverCpuMicrosPerDelivery: summary.serverCpuMicrosPerDelivery,
    serverCpu: summary.serverCpu,
    databaseCpu: summary.databaseCpu,
    saturated: serverSaturated,
    generatorSaturated: summary.saturated,
    sustained,
  };
  const failure: StopReason | null = sustained
    ? null
    : lost
      ? 'messages-lost'
      : serverSaturated
        ? 'server-saturated'
        : summary.saturated
          ? 'generator-saturated'
          : 'p99-over-limit';
  return { point, failure };
}

/** Keeps a system's points in order of offered load (refinement steps land in between). */
function addPoint(result: SearchResult, point: SearchPoint): void {
  result.points.push(point);
  result.points.sort((a, b) => a.offeredMessagesPerSecond - b.offeredMessagesPerSecond);
  if (
    point.sustained &&
    point.offeredMessagesPerSecond > (result.maxSustainable?.messagesPerSecond ?? 0)
  ) {
    result.maxSustainable = {
      messagesPerSecond: point.offeredMessagesPerSecond,
      deliveriesPerSecond: point.offeredDeliveriesPerSecond,
    };
  }
}

/**
 * Search for the maximum sustainable fan-out: offered load grows by `factor` per step, both
 * systems step by step in turn, each stopping at its first unsustained step; then `refineSteps`
 * bisections (geometric means) between each system's last held and first failed load, again in
 * turn, so the answer is not only as fine as the factor (with 1.5, the ratio of two maxima could
 * only be 1, 0.67, 0.44…).
 *
 * What is searched for is the server's limit, so a step is judged by the server: it holds when
 * nothing is lost, p99 is within the limit and the server is not saturated (its CPU over
 * `maxServerCpu` of its cores). The generator's own saturation (CPU or event-loop lag, the check
 * that discards load runs) does not end the search by itself: a saturated generator only adds
 * latency, so a step that held despite it held. It is retried once (a busy moment), recorded on
 * the point, and named as the reason only when p99 failed while the generator was saturated and
 * the server was not (then nobody can tell whose latency it was, and the maximum is a lower bound).
 */
export async function fanOutSearch(
  topologies: Topology[],
  options: BenchOptions,
): Promise<Record<SystemName, SearchResult>> {
  const { search } = options;
  const results = new Map<SystemName, SearchResult>();
  /** Per system: the lowest load that failed, once one did. */
  const failedAt = new Map<SystemName, number>();
  const active = new Set(topologies.map((topology) => topology.system.name));
  for (const topology of topologies) {
    results.set(topology.system.name, {
      points: [],
      maxSustainable: null,
      stoppedBecause: 'max-steps',
    });
  }
  let messagesPerSecond = search.startMessagesPerSecond;
  for (let step = 0; step < search.maxSteps && active.size > 0; step += 1) {
    const rate = Math.round(messagesPerSecond);
    for (const topology of topologies) {
      const name = topology.system.name;
      const result = results.get(name);
      if (!result || !active.has(name)) continue;
      if (rate > topology.shape.clients * options.perSenderMessagesPerSecond) {
        result.stoppedBecause = 'out-of-senders';
        active.delete(name);
        continue;
      }
      const { point, failure } = await searchStep(topology, rate, options);
      addPoint(result, point);
      if (!failure) continue;
      result.stoppedBecause = failure;
      failedAt.set(name, rate);
      active.delete(name);
    }
    messagesPerSecond *= search.factor;
  }
  for (let round = 0; round < search.refineSteps; round += 1) {
    for (const topology of topologies) {
      const name = topology.system.name;
      const result = results.get(name);
      const failed = failedAt.get(name);
      const held = result?.maxSustainable?.messagesPerSecond;
      if (!result || failed === undefined || held === undefined) continue;
      const rate = Math.round(Math.sqrt(held * failed));
      if (rate <= held || rate >= failed) continue;
      const { point, failure } = await searchStep(topology, rate, options);
      addPoint(result, point);
      if (!failure) continue;
      result.stoppedBecause = failure;
      failedAt.set(name, rate);
    }
  }
  return Object.fromEntries(results) as Record<SystemName, SearchResult>;
}

export interface IdleLevel {
  requested: number;
  connections: number;
  connectSeconds: number;
  rssBytes: number;
  heapUsedBytes: number;
  rssPerConnectionBytes: number;
  heapPerConnectionBytes: number;
}

export interface IdleResult {
  before: { rssBytes: number; heapUsedBytes: number };
  levels: IdleLevel[];
  /** Set when the open-files limit kept a level below what was asked. */
  limitedBy?: string;
}

/**
 * RSS and heap per idle connection: after a full GC before any client and again at each level
 * (clients added on top of the previous level). An idle client has connected and authenticated
 * and joined nothing (a join costs Parley a membership write and a broadcast to the room, which
 * at 20k clients would take the bench minutes; it is measured under load instead).
 * More than `perGenerator` clients are split over several generator processes (descriptor limit).
 */
export async function idleMemory(
  system: SystemUnderTest,
  options: BenchOptions,
): Promise<IdleResult> {
  const { idle } = options;
  // The server holds one descriptor per connection, plus its own files and database sockets.
  const cap = openFilesLimit() - 1000;
  const levels = idle.levels.map((level) => Math.min(level, cap));
  const tokens = await system.tokens(idle.users);
  const baseline = await system.probe(true);
  const generators: LoadGenerator[] = [];
  const result: IdleResult = {
    before: { rssBytes: baseline.rssBytes, heapUsedBytes: baseline.heapUsedBytes },
    levels: [],
    ...(levels.some((level, index) => level < (idle.levels[index] ?? 0))
      ? { limitedBy: `open files limit ${openFilesLimit()} (ulimit -n)` }
      : {}),
  };
  let connected = 0;
  try {
    for (const [index, level] of levels.entries()) {
      const started = performance.now();
      while (connected < level) {
        const count = Math.min(level - connected, idle.perGenerator);
        const clients = Array.from({ length: count }, (_, offset) => {
          const client = connected + offset;
          return { token: tokens[client % tokens.length] ?? '' };
        });
        const generator = LoadGenerator.start(`${system.name} idle generator ${generators.length}`);
        generators.push(generator);
        await generator.connect(system.url, clients);
        connected += count;
      }
      const connectSeconds = (performance.now() - started) / 1000;
      const reading = await system.probe(true);
      const level0 = {
        requested: idle.levels[index] ?? level,
        connections: connected,
        connectSeconds: round3(connectSeconds),
        rssBytes: reading.rssBytes,
        heapUsedBytes: reading.heapUsedBytes,
        rssPerConnectionBytes: Math.round((reading.rssBytes - baseline.rssBytes) / connected),
        heapPerConnectionBytes: Math.round(
          (reading.heapUsedBytes - baseline.heapUsedBytes) / connected,
        ),
      };
      result.levels.push(level0);
      log(
        `${system.name}: ${connected} idle connections: ${formatBytes(level0.rssPerConnectionBytes)} RSS, ${formatBytes(level0.heapPerConnectionBytes)} heap per connection`,
      );
    }
  } finally {
    await Promise.all(generators.map((generator) => generator.stop()));
  }
  return result;
}

export function formatBytes(bytes: number): string {
  return bytes >= 10_240 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} B`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : round3(((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2);
}

/** Every numeric figure is the median of that figure over the runs (so not one run's numbers). */
function medianSummary(runs: RunSummary[]): RunSummary {
  const first = runs[0];
  if (!first) throw new Error('no runs to summarize');
  const of = (pick: (run: RunSummary) => number) => median(runs.map(pick));
  const ofMeasured = (pick: (run: RunSummary) => number | null) => {
    const values = runs.map(pick).filter((value): value is number => value !== null);
    return values.length === 0 ? null : median(values);
  };
  const latency = (pick: (run: RunSummary) => LatencySummary): LatencySummary => ({
    count: of((run) => pick(run).count),
    p50: of((run) => pick(run).p50),
    p95: of((run) => pick(run).p95),
    p99: of((run) => pick(run).p99),
    max: of((run) => pick(run).max),
  });
  return {
    system: first.system,
    offeredMessagesPerSecond: first.offeredMessagesPerSecond,
    offeredDeliveriesPerSecond: first.offeredDeliveriesPerSecond,
    senders: first.senders,
    deliveredPerSecond: of((run) => run.deliveredPerSecond),
    serverCpuMicrosPerDelivery: of((run) => run.serverCpuMicrosPerDelivery),
    serverCpu: of((run) => run.serverCpu),
    databaseCpuMicrosPerDelivery: ofMeasured((run) => run.databaseCpuMicrosPerDelivery),
    databaseCpu: ofMeasured((run) => run.databaseCpu),
    receiveLatency: latency((run) => run.receiveLatency),
    ackLatency: latency((run) => run.ackLatency),
    sent: of((run) => run.sent),
    acked: of((run) => run.acked),
    expected: of((run) => run.expected),
    received: of((run) => run.received),
    // Losses are never "typical": report the worst run.
    lost: Math.max(...runs.map((run) => run.lost)),
    ackErrors: Math.max(...runs.map((run) => run.ackErrors)),
    ackMissing: Math.max(...runs.map((run) => run.ackMissing)),
    duplicates: Math.max(...runs.map((run) => run.duplicates)),
    disconnects: Math.max(...runs.map((run) => run.disconnects)),
    generator: {
      cpu: of((run) => run.generator.cpu),
      eventLoopDelayP99Ms: of((run) => run.generator.eventLoopDelayP99Ms),
      eventLoopDelayMaxMs: of((run) => run.generator.eventLoopDelayMaxMs),
      scheduleLagMaxMs: of((run) => run.generator.scheduleLagMaxMs),
    },
    saturated: runs.every((run) => run.saturated),
  };
}

export function describeRun(run: RunSummary): string {
  return (
    `${run.system.padEnd(8)} ${run.offeredMessagesPerSecond} msg/s in → ${run.deliveredPerSecond} delivered/s, ` +
    `${run.serverCpuMicrosPerDelivery} µs CPU/delivery` +
    (run.databaseCpuMicrosPerDelivery === null
      ? ''
      : ` (+ ${run.databaseCpuMicrosPerDelivery} µs in the database)`) +
    `, p50/p95/p99 ${run.receiveLatency.p50}/${run.receiveLatency.p95}/${run.receiveLatency.p99} ms, ` +
    `ack p99 ${run.ackLatency.p99} ms, lost ${run.lost}, ack errors ${run.ackErrors}, ` +
    `generator ${Math.round(run.generator.cpu * 100)}% CPU, lag p99 ${run.generator.eventLoopDelayP99Ms} ms` +
    (run.saturated ? ' [generator saturated]' : '')
  );
}

export { log } from './log';
