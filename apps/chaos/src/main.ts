import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { randomSeed } from './random';
import { DEFAULT_CHAOS_OPTIONS, formatReport, runChaos, type ChaosOptions } from './run-chaos';

const USAGE = `Usage: npx nx run chaos:run [-- flags]

  --clients N         simulated clients (default ${DEFAULT_CHAOS_OPTIONS.clients})
  --rooms N           rooms (default ${DEFAULT_CHAOS_OPTIONS.rooms}); each client is in 2–3
  --messages N        messages per client (default ${DEFAULT_CHAOS_OPTIONS.messages})
  --kills N           SIGKILL + restart of the server mid-run (default ${DEFAULT_CHAOS_OPTIONS.kills})
  --seed N            replay a run's schedule (default: random, printed)
  --send-interval MS  mean pause between one client's messages (default ${DEFAULT_CHAOS_OPTIONS.sendIntervalMs})
  --drop-min MS       shortest pause between a client's socket drops (default ${DEFAULT_CHAOS_OPTIONS.dropIntervalMs[0]})
  --drop-max MS       longest pause between a client's socket drops (default ${DEFAULT_CHAOS_OPTIONS.dropIntervalMs[1]})
  --drain-timeout MS  how long the outboxes may take to drain after sending (default ${DEFAULT_CHAOS_OPTIONS.quiescenceTimeoutMs})
  --out FILE          also write the report as JSON
  --server-log FILE   keep the server's output
`;

function count(value: string | undefined, name: string, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < min) {
    throw new Error(`--${name} must be a whole number ≥ ${min}, got "${value}"`);
  }
  return parsed;
}

function parseOptions(argv: string[]): (ChaosOptions & { out?: string }) | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      clients: { type: 'string' },
      rooms: { type: 'string' },
      messages: { type: 'string' },
      kills: { type: 'string' },
      seed: { type: 'string' },
      'send-interval': { type: 'string' },
      'drop-min': { type: 'string' },
      'drop-max': { type: 'string' },
      'drain-timeout': { type: 'string' },
      out: { type: 'string' },
      'server-log': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return undefined;
  const defaults = DEFAULT_CHAOS_OPTIONS;
  const dropMin = count(values['drop-min'], 'drop-min', defaults.dropIntervalMs[0], 1);
  const dropMax = count(values['drop-max'], 'drop-max', defaults.dropIntervalMs[1], dropMin);
  return {
    ...defaults,
    clients: count(values.clients, 'clients', defaults.clients, 1),
    rooms: count(values.rooms, 'rooms', defaults.rooms, 1),
    messages: count(values.messages, 'messages', defaults.messages),
    kills: count(values.kills, 'kills', defaults.kills),
    seed: count(values.seed, 'seed', randomSeed()),
    sendIntervalMs: count(values['send-interval'], 'send-interval', defaults.sendIntervalMs),
    dropIntervalMs: [dropMin, dropMax],
    quiescenceTimeoutMs: count(
      values['drain-timeout'],
      'drain-timeout',
      defaults.quiescenceTimeoutMs,
      1,
    ),
    out: values.out,
    serverLog: values['server-log'],
    progress: (line) => process.stderr.write(`[chaos] ${line}\n`),
  };
}

async function main(): Promise<number> {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (!options) {
    process.stdout.write(USAGE);
    return 0;
  }
  const { out, ...chaos } = options;
  const report = await runChaos(chaos);
  for (const finding of report.findings)
    process.stderr.write(`[${finding.count}] ${finding.detail}\n`);
  process.stdout.write(`${formatReport(report)}\n`);
  if (out) await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
  return report.passed ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `chaos run failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
