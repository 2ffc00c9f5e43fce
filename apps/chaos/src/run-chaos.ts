import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { AuthSessionDto } from '@parley/contracts';
import { ChaosClient } from './chaos-client';
import {
  MUST_BE_ZERO,
  percentile,
  tallyLedger,
  type LedgerCounts,
  type LedgerFinding,
  type RoomHistory,
} from './ledger';
import { Random } from './random';
import { createPublicRoom, fetchHistory, signInGuest } from './rest';
import { ServerProcess, type ServerExit } from './server-process';

export interface ChaosOptions {
  clients: number;
  rooms: number;
  /** Messages each client sends. */
  messages: number;
  /** SIGKILL + restart of the server during the sending phase. */
  kills: number;
  seed: number;
  /** Mean pause between one client's messages; each pause is uniform in [0, 2 × mean]. */
  sendIntervalMs: number;
  /** Each client's transport is cut after a pause uniform in this range, again and again. */
  dropIntervalMs: readonly [number, number];
  /** How many rooms each client is in (capped by `rooms`). */
  roomsPerClient: readonly [number, number];
  /** How long the outboxes may take to drain after the sending phase. */
  quiescenceTimeoutMs: number;
  ackTimeoutMs: number;
  /** Keep the server's output (every start) in this file. */
  serverLog?: string;
  /** Progress lines (the CLI prints them to stderr). */
  progress?: (line: string) => void;
}

/** The issue's size: 20 clients in 5 rooms (2–3 each), 50 messages each, drops every 2–10 s, 2 kills. */
export const DEFAULT_CHAOS_OPTIONS: Omit<ChaosOptions, 'seed'> = {
  clients: 20,
  rooms: 5,
  messages: 50,
  kills: 2,
  sendIntervalMs: 1_000,
  dropIntervalMs: [2_000, 10_000],
  roomsPerClient: [2, 3],
  quiescenceTimeoutMs: 120_000,
  ackTimeoutMs: 10_000,
};

export interface KillRecord {
  /** Since the sending phase began. */
  atMs: number;
  pid: number | undefined;
  exit: ServerExit | undefined;
  /** Kill → the restarted server answers. */
  downtimeMs: number;
}

export interface ChaosFigures extends LedgerCounts {
  reconnects: number;
  catch_up_p99_ms: number;
}

export interface ChaosReport {
  seed: number;
  options: Omit<ChaosOptions, 'progress'>;
  figures: ChaosFigures;
  /** Messages enqueued by all clients. */
  messages: number;
  stored: number;
  acked: number;
  sendAttempts: number;
  drops: number;
  kills: KillRecord[];
  catchUpSamples: number;
  catchUpP50Ms: number;
  /** Failed requests by event and code (retried by the algorithms). */
  failures: Record<string, number>;
  /** Entries still in an outbox at the end (failed, or not drained by the deadline). */
  outboxLeft: number;
  /** How the server ended on the final SIGTERM. */
  finalExit: ServerExit | undefined;
  durationMs: number;
  /** Evidence for every non-zero count (the first lines of each kind). */
  findings: LedgerFinding[];
  passed: boolean;
}

/** The counts that must be 0 for a run to pass: the issue's six, plus messages shown but not stored. */
export const FAILING_COUNTS = [...MUST_BE_ZERO, 'lost_shown'] as const;

/** How long the last `sync` of each client may take (it is retried until then). */
const FINAL_CATCH_UP_TIMEOUT_MS = 30_000;

interface ClientPlan {
  rooms: string[];
  /** Pause before each message, and its room. */
  sends: { pauseMs: number; room: string }[];
  drops: Random;
  backoff: Random;
}

/** Who is in which room and when everyone acts, all from the seed. */
function plan(options: ChaosOptions, roomIds: readonly string[], random: Random): ClientPlan[] {
  return Array.from({ length: options.clients }, (_unused, index) => {
    const own = random.fork();
    const [least, most] = options.roomsPerClient;
    const count = Math.min(roomIds.length, own.integer(least, most));
    // The first room goes round-robin, so every room has members.
    const first = roomIds[index % roomIds.length];
    const rooms = [first, ...own.shuffle(roomIds.filter((room) => room !== first))].slice(0, count);
    const sends = Array.from({ length: options.messages }, () => ({
      pauseMs: own.between(0, 2 * options.sendIntervalMs),
      room: own.pick(rooms),
    }));
    return { rooms, sends, drops: own.fork(), backoff: own.fork() };
  });
}

