import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { ROOM_KINDS, type RoomKind } from '@parley/contracts';
import { Types } from 'mongoose';

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

  /** Direct rooms only: the two user ids, sorted and joined by `:`. Unique, so a pair has one DM. */
  @Prop({ type: String })
  directKey?: string;

  @Prop({ type: Types.ObjectId, required: true })
  createdBy!: Types.ObjectId;

  /** Last allocated message `seq`; incremented atomically before each insert. */
  @Prop({ type: Number, required: true, default: 0, min: 0 })
  lastSeq!: number;

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
