import type { BenchOptions } from './options';
import type { IdleResult, RepeatedResult, SearchResult } from './scenarios';
import { formatBytes } from './scenarios';
import { type HistoryResult, round3, type SystemName } from './systems';

export interface SystemResults {
  load?: RepeatedResult;
  search?: SearchResult;
  ack?: RepeatedResult;
  idle?: IdleResult;
}

export interface Ratio {
  figure: string;
  parley: number | null;
  baseline: number | null;
  /** parley / baseline */
  ratio: number | null;
  target?: string;
  meetsTarget?: boolean;
}

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  quick: boolean;
  machine: {
    node: string;
    cpus: number;
    pinned: boolean;
    platform: string;
    /** 1-minute load average at the start and the end: above the core count, others competed. */
    loadAverage: { start: number; end: number };
  };
  /** `embedded`: see `options.database` for where it ran. */
  database: 'embedded' | 'external';
  options: BenchOptions;
  systems: Record<SystemName, SystemResults>;
  history?: HistoryResult;
  ratios: Ratio[];
}

function ratioOf(
  figure: string,
  parley: number | undefined | null,
  baseline: number | undefined | null,
  target?: { text: string; holds: (ratio: number, parley: number) => boolean },
): Ratio {
  const p = parley ?? null;
  const b = baseline ?? null;
  const ratio = p !== null && b !== null && b !== 0 ? Math.round((p / b) * 100) / 100 : null;
  return {
    figure,
    parley: p,
    baseline: b,
    ratio,
    ...(target
      ? {
          target: target.text,
          ...(ratio !== null && p !== null ? { meetsTarget: target.holds(ratio, p) } : {}),
        }
      : {}),
  };
}

/** The largest idle level both systems reached. */
function largestIdle(result: SystemResults) {
  return result.idle?.levels.at(-1);
}

export function computeRatios(systems: Record<SystemName, SystemResults>): Ratio[] {
  const parley = systems.parley;
  const baseline = systems.baseline;
  const ratios: Ratio[] = [];
  if (parley.load && baseline.load) {
    const p = parley.load.median;
    const b = baseline.load.median;
    ratios.push(
      ratioOf('delivered messages/s', p.deliveredPerSecond, b.deliveredPerSecond),
      ratioOf(
        'server CPU µs per delivered message',
        p.serverCpuMicrosPerDelivery,
        b.serverCpuMicrosPerDelivery,
        { text: '≤ 1.25× baseline', holds: (ratio) => ratio <= 1.25 },
      ),
      ...(p.databaseCpuMicrosPerDelivery === null
        ? []
        : [
            // The baseline stores nothing: this is Parley with its database against it.
            ratioOf(
              'server + database CPU µs per delivered message',
              round3(p.serverCpuMicrosPerDelivery + p.databaseCpuMicrosPerDelivery),
              b.serverCpuMicrosPerDelivery,
            ),
          ]),
      ratioOf('send→receive p50 (ms)', p.receiveLatency.p50, b.receiveLatency.p50),
      ratioOf('send→receive p95 (ms)', p.receiveLatency.p95, b.receiveLatency.p95),
      ratioOf('send→receive p99 (ms)', p.receiveLatency.p99, b.receiveLatency.p99),
      ratioOf('send→ack p50 (ms)', p.ackLatency.p50, b.ackLatency.p50),
      ratioOf('send→ack p99 (ms)', p.ackLatency.p99, b.ackLatency.p99),
    );
  }
  if (parley.search && baseline.search) {
    const fanOut = ratioOf(
      'max sustainable fan-out (deliveries/s)',
      parley.search.maxSustainable?.deliveriesPerSecond,
      baseline.search.maxSustainable?.deliveriesPerSecond,
      { text: '≥ 0.8× baseline', holds: (ratio) => ratio >= 0.8 },
    );
    // Parley held not even the first step while the baseline held some: below target, ratio unknown.
    if (fanOut.parley === null && fanOut.baseline !== null) fanOut.meetsTarget = false;
    ratios.push(fanOut);
  }
  if (parley.ack && baseline.ack) {
    const offered = parley.ack.median.offeredMessagesPerSecond;
    ratios.push(
      ratioOf(
        `send→ack p99 at ${offered} msg/s in (ms)`,
        parley.ack.median.ackLatency.p99,
        baseline.ack.median.ackLatency.p99,
        { text: 'Parley ≤ 20 ms', holds: (_ratio, value) => value <= 20 },
      ),
    );
  }
  const parleyIdle = largestIdle(parley);
  const baselineIdle = largestIdle(baseline);
  if (parleyIdle && baselineIdle) {
    ratios.push(
      ratioOf(
        `heap per idle connection at ${parleyIdle.connections} (bytes)`,
        parleyIdle.heapPerConnectionBytes,
        baselineIdle.heapPerConnectionBytes,
        { text: '≤ 1.5× baseline', holds: (ratio) => ratio <= 1.5 },
      ),
      ratioOf(
        `RSS per idle connection at ${parleyIdle.connections} (bytes)`,
        parleyIdle.rssPerConnectionBytes,
        baselineIdle.rssPerConnectionBytes,
      ),
    );
  }
  return ratios;
}

