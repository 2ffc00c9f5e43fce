import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/**
 * One entry of a room's change log: "message `message` changed at `changeSeq`". Entries are
 * claimed like message seqs (newest + 1 under a unique index, ADR 0009), so they have no holes
 * and entry n becomes visible only after n-1 — which lets one number per room be `sync`'s cursor.
 */
@Schema({ collection: 'message_changes', versionKey: false, strict: 'throw', strictQuery: 'throw' })
export class MessageChange {
  @Prop({ type: String, required: true })
  room!: string;

  @Prop({ type: Number, required: true, min: 1 })
  changeSeq!: number;

  @Prop({ type: Types.ObjectId, required: true })
  message!: Types.ObjectId;

  @Prop({ type: Date, required: true })
  at!: Date;
}

export const MessageChangeSchema = SchemaFactory.createForClass(MessageChange);
// Claims (the unique index decides between writers) and `sync` reads after a cursor.
MessageChangeSchema.index({ room: 1, changeSeq: 1 }, { unique: true });

export type MessageChangeRecord = MessageChange & { _id: Types.ObjectId };
