import mongoose, { Schema, type Connection, type Types } from 'mongoose';
import { startServer, type RunningServer } from '../src';

interface User {
  email: string;
  name: string;
}
interface Room {
  name: string;
  owner: Types.ObjectId;
}
interface Message {
  roomId: Types.ObjectId;
  seq: number;
  author: Types.ObjectId;
  text: string;
}

describe('mongoose scenario', () => {
  let server: RunningServer;
  let conn: Connection;

  beforeAll(async () => {
    server = await startServer({ port: 0 });
    conn = await mongoose.createConnection(`${server.uri}parley`).asPromise();
  });
  afterAll(async () => {
    await conn.close();
    await server.stop();
  });

  const userSchema = new Schema<User>(
    { email: { type: String, required: true, unique: true }, name: String },
    { timestamps: true },
  );
  const roomSchema = new Schema<Room>(
    { name: { type: String, unique: true }, owner: { type: Schema.Types.ObjectId, ref: 'User' } },
    { timestamps: true },
  );
  const messageSchema = new Schema<Message>(
    {
      roomId: { type: Schema.Types.ObjectId, ref: 'Room', required: true },
      seq: { type: Number, required: true },
      author: { type: Schema.Types.ObjectId, ref: 'User' },
      text: String,
    },
    { timestamps: true },
  );
  messageSchema.index({ roomId: 1, seq: -1 }, { unique: true });

  it('creates indexes, surfaces duplicate keys, populates and paginates', async () => {
    const UserModel = conn.model<User>('User', userSchema);
    const RoomModel = conn.model<Room>('Room', roomSchema);
    const MessageModel = conn.model<Message>('Message', messageSchema);
    await UserModel.init();
    await RoomModel.init();
    await MessageModel.init();

    const alice = await UserModel.create({ email: 'alice@example.com', name: 'Alice' });
    expect(alice.get('createdAt')).toBeInstanceOf(Date);
    const dup = await UserModel.create({ email: 'alice@example.com', name: 'Other' }).catch(
      (e: unknown) => e,
    );
    expect((dup as { code?: number }).code).toBe(11000);

    const room = await RoomModel.create({ name: 'general', owner: alice._id });
    const msgs = Array.from({ length: 120 }, (_, i) => ({
      roomId: room._id,
      seq: i + 1,
      author: alice._id,
      text: `m${i + 1}`,
    }));
    await MessageModel.insertMany(msgs);

    const page = await MessageModel.find({ roomId: room._id, seq: { $lt: 101 } })
      .sort({ seq: -1 })
      .limit(50)
      .populate<{ author: User }>('author')
      .lean();
    expect(page).toHaveLength(50);
    expect(page[0].seq).toBe(100);
    expect(page[49].seq).toBe(51);
    expect(page[0].author.email).toBe('alice@example.com');

    const updated = await UserModel.findOneAndUpdate(
      { email: 'alice@example.com' },
      { $set: { name: 'Alice B' } },
      { returnDocument: 'after' },
    ).lean();
    expect(updated?.name).toBe('Alice B');

    const seen: number[] = [];
    for await (const m of MessageModel.find({ roomId: room._id })
      .sort({ seq: 1 })
      .batchSize(7)
      .cursor())
      seen.push(m.seq);
    expect(seen).toHaveLength(120);
    expect(seen[119]).toBe(120);

    const stats = await MessageModel.aggregate<{
      _id: Types.ObjectId;
      count: number;
      roomName: string;
    }>([
      { $match: { roomId: room._id } },
      { $group: { _id: '$roomId', count: { $sum: 1 } } },
      { $sort: { count: -1 } },
      { $lookup: { from: 'rooms', localField: '_id', foreignField: '_id', as: 'room' } },
      { $project: { count: 1, roomName: { $arrayElemAt: ['$room.name', 0] } } },
    ]);
    expect(stats).toEqual([{ _id: room._id, count: 120, roomName: 'general' }]);

    const dupMsg = await MessageModel.create({ roomId: room._id, seq: 5, text: 'again' }).catch(
      (e: unknown) => e,
    );
    expect((dupMsg as { code?: number; keyValue?: unknown }).code).toBe(11000);
    expect((dupMsg as { keyValue?: Record<string, unknown> }).keyValue?.seq).toBe(5);

    await MessageModel.deleteMany({ seq: { $gt: 100 } });
    expect(await MessageModel.countDocuments({ roomId: room._id })).toBe(100);
    const exists = await UserModel.exists({ email: 'alice@example.com' });
    expect(exists?._id.toString()).toBe(alice._id.toString());
  });
});
