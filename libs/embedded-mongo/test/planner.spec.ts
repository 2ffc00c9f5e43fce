import { type Document, MongoClient, ObjectId } from 'mongodb';
import { startServer, type RunningServer } from '../src';

interface Stats {
  stage: string;
  indexName?: string;
  docs: number;
  keys: number;
}

describe('indexes and planner', () => {
  let server: RunningServer;
  let client: MongoClient;
  const rooms = Array.from({ length: 20 }, () => new ObjectId());

  async function explain(coll: string, find: Document): Promise<Stats> {
    const res = await client
      .db('p')
      .command({ explain: { find: coll, ...find }, verbosity: 'executionStats' });
    const wp = res.queryPlanner.winningPlan as Document;
    const stage = (wp.inputStage ?? wp) as Document;
    return {
      stage: String(stage.stage),
      indexName: stage.indexName as string | undefined,
      docs: Number(res.executionStats.totalDocsExamined),
      keys: Number(res.executionStats.totalKeysExamined),
    };
  }

  beforeAll(async () => {
    server = await startServer({ port: 0 });
    client = await MongoClient.connect(server.uri);
    const docs: Document[] = [];
    for (let seq = 1; seq <= 500; seq++)
      for (const roomId of rooms) docs.push({ roomId, seq, text: `m${seq}` });
    await client.db('p').collection('messages').insertMany(docs);
  });
  afterAll(async () => {
    await client.close();
    await server.stop();
  });

  it('answers a history page from a compound index in O(log n + k)', async () => {
    const c = client.db('p').collection('messages');
    const filter = { roomId: rooms[3], seq: { $lt: 300 } };
    const scan = await explain('messages', { filter, sort: { seq: -1 }, limit: 50 });
    expect(scan.stage).toBe('COLLSCAN');
    expect(scan.docs).toBe(10_000);
    const expected = await c.find(filter).sort({ seq: -1 }).limit(50).toArray();

    for (const dir of [1, -1]) {
      const name = await c.createIndex({ roomId: 1, seq: dir });
      const st = await explain('messages', { filter, sort: { seq: -1 }, limit: 50 });
      expect(st).toMatchObject({ stage: 'IXSCAN', indexName: name, docs: 50 });
      expect(st.keys).toBeLessThanOrEqual(51);
      const page = await c.find(filter).sort({ seq: -1 }).limit(50).toArray();
      expect(page).toEqual(expected);
      expect(page[0].seq).toBe(299);
      expect(page[49].seq).toBe(250);
      const asc = await c
        .find({ roomId: rooms[3], seq: { $gte: 10, $lte: 14 } })
        .sort({ seq: 1 })
        .toArray();
      expect(asc.map((d) => Number(d.seq))).toEqual([10, 11, 12, 13, 14]);
      expect(
        (await explain('messages', { filter: { roomId: rooms[3], seq: { $gte: 10, $lte: 14 } } }))
          .docs,
      ).toBe(5);
      await c.dropIndex(name);
    }
  });

  it('uses the _id index for point and $in lookups and honours hints', async () => {
    const c = client.db('p').collection('messages');
    const some = await c.find({ seq: 7 }).limit(3).toArray();
    const st = await explain('messages', { filter: { _id: { $in: some.map((d) => d._id) } } });
    expect(st).toMatchObject({ stage: 'IXSCAN', indexName: '_id_', docs: 3 });
    expect(
      (await explain('messages', { filter: { _id: some[0]._id }, hint: { $natural: 1 } })).stage,
    ).toBe('COLLSCAN');
    await expect(c.find({}).hint('nope_1').toArray()).rejects.toMatchObject({ code: 2 });
  });

  it('indexes array fields (multikey) without missing matches', async () => {
    const c = client.db('p').collection('tags');
    await c.createIndex({ tags: 1 });
    await c.insertMany([
      { tags: ['a', 'b'] },
      { tags: ['b', 'c'] },
      { tags: 'c' },
      { tags: [] },
      {},
    ]);
    expect(await c.countDocuments({ tags: 'b' })).toBe(2);
    expect(await c.countDocuments({ tags: 'c' })).toBe(2);
    expect(await c.countDocuments({ tags: { $gt: 'a', $lt: 'c' } })).toBe(2);
    expect((await explain('tags', { filter: { tags: 'b' } })).docs).toBe(2);
  });

  it('supports sparse, partial and partial-unique indexes', async () => {
    const c = client.db('p').collection('users');
    await c.createIndex({ nick: 1 }, { unique: true, sparse: true });
    await c.createIndex(
      { email: 1 },
      { unique: true, partialFilterExpression: { deleted: false } },
    );
    await c.insertMany([{ a: 1 }, { a: 2 }]);
    await c.insertOne({ nick: 'x', email: 'e', deleted: false });
    await expect(c.insertOne({ nick: 'x' })).rejects.toMatchObject({ code: 11000 });
    await c.insertOne({ email: 'e', deleted: true });
    await expect(c.insertOne({ email: 'e', deleted: false })).rejects.toMatchObject({
      code: 11000,
      keyValue: { email: 'e' },
    });
    await expect(
      c.updateOne({ email: 'e', deleted: true }, { $set: { deleted: false } }),
    ).rejects.toMatchObject({ code: 11000 });
    expect(await c.countDocuments({})).toBe(4);
    expect(await c.find({}).sort({ nick: 1 }).toArray()).toHaveLength(4);
  });

  it('keeps BSON cross-type ordering in indexes and sorts', async () => {
    const c = client.db('p').collection('mixed');
    await c.createIndex({ v: 1 });
    const values = [
      true,
      'b',
      3,
      null,
      new Date(5),
      new ObjectId('000000000000000000000001'),
      { x: 1 },
      [0],
      1.5,
    ];
    await c.insertMany(values.map((v, i) => ({ i, v })));
    const byIndex = await c.find({}).sort({ v: 1 }).hint({ v: 1 }).toArray();
    const bySort = await c.find({}).sort({ v: 1 }).hint({ $natural: 1 }).toArray();
    const order = (docs: Document[]): unknown[] => docs.map((d) => Number(d.i));
    expect(order(bySort)).toEqual([3, 7, 8, 2, 1, 6, 5, 0, 4]);
    // Multikey [0] indexes as 0, so the index order differs only for that document.
    expect(order(byIndex).filter((i) => i !== 7)).toEqual([3, 8, 2, 1, 6, 5, 0, 4]);
  });

  it('reports index conflicts with MongoDB codes', async () => {
    const c = client.db('p').collection('conf');
    await c.createIndex({ a: 1 }, { name: 'a' });
    expect(
      await client
        .db('p')
        .command({ createIndexes: 'conf', indexes: [{ key: { a: 1 }, name: 'a' }] }),
    ).toMatchObject({ ok: 1, note: 'all indexes already exist' });
    await expect(c.createIndex({ b: 1 }, { name: 'a' })).rejects.toMatchObject({ code: 86 });
    await expect(c.createIndex({ a: 1 }, { name: 'a', unique: true })).rejects.toMatchObject({
      code: 85,
    });
    await expect(c.createIndex({ a: 1 }, { name: 'other' })).rejects.toMatchObject({ code: 85 });
    await expect(c.dropIndex('zzz')).rejects.toMatchObject({ code: 27 });
    await expect(c.dropIndex('_id_')).rejects.toMatchObject({ code: 72 });
    await c.insertMany([{ d: 1 }, { d: 1 }]);
    await expect(c.createIndex({ d: 1 }, { unique: true })).rejects.toMatchObject({ code: 11000 });
    expect((await c.listIndexes().toArray()).map((i) => String(i.name))).toEqual(['_id_', 'a']);
  });
});
