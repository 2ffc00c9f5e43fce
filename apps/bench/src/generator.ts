/*
 * A load generator process: opens socket.io-client connections, joins each to its room, then sends
 * on a fixed schedule and timestamps every send, ack and delivery in this one process (all sockets
 * of a room live here, so send and receipt share a clock). Driven over IPC by the orchestrator.
 */
import { randomUUID } from 'node:crypto';
import {
  createHistogram,
  monitorEventLoopDelay,
  performance,
  type RecordableHistogram,
} from 'node:perf_hooks';
import type {
  Ack,
  ClientToServerEvents,
  MessageDto,
  ServerToClientEvents,
} from '@parley/contracts';
import { io, type Socket } from 'socket.io-client';
import type {
  ConnectRequest,
  ConnectResult,
  GeneratorRequest,
  LatencySummary,
  RunRequest,
  RunResult,
} from './generator-protocol';
import { serveIpc } from './processes';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

interface Client {
  socket: ClientSocket;
  room?: string;
}

interface InFlight {
  sentAt: number;
  expected: number;
  received: number;
  measured: boolean;
}

const JOIN_ACK_TIMEOUT_MS = 60_000;
const DRAIN_POLL_MS = 10;

const clients: Client[] = [];
let onDelivery: (message: MessageDto) => void = () => undefined;
let disconnects = 0;

function summarize(histogram: RecordableHistogram): LatencySummary {
  const milliseconds = (value: number) => Math.round(value) / 1000;
  if (histogram.count === 0) return { count: 0, p50: 0, p95: 0, p99: 0, max: 0 };
  return {
    count: histogram.count,
    p50: milliseconds(histogram.percentile(50)),
    p95: milliseconds(histogram.percentile(95)),
    p99: milliseconds(histogram.percentile(99)),
    max: milliseconds(histogram.max),
  };
}

function recordMicros(histogram: RecordableHistogram, startedAt: number): void {
  histogram.record(Math.max(1, Math.round((performance.now() - startedAt) * 1000)));
}

function openClient(url: string, token: string): Promise<ClientSocket> {
  const socket: ClientSocket = io(url, {
    path: '/socket.io',
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: { token },
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.disconnect();
      reject(error);
    });
  });
}

async function join(socket: ClientSocket, room: string): Promise<void> {
  const ack = (await socket
    .timeout(JOIN_ACK_TIMEOUT_MS)
    .emitWithAck('join_room', { room })) as Ack<unknown>;
  if (!ack.ok) throw new Error(`join_room ${room}: ${ack.error.code} ${ack.error.message}`);
}

async function connect(request: ConnectRequest): Promise<ConnectResult> {
  const started = performance.now();
  let next = 0;
  let failed = 0;
  let firstError: string | undefined;
  const worker = async () => {
    while (next < request.clients.length) {
      const spec = request.clients[next++];
      if (!spec) break;
      try {
        const socket = await openClient(request.url, spec.token);
        socket.on('new_message', (message) => onDelivery(message));
        socket.on('disconnect', () => (disconnects += 1));
        if (spec.room !== undefined) await join(socket, spec.room);
        clients.push(spec.room === undefined ? { socket } : { socket, room: spec.room });
      } catch (error) {
        failed += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, request.concurrency) }, worker));
  return {
    connected: clients.length,
    failed,
    ...(firstError === undefined ? {} : { firstError }),
    elapsedMs: performance.now() - started,
  };
}

