import { join } from 'node:path';
import type {
  ClientSpec,
  ConnectResult,
  GeneratorRequest,
  RunRequest,
  RunResult,
} from './generator-protocol';
import { GENERATOR_CPU, IpcClient, NodeProcess } from './processes';

const CONNECT_DEADLINE_MS = 10 * 60_000;
const CONNECT_CONCURRENCY = 100;

/** One load generator process (pinned to the generator core), driven over IPC. */
export class LoadGenerator {
  private readonly ipc: IpcClient<GeneratorRequest, unknown>;

  private constructor(readonly process: NodeProcess) {
    this.ipc = new IpcClient(process);
  }

  static start(label: string): LoadGenerator {
    return new LoadGenerator(
      NodeProcess.start({
        label,
        script: join(__dirname, 'generator.js'),
        cpu: GENERATOR_CPU,
      }),
    );
  }

  /** Connects every client and joins it to its room; fails unless all of them made it. */
  async connect(url: string, clients: ClientSpec[]): Promise<ConnectResult> {
    const result = (await this.ipc.request(
      { type: 'connect', url, clients, concurrency: CONNECT_CONCURRENCY },
      CONNECT_DEADLINE_MS,
    )) as ConnectResult;
    if (result.failed > 0) {
      throw new Error(
        `${this.process.label}: ${result.failed} of ${clients.length} clients failed to connect or join: ${result.firstError ?? ''}`,
      );
    }
    return result;
  }

  run(request: Omit<RunRequest, 'type'>): Promise<RunResult> {
    const deadline = request.warmupMs + request.durationMs + request.drainTimeoutMs + 60_000;
    return this.ipc.request({ type: 'run', ...request }, deadline) as Promise<RunResult>;
  }

  /** Disconnects its clients, then stops the process. */
  async stop(): Promise<void> {
    if (this.process.running) {
      try {
        await this.ipc.request({ type: 'close' }, 30_000);
      } catch {
        // Already gone or stuck: stop() below ends it either way.
      }
    }
    await this.process.stop();
  }
}
