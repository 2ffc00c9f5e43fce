import { GridFSBucket, MongoClient } from 'mongodb';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { type EmbeddedMongo as EmbeddedMongoType } from '../src';
import { distModule } from './helpers';

describe('EmbeddedMongo.start (compiled, worker thread)', () => {
  const { EmbeddedMongo } = distModule<{ EmbeddedMongo: typeof EmbeddedMongoType }>('index.js');

  it('reports a locked dbPath as LockError and persists through the worker', async () => {
    const dbPath = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-mongo-worker-'));
    const first = await EmbeddedMongo.start({ port: 0, dbPath });
    const second = await EmbeddedMongo.start({ port: 0, dbPath }).catch((e: unknown) => e);
    expect((second as Error).name).toBe('LockError');
    const client = await MongoClient.connect(first.uri);
    await client.db('w').collection('c').insertOne({ a: 1 });
    await client.close();
    await first.stop();
    const again = await EmbeddedMongo.start({ port: 0, dbPath });
    const c2 = await MongoClient.connect(again.uri);
    expect(await c2.db('w').collection('c').countDocuments({ a: 1 })).toBe(1);
    await c2.close();
    await again.stop();
  });

  it('serves from a worker and supports GridFS upload/download', async () => {
    const handle = await EmbeddedMongo.start({ port: 0 });
    expect(handle.inWorker).toBe(true);
    expect(handle.uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/$/);
    const client = await MongoClient.connect(handle.uri);
    try {
      const db = client.db('files');
      const bucket = new GridFSBucket(db, { chunkSizeBytes: 1024 });
      const payload = Buffer.alloc(10_000);
      for (let i = 0; i < payload.length; i++) payload[i] = i % 251;
      const upload = bucket.openUploadStream('avatar.png', { metadata: { owner: 'alice' } });
      await new Promise<void>((resolve, reject) => {
        Readable.from([payload])
          .pipe(upload)
          .on('finish', () => resolve())
          .on('error', reject);
      });
      const chunks: Buffer[] = [];
      for await (const c of bucket.openDownloadStreamByName('avatar.png')) chunks.push(c as Buffer);
      expect(Buffer.concat(chunks).equals(payload)).toBe(true);
      const files = await bucket.find({ filename: 'avatar.png' }).toArray();
      expect(files[0].length).toBe(10_000);
      const idx = await db.collection('fs.chunks').listIndexes().toArray();
      expect(idx.map((i) => String(i.name))).toContain('files_id_1_n_1');
      await bucket.delete(files[0]._id);
      expect(await db.collection('fs.chunks').countDocuments()).toBe(0);
    } finally {
      await client.close();
      await handle.stop();
    }
  });
});
