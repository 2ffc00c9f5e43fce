/*
 * Benchmark through the real driver against EmbeddedMongo.start() (worker thread, in memory).
 * Prints numbers; it is not a test. Usage: node dist/bench/bench.js [--messages 100000] [--rooms 100]
 */
import { type Document, MongoClient, ObjectId } from 'mongodb';
import { EmbeddedMongo } from '../embedded';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

function stats(samples: number[]): { median: number; p95: number; mean: number } {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p95: q(0.95), mean: s.reduce((a, b) => a + b, 0) / s.length };
}

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = process.hrtime.bigint();
  const r = await fn();
  return [Number(process.hrtime.bigint() - t) / 1e6, r];
}

function fmt(n: number): string {
  return n >= 100 ? n.toFixed(0) : n.toFixed(3);
}

async function main(): Promise<void> {
  const total = arg('messages', 100_000);
  const roomsCount = arg('rooms', 100);
  const perRoom = Math.floor(total / roomsCount);
  const server = await EmbeddedMongo.start({ port: 0 });
  const client = await MongoClient.connect(server.uri);
  const db = client.db('bench');
  const out: [string, string][] = [];
  const report = (k: string, v: string): void => {
    out.push([k, v]);
    console.log(`${k.padEnd(58)} ${v}`);
  };
  try {
    console.log(
      `embedded-mongo benchmark: ${total} messages in ${roomsCount} rooms, node ${process.version}, server in worker: ${server.inWorker}`,
    );
    const rooms = Array.from({ length: roomsCount }, () => new ObjectId());
    const indexed = db.collection('messages');
    const plain = db.collection('messages_noindex');
    await indexed.createIndex({ roomId: 1, seq: 1 });

    // Bulk insert throughput: the same messages into both collections, 1000 per insertMany.
    const batch = 1000;
    let insertMs = 0;
    for (let start = 0; start < total; start += batch) {
      const docs: Document[] = [];
      for (let i = start; i < Math.min(total, start + batch); i++) {
        const room = i % roomsCount;
        docs.push({
          roomId: rooms[room],
          seq: Math.floor(i / roomsCount) + 1,
          author: `user${i % 37}`,
          text: `message number ${i} with some text`,
          createdAt: new Date(),
        });
      }
      const [ms] = await time(() => indexed.insertMany(docs));
      insertMs += ms;
      // The driver added _id to `docs`; the baseline collection gets its own copies.
      await plain.insertMany(docs.map(({ _id, ...d }) => d));
    }
    report(
      `insertMany (batches of ${batch}, index {roomId,seq})`,
      `${fmt(total / (insertMs / 1000))} docs/s`,
    );

    const single = db.collection('single');
    const [singleMs] = await time(async () => {
      for (let i = 0; i < 2000; i++) await single.insertOne({ i, text: 'hello' });
    });
    report('insertOne (sequential, 2000 ops)', `${fmt(2000 / (singleMs / 1000))} ops/s`);

    const pageQuery = (coll: typeof indexed, r: number) =>
      coll
        .find({ roomId: rooms[r % roomsCount], seq: { $lt: perRoom - (r % 100) } })
        .sort({ seq: -1 })
        .limit(50)
        .toArray();
    for (let i = 0; i < 20; i++) await pageQuery(indexed, i);
    const pageSamples: number[] = [];
    for (let i = 0; i < 500; i++) {
      const [ms, page] = await time(() => pageQuery(indexed, i * 7));
      if (page.length !== 50) throw new Error('bad page');
      pageSamples.push(ms);
    }
    const scanSamples: number[] = [];
    for (let i = 0; i < 20; i++) scanSamples.push((await time(() => pageQuery(plain, i * 7)))[0]);
    const p = stats(pageSamples);
    const s = stats(scanSamples);
    report(
      'latest-50 page, indexed {roomId:1, seq:1} (median / p95)',
      `${fmt(p.median)} ms / ${fmt(p.p95)} ms`,
    );
    report(
      'latest-50 page, no index (collection scan) (median / p95)',
      `${fmt(s.median)} ms / ${fmt(s.p95)} ms`,
    );
    report('  speed-up of the index', `${(s.median / p.median).toFixed(0)}x`);
    const ex = (coll: string): Promise<Document> =>
      db.command({
        explain: {
          find: coll,
          filter: { roomId: rooms[1], seq: { $lt: perRoom } },
          sort: { seq: -1 },
          limit: 50,
        },
        verbosity: 'executionStats',
      });
    const exI = (await ex('messages')).executionStats as Document;
    const exS = (await ex('messages_noindex')).executionStats as Document;
    report(
      '  docs examined indexed / scan',
      `${String(exI.totalDocsExamined)} / ${String(exS.totalDocsExamined)}`,
    );

    const ids = (
      await indexed
        .find({}, { projection: { _id: 1 } })
        .limit(1000)
        .toArray()
    ).map((d) => d._id);
    const idSamples: number[] = [];
    for (let i = 0; i < 2000; i++)
      idSamples.push((await time(() => indexed.findOne({ _id: ids[i % ids.length] })))[0]);
    report(
      'findOne by _id (median / p95)',
      `${fmt(stats(idSamples).median)} ms / ${fmt(stats(idSamples).p95)} ms`,
    );

    const users = db.collection('users');
    await users.createIndex({ email: 1 }, { unique: true });
    const userDocs = Array.from({ length: 10_000 }, (_, i) => ({
      email: `user${i}@example.com`,
      name: `User ${i}`,
    }));
    const [uniqueBulkMs] = await time(() => users.insertMany(userDocs));
    report('10k inserts under a unique index (one insertMany)', `${fmt(uniqueBulkMs)} ms`);
    const users2 = db.collection('users2');
    await users2.createIndex({ email: 1 }, { unique: true });
    const [uniqueOneMs] = await time(async () => {
      for (const d of userDocs) await users2.insertOne({ ...d });
    });
    report('10k inserts under a unique index (10k insertOne calls)', `${fmt(uniqueOneMs)} ms`);
    const dup = await users.insertOne({ email: 'user5@example.com' }).then(
      () => 'accepted (BUG)',
      (e: { code?: number }) => `code ${String(e.code)}`,
    );
    report('  duplicate rejected with', dup);
  } finally {
    await client.close();
    await server.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
