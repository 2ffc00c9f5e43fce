import { EmbeddedMongo, type EmbeddedMongoHandle } from '@parley/embedded-mongo';
import { type Collection, MongoClient } from 'mongodb';
import { Types } from 'mongoose';
import { AppException } from '../common/errors/app-exception';
import { type MessageStore, MessageInsertBatcher, type NewMessage } from './message-insert-batcher';
import type { MessageRecord } from './message.schema';

/** The batcher against the embedded database through the real driver, with Parley's unique indexes. */
describe('MessageInsertBatcher', () => {
  let server: EmbeddedMongoHandle;
  let client: MongoClient;
  let messages: Collection<MessageRecord>;
  const inserts: number[] = [];
  const sender = new Types.ObjectId();

  function store(overrides: Partial<MessageStore> = {}): MessageStore {
    return {
      newestSeq: async (room) =>
        (await messages.find({ room }).sort({ seq: -1 }).limit(1).next())?.seq ?? 0,
      findByClientId: async (room, from, clientMessageId) =>
        (await messages.findOne({ room, sender: from, clientMessageId })) ?? undefined,
      insertOrdered: (records) => messages.insertMany(records, { ordered: true }),
      ...overrides,
    };
  }

  function message(room: string, clientMessageId: string): NewMessage {
    return {
      room,
      sender,
      senderUsername: 'ann',
      senderDisplayName: 'Ann',
      content: clientMessageId,
      clientMessageId,
    };
  }

  async function stored(room: string): Promise<[number, string][]> {
    const records = await messages.find({ room }).sort({ seq: 1 }).toArray();
    return records.map((record) => [record.seq, record.content]);
  }

  beforeAll(async () => {
    server = await EmbeddedMongo.start({ port: 0 });
    client = new MongoClient(server.uri, { monitorCommands: true });
    client.on('commandStarted', (event) => {
      if (event.commandName === 'insert')
        inserts.push((event.command.documents as unknown[]).length);
    });
    await client.connect();
    messages = client.db('batcher').collection<MessageRecord>('messages');
    await messages.createIndex({ room: 1, seq: 1 }, { unique: true });
    await messages.createIndex({ room: 1, sender: 1, clientMessageId: 1 }, { unique: true });
  });

  afterAll(async () => {
    await client.close();
    await server.stop();
  });

  beforeEach(async () => {
    await messages.deleteMany({});
    inserts.length = 0;
  });

  it('stores what is sent in one turn, in any room, in one insert, seqs in arrival order', async () => {
    const batcher = new MessageInsertBatcher(store());
    const outcomes = await Promise.all([
      batcher.insert(message('a', 'a1')),
      batcher.insert(message('b', 'b1')),
      batcher.insert(message('a', 'a2')),
      batcher.insert(message('a', 'a3')),
    ]);

    expect(outcomes.map(({ kind, record }) => [kind, record.room, record.seq])).toEqual([
      ['stored', 'a', 1],
      ['stored', 'b', 1],
      ['stored', 'a', 2],
      ['stored', 'a', 3],
    ]);
    expect(inserts).toEqual([4]);
    expect(await stored('a')).toEqual([
      [1, 'a1'],
      [2, 'a2'],
      [3, 'a3'],
    ]);
  });

  it('batches what arrives while an insert is in flight, and leaves a lone message at once', async () => {
    const real = store();
    let started!: () => void;
    const inFlight = new Promise<void>((resolve) => (started = resolve));
    const batcher = new MessageInsertBatcher({
      ...real,
      insertOrdered: (records) => {
        started();
        return real.insertOrdered(records);
      },
    });
    const alone = batcher.insert(message('a', 'alone'));
    await inFlight;
    // Sent while "alone" is being written: they go together, after it.
    const queued = Promise.all([
      batcher.insert(message('a', 'x')),
      batcher.insert(message('b', 'y')),
    ]);
    await Promise.all([alone, queued]);

    expect(inserts).toEqual([1, 2]);
    expect(await stored('a')).toEqual([
      [1, 'alone'],
      [2, 'x'],
    ]);
    expect(await stored('b')).toEqual([[1, 'y']]);
  });

  it('takes the next free seq when another writer took one, keeping the room in order', async () => {
    const batcher = new MessageInsertBatcher(store());
    await batcher.insert(message('a', 'a1'));
    // Another instance stores seq 2 behind this batcher's cached seq.
    await messages.insertOne({
      _id: new Types.ObjectId(),
      ...message('a', 'elsewhere'),
      sender: new Types.ObjectId(),
      seq: 2,
      createdAt: new Date(),
    });

    const outcomes = await Promise.all([
      batcher.insert(message('b', 'b1')),
      batcher.insert(message('a', 'a2')),
      batcher.insert(message('a', 'a3')),
      batcher.insert(message('b', 'b2')),
    ]);

    expect(outcomes.map(({ record }) => [record.room, record.seq])).toEqual([
      ['b', 1],
      ['a', 3],
      ['a', 4],
      ['b', 2],
    ]);
    expect(await stored('a')).toEqual([
      [1, 'a1'],
      [2, 'elsewhere'],
      [3, 'a2'],
      [4, 'a3'],
    ]);
    expect(await stored('b')).toEqual([
      [1, 'b1'],
      [2, 'b2'],
    ]);
  });

  it('answers a resend with the stored original and stores the rest of its batch', async () => {
    const batcher = new MessageInsertBatcher(store());
    const original = await batcher.insert(message('a', 'once'));

    const [again, next] = await Promise.all([
      batcher.insert(message('a', 'once')),
      batcher.insert(message('a', 'next')),
    ]);

    expect(again.kind).toBe('resend');
    expect(again.record._id.equals(original.record._id)).toBe(true);
    expect(next).toMatchObject({ kind: 'stored', record: { seq: 2, content: 'next' } });
    expect(await stored('a')).toEqual([
      [1, 'once'],
      [2, 'next'],
    ]);
  });

  it('gives up with unavailable when every seq it tries is taken', async () => {
    const batcher = new MessageInsertBatcher(
      store({
        // A room whose newest seq always reads as 0 while seq 1 is taken: every attempt conflicts.
        newestSeq: () => Promise.resolve(0),
      }),
    );
    await messages.insertOne({
      _id: new Types.ObjectId(),
      ...message('a', 'taken'),
      seq: 1,
      createdAt: new Date(),
    });

    const refusal = batcher.insert(message('a', 'never'));
    await expect(refusal).rejects.toBeInstanceOf(AppException);
    await expect(refusal).rejects.toMatchObject({ code: 'unavailable' });
    expect(await stored('a')).toEqual([[1, 'taken']]);
  });

  it('fails the whole batch when the insert itself fails, and reads the seqs again after', async () => {
    let failNext = true;
    const real = store();
    const batcher = new MessageInsertBatcher({
      ...real,
      insertOrdered: (records) => {
        if (!failNext) return real.insertOrdered(records);
        failNext = false;
        return Promise.reject(new Error('connection reset'));
      },
    });

    const failed = await Promise.allSettled([
      batcher.insert(message('a', 'lost-1')),
      batcher.insert(message('a', 'lost-2')),
    ]);
    expect(failed.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);

    expect(await batcher.insert(message('a', 'after'))).toMatchObject({
      kind: 'stored',
      record: { seq: 1 },
    });
  });
});
