import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The repo root: this file sits at the same depth in `src/` and in `dist/`. */
const WORKSPACE_ROOT = path.resolve(__dirname, '../../..');
const READY_LINE = 'Parley listening';
const OUTPUT_TAIL_CHARS = 16_000;

export interface ServerProcessOptions {
  /** The built server; default `apps/server/dist/main.js` in this repo. */
  entry?: string;
  /** Added to (and overriding) the chaos defaults. */
  env?: NodeJS.ProcessEnv;
  /** How long one start may take before it counts as failed. */
  startDeadlineMs?: number;
  /** How long a SIGTERM may take before `stop()` falls back to SIGKILL. */
  stopDeadlineMs?: number;
  /** Appends the server's output (every start) to this file. */
  logFile?: string;
}

/** How a server process ended. */
export interface ServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<ServerExit> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/**
 * The production build of the server as a child process, on a fixed loopback port and data folder
 * that stay the same across restarts (so clients reconnect to "the same server" and the embedded
 * database reopens its journal). Every signal goes to this process's own pid.
 */
export class ServerProcess {
  private child: ChildProcess | undefined;
  private tail = '';
  private log: WriteStream | undefined;
  /** Times the process was started (the first start included). */
  starts = 0;

  private constructor(
    readonly port: number,
    readonly dataDir: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly options: ServerProcessOptions,
  ) {}

  /** Starts the server on a free port with a fresh data folder (removed by `stop()`). */
  static async start(options: ServerProcessOptions = {}): Promise<ServerProcess> {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'parley-chaos-'));
    const inherited = { ...process.env };
    // The chaos run tests the embedded database's durability and per-process rate limits.
    delete inherited['MONGODB_URI'];
    delete inherited['REDIS_URL'];
    let lastError: unknown;
    // Another process can take the probed port before the server binds it: try a new one.
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const port = await freePort();
      const env: NodeJS.ProcessEnv = {
        ...inherited,
        NODE_ENV: 'production',
        // The same secret after every restart, so the clients' tokens stay valid.
        JWT_SECRET: randomBytes(32).toString('hex'),
        HOST: '127.0.0.1',
        PORT: String(port),
        PARLEY_DATA_DIR: dataDir,
        WEB_DIST_DIR: path.join(dataDir, 'no-web-app'),
        LOG_LEVEL: 'log',
        // Plain log lines in a pipe or a file.
        NO_COLOR: '1',
        ACCESS_TOKEN_TTL: '1h',
        // Every chaos client signs in and pages history from the same loopback address.
        LOGIN_ATTEMPTS_PER_IP: '1000000',
        REST_RATE_LIMIT_PER_MINUTE: '1000000',
        ...options.env,
      };
      const server = new ServerProcess(port, dataDir, env, options);
      try {
        await server.launch();
        return server;
      } catch (error) {
        lastError = error;
        await server.kill();
      }
    }
    await rm(dataDir, { recursive: true, force: true });
    throw lastError;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && !this.child.signalCode;
  }

  /** The last few thousand characters the server printed (for error messages). */
  output(): string {
    return this.tail;
  }

  /** SIGKILL, no chance to flush anything; resolves once the process is gone. */
  async kill(): Promise<ServerExit | undefined> {
    const child = this.child;
    if (!child) return undefined;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    return exited(child);
  }

  /** Starts it again on the same port with the same data folder. */
  async restart(): Promise<void> {
    if (this.running) throw new Error('restart() while the server is still running');
    await this.launch();
  }

  /**
   * SIGTERM (a graceful shutdown), SIGKILL if it takes longer than the deadline; then removes the
   * data folder. Resolves with how the process ended, `undefined` if it was not running.
   */
  async stop(): Promise<ServerExit | undefined> {
    const child = this.child;
    let exit: ServerExit | undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const deadline = this.options.stopDeadlineMs ?? 15_000;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), deadline);
      });
      const result = await Promise.race([exited(child), timedOut]);
      clearTimeout(timer);
      exit = result === 'timeout' ? await this.kill() : result;
    }
    await new Promise<void>((resolve) => (this.log ? this.log.end(resolve) : resolve()));
    this.log = undefined;
    await rm(this.dataDir, { recursive: true, force: true });
    return exit;
  }

  private async launch(): Promise<void> {
    if (this.options.logFile && !this.log) {
      this.log = createWriteStream(this.options.logFile, { flags: 'a' });
    }
    const entry = this.options.entry ?? path.join(WORKSPACE_ROOT, 'apps/server/dist/main.js');
    const child = spawn(process.execPath, ['--enable-source-maps', entry], {
      cwd: this.dataDir,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.starts += 1;
    const record = (chunk: Buffer) => {
      this.tail = (this.tail + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
      this.log?.write(chunk);
    };
    child.stdout?.on('data', record);
    child.stderr?.on('data', record);
    this.log?.write(`\n--- start ${this.starts} (pid ${child.pid ?? '?'}) ---\n`);
    await this.ready(child, this.options.startDeadlineMs ?? 60_000);
  }

  /**
   * Resolves once the server logs that it listens or `/api/health` answers 200, whichever comes
   * first; rejects if it exits first or the deadline passes.
   */
  private ready(child: ChildProcess, deadlineMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (error?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearInterval(poll);
        child.stdout?.off('data', onData);
        child.off('exit', onExit);
        child.off('error', onError);
        if (error) reject(error);
        else resolve();
      };
      const timer = setTimeout(() => {
        finish(new Error(`server not ready after ${deadlineMs} ms:\n${this.tail}`));
      }, deadlineMs);
      const onData = () => {
        if (this.tail.includes(READY_LINE)) finish();
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        finish(new Error(`server exited (${signal ?? code}) before it was ready:\n${this.tail}`));
      };
      const onError = (error: Error) => finish(error);
      const poll = setInterval(() => {
        fetch(`${this.baseUrl}/api/health`)
          .then((response) => {
            if (response.ok) finish();
          })
          .catch(() => undefined);
      }, 250);
      // Only this start's output counts.
      this.tail = '';
      child.stdout?.on('data', onData);
      child.once('exit', onExit);
      child.once('error', onError);
    });
  }
}
