/*
 * Preloaded (`node -r`) into both servers under test, so the same code reads both: answers
 * `{type: 'probe'}` over IPC with the process's CPU time and memory, after a full GC when asked
 * (the process runs with --expose-gc), and `{type: 'heap-snapshot'}` by writing one (see
 * heap-profile.ts). The server itself is unchanged.
 */
import { writeHeapSnapshot } from 'node:v8';
import { serveIpc } from './processes';

export interface ProbeRequest {
  type: 'probe';
  gc: boolean;
}

export interface HeapSnapshotRequest {
  type: 'heap-snapshot';
  /** Where to write it. */
  path: string;
}

export interface HeapSnapshotResult {
  path: string;
}

export interface ProbeResult {
  /** process.cpuUsage(): every thread of the process (the embedded database's worker included). */
  cpuMicros: number;
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
}

function isProbeRequest(message: unknown): message is ProbeRequest {
  return (
    typeof message === 'object' && message !== null && 'type' in message && message.type === 'probe'
  );
}

function isHeapSnapshotRequest(message: unknown): message is HeapSnapshotRequest {
  return (
    typeof message === 'object' &&
    message !== null &&
    'type' in message &&
    message.type === 'heap-snapshot' &&
    'path' in message &&
    typeof message.path === 'string'
  );
}

serveIpc((message) => {
  if (isHeapSnapshotRequest(message)) {
    // Writing a snapshot collects garbage first, so it holds what is reachable.
    return { path: writeHeapSnapshot(message.path) } satisfies HeapSnapshotResult;
  }
  if (!isProbeRequest(message)) throw new Error('not a probe request');
  if (message.gc && typeof global.gc === 'function') {
    // Twice: the first pass can leave objects only the second one frees (weak references, finalizers).
    global.gc();
    global.gc();
  }
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  const result: ProbeResult = {
    cpuMicros: cpu.user + cpu.system,
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    heapTotalBytes: memory.heapTotal,
    externalBytes: memory.external,
  };
  return result;
});
