/*
 * Load benchmark: Parley's production build against a bare Socket.IO baseline, driven by the same
 * load generator in the same run. `nx run bench:run [--quick]`; see apps/bench/README.md.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { latencyChart } from './chart';
import { type BenchOptions, parseOptions } from './options';
import { pinningCommand } from './processes';
import {
  type BenchResults,
  computeRatios,
  consoleReport,
  markdownReport,
  type SystemResults,
} from './report';
import {
  connectTopology,
  fanOutSearch,
  idleMemory,
  interleavedRuns,
  log,
  type Topology,
} from './scenarios';
import {
  BaselineSystem,
  type HistoryResult,
  ParleySystem,
  SYSTEMS,
  type SystemName,
  type SystemUnderTest,
} from './systems';

/** Everything still running, stopped on the way out whatever happens. */
const running = new Set<{ stop(): Promise<void> }>();

async function started<T extends { stop(): Promise<void> }>(start: Promise<T>): Promise<T> {
  const value = await start;
  running.add(value);
  return value;
}

async function stopped(value: { stop(): Promise<void> }): Promise<void> {
  running.delete(value);
  await value.stop();
}

let stopping: Promise<unknown> = Promise.resolve();

/** Stops whatever is still running; a second caller waits for the first one's stops too. */
function stopEverything(): Promise<unknown> {
  const all = [...running];
  running.clear();
  stopping = Promise.all([stopping, Promise.allSettled(all.map((value) => value.stop()))]);
  return stopping;
}

function startSystem(name: SystemName, options: BenchOptions): Promise<SystemUnderTest> {
  return started<SystemUnderTest>(
    name === 'baseline'
      ? BaselineSystem.start(options.profileDir)
      : ParleySystem.start({ profileDir: options.profileDir, database: options.database }),
  );
}

async function withTopologies<T>(
  systems: SystemUnderTest[],
  shape: BenchOptions['load'] | BenchOptions['ack'],
  label: string,
  body: (topologies: Topology[]) => Promise<T>,
): Promise<T> {
  const topologies: Topology[] = [];
  try {
    for (const system of systems) {
      const topology = await connectTopology(system, shape, label);
      topologies.push(topology);
      running.add(topology.generator);
    }
    return await body(topologies);
  } finally {
    for (const topology of topologies) {
      running.delete(topology.generator);
      await topology.generator.stop();
    }
  }
}

async function measure(options: BenchOptions): Promise<{
  systems: Record<SystemName, SystemResults>;
  history?: HistoryResult;
}> {
  const systems: Record<SystemName, SystemResults> = { baseline: {}, parley: {} };
  const wants = (phase: BenchOptions['phases'][number]) => options.phases.includes(phase);
  let history: HistoryResult | undefined;

  if (wants('load') || wants('search') || wants('ack') || wants('history')) {
    const servers = [await startSystem('baseline', options), await startSystem('parley', options)];
    log(
      `servers: ${servers.map((server) => `${server.name} ${server.url} (pid ${server.server.pid})`).join(', ')}`,
    );
    if (wants('load') || wants('search')) {
      await withTopologies(servers, options.load, 'load', async (topologies) => {
        if (wants('load')) {
          const { load } = options;
          log(
            `load: ${load.runs} runs per system at ${load.messagesPerSecond} msg/s in, interleaved`,
          );
          const results = await interleavedRuns(topologies, load, load.runs, options);
          for (const name of SYSTEMS) systems[name].load = results[name];
        }
        if (wants('search')) {
          log('search: maximum sustainable fan-out');
          const results = await fanOutSearch(topologies, options);
          for (const name of SYSTEMS) systems[name].search = results[name];
        }
      });
    }
    const parley = servers.find((server): server is ParleySystem => server instanceof ParleySystem);
    if (wants('history') && parley) {
      log(`history: ${options.history.messages} stored messages`);
      history = await parley.history(options.history);
      log(
        `history page p50 ${history.latency.p50} ms, p99 ${history.latency.p99} ms ` +
          `(warm-up: p50 ${history.warmup.p50} ms, p99 ${history.warmup.p99} ms)`,
      );
    }
    if (wants('ack')) {
      await withTopologies(servers, options.ack, 'ack', async (topologies) => {
        const { ack } = options;
        log(
          `ack: ${ack.runs} runs per system at ${ack.messagesPerSecond} msg/s in, rooms of ${ack.roomSize}`,
        );
        const results = await interleavedRuns(topologies, ack, ack.runs, options);
        for (const name of SYSTEMS) systems[name].ack = results[name];
      });
    }
    for (const server of servers) await stopped(server);
  }

  if (wants('idle')) {
    // A fresh server per system: nothing from the load phases in the memory readings.
    for (const name of SYSTEMS) {
      const system = await startSystem(name, options);
      try {
        systems[name].idle = await idleMemory(system, options);
      } finally {
        await stopped(system);
      }
    }
  }
  return history === undefined ? { systems } : { systems, history };
}

