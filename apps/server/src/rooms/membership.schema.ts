import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { NOTIFY_LEVELS, ROOM_ROLES, type NotifyLevel, type RoomRole } from '@parley/contracts';
import { Types } from 'mongoose';

/** One row per (room, user): who belongs to a room and with which role. */
@Schema({ collection: 'memberships', versionKey: false, strict: 'throw', strictQuery: 'throw' })
export class Membership {
  @Prop({ type: String, required: true })
  room!: string;

  @Prop({ type: Types.ObjectId, required: true })
  user!: Types.ObjectId;

  /** Usernames and display names never change, so they are copied in: member lists need no join. */
  @Prop({ type: String, required: true })
  username!: string;

  @Prop({ type: String, required: true })
  displayName!: string;

  @Prop({ type: String, required: true, enum: ROOM_ROLES })
  role!: RoomRole;

  @Prop({ type: Date, required: true })
  joinedAt!: Date;

  /**
   * The read cursor: the highest `seq` this member has read. Only ever raised (`$max`); absent on
   * memberships stored before read state existed, which reads as 0.
   */
  @Prop({ type: Number, min: 0 })
  readSeq?: number;

  /** Absent until the member picks a level: the room kind's default (see `notifyLevelOf`). */
  @Prop({ type: String, enum: NOTIFY_LEVELS })
  notify?: NotifyLevel;
}

export const MembershipSchema = SchemaFactory.createForClass(Membership);
MembershipSchema.index({ room: 1, user: 1 }, { unique: true });
// "My rooms".
MembershipSchema.index({ user: 1, room: 1 });
// Resolving `@username` mentions among a room's members.
MembershipSchema.index({ room: 1, username: 1 });

export type MembershipRecord = Membership & { _id: Types.ObjectId };
