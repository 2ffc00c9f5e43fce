import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/** A member mentioned by `@username`, resolved when the message was sent. */
@Schema({ _id: false, versionKey: false, strict: 'throw' })
export class MessageMention {
  @Prop({ type: Types.ObjectId, required: true })
  user!: Types.ObjectId;

  @Prop({ type: String, required: true })
  username!: string;
}

const MessageMentionSchema = SchemaFactory.createForClass(MessageMention);

// createdAt is set by the service so it equals the room's lastActivityAt for the same send.
@Schema({ collection: 'messages', versionKey: false, strict: 'throw', strictQuery: 'throw' })
export class Message {
  /** Room id (the room's short id). */
  @Prop({ type: String, required: true })
  room!: string;

  @Prop({ type: Number, required: true, min: 1 })
  seq!: number;

  @Prop({ type: Types.ObjectId, required: true })
  sender!: Types.ObjectId;

  /**
   * Usernames and display names never change, so the sender is copied in: history pages are one
   * indexed range read with no join.
   */
  @Prop({ type: String, required: true })
  senderUsername!: string;

  @Prop({ type: String, required: true })
  senderDisplayName!: string;

  @Prop({ type: String, required: true })
  content!: string;

  /**
   * Stored only when the text mentions members (`default: undefined` keeps Mongoose from writing
   * an empty array into every message); absent reads as none.
   */
  @Prop({ type: [MessageMentionSchema], default: undefined })
  mentions?: MessageMention[];

  /** `@room`; stored only when true. */
  @Prop({ type: Boolean })
  mentionsRoom?: boolean;

  @Prop({ type: String, required: true })
  clientMessageId!: string;

  @Prop({ type: Date, required: true })
  createdAt!: Date;
}

export const MessageSchema = SchemaFactory.createForClass(Message);
// The order everyone sees, and the history page index.
MessageSchema.index({ room: 1, seq: 1 }, { unique: true });
// A resend with the same clientMessageId is recognised instead of stored twice.
MessageSchema.index({ room: 1, sender: 1, clientMessageId: 1 }, { unique: true });

export type MessageRecord = Message & { _id: Types.ObjectId };
