import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LatencySummary } from '../src/generator-protocol';
import type { BenchResults } from '../src/report';
import type { RunSummary } from '../src/scenarios';
import { SYSTEMS } from '../src/systems';

const MAIN = join(__dirname, '..', 'dist', 'main.js');

/**
 * Runs the built bench in quick mode as its own process, as `nx run bench:run --quick` would, with
 * the database in a process of its own (the default in-process placement is what every server test
 * runs already; this covers the other one and the split CPU reading).
 */
function runQuickBench(outDir: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [MAIN, '--quick', '--database', 'process', '--out', outDir],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

function expectLatency(latency: LatencySummary): void {
  expect(latency.count).toBeGreaterThan(0);
  for (const value of [latency.p50, latency.p95, latency.p99, latency.max]) {
    expect(Number.isFinite(value)).toBe(true);
    expect(value).toBeGreaterThan(0);
  }
  expect(latency.p50).toBeLessThanOrEqual(latency.p95);
  expect(latency.p95).toBeLessThanOrEqual(latency.p99);
  expect(latency.p99).toBeLessThanOrEqual(latency.max);
}

/** Every message delivered to every other socket of its room, exactly once, every ack positive. */
function expectCleanRun(run: RunSummary): void {
  expect(run.sent).toBeGreaterThan(0);
  expect(run.expected).toBeGreaterThan(0);
  expect(run.received).toBe(run.expected);
  expect(run.lost).toBe(0);
  expect(run.ackErrors).toBe(0);
  expect(run.ackMissing).toBe(0);
  expect(run.duplicates).toBe(0);
  expect(run.disconnects).toBe(0);
  expect(run.deliveredPerSecond).toBeGreaterThan(0);
  expect(run.serverCpuMicrosPerDelivery).toBeGreaterThan(0);
  expectLatency(run.receiveLatency);
  expectLatency(run.ackLatency);
}

describe('bench --quick', () => {
  let outDir: string;
  let results: BenchResults;
  let run: { code: number | null; output: string };

  beforeAll(async () => {
    expect(existsSync(MAIN)).toBe(true);
    outDir = await mkdtemp(join(tmpdir(), 'parley-bench-spec-'));
    run = await runQuickBench(outDir);
    const date = (await readdir(outDir)).find((file) => file.endsWith('.json'));
    if (run.code !== 0 || date === undefined) {
      throw new Error(`bench exited with ${run.code}:\n${run.output}`);
    }
    results = JSON.parse(await readFile(join(outDir, date), 'utf8')) as BenchResults;
  });

  afterAll(async () => {
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('measures both systems under the same load, losing nothing', () => {
    expect(results.quick).toBe(true);
    for (const name of SYSTEMS) {
      const load = results.systems[name].load;
      expect(load?.runs.length).toBeGreaterThanOrEqual(1);
      for (const measured of load?.runs ?? []) expectCleanRun(measured);
      expectCleanRun(load!.median);
      expect(load!.median.offeredMessagesPerSecond).toBe(
        results.systems.baseline.load!.median.offeredMessagesPerSecond,
      );

      const ack = results.systems[name].ack;
      expectCleanRun(ack!.median);
    }
  });

  it("reads the database process's CPU apart from the server's (Parley only)", () => {
    expect(results.options.database).toBe('process');
    for (const measured of results.systems.parley.load?.runs ?? []) {
      expect(measured.databaseCpuMicrosPerDelivery).toBeGreaterThan(0);
      expect(measured.databaseCpu).toBeGreaterThan(0);
    }
    expect(results.systems.baseline.load?.median.databaseCpuMicrosPerDelivery).toBeNull();
    expect(results.ratios.map((ratio) => ratio.figure)).toContain(
      'server + database CPU µs per delivered message',
    );
  });

  it('steps through offered loads in the fan-out search', () => {
    for (const name of SYSTEMS) {
      const search = results.systems[name].search!;
      expect(search.points.length).toBeGreaterThanOrEqual(1);
      for (const point of search.points) {
        expect(point.offeredDeliveriesPerSecond).toBeGreaterThan(0);
        expect(point.lost).toBe(0);
        expectLatency(point.receiveLatency);
        expect(point.serverCpu).toBeGreaterThan(0);
        // A step is judged by the server: one that held had a server below its CPU limit.
        if (point.sustained) expect(point.saturated).toBe(false);
      }
      const loads = search.points.map((point) => point.offeredMessagesPerSecond);
      expect([...loads].sort((a, b) => a - b)).toEqual(loads);
      if (search.maxSustainable !== null) {
        expect(loads).toContain(search.maxSustainable.messagesPerSecond);
      }
      expect([
        'p99-over-limit',
        'messages-lost',
        'server-saturated',
        'generator-saturated',
        'max-steps',
        'out-of-senders',
      ]).toContain(search.stoppedBecause);
    }
  });

  it('reads memory per idle connection at every level', () => {
    for (const name of SYSTEMS) {
      const idle = results.systems[name].idle!;
      expect(idle.levels.map((level) => level.connections)).toEqual(results.options.idle.levels);
      for (const level of idle.levels) {
        expect(Number.isFinite(level.rssPerConnectionBytes)).toBe(true);
        expect(Number.isFinite(level.heapPerConnectionBytes)).toBe(true);
        expect(level.heapUsedBytes).toBeGreaterThan(0);
      }
    }
  });

  it('times history pages on a room with stored messages', () => {
    const history = results.history!;
    expect(history.messages).toBe(results.options.history.messages);
    expect(history.requests).toBe(results.options.history.requests);
    expect(history.latency.p50).toBeGreaterThan(0);
    expect(history.latency.p50).toBeLessThanOrEqual(history.latency.p99);
    expect(history.warmup.requests).toBe(results.options.history.warmupRequests);
    expect(history.warmup.p50).toBeGreaterThan(0);
    expect(history.warmup.p50).toBeLessThanOrEqual(history.warmup.p99);
  });

  it('ends with the Parley / baseline ratios and writes the table and the chart', async () => {
    const figures = results.ratios.map((ratio) => ratio.figure);
    expect(figures).toEqual(
      expect.arrayContaining([
        'delivered messages/s',
        'server CPU µs per delivered message',
        'send→receive p99 (ms)',
        'send→ack p99 (ms)',
        'max sustainable fan-out (deliveries/s)',
      ]),
    );
    for (const ratio of results.ratios) {
      if (ratio.figure.startsWith('max sustainable')) continue;
      expect(Number.isFinite(ratio.ratio)).toBe(true);
    }
    const lines = run.output.trimEnd().split('\n');
    expect(lines.some((line) => line.startsWith('Parley / baseline:'))).toBe(true);

    const files = await readdir(outDir);
    expect(files.filter((file) => /\.(json|md|svg)$/.test(file))).toHaveLength(3);
    const svg = await readFile(
      join(
        outDir,
        files.find((file) => file.endsWith('.svg'))!,
      ),
      'utf8',
    );
    expect(svg.startsWith('<svg')).toBe(true);
    const markdown = await readFile(
      join(
        outDir,
        files.find((file) => file.endsWith('.md'))!,
      ),
      'utf8',
    );
    expect(markdown).toMatch(/\| figure +\| +baseline \| +Parley \|/);
  });
});
