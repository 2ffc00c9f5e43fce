import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mongo } from 'mongoose';
import { loadConfig } from '../config/app-config';
import { resolveDatabaseTarget, unixSocketFits, type DatabaseTarget } from './database-target';

/** What `apps/bench` reads from the boot log to reach the database itself. */
const BENCH_ADDRESS = /Using embedded MongoDB at (mongodb:\/\/[^\s/]+)/;

describe('unixSocketFits', () => {
  it('is false on Windows, whose named pipes are not socket files', () => {
    expect(unixSocketFits('win32', 'C:\\Temp')).toBe(false);
  });

  it('is true for a usual temporary directory', () => {
    expect(unixSocketFits('linux', '/tmp')).toBe(true);
    expect(unixSocketFits('darwin', '/var/folders/xy/0123456789abcdefghijklmnopqr/T')).toBe(true);
  });

  it('is false when the socket path would not fit in sun_path', () => {
    expect(unixSocketFits('linux', `/${'d'.repeat(80)}`)).toBe(false);
  });
});

const describeWhereSocketsFit = unixSocketFits() ? describe : describe.skip;

describeWhereSocketsFit('resolveDatabaseTarget with the embedded server', () => {
  let dataDir: string;
  let target: DatabaseTarget;
  const lines: string[] = [];
  const logger = { log: (line: string) => void lines.push(line) };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parley-database-target-'));
    const config = loadConfig({
      NODE_ENV: 'test',
      PARLEY_DATA_DIR: dataDir,
      JWT_SECRET: 'a-test-secret-of-at-least-32-characters',
    });
    target = await resolveDatabaseTarget(config, logger);
  });

  afterAll(async () => {
    await target.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('gives the app the Unix socket, and logs the TCP address first as the bench expects', async () => {
    expect(target.mode).toBe('embedded');
    const socketPath = decodeURIComponent(new URL(target.uri).host);
    expect(socketPath.endsWith('.sock')).toBe(true);
    expect(existsSync(socketPath)).toBe(true);
    const [line] = lines;
    const tcpUri = BENCH_ADDRESS.exec(line ?? '')?.[1];
    expect(tcpUri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+$/);
    expect(line).toContain(socketPath);

    // One server behind both addresses: what is written through one is read through the other.
    const viaSocket = await mongo.MongoClient.connect(target.uri);
    const viaTcp = await mongo.MongoClient.connect(`${tcpUri ?? ''}/`);
    try {
      await viaSocket.db(target.dbName).collection('probes').insertOne({ via: 'socket' });
      const found = await viaTcp.db(target.dbName).collection('probes').findOne({ via: 'socket' });
      expect(found).toMatchObject({ via: 'socket' });
    } finally {
      await Promise.all([viaSocket.close(), viaTcp.close()]);
    }
  });

  it('removes the socket file when the server stops', async () => {
    const socketPath = decodeURIComponent(new URL(target.uri).host);
    await target.stop();
    expect(existsSync(socketPath)).toBe(false);
  });
});
