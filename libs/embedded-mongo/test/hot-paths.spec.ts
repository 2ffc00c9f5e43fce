import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deserialize, serialize } from 'bson';
import {
  Binary,
  type Collection,
  Decimal128,
  type Document,
  Double,
  Int32,
  Long,
  MongoClient,
  ObjectId,
} from 'mongodb';
import { startServer, type RunningServer } from '../src';

/*
 * The paths that make a command cheap: documents stored and returned as their bytes, index bounds
 * that answer a filter without testing documents, the direct update operators, the Unix socket.
 * Each is checked against the slow path it replaces or against MongoDB's documented behaviour.
 */

/** Documents whose _id is any value (the driver's default types want an ObjectId). */
interface Loose {
  _id?: string | number | ObjectId;
  [field: string]: unknown;
}

interface Explained {
  stage: string;
  docsExamined: number;
  returned: number;
}

async function explain(
  coll: Collection<Loose>,
  filter: Document,
  sort?: Document,
): Promise<Explained> {
  const res = await coll.db.command({
    explain: { find: coll.collectionName, filter, ...(sort ? { sort } : {}) },
    verbosity: 'executionStats',
  });
  const plan = res.queryPlanner.winningPlan as Document;
  return {
    stage: String((plan.inputStage as Document | undefined)?.stage ?? plan.stage),
    docsExamined: Number(res.executionStats.totalDocsExamined),
    returned: Number(res.executionStats.nReturned),
  };
}

/** The ids a query returns, sorted here (a sort on _id would let the planner pick the _id index). */
async function ids(coll: Collection<Loose>, filter: Document, hint?: Document): Promise<string[]> {
  const cursor = coll.find(filter);
  if (hint) cursor.hint(hint);
  return (await cursor.toArray()).map((d) => String(d._id)).sort();
}

