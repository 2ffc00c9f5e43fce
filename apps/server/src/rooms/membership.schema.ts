import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { ROOM_ROLES, type RoomRole } from '@parley/contracts';
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
}

export const MembershipSchema = SchemaFactory.createForClass(Membership);
MembershipSchema.index({ room: 1, user: 1 }, { unique: true });
// "My rooms".
MembershipSchema.index({ user: 1, room: 1 });

export type MembershipRecord = Membership & { _id: Types.ObjectId };