function show(value: number | null | undefined, unit = ''): string {
  if (value === null || value === undefined) return '—';
  return `${value.toLocaleString('en-US', { maximumFractionDigits: 3 })}${unit}`;
}

interface Row {
  figure: string;
  baseline: string;
  parley: string;
}

function rows(results: BenchResults): Row[] {
  const { baseline, parley } = results.systems;
  const out: Row[] = [];
  const add = (figure: string, pick: (system: SystemResults) => string) =>
    out.push({ figure, baseline: pick(baseline), parley: pick(parley) });
  const load = results.options.load;
  if (baseline.load || parley.load) {
    const offered = (baseline.load ?? parley.load)?.median;
    out.push({
      figure: `**Load**: ${load.clients} clients, rooms of ${load.roomSize}, ${offered?.senders ?? 0} senders, ${show(offered?.offeredMessagesPerSecond)} msg/s in (medians of ${load.runs} runs)`,
      baseline: '',
      parley: '',
    });
    add('delivered messages/s', (s) => show(s.load?.median.deliveredPerSecond));
    add('server CPU µs per delivered message', (s) =>
      show(s.load?.median.serverCpuMicrosPerDelivery),
    );
    add('server CPU (cores)', (s) => show(s.load?.median.serverCpu));
    if (typeof parley.load?.median.databaseCpuMicrosPerDelivery === 'number') {
      add('database process CPU µs per delivered message (cores)', (s) =>
        s.load?.median.databaseCpuMicrosPerDelivery === null || s.load === undefined
          ? '—'
          : `${show(s.load.median.databaseCpuMicrosPerDelivery)} (${show(s.load.median.databaseCpu)})`,
      );
    }
    add('send→receive p50 / p95 / p99 (ms)', (s) =>
      s.load
        ? `${show(s.load.median.receiveLatency.p50)} / ${show(s.load.median.receiveLatency.p95)} / ${show(s.load.median.receiveLatency.p99)}`
        : '—',
    );
    add('send→ack p50 / p99 (ms)', (s) =>
      s.load
        ? `${show(s.load.median.ackLatency.p50)} / ${show(s.load.median.ackLatency.p99)}`
        : '—',
    );
    add('lost / ack errors (worst run)', (s) =>
      s.load ? `${s.load.median.lost} / ${s.load.median.ackErrors}` : '—',
    );
    add('runs discarded (generator saturated)', (s) => show(s.load?.discarded));
  }
  if (baseline.search || parley.search) {
    add('max sustainable fan-out, deliveries/s (msg/s in)', (s) =>
      s.search?.maxSustainable
        ? `${show(s.search.maxSustainable.deliveriesPerSecond)} (${show(s.search.maxSustainable.messagesPerSecond)})`
        : '—',
    );
    add('search stopped because', (s) => s.search?.stoppedBecause ?? '—');
  }
  if (baseline.ack || parley.ack) {
    const ack = results.options.ack;
    add(
      `send→ack p50 / p99 at ${ack.messagesPerSecond} msg/s in, rooms of ${ack.roomSize} (ms)`,
      (s) =>
        s.ack
          ? `${show(s.ack.median.ackLatency.p50)} / ${show(s.ack.median.ackLatency.p99)}${s.ack.overloaded ? ' (overloaded)' : ''}`
          : '—',
    );
    add(`send→receive p99 at ${ack.messagesPerSecond} msg/s in (ms)`, (s) =>
      show(s.ack?.median.receiveLatency.p99),
    );
  }
  const levels = (baseline.idle ?? parley.idle)?.levels ?? [];
  for (const [index] of levels.entries()) {
    const connections = (s: SystemResults) => s.idle?.levels[index]?.connections;
    add(
      `RSS / heap per idle connection at ${show(connections(parley) ?? connections(baseline))}`,
      (s) => {
        const level = s.idle?.levels[index];
        return level
          ? `${formatBytes(level.rssPerConnectionBytes)} / ${formatBytes(level.heapPerConnectionBytes)}`
          : '—';
      },
    );
  }
  return out;
}

