#!/usr/bin/env node
import { startServer } from './server';

interface CliArgs {
  port: number;
  dbPath?: string;
  fsync: boolean;
  enableTestCommands: boolean;
}

function usage(): never {
  process.stderr.write(
    'usage: parley-mongo [--port 27017] [--db-path DIR] [--fsync] [--enable-test-commands]\n',
  );
  process.exit(2);
}

function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = { port: 27017, fsync: false, enableTestCommands: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=')
      ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
      : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) usage();
      return v;
    };
    if (flag === '--port') {
      args.port = Number(value());
      if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) usage();
    } else if (flag === '--db-path' || flag === '--dbpath') args.dbPath = value();
    else if (flag === '--fsync') args.fsync = true;
    else if (flag === '--enable-test-commands') args.enableTestCommands = true;
    else if (flag === '--help' || flag === '-h') usage();
    else usage();
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const server = await startServer({
    port: args.port,
    dbPath: args.dbPath,
    fsync: args.fsync,
    enableTestCommands: args.enableTestCommands,
  });
  process.stdout.write(`${server.uri}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    server.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`parley-mongo: error while stopping: ${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`parley-mongo: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