/** The repository's Prettier style, so committed results pass `prettier --check`. */
async function formatted(path: string, text: string): Promise<string> {
  const prettier = await import('prettier');
  const config = await prettier.resolveConfig(path);
  return prettier.format(text, { ...config, filepath: path });
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = new Date().toISOString();
  const loadAtStart = loadavg()[0] ?? 0;
  const deadlineMs = options.quick ? 5 * 60_000 : 45 * 60_000;
  const watchdog = setTimeout(() => {
    console.error(`bench: still running after ${deadlineMs / 60_000} min; stopping everything`);
    void stopEverything().finally(() => process.exit(1));
  }, deadlineMs);
  watchdog.unref();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void stopEverything().finally(() => process.exit(130));
    });
  }
  const pinned = pinningCommand() !== undefined;
  log(
    `${options.quick ? 'quick' : 'full'} benchmark, phases ${options.phases.join(', ')}; ${pinned ? 'servers on core 0, generators on core 1' : 'no CPU pinning (taskset missing or one core)'}`,
  );

  let measured: Awaited<ReturnType<typeof measure>>;
  try {
    measured = await measure(options);
  } finally {
    await stopEverything();
    clearTimeout(watchdog);
  }
  const results: BenchResults = {
    startedAt,
    finishedAt: new Date().toISOString(),
    quick: options.quick,
    machine: {
      node: process.version,
      cpus: availableParallelism(),
      pinned,
      platform: process.platform,
      loadAverage: {
        start: Math.round(loadAtStart * 100) / 100,
        end: Math.round((loadavg()[0] ?? 0) * 100) / 100,
      },
    },
    database: process.env['MONGODB_URI'] ? 'external' : 'embedded',
    options,
    systems: measured.systems,
    ...(measured.history ? { history: measured.history } : {}),
    ratios: computeRatios(measured.systems),
  };

  await mkdir(options.outDir, { recursive: true });
  const base = join(options.outDir, startedAt.slice(0, 10));
  const written = [`${base}.json`, `${base}.md`];
  await writeFile(`${base}.json`, await formatted(`${base}.json`, JSON.stringify(results)));
  await writeFile(`${base}.md`, await formatted(`${base}.md`, markdownReport(results)));
  const search = Object.fromEntries(
    SYSTEMS.flatMap((name) => {
      const result = measured.systems[name].search;
      return result ? [[name, result]] : [];
    }),
  );
  if (Object.keys(search).length > 0) {
    await writeFile(`${base}.svg`, latencyChart(search, options.search.p99LimitMs));
    written.push(`${base}.svg`);
  }
  console.log(consoleReport(results));
  log(`results: ${written.join(', ')}`);
}

main().catch(async (error: unknown) => {
  console.error(error);
  await stopEverything();
  process.exit(1);
});