/** Kill times spread over the middle of the expected sending phase. */
function killTimes(options: ChaosOptions, random: Random): number[] {
  const phase = options.messages * options.sendIntervalMs;
  return Array.from({ length: options.kills }, () =>
    random.between(0.15 * phase, 0.85 * phase),
  ).sort((a, b) => a - b);
}

/** Polls `condition` until it holds (true) or the deadline passes (false). */
async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) return false;
    await delay(100);
  }
  return true;
}

/**
 * The chaos ledger: real clients (socket.io-client + the web app's RoomSync and Outbox) chat through
 * socket drops and server kills against the production build; then every count of lost, duplicated
 * and misordered messages is taken against the stored history.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const progress = options.progress ?? (() => undefined);
  const random = new Random(options.seed);
  const started = performance.now();
  const server = await ServerProcess.start({ logFile: options.serverLog });
  const clients: ChaosClient[] = [];
  const kills: KillRecord[] = [];
  let finalExit: ServerExit | undefined;
  let stopped = false;
  try {
    progress(`server pid ${server.pid ?? '?'} on ${server.baseUrl}, seed ${options.seed}`);
    const admin = await signInGuest(server.baseUrl, 'chaos-admin');
    const roomIds: string[] = [];
    for (let index = 0; index < options.rooms; index += 1) {
      roomIds.push(
        (await createPublicRoom(server.baseUrl, admin.accessToken, `chaos ${index}`)).id,
      );
    }
    const plans = plan(options, roomIds, random.fork());
    const kill = killTimes(options, random.fork());
    const sessions: AuthSessionDto[] = await Promise.all(
      plans.map((_plan, index) => signInGuest(server.baseUrl, `chaos-${index}`)),
    );
    plans.forEach((clientPlan, index) => {
      clients.push(
        new ChaosClient({
          name: `chaos-${index}`,
          baseUrl: server.baseUrl,
          session: sessions[index],
          rooms: clientPlan.rooms,
          ackTimeoutMs: options.ackTimeoutMs,
          backoff: { baseMs: 200, maxMs: 3_000 },
          random: () => clientPlan.backoff.next(),
        }),
      );
    });
    await Promise.all(clients.map((client) => client.start(60_000)));
    progress(`${clients.length} clients in ${roomIds.length} rooms; sending`);

    const phaseStart = performance.now();
    const stopDrops = new AbortController();
    // Every client's drop timer listens to it.
    setMaxListeners(clients.length + 10, stopDrops.signal);
    const senders = clients.map(async (client, index) => {
      for (const [number, send] of plans[index].sends.entries()) {
        await delay(send.pauseMs);
        await client.enqueue(send.room, `${client.name} #${number}`);
      }
    });
    const droppers = clients.map(async (client, index) => {
      const [least, most] = options.dropIntervalMs;
      try {
        for (;;) {
          await delay(plans[index].drops.between(least, most), undefined, {
            signal: stopDrops.signal,
          });
          client.drop();
        }
      } catch (error) {
        if (!stopDrops.signal.aborted) throw error;
      }
    });
    const killer = (async () => {
      for (const at of kill) {
        const wait = at - (performance.now() - phaseStart);
        if (wait > 0) await delay(wait);
        // Kill a server that has traffic, not one that the clients have not found again yet.
        await waitFor(
          () =>
            Promise.resolve(
              clients.filter((client) => client.isReady).length * 2 >= clients.length,
            ),
          30_000,
        );
        const pid = server.pid;
        const killedAt = performance.now();
        const exit = await server.kill();
        await server.restart();
        const record: KillRecord = {
          atMs: Math.round(killedAt - phaseStart),
          pid,
          exit,
          downtimeMs: Math.round(performance.now() - killedAt),
        };
        kills.push(record);
        progress(
          `killed pid ${pid ?? '?'} at ${record.atMs} ms; back after ${record.downtimeMs} ms`,
        );
      }
    })();
    try {
      await Promise.all([...senders, killer]);
    } finally {
      stopDrops.abort();
      await Promise.allSettled(droppers);
    }
    progress(`sending phase over after ${Math.round(performance.now() - phaseStart)} ms; draining`);

    const drained = await waitFor(async () => {
      for (const client of clients) {
        if (!client.isReady || (await client.pending()) > 0) return false;
      }
      return true;
    }, options.quiescenceTimeoutMs);
    if (!drained) progress('outboxes not drained by the deadline: counting what is left as lost');
    // Whatever is still queued stays queued: a write landing after the history read would be
    // counted as lost.
    await Promise.all(
      clients.map((client) =>
        client.stopSending(options.ackTimeoutMs + 5_000).catch(() => undefined),
      ),
    );
    await Promise.all(
      clients.map((client) =>
        client.finalCatchUp(FINAL_CATCH_UP_TIMEOUT_MS).catch(() => undefined),
      ),
    );

    const histories: RoomHistory[] = [];
    for (const room of roomIds) {
      histories.push({
        room,
        messages: await fetchHistory(server.baseUrl, admin.accessToken, room),
      });
    }
    const ledger = tallyLedger(clients, histories);
    const outboxLeft =
      (await Promise.all(clients.map((client) => client.pending()))).reduce(
        (sum, count) => sum + count,
        0,
      ) + (await Promise.all(clients.map((client) => client.failed()))).flat().length;
    const catchUps = clients.flatMap((client) => client.catchUpMs);
    const failures: Record<string, number> = {};
    for (const client of clients) {
      for (const [key, count] of client.failures) failures[key] = (failures[key] ?? 0) + count;
    }
    for (const client of clients) client.close();
    finalExit = await server.stop();
    stopped = true;
    const figures: ChaosFigures = {
      ...ledger.counts,
      reconnects: clients.reduce((sum, client) => sum + client.reconnects, 0),
      catch_up_p99_ms: Math.round(percentile(catchUps, 0.99)),
    };
    const { progress: _progress, ...kept } = options;
    return {
      seed: options.seed,
      options: kept,
      figures,
      messages: clients.reduce((sum, client) => sum + client.enqueued.length, 0),
      stored: ledger.stored,
      acked: clients.reduce((sum, client) => sum + client.acked.length, 0),
      sendAttempts: clients.reduce((sum, client) => sum + client.sendAttempts, 0),
      drops: clients.reduce((sum, client) => sum + client.drops, 0),
      kills,
      catchUpSamples: catchUps.length,
      catchUpP50Ms: Math.round(percentile(catchUps, 0.5)),
      failures,
      outboxLeft,
      finalExit,
      durationMs: Math.round(performance.now() - started),
      findings: ledger.findings,
      passed: FAILING_COUNTS.every((count) => figures[count] === 0),
    };
  } finally {
    for (const client of clients) client.close();
    if (!stopped) await server.stop();
  }
}

/** The report as printed: one `name: value` per line, the must-be-zero counts first. */
export function formatReport(report: ChaosReport): string {
  const { figures } = report;
  const lines = [
    ...MUST_BE_ZERO.map((name) => `${name}: ${figures[name]}`),
    `reconnects: ${figures.reconnects}`,
    `catch_up_p99_ms: ${figures.catch_up_p99_ms}`,
    `lost_shown: ${figures.lost_shown}`,
    `messages: ${report.messages}`,
    `stored: ${report.stored}`,
    `acked: ${report.acked}`,
    `send_attempts: ${report.sendAttempts}`,
    `drops: ${report.drops}`,
    `kills: ${report.kills.length}`,
    `catch_up_p50_ms: ${report.catchUpP50Ms}`,
    `catch_up_samples: ${report.catchUpSamples}`,
    `outbox_left: ${report.outboxLeft}`,
    `failed_requests: ${
      Object.entries(report.failures)
        .map(([key, count]) => `${key.replace(' ', ':')}=${count}`)
        .join(', ') || 'none'
    }`,
    `final_sigterm_exit: ${report.finalExit ? (report.finalExit.signal ?? `code ${report.finalExit.code}`) : 'not running'}`,
    `duration_ms: ${report.durationMs}`,
    `seed: ${report.seed}`,
    `result: ${report.passed ? 'PASS' : 'FAIL'}`,
  ];
  return lines.join('\n');
}
