/** What the orchestrator asks a load generator process, and what it answers. */

export interface ClientSpec {
  /** Handshake `auth.token` (a real access token for Parley; a name for the baseline). */
  token: string;
  /** Joined right after connecting; none for idle connections. */
  room?: string;
}

export interface ConnectRequest {
  type: 'connect';
  url: string;
  clients: ClientSpec[];
  /** Handshakes + joins in flight at once. */
  concurrency: number;
}

export interface ConnectResult {
  connected: number;
  failed: number;
  firstError?: string;
  elapsedMs: number;
}

export interface RunRequest {
  type: 'run';
  /** The first `senders` clients send, in turn, on a fixed schedule (open loop: never waits for acks). */
  senders: number;
  messagesPerSecond: number;
  /** Sent but not measured. */
  warmupMs: number;
  durationMs: number;
  /** After the last send, how long to wait for the remaining deliveries and acks. */
  drainTimeoutMs: number;
  contentLength: number;
}

export interface CloseRequest {
  type: 'close';
}

export type GeneratorRequest = ConnectRequest | RunRequest | CloseRequest;

/** Percentiles in milliseconds (from an HDR histogram of microseconds). */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface RunResult {
  sent: number;
  acked: number;
  /** Negative acks by error code (`rate_limited`, …). */
  ackErrors: Record<string, number>;
  /** Sends without any ack by the end of the drain. */
  ackMissing: number;
  /** Deliveries owed: for each message, the other sockets in its room. */
  expected: number;
  received: number;
  lost: number;
  duplicates: number;
  /** `new_message` for a message this run did not send (a previous run's stragglers). */
  unknown: number;
  disconnects: number;
  /** From the first send to the last one. */
  sendElapsedMs: number;
  /** From the first send until everything arrived (or the drain deadline). */
  totalElapsedMs: number;
  receiveLatency: LatencySummary;
  ackLatency: LatencySummary;
  generator: {
    /** Share of one core used while sending (process.cpuUsage / wall time). */
    cpu: number;
    eventLoopDelayP99Ms: number;
    eventLoopDelayMaxMs: number;
    /** How far the send schedule fell behind at worst. */
    scheduleLagMaxMs: number;
  };
}
