import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { MongoClient } from 'mongodb';
import { LockError, startServer } from '../src';
import { DIST } from './helpers';

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-mongo-'));
}

function journalFile(dir: string): string {
  const f = fs.readdirSync(dir).find((n) => n.startsWith('journal-'));
  if (!f) throw new Error('no journal');
  return path.join(dir, f);
}

/** Starts the compiled CLI and resolves once it printed its uri. */
async function spawnCli(dbPath: string): Promise<{ child: ChildProcess; uri: string }> {
  const child = spawn(
    process.execPath,
    [path.join(DIST, 'cli.js'), '--port', '0', '--db-path', dbPath],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const stderr: string[] = [];
  child.stderr.on('data', (d: Buffer) => stderr.push(d.toString()));
  const uri = await new Promise<string>((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout });
    rl.once('line', (line) => resolve(line.trim()));
    child.once('exit', (code) => reject(new Error(`cli exited with ${code}: ${stderr.join('')}`)));
  });
  return { child, uri };
}

function exited(child: ChildProcess): Promise<NodeJS.Signals | number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      resolve(child.signalCode ?? child.exitCode);
    else child.once('exit', (code, signal) => resolve(signal ?? code));
  });
}

describe('persistence', () => {
  it('restores data, indexes and deletes after a clean restart and compaction', async () => {
    const dir = tmpDir();
    let s = await startServer({ port: 0, dbPath: dir, compactBytes: 4096 });
    let c = await MongoClient.connect(s.uri);
    const coll = c.db('app').collection('things');
    await coll.createIndex({ name: 1 }, { unique: true });
    await coll.insertMany(Array.from({ length: 200 }, (_, i) => ({ name: `n${i}`, i })));
    await coll.updateMany({ i: { $lt: 10 } }, { $set: { small: true } });
    await coll.deleteMany({ i: { $gte: 190 } });
    await c.db('app').collection('gone').insertOne({ x: 1 });
    await c.db('app').collection('gone').drop();
    await c.close();
    await s.stop();
    expect(fs.existsSync(path.join(dir, 'snapshot.bson'))).toBe(true);

    s = await startServer({ port: 0, dbPath: dir });
    c = await MongoClient.connect(s.uri);
    const again = c.db('app').collection('things');
    expect(await again.countDocuments()).toBe(190);
    expect(await again.countDocuments({ small: true })).toBe(10);
    await expect(again.insertOne({ name: 'n5' })).rejects.toMatchObject({ code: 11000 });
    expect((await c.db('app').listCollections().toArray()).map((x) => x.name)).toEqual(['things']);
    await c.close();
    await s.stop();
  });

  it('accepts fsync: true and keeps data across restarts', async () => {
    const dir = tmpDir();
    const s = await startServer({ port: 0, dbPath: dir, fsync: true });
    const c = await MongoClient.connect(s.uri);
    await c
      .db('app')
      .collection('f')
      .insertMany([{ a: 1 }, { a: 2 }]);
    await c.close();
    await s.stop();
    const s2 = await startServer({ port: 0, dbPath: dir, fsync: true });
    const c2 = await MongoClient.connect(s2.uri);
    expect(await c2.db('app').collection('f').countDocuments()).toBe(2);
    await c2.close();
    await s2.stop();
  });

  it('fsyncs the journal before replying to a write with writeConcern j: true, and only then', async () => {
    const dir = tmpDir();
    const s = await startServer({ port: 0, dbPath: dir });
    const c = await MongoClient.connect(s.uri);
    const things = c.db('app').collection('j');
    const fsyncSync = jest.spyOn(fs, 'fsyncSync');
    try {
      await things.insertOne({ a: 1 }, { writeConcern: { w: 1 } });
      expect(fsyncSync).not.toHaveBeenCalled();
      await things.insertOne({ a: 2 }, { writeConcern: { w: 'majority', journal: true } });
      expect(fsyncSync).toHaveBeenCalledTimes(1);
      // A connection-wide write concern reaches every write the same way.
      const durable = await MongoClient.connect(s.uri, { writeConcern: { journal: true } });
      await durable
        .db('app')
        .collection('j')
        .updateOne({ a: 1 }, { $set: { b: 1 } });
      expect(fsyncSync).toHaveBeenCalledTimes(2);
      await durable.close();
    } finally {
      fsyncSync.mockRestore();
      await c.close();
      await s.stop();
    }
  });

  it('shares one fsync among the j: true writes of many connections (group commit)', async () => {
    const dir = tmpDir();
    const s = await startServer({ port: 0, dbPath: dir });
    const clients = await Promise.all(
      Array.from({ length: 4 }, () =>
        MongoClient.connect(s.uri, { writeConcern: { journal: true }, maxPoolSize: 10 }),
      ),
    );
    const fsyncSync = jest.spyOn(fs, 'fsyncSync');
    try {
      await Promise.all(
        clients.flatMap((client, c) =>
          Array.from({ length: 25 }, (_v, i) =>
            client.db('app').collection('g').insertOne({ c, i }),
          ),
        ),
      );
      // 100 acknowledged durable writes, far fewer fsyncs: every write was flushed before its
      // reply, several per flush.
      expect(fsyncSync.mock.calls.length).toBeGreaterThan(0);
      expect(fsyncSync.mock.calls.length).toBeLessThan(100);
      expect(await clients[0].db('app').collection('g').countDocuments()).toBe(100);
    } finally {
      fsyncSync.mockRestore();
      await Promise.all(clients.map((client) => client.close()));
      await s.stop();
    }
    const again = await startServer({ port: 0, dbPath: dir });
    const reader = await MongoClient.connect(again.uri);
    expect(await reader.db('app').collection('g').countDocuments()).toBe(100);
    await reader.close();
    await again.stop();
  });

  it('locks the dbPath against a second server and takes over a stale lock', async () => {
    const dir = tmpDir();
    const s = await startServer({ port: 0, dbPath: dir });
    await expect(startServer({ port: 0, dbPath: dir })).rejects.toBeInstanceOf(LockError);
    await s.stop();
    // A pid that certainly is not running: a child that has already exited.
    const dead = spawn(process.execPath, ['-e', '0']);
    await exited(dead);
    fs.writeFileSync(path.join(dir, 'mongod.lock'), `${dead.pid}\n`);
    const s2 = await startServer({ port: 0, dbPath: dir });
    expect(fs.readFileSync(path.join(dir, 'mongod.lock'), 'utf8').trim()).toBe(String(process.pid));
    await s2.stop();
    expect(fs.existsSync(path.join(dir, 'mongod.lock'))).toBe(false);
  });

  it('truncates a torn or corrupt journal tail on recovery', async () => {
    const dir = tmpDir();
    const child = await spawnCli(dir);
    const c = await MongoClient.connect(child.uri);
    await c
      .db('app')
      .collection('t')
      .insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3 }] as never[]);
    await c.close();
    child.child.kill('SIGKILL');
    await exited(child.child);
    const jf = journalFile(dir);
    const goodSize = fs.statSync(jf).size;
    // A torn record: a plausible header promising more bytes than were written, then garbage.
    const torn = Buffer.alloc(40, 0xab);
    torn.writeUInt32LE(1000, 0);
    fs.appendFileSync(jf, torn);
    const s = await startServer({ port: 0, dbPath: dir });
    expect(fs.statSync(jf).size).toBe(goodSize);
    const c2 = await MongoClient.connect(s.uri);
    expect(await c2.db('app').collection('t').countDocuments()).toBe(3);
    await c2
      .db('app')
      .collection('t')
      .insertOne({ _id: 4 } as never);
    await c2.close();
    await s.stop();
    const s3 = await startServer({ port: 0, dbPath: dir });
    const c3 = await MongoClient.connect(s3.uri);
    expect(await c3.db('app').collection('t').countDocuments()).toBe(4);
    await c3.close();
    await s3.stop();
  });

  it('loses no acknowledged write when the process is killed with SIGKILL', async () => {
    const dir = tmpDir();
    const first = await spawnCli(dir);
    const c = await MongoClient.connect(first.uri);
    const coll = c.db('app').collection('messages');
    await coll.createIndex({ roomId: 1, seq: 1 }, { unique: true });
    const acknowledged: number[] = [];
    // Writes keep flowing while we kill: every insert that resolved before the kill must survive.
    let killed = false;
    let reached300!: () => void;
    const enoughWritten = new Promise<void>((resolve) => (reached300 = resolve));
    const writer = (async () => {
      for (let seq = 0; seq < 100_000 && !killed; seq++) {
        try {
          await coll.insertOne({ roomId: 'r1', seq, text: `message ${seq}` });
          acknowledged.push(seq);
          if (acknowledged.length === 300) reached300();
          if (seq % 10 === 0)
            await coll.updateOne({ roomId: 'r1', seq }, { $set: { edited: true } });
        } catch {
          break;
        }
      }
    })();
    await enoughWritten;
    killed = first.child.kill('SIGKILL');
    expect(await exited(first.child)).toBe('SIGKILL');
    await writer;
    await c.close(true);

    const second = await spawnCli(dir);
    const c2 = await MongoClient.connect(second.uri);
    const coll2 = c2.db('app').collection('messages');
    const seqs = new Set(
      (await coll2.find({}, { projection: { seq: 1 } }).toArray()).map((d) => Number(d.seq)),
    );
    for (const seq of acknowledged) expect(seqs.has(seq)).toBe(true);
    expect(await coll2.countDocuments({ edited: true })).toBeGreaterThanOrEqual(
      Math.floor((acknowledged.length - 1) / 10),
    );
    await expect(coll2.insertOne({ roomId: 'r1', seq: acknowledged[0] })).rejects.toMatchObject({
      code: 11000,
    });
    await c2.close();
    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toBe(0);
    expect(fs.existsSync(path.join(dir, 'mongod.lock'))).toBe(false);
  }, 30_000);
});
