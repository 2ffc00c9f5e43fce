import type { Model } from 'mongoose';
import type { Message, MessageRecord } from './message.schema';

/** The room's newest stored seq (0 when empty): one backward step on the `{room, seq}` index. */
export async function newestSeq(messages: Model<Message>, room: string): Promise<number> {
  const newest = await messages
    .findOne({ room }, { seq: 1, _id: 0 })
    .sort({ seq: -1 })
    .lean<Pick<MessageRecord, 'seq'>>()
    .exec();
  return newest?.seq ?? 0;
}
