import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { ATTACHMENT_KINDS, type AttachmentKind } from '@parley/contracts';
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

/** One emoji on a message and who put it there, oldest first. */
@Schema({ _id: false, versionKey: false, strict: 'throw' })
export class MessageReaction {
  @Prop({ type: String, required: true })
  emoji!: string;

  @Prop({ type: [Types.ObjectId], required: true })
  users!: Types.ObjectId[];
}

const MessageReactionSchema = SchemaFactory.createForClass(MessageReaction);

/** What a reply shows of the message it answers, copied when the reply is sent. */
@Schema({ _id: false, versionKey: false, strict: 'throw' })
export class MessageReplyTo {
  @Prop({ type: Types.ObjectId, required: true })
  id!: Types.ObjectId;

  @Prop({ type: Number, required: true })
  seq!: number;

  @Prop({ type: Types.ObjectId, required: true })
  sender!: Types.ObjectId;

  @Prop({ type: String, required: true })
  senderUsername!: string;

  @Prop({ type: String, required: true })
  senderDisplayName!: string;

  // Not `required`: Mongoose refuses '' as a required string, and a message that only carries
  // files (or a deleted original) has an empty excerpt.
  @Prop({ type: String, default: '' })
  excerpt!: string;

  /** Set when the original is deleted (its excerpt is then ''); absent: it still exists. */
  @Prop({ type: Boolean })
  deleted?: boolean;
}

const MessageReplyToSchema = SchemaFactory.createForClass(MessageReplyTo);

/** A file carried by the message (the GridFS file's metadata, copied when sent). */
@Schema({ _id: false, versionKey: false, strict: 'throw' })
export class MessageAttachment {
  @Prop({ type: Types.ObjectId, required: true })
  file!: Types.ObjectId;

  @Prop({ type: String, required: true })
  name!: string;

  @Prop({ type: Number, required: true })
  size!: number;

  @Prop({ type: String, required: true })
  contentType!: string;

  @Prop({ type: String, required: true, enum: ATTACHMENT_KINDS })
  kind!: AttachmentKind;

  @Prop({ type: Number })
  width?: number;

  @Prop({ type: Number })
  height?: number;
}

const MessageAttachmentSchema = SchemaFactory.createForClass(MessageAttachment);

/** A previous text of an edited message, kept server-side (never sent to clients). */
@Schema({ _id: false, versionKey: false, strict: 'throw' })
export class MessageEdit {
  @Prop({ type: String, required: true })
  content!: string;

  /** When this text was replaced. */
  @Prop({ type: Date, required: true })
  replacedAt!: Date;
}

const MessageEditSchema = SchemaFactory.createForClass(MessageEdit);

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

  /**
   * '' for a message that only carries files (and a tombstone). Present all the same: Mongoose's
   * plain `required` refuses '' for strings, so it applies only when the value is not a string.
   */
  @Prop({
    type: String,
    required: [
      function (this: { content?: unknown }): boolean {
        return typeof this.content !== 'string';
      },
      'content is required',
    ],
  })
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

  // Everything below is absent on a message that was never changed (and on messages stored
  // before it existed), so a plain send writes none of it; the mapper reads absence as the default.

  /** 1 when absent; +1 with every change. */
  @Prop({ type: Number, min: 1 })
  version?: number;

  /** The room's change sequence at the latest change; absent: never changed. */
  @Prop({ type: Number, min: 1 })
  changeSeq?: number;

  @Prop({ type: Date })
  editedAt?: Date;

  /** Previous texts, oldest first. */
  @Prop({ type: [MessageEditSchema], default: undefined })
  edits?: MessageEdit[];

  /** A tombstone: content is '' and mentions, reactions and attachments are gone. */
  @Prop({ type: Date })
  deletedAt?: Date;

  @Prop({ type: Types.ObjectId })
  deletedBy?: Types.ObjectId;

  @Prop({ type: [MessageReactionSchema], default: undefined })
  reactions?: MessageReaction[];

  @Prop({ type: MessageReplyToSchema })
  replyTo?: MessageReplyTo;

  @Prop({ type: Date })
  pinnedAt?: Date;

  /**
   * The room, set only while pinned: the sparse `{pinnedIn, pinnedAt}` index then holds pinned
   * messages alone, so listing a room's pins costs nothing on the send path.
   */
  @Prop({ type: String })
  pinnedIn?: string;

  @Prop({ type: Types.ObjectId })
  pinnedBy?: Types.ObjectId;

  @Prop({ type: [MessageAttachmentSchema], default: undefined })
  attachments?: MessageAttachment[];

  /**
   * When a change was written whose change-log entry is not claimed yet; cleared after the claim.
   * A process that dies in between leaves it set, and the sweep claims the entry (see
   * MessageChangesService).
   */
  @Prop({ type: Date })
  changePendingAt?: Date;

  /**
   * What search looks up (see search-tokens.ts): word prefixes and CJK characters and bigrams of
   * `content`, written with the message, recomputed on edit, removed on delete. Absent on a
   * message without text and on messages stored before search existed (until the backfill).
   */
  @Prop({ type: [String], default: undefined })
  searchTokens?: string[];
}

export const MessageSchema = SchemaFactory.createForClass(Message);
// The order everyone sees, and the history page index.
MessageSchema.index({ room: 1, seq: 1 }, { unique: true });
// A resend with the same clientMessageId is recognised instead of stored twice.
MessageSchema.index({ room: 1, sender: 1, clientMessageId: 1 }, { unique: true });
// Sparse: only messages with a change whose log entry is still unclaimed (normally none).
MessageSchema.index({ changePendingAt: 1 }, { sparse: true });
// Sparse: both fields exist only while pinned, so the index holds the pins alone.
MessageSchema.index({ pinnedIn: 1, pinnedAt: -1 }, { sparse: true });
// Sparse: replies only; a deleted original marks the replies that quote it.
MessageSchema.index({ 'replyTo.id': 1 }, { sparse: true });
// Search: one token, then one room (or each of the caller's rooms), newest first. Token first so
// a query across rooms is one index range per room merged by _id; the same index serves one room.
MessageSchema.index({ searchTokens: 1, room: 1, _id: -1 });

export type MessageRecord = Message & { _id: Types.ObjectId };