function databaseText(results: BenchResults): string {
  if (results.database === 'external') return 'an external MongoDB (`MONGODB_URI`)';
  return results.options.database === 'process'
    ? "the embedded database in its own process (on the generators' core)"
    : 'the embedded database in-process (a worker thread of the server)';
}

export function markdownReport(results: BenchResults): string {
  const lines = [
    `# Parley vs bare Socket.IO — ${results.startedAt.slice(0, 10)}${results.quick ? ' (quick)' : ''}`,
    '',
    `Node ${results.machine.node}, ${results.machine.cpus} cores, ${results.machine.pinned ? 'server and generator pinned to different cores' : 'no CPU pinning'}, Parley on ${databaseText(results)}, load average ${results.machine.loadAverage.start} at the start and ${results.machine.loadAverage.end} at the end. ` +
      `Started ${results.startedAt}, finished ${results.finishedAt}.`,
    '',
    '| figure | baseline | Parley |',
    '| --- | ---: | ---: |',
    ...rows(results).map((row) => `| ${row.figure} | ${row.baseline} | ${row.parley} |`),
    '',
  ];
  if (results.history) {
    const history = results.history;
    lines.push(
      `History page (\`GET /api/rooms/:id/messages?limit=${history.pageSize}\`, ${show(history.messages)} stored messages, ${history.requests} requests after ${history.warmup.requests} warm-up ones): ` +
        `p50 ${show(history.latency.p50)} ms, p95 ${show(history.latency.p95)} ms, p99 ${show(history.latency.p99)} ms. ` +
        `The warm-up requests, while V8 optimizes the path: p50 ${show(history.warmup.p50)} ms, p99 ${show(history.warmup.p99)} ms.`,
      '',
    );
  }
  lines.push(
    '| Parley / baseline | Parley | baseline | ratio | target |',
    '| --- | ---: | ---: | ---: | --- |',
  );
  for (const ratio of results.ratios) {
    const verdict =
      ratio.target === undefined
        ? ''
        : `${ratio.target}${ratio.meetsTarget === undefined ? '' : ratio.meetsTarget ? ' ✓' : ' ✗'}`;
    lines.push(
      `| ${ratio.figure} | ${show(ratio.parley)} | ${show(ratio.baseline)} | ${show(ratio.ratio)} | ${verdict} |`,
    );
  }
  lines.push('', 'Latency against offered load: see the SVG chart next to this file.', '');
  return lines.join('\n');
}

/** Console summary; the last lines are the Parley / baseline ratios. */
export function consoleReport(results: BenchResults): string {
  const table = rows(results);
  const width = Math.max(...table.map((row) => row.figure.length), 10);
  const lines = [
    '',
    `${'figure'.padEnd(width)}  ${'baseline'.padStart(22)}  ${'parley'.padStart(22)}`,
  ];
  for (const row of table) {
    lines.push(
      `${row.figure.padEnd(width)}  ${row.baseline.padStart(22)}  ${row.parley.padStart(22)}`,
    );
  }
  if (results.history) {
    const { latency, messages, pageSize, warmup } = results.history;
    lines.push(
      `history page (limit ${pageSize}, ${messages} messages): p50 ${latency.p50} ms, p99 ${latency.p99} ms ` +
        `(warm-up: p50 ${warmup.p50} ms, p99 ${warmup.p99} ms)`,
    );
  }
  lines.push('', 'Parley / baseline:');
  for (const ratio of results.ratios) {
    const target =
      ratio.target === undefined
        ? ''
        : `  (target ${ratio.target}${ratio.meetsTarget === undefined ? '' : ratio.meetsTarget ? ': met' : ': missed'})`;
    lines.push(
      `  ${ratio.figure}: ${show(ratio.ratio)}× (${show(ratio.parley)} vs ${show(ratio.baseline)})${target}`,
    );
  }
  return lines.join('\n');
}
