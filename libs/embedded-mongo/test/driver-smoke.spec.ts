import { MongoClient, ObjectId, MongoServerError } from 'mongodb';
import { startServer, type RunningServer } from '../src';

describe('driver smoke', () => {
  let server: RunningServer;
  let client: MongoClient;

  beforeAll(async () => {
    server = await startServer({ port: 0 });
    client = await MongoClient.connect(server.uri);
  });
  afterAll(async () => {
    await client.close();
    await server.stop();
  });

  it('pings and reports buildInfo', async () => {
    const admin = client.db('admin');
    expect(await admin.command({ ping: 1 })).toMatchObject({ ok: 1 });
    const info = await admin.command({ buildInfo: 1 });
    expect(info.version).toBe('7.0.0');
  });

  it('does CRUD', async () => {
    const c = client.db('t').collection('crud');
    const r = await c.insertOne({ a: 1 });
    expect(r.insertedId).toBeInstanceOf(ObjectId);
    await c.insertMany([{ a: 2 }, { a: 3 }, { a: 4 }]);
    expect(await c.countDocuments()).toBe(4);
    expect(await c.countDocuments({ a: { $gt: 2 } })).toBe(2);
    expect(await c.estimatedDocumentCount()).toBe(4);
    const doc = await c.findOne({ _id: r.insertedId });
    expect(doc?.a).toBe(1);
    const u = await c.updateMany({ a: { $gte: 3 } }, { $inc: { a: 10 } });
    expect(u).toMatchObject({ matchedCount: 2, modifiedCount: 2 });
    const up = await c.updateOne({ a: 99 }, { $set: { b: 1 } }, { upsert: true });
    expect(up.upsertedId).toBeInstanceOf(ObjectId);
    const all = await c
      .find({}, { projection: { _id: 0 } })
      .sort({ a: -1 })
      .toArray();
    expect(all).toEqual([{ a: 99, b: 1 }, { a: 14 }, { a: 13 }, { a: 2 }, { a: 1 }]);
    const fam = await c.findOneAndUpdate(
      { a: 2 },
      { $set: { c: true } },
      { returnDocument: 'after' },
    );
    expect(fam?.c).toBe(true);
    const d = await c.deleteMany({ a: { $lt: 10 } });
    expect(d.deletedCount).toBe(2);
    expect(await c.distinct('a')).toEqual([13, 14, 99]);
    const agg = await c.aggregate([{ $group: { _id: null, s: { $sum: '$a' } } }]).toArray();
    expect(agg[0].s).toBe(126);
  });

  it('iterates cursors with getMore', async () => {
    const c = client.db('t').collection('many');
    await c.insertMany(Array.from({ length: 1000 }, (_, i) => ({ i })));
    const docs = await c.find({}).batchSize(100).toArray();
    expect(docs).toHaveLength(1000);
    const cur = c.find({}).batchSize(10);
    await cur.next();
    await cur.close();
  });

  it('enforces unique indexes with 11000', async () => {
    const c = client.db('t').collection('uniq');
    await c.createIndex({ email: 1 }, { unique: true });
    await c.insertOne({ email: 'a@x' });
    const err = await c.insertOne({ email: 'a@x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MongoServerError);
    expect((err as MongoServerError).code).toBe(11000);
    expect((err as MongoServerError).keyValue).toEqual({ email: 'a@x' });
    const idx = await c.listIndexes().toArray();
    expect(idx.map((i) => String(i.name))).toEqual(['_id_', 'email_1']);
  });

  it('returns MongoDB errors for unknown things', async () => {
    const db = client.db('t');
    await expect(db.command({ frobnicate: 1 })).rejects.toMatchObject({ code: 59 });
    await expect(
      db
        .collection('x')
        .find({ a: { $foo: 1 } })
        .toArray(),
    ).rejects.toMatchObject({ code: 2 });
    await expect(
      db
        .collection('x')
        .aggregate([{ $bogus: {} }])
        .toArray(),
    ).rejects.toMatchObject({ code: 40324 });
    await expect(
      db.collection('x').updateOne({}, { $bogus: { a: 1 } }, { upsert: true }),
    ).rejects.toMatchObject({ code: 9 });
  });
});

describe('_id uniqueness', () => {
  it('rejects duplicate _id values in ordered and unordered inserts', async () => {
    const server = await startServer({ port: 0 });
    const client = await MongoClient.connect(server.uri);
    try {
      const c = client.db('t').collection<{ _id: number }>('ids');
      await c.insertOne({ _id: 1 });
      await expect(c.insertOne({ _id: 1 })).rejects.toMatchObject({
        code: 11000,
        keyValue: { _id: 1 },
      });
      const err = await c
        .insertMany([{ _id: 2 }, { _id: 2 }, { _id: 3 }], { ordered: false })
        .catch((e: unknown) => e);
      expect((err as { code?: number }).code).toBe(11000);
      expect(await c.countDocuments()).toBe(3);
    } finally {
      await client.close();
      await server.stop();
    }
  });
});

describe('update validation and TTL', () => {
  let server: RunningServer;
  let client: MongoClient;
  beforeAll(async () => {
    server = await startServer({ port: 0 });
    client = await MongoClient.connect(server.uri);
  });
  afterAll(async () => {
    await client.close();
    await server.stop();
  });

  it('refuses impossible updates with MongoDB codes', async () => {
    const c = client.db('t').collection('upd');
    await c.insertOne({ _id: 1, a: 1, n: 'x' } as never);
    await expect(c.updateOne({ _id: 1 } as never, { $set: { 'a.b': 2 } })).rejects.toMatchObject({
      code: 28,
    });
    await expect(c.updateOne({ _id: 1 } as never, { $set: { _id: 2 } })).rejects.toMatchObject({
      code: 66,
    });
    await expect(c.updateOne({ _id: 1 } as never, { $inc: { n: 1 } })).rejects.toMatchObject({
      code: 14,
    });
    await expect(
      c.updateOne({ _id: 1 } as never, { $set: { a: 1 }, $inc: { a: 1 } }),
    ).rejects.toMatchObject({ code: 40 });
    await expect(c.replaceOne({ _id: 1 } as never, { _id: 3, a: 1 })).rejects.toMatchObject({
      code: 66,
    });
    expect(await c.findOne({ _id: 1 } as never)).toEqual({ _id: 1, a: 1, n: 'x' });
  });

  it('expires documents from TTL indexes', async () => {
    const c = client.db('t').collection('sessions');
    await c.createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
    const now = Date.now();
    await c.insertMany([
      { expiresAt: new Date(now - 1000) },
      { expiresAt: new Date(now + 60_000) },
      { expiresAt: 'not a date' },
      {},
    ]);
    expect(server.storage.expireTtl(now)).toBe(1);
    expect(await c.countDocuments()).toBe(3);
  });
});
