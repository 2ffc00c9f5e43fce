import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { ROOM_KINDS, type RoomKind } from '@parley/contracts';
import { Types } from 'mongoose';

/** The newest message of a room, copied in by the room summary write: room lists need no join. */
@Schema({ _id: false, versionKey: false, strict: 'throw' })
export class RoomLastMessage {
  @Prop({ type: Number, required: true, min: 1 })
  seq!: number;

  @Prop({ type: Types.ObjectId, required: true })
  sender!: Types.ObjectId;

  @Prop({ type: String, required: true })
  senderUsername!: string;

  @Prop({ type: String, required: true })
  senderDisplayName!: string;

  /** The start of the text (see `MESSAGE_PREVIEW_MAX_LENGTH`). */
  @Prop({ type: String, required: true })
  excerpt!: string;

  @Prop({ type: Date, required: true })
  createdAt!: Date;
}

const RoomLastMessageSchema = SchemaFactory.createForClass(RoomLastMessage);

@Schema({
  collection: 'rooms',
  timestamps: true,
  versionKey: false,
  strict: 'throw',
  strictQuery: 'throw',
})
export class Room {
  /** The short shareable id itself: the primary key doubles as the uniqueness check. */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  name!: string;

  /**
   * Rooms stored before kinds existed have no `kind` and are public (see `kindOf`): no migration,
   * and the old behaviour (anyone could join) is exactly what `public` means.
   */
  @Prop({ type: String, enum: ROOM_KINDS })
  kind?: RoomKind;

  @Prop({ type: String })
  topic?: string;

  /** Seconds after sending that authors may edit; absent: no limit. */
  @Prop({ type: Number, min: 1 })
  editWindowSeconds?: number;

  /** Direct rooms only: the two user ids, sorted and joined by `:`. Unique, so a pair has one DM. */
  @Prop({ type: String })
  directKey?: string;

  @Prop({ type: Types.ObjectId, required: true })
  createdBy!: Types.ObjectId;

  /**
   * `seq` of the newest message, a summary written after the message (coalesced, see
   * `RoomSummaryWriter`): it may trail the messages index by up to a second in a busy room.
   */
  @Prop({ type: Number, required: true, default: 0, min: 0 })
  lastSeq!: number;

  /** The message `lastSeq` names, written with it; absent in an empty room (and in old rooms). */
  @Prop({ type: RoomLastMessageSchema })
  lastMessage?: RoomLastMessage;

  /**
   * How many memberships have role `owner`, never more than there are: it goes down (only while
   * above 1, in one conditional update) before an owner is demoted or leaves, and up after someone
   * became an owner. That conditional update is what keeps a room from losing its last owner when
   * two owners demote each other or leave at the same moment. Direct rooms have no owners.
   */
  @Prop({ type: Number, required: true, default: 0, min: 0 })
  ownerCount!: number;

  /** Creation, then the time of the newest message: the room list's sort key. */
  @Prop({ type: Date, required: true })
  lastActivityAt!: Date;

  createdAt!: Date;
  updatedAt!: Date;
}

export const RoomSchema = SchemaFactory.createForClass(Room);
RoomSchema.index({ lastActivityAt: -1 });
RoomSchema.index({ kind: 1, lastActivityAt: -1 });
RoomSchema.index({ directKey: 1 }, { unique: true, sparse: true });

export type RoomRecord = Room;

export function kindOf(record: Pick<RoomRecord, 'kind'>): RoomKind {
  return record.kind ?? 'public';
}
