import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** Where the server under test runs, and where the load generators run. */
export const SERVER_CPU = 0;
export const GENERATOR_CPU = 1;

const STOP_DEADLINE_MS = 15_000;
const OUTPUT_KEPT_CHARS = 20_000;

/** `taskset` when it exists and there are two cores to split; otherwise processes float freely. */
export function pinningCommand(): string | undefined {
  const taskset = process.env['TASKSET_PATH'] ?? '/usr/bin/taskset';
  return availableParallelism() >= 2 && existsSync(taskset) ? taskset : undefined;
}

/** The soft open-files limit children inherit (every socket is a descriptor). */
export function openFilesLimit(): number {
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const match = /^Max open files\s+(\d+)/m.exec(limits);
    if (match?.[1]) return Number(match[1]);
  } catch {
    // Not Linux: assume the common default.
  }
  return 1024;
}

export interface NodeProcessOptions {
  /** Shown in errors. */
  label: string;
  script: string;
  args?: string[];
  nodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Pin to this core when pinning is available. */
  cpu?: number;
}

/** A child Node process this bench started, with an IPC channel; stopped only through its own handle. */
export class NodeProcess {
  private log = '';
  private readonly exit: Promise<void>;
  readonly pid: number;

  private constructor(
    readonly label: string,
    readonly child: ChildProcess,
    readonly pinnedTo: number | undefined,
  ) {
    if (child.pid === undefined) throw new Error(`${label}: no pid (spawn failed)`);
    this.pid = child.pid;
    const keep = (chunk: Buffer) => {
      this.log = (this.log + chunk.toString()).slice(-OUTPUT_KEPT_CHARS);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exit = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
  }

  static start(options: NodeProcessOptions): NodeProcess {
    const taskset = options.cpu === undefined ? undefined : pinningCommand();
    const nodeCommand = [
      process.execPath,
      ...(options.nodeArgs ?? []),
      options.script,
      ...(options.args ?? []),
    ];
    const [command, ...args] =
      taskset === undefined ? nodeCommand : [taskset, '-c', String(options.cpu), ...nodeCommand];
    // taskset execs node in place, so the pid (and /proc/<pid>) is node's own.
    const child = spawn(command ?? process.execPath, args, {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    return new NodeProcess(options.label, child, taskset === undefined ? undefined : options.cpu);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last lines the process printed, for error messages. */
  output(): string {
    return this.log;
  }

  /** Resolves with the first match of `pattern` in the output; rejects on exit or after `deadlineMs`. */
  waitForOutput(pattern: RegExp, deadlineMs: number): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(this.log);
        if (match) finish(undefined, match);
      };
      const onExit = () =>
        finish(new Error(`${this.label} exited before printing ${pattern}:\n${this.log}`));
      const timer = setTimeout(
        () =>
          finish(new Error(`${this.label}: no ${pattern} after ${deadlineMs} ms:\n${this.log}`)),
        deadlineMs,
      );
      const finish = (error?: Error, match?: RegExpExecArray) => {
        clearTimeout(timer);
        this.child.stdout?.off('data', check);
        this.child.stderr?.off('data', check);
        this.child.off('exit', onExit);
        if (match) resolve(match);
        else reject(error ?? new Error('no match'));
      };
      this.child.stdout?.on('data', check);
      this.child.stderr?.on('data', check);
      this.child.once('exit', onExit);
      // Listeners first, then a look at what is already there: nothing printed in between is missed.
      setImmediate(check);
    });
  }

  /** SIGTERM, then SIGKILL if it has not exited by the deadline. */
  async stop(deadlineMs = STOP_DEADLINE_MS): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const killed = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        resolve();
      }, deadlineMs);
    });
    await Promise.race([this.exit, killed]);
    clearTimeout(timer);
    await this.exit;
  }

  exited(): Promise<void> {
    return this.exit;
  }
}

/** Request/response over a child's IPC channel; each request carries an id the answer echoes. */
export class IpcClient<Request extends object, Response> {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (value: Response) => void; reject: (error: Error) => void }
  >();

  constructor(private readonly process: NodeProcess) {
    process.child.on('message', (message: unknown) => {
      if (!isEnvelope(message)) return;
      const waiter = this.pending.get(message.requestId);
      if (!waiter) return;
      this.pending.delete(message.requestId);
      if (message.error !== undefined)
        waiter.reject(new Error(`${process.label}: ${message.error}`));
      else waiter.resolve(message.result as Response);
    });
    void process.exited().then(() => {
      for (const waiter of this.pending.values()) {
        waiter.reject(new Error(`${process.label} exited:\n${process.output()}`));
      }
      this.pending.clear();
    });
  }

  request(request: Request, deadlineMs: number): Promise<Response> {
    const requestId = this.nextId++;
    return new Promise<Response>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new Error(`${this.process.label}: no answer after ${deadlineMs} ms`));
      }, deadlineMs);
      this.pending.set(requestId, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.process.child.send({ ...request, requestId });
    });
  }
}

interface Envelope {
  requestId: number;
  result?: unknown;
  error?: string;
}

function isEnvelope(message: unknown): message is Envelope {
  return (
    typeof message === 'object' &&
    message !== null &&
    'requestId' in message &&
    typeof message.requestId === 'number'
  );
}

/**
 * The child side: answers every request that has a `requestId` with `handle`'s result. Unless
 * `keepAlive`, the channel is unref'd so it never keeps a process alive that would otherwise exit
 * (a server on SIGTERM).
 */
export function serveIpc(handle: (request: unknown) => unknown, keepAlive = false): void {
  process.on('message', (message: unknown) => {
    if (!isEnvelope(message)) return;
    const { requestId } = message;
    Promise.resolve()
      .then(() => handle(message))
      .then(
        (result) => process.send?.({ requestId, result }),
        (error: unknown) =>
          process.send?.({
            requestId,
            error: error instanceof Error ? (error.stack ?? error.message) : String(error),
          }),
      );
  });
  if (!keepAlive) process.channel?.unref();
}