describe('hot paths', () => {
  let server: RunningServer;
  let client: MongoClient;

  beforeAll(async () => {
    server = await startServer({ port: 0, unixSocket: true });
    client = await MongoClient.connect(server.uri);
  });
  afterAll(async () => {
    await client.close();
    await server.stop();
  });

  it('returns a stored document byte for byte, types included, with _id moved first', async () => {
    const coll = client.db('hot').collection<Loose>('raw');
    const doc = {
      long: Long.fromNumber(5),
      double: new Double(1),
      int: new Int32(7),
      decimal: Decimal128.fromString('1.10'),
      binary: new Binary(Buffer.from([1, 2, 3]), 4),
      nested: { list: [1, 'two', { three: [3] }], at: new Date(5) },
    };
    // insertOne appends the _id the driver generates; mongod stores it first, so do we.
    const { insertedId } = await coll.insertOne({ ...doc });
    await coll.insertMany([{ ...doc, many: true }]);
    await coll.insertOne({ _id: 'given', ...doc });
    const raw = (await coll
      .find({ _id: insertedId }, { raw: true })
      .toArray()) as unknown as Buffer[];
    expect(Buffer.from(raw[0])).toEqual(Buffer.from(serialize({ _id: insertedId, ...doc })));
    const all = await coll.find({}, { promoteValues: false }).toArray();
    expect(all).toHaveLength(3);
    for (const stored of all) {
      expect(Object.keys(stored)[0]).toBe('_id');
      expect(stored.long).toBeInstanceOf(Long);
      expect(stored.double).toBeInstanceOf(Double);
      expect(stored.decimal).toEqual(doc.decimal);
      expect(stored.binary).toEqual(doc.binary);
    }
    // A document the server had to decode and encode (an update) is stored from its new fields.
    await coll.updateOne({ _id: 'given' }, { $set: { added: 1 } });
    const updated = await coll.findOne({ _id: 'given' });
    expect(updated).toMatchObject({ _id: 'given', added: 1, nested: doc.nested });
  });

  it('answers index-bounded filters exactly like a collection scan, testing no document', async () => {
    const coll = client.db('hot').collection<Loose>('bounds');
    // NaN is left out: mingo lets `$lte`/`$gte` match it, MongoDB (and the index) do not.
    const values: unknown[] = [
      -Infinity,
      -3,
      -0,
      0,
      1,
      1.5,
      2,
      Long.fromNumber(2),
      Infinity,
      '',
      'a',
      'ab',
      'b',
      'é',
      new Date(0),
      new Date(10),
      true,
      false,
      new ObjectId('000000000000000000000001'),
      null,
      { a: 1 },
      /re/,
    ];
    const docs: Document[] = [];
    values.forEach((value, i) => {
      for (const room of ['r1', 'r2']) docs.push({ _id: `${room}-${i}`, room, v: value });
    });
    docs.push({ _id: 'r1-missing', room: 'r1' });
    await coll.insertMany(docs);
    const filters: Document[] = [
      { room: 'r1', v: { $lt: 2 } },
      { room: 'r1', v: { $lte: 2 } },
      { room: 'r1', v: { $gt: 0 } },
      { room: 'r1', v: { $gte: -Infinity } },
      { room: 'r1', v: { $gt: -3, $lt: Infinity } },
      { room: 'r1', v: { $gte: 1, $gt: 1 } },
      { room: 'r1', v: { $lt: 2, $lte: 2 } },
      { room: 'r1', v: { $lte: 2, $lt: 2, $gt: -3, $gte: -3 } },
      { room: 'r1', v: { $gt: 'a' } },
      { room: 'r1', v: { $lt: 'b', $gte: '' } },
      { room: 'r1', v: { $gte: new Date(0) } },
      { room: 'r1', v: { $lt: true } },
      { room: 'r1', v: { $gt: new ObjectId('000000000000000000000000') } },
      { room: 'r1', v: 2 },
      { room: 'r1', v: { $eq: 'a' } },
      { room: 'r1', v: { $in: [1, 'b', false] } },
      { room: { $in: ['r1', 'r2'] }, v: { $lt: 1 } },
    ];
    const expected = await Promise.all(filters.map((f) => ids(coll, f, { $natural: 1 })));
    for (const [name, key] of [
      ['asc', { room: 1, v: 1 }],
      ['desc', { room: 1, v: -1 }],
    ] as const) {
      await coll.createIndex(key, { name });
      for (const [i, filter] of filters.entries()) {
        expect([filter, await ids(coll, filter)]).toEqual([filter, expected[i]]);
        const plan = await explain(coll, filter);
        expect([filter, plan.stage, plan.docsExamined]).toEqual([filter, 'IXSCAN', plan.returned]);
      }
      await coll.dropIndex(name);
    }
  });

  it('matches NaN with no range operator on an index, as MongoDB', async () => {
    const coll = client.db('hot').collection<Loose>('nan');
    await coll.createIndex({ v: 1 });
    await coll.insertMany([
      { _id: 'nan', v: NaN },
      { _id: 'one', v: 1 },
      { _id: 'inf', v: -Infinity },
    ]);
    expect(await ids(coll, { v: { $lte: 2 } })).toEqual(['inf', 'one']);
    expect(await ids(coll, { v: { $gte: -Infinity } })).toEqual(['inf', 'one']);
    expect(await ids(coll, { v: { $lt: 2 } })).toEqual(['inf', 'one']);
    expect(await ids(coll, { v: NaN })).toEqual(['nan']);
  });

  it('keeps answering correctly once an index becomes multikey, or goes away', async () => {
    const coll = client.db('hot').collection<Loose>('multikey');
    await coll.createIndex({ tag: 1 });
    await coll.insertMany([{ tag: 'a' }, { tag: 'b' }, { tag: 'c' }]);
    expect(await coll.countDocuments({ tag: 'b' })).toBe(1);
    expect((await explain(coll, { tag: { $gt: 'a', $lt: 'c' } })).docsExamined).toBe(1);
    // From now on a key may come from an array: bounds are no longer the whole filter.
    await coll.insertOne({ tag: ['b', 'z'] });
    expect(await coll.countDocuments({ tag: 'b' })).toBe(2);
    expect(await coll.countDocuments({ tag: { $gt: 'a', $lt: 'c' } })).toBe(2);
    expect(await coll.countDocuments({ tag: ['b', 'z'] })).toBe(1);
    await coll.dropIndexes();
    expect(await coll.countDocuments({ tag: 'b' })).toBe(2);
    expect((await explain(coll, { tag: 'b' })).stage).toBe('COLLSCAN');
    await coll.createIndex({ tag: -1 });
    expect(await coll.countDocuments({ tag: { $gte: 'b' } })).toBe(3);
  });

  it('applies $set/$unset/$inc/$min/$max directly with MongoDB semantics and counts', async () => {
    const coll = client.db('hot').collection<Loose>('updates');
    await coll.insertOne({ _id: 'room', lastSeq: 5, at: new Date(100), name: 'x', gone: 1 });
    // The update command itself: the driver's types would refuse the deliberate mistakes below.
    const update = (u: Document): Promise<Document> =>
      coll.db.command({ update: 'updates', updates: [{ q: { _id: 'room' }, u }] });
    expect(await update({ $max: { lastSeq: 3, at: new Date(50) } })).toMatchObject({
      n: 1,
      nModified: 0,
    });
    expect(
      await update({
        $max: { lastSeq: 9, fresh: 1 },
        $min: { at: new Date(10) },
        $unset: { gone: '' },
      }),
    ).toMatchObject({ n: 1, nModified: 1 });
    await update({ $inc: { lastSeq: 1, count: 2 }, $set: { name: 'y' } });
    expect(await coll.findOne({ _id: 'room' })).toEqual({
      _id: 'room',
      lastSeq: 10,
      at: new Date(10),
      name: 'y',
      fresh: 1,
      count: 2,
    });
    expect(await update({ $set: { name: 'y' }, $inc: { count: 0 } })).toMatchObject({
      nModified: 0,
    });
    // $max compares across types in BSON order: any string is above any number.
    await update({ $max: { lastSeq: 'text' } });
    expect((await coll.findOne({ _id: 'room' }))?.lastSeq).toBe('text');
    expect(await update({ $inc: { name: 1 } })).toMatchObject({
      nModified: 0,
      writeErrors: [{ code: 14 }],
    });
  });

  it('projects top-level fields directly, in the document order, as MongoDB', async () => {
    const coll = client.db('hot').collection<Loose>('projection');
    await coll.insertOne({ _id: 1, b: 2, a: { x: 1 }, c: [3], d: null });
    const project = async (projection: Document): Promise<Document | null> =>
      coll.findOne({ _id: 1 }, { projection });
    expect(await project({ c: 1, a: true })).toEqual({ _id: 1, a: { x: 1 }, c: [3] });
    expect(Object.keys((await project({ c: 1, a: 1, _id: 0 })) ?? {})).toEqual(['a', 'c']);
    expect(await project({ b: 0, d: false })).toEqual({ _id: 1, a: { x: 1 }, c: [3] });
    expect(await project({ _id: 0 })).toEqual({ b: 2, a: { x: 1 }, c: [3], d: null });
    expect(await project({ _id: 1 })).toEqual({ _id: 1 });
    expect(await project({ missing: 1 })).toEqual({ _id: 1 });
    // What the direct path does not take still works (mingo), or fails as in MongoDB.
    expect(await project({ 'a.x': 1, _id: 0 })).toEqual({ a: { x: 1 } });
    await expect(project({ a: 1, b: 0 })).rejects.toThrow(/exclusion|inclusion/i);
  });

  it('expires documents from a descending TTL index, an array by its earliest date', async () => {
    const coll = client.db('hot').collection<Loose>('ttl');
    await coll.createIndex({ expiresAt: -1 }, { expireAfterSeconds: 60 });
    const now = Date.now();
    await coll.insertMany([
      { _id: 'old', expiresAt: new Date(now - 120_000) },
      { _id: 'fresh', expiresAt: new Date(now) },
      { _id: 'mixed', expiresAt: [new Date(now), new Date(now - 61_000)] },
      { _id: 'text', expiresAt: 'never' },
    ]);
    expect(server.storage.expireTtl(now)).toBe(2);
    expect(await ids(coll, {})).toEqual(['fresh', 'text']);
  });

  it('serves the same database on a Unix socket, removed on stop', async () => {
    const own = await startServer({ port: 0, unixSocket: true });
    const socketUri = own.socketUri ?? '';
    const socketPath = decodeURIComponent(socketUri.slice('mongodb://'.length, -1));
    expect(fs.existsSync(socketPath)).toBe(true);
    expect(path.dirname(socketPath)).toBe(os.tmpdir());
    const viaSocket = await MongoClient.connect(socketUri);
    const viaTcp = await MongoClient.connect(own.uri);
    await viaSocket.db('hot').collection<Loose>('shared').insertOne({ _id: 1, via: 'socket' });
    expect(await viaTcp.db('hot').collection<Loose>('shared').findOne({ _id: 1 })).toEqual({
      _id: 1,
      via: 'socket',
    });
    await viaSocket.close();
    await viaTcp.close();
    await own.stop();
    expect(fs.existsSync(socketPath)).toBe(false);
  });

  it('reads its own journal back with documents as they were stored', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedded-mongo-hot-'));
    try {
      let own = await startServer({ port: 0, dbPath: dir });
      let c = await MongoClient.connect(own.uri);
      const doc = { _id: 1, long: Long.fromNumber(5), double: new Double(2) };
      await c.db('hot').collection<Loose>('journal').insertOne(doc);
      await c.db('hot').collection<Loose>('journal').insertOne({ _id: 2 });
      await c
        .db('hot')
        .collection<Loose>('journal')
        .updateOne({ _id: 2 }, { $set: { n: 1 } });
      await c.close();
      await own.stop();
      own = await startServer({ port: 0, dbPath: dir });
      c = await MongoClient.connect(own.uri);
      const raw = (await c
        .db('hot')
        .collection<Loose>('journal')
        .find({}, { raw: true })
        .sort({ _id: 1 })
        .toArray()) as unknown as Buffer[];
      expect(Buffer.from(raw[0])).toEqual(Buffer.from(serialize(doc)));
      expect(deserialize(raw[1])).toEqual({ _id: 2, n: 1 });
      await c.close();
      await own.stop();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