async function run(request: RunRequest): Promise<RunResult> {
  const senders = clients
    .slice(0, Math.min(request.senders, clients.length))
    .filter((client): client is Required<Client> => client.room !== undefined);
  if (senders.length === 0) throw new Error('no connected clients to send from');
  const roomSizes = new Map<string, number>();
  for (const { room } of clients) {
    if (room !== undefined) roomSizes.set(room, (roomSizes.get(room) ?? 0) + 1);
  }

  const inFlight = new Map<string, InFlight>();
  const receiveHistogram = createHistogram();
  const ackHistogram = createHistogram();
  const ackErrors: Record<string, number> = {};
  let acked = 0;
  let expected = 0;
  let received = 0;
  let duplicates = 0;
  let unknown = 0;
  let scheduleLagMaxMs = 0;
  const disconnectsBefore = disconnects;

  onDelivery = (message) => {
    const entry = inFlight.get(message.clientMessageId);
    if (!entry) {
      unknown += 1;
      return;
    }
    entry.received += 1;
    if (entry.received > entry.expected) {
      duplicates += 1;
      return;
    }
    received += 1;
    if (entry.measured) recordMicros(receiveHistogram, entry.sentAt);
  };

  const total = Math.max(
    1,
    Math.round((request.messagesPerSecond * (request.warmupMs + request.durationMs)) / 1000),
  );
  const intervalMs = 1000 / request.messagesPerSecond;
  const padding = 'x'.repeat(Math.max(0, request.contentLength - 24));
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  let sent = 0;

  const send = (index: number) => {
    const sender = senders[index % senders.length];
    if (!sender) return;
    const clientMessageId = randomUUID();
    const sentAt = performance.now();
    const measured = sentAt - started >= request.warmupMs;
    const entry: InFlight = {
      sentAt,
      expected: (roomSizes.get(sender.room) ?? 1) - 1,
      received: 0,
      measured,
    };
    inFlight.set(clientMessageId, entry);
    expected += entry.expected;
    sent += 1;
    sender.socket.emit(
      'send_message',
      { room: sender.room, content: `bench ${index} ${padding}`, clientMessageId },
      (ack) => {
        if (ack.ok) {
          acked += 1;
          if (measured) recordMicros(ackHistogram, sentAt);
        } else {
          ackErrors[ack.error.code] = (ackErrors[ack.error.code] ?? 0) + 1;
          // A refused message is never broadcast: it owes no deliveries.
          expected -= entry.expected;
          entry.expected = 0;
        }
      },
    );
  };

  // Open loop: message k is due at k × interval whatever happened to the earlier ones.
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = performance.now() - started;
      const due = Math.min(total, Math.floor(elapsed / intervalMs) + 1);
      if (due > sent) scheduleLagMaxMs = Math.max(scheduleLagMaxMs, elapsed - sent * intervalMs);
      while (sent < due) send(sent);
      if (sent >= total) {
        clearInterval(timer);
        resolve();
      }
    }, 1);
  });
  const sendElapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  loopDelay.disable();

  const answered = () => acked + Object.values(ackErrors).reduce((sum, count) => sum + count, 0);
  const drainDeadline = performance.now() + request.drainTimeoutMs;
  while ((received < expected || answered() < sent) && performance.now() < drainDeadline) {
    await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
  }
  const totalElapsedMs = performance.now() - started;
  onDelivery = () => undefined;

  return {
    sent,
    acked,
    ackErrors,
    ackMissing: sent - answered(),
    expected,
    received,
    lost: Math.max(0, expected - received),
    duplicates,
    unknown,
    disconnects: disconnects - disconnectsBefore,
    sendElapsedMs,
    totalElapsedMs,
    receiveLatency: summarize(receiveHistogram),
    ackLatency: summarize(ackHistogram),
    generator: {
      cpu: (cpu.user + cpu.system) / 1000 / sendElapsedMs,
      eventLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      eventLoopDelayMaxMs: loopDelay.max / 1e6,
      scheduleLagMaxMs,
    },
  };
}

function close(): null {
  for (const client of clients) client.socket.disconnect();
  clients.length = 0;
  // Let the close frames go out, then end (the IPC channel alone would keep the process alive).
  setTimeout(() => process.exit(0), 200);
  return null;
}

serveIpc((message) => {
  const request = message as GeneratorRequest;
  switch (request.type) {
    case 'connect':
      return connect(request);
    case 'run':
      return run(request);
    case 'close':
      return close();
  }
}, true);

// The orchestrator is gone (crashed or killed): nobody will ask us to close.
process.on('disconnect', () => process.exit(0));
