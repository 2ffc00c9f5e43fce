import { MongoClient } from 'mongodb';
import { startServer, type RunningServer } from '../src';

describe('concurrent clients', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ port: 0 });
  });
  afterAll(() => server.stop());

  it('serializes increments and unique inserts from many clients', async () => {
    const clients = await Promise.all(
      Array.from({ length: 8 }, () => MongoClient.connect(server.uri, { maxPoolSize: 4 })),
    );
    try {
      const setup = clients[0].db('c');
      await setup.collection('counters').insertOne({ _id: 'hits', n: 0 } as never);
      await setup.collection('names').createIndex({ name: 1 }, { unique: true });
      const results = await Promise.all(
        clients.map(async (cl, ci) => {
          const db = cl.db('c');
          const ops: Promise<unknown>[] = [];
          for (let i = 0; i < 50; i++)
            ops.push(
              db.collection('counters').updateOne({ _id: 'hits' } as never, { $inc: { n: 1 } }),
            );
          // Every client races for the same 20 names: exactly one insert per name may win.
          let won = 0;
          for (let i = 0; i < 20; i++) {
            ops.push(
              db
                .collection('names')
                .insertOne({ name: `name-${i}`, by: ci })
                .then(() => won++)
                .catch((e: { code?: number }) => {
                  if (e.code !== 11000) throw e;
                }),
            );
          }
          await Promise.all(ops);
          return won;
        }),
      );
      const counter = await setup.collection('counters').findOne({ _id: 'hits' } as never);
      expect(counter?.n).toBe(400);
      expect(results.reduce((a, b) => a + b, 0)).toBe(20);
      expect(await setup.collection('names').countDocuments()).toBe(20);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });
});
