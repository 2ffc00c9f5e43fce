/*
 * Preloaded (`node -r`) into both servers under test, so the same code reads both: answers
 * `{type: 'probe'}` over IPC with the process's CPU time and memory, after a full GC when asked
 * (the process runs with --expose-gc). The server itself is unchanged.
 */
import { serveIpc } from './processes';

export interface ProbeRequest {
  type: 'probe';
  gc: boolean;
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

serveIpc((message) => {
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
