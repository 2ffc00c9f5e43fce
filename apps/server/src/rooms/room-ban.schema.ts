import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/** A banned user cannot join, be invited back or read the room until unbanned. */
@Schema({ collection: 'room_bans', versionKey: false, strict: 'throw', strictQuery: 'throw' })
export class RoomBan {
  @Prop({ type: String, required: true })
  room!: string;

  @Prop({ type: Types.ObjectId, required: true })
  user!: Types.ObjectId;

  @Prop({ type: String, required: true })
  username!: string;

  @Prop({ type: String, required: true })
  displayName!: string;

  @Prop({ type: Types.ObjectId, required: true })
  bannedBy!: Types.ObjectId;

  @Prop({ type: Date, required: true })
  createdAt!: Date;
}

export const RoomBanSchema = SchemaFactory.createForClass(RoomBan);
RoomBanSchema.index({ room: 1, user: 1 }, { unique: true });
// "Rooms I am banned from", to keep them out of my room list.
RoomBanSchema.index({ user: 1 });

export type RoomBanRecord = RoomBan & { _id: Types.ObjectId };
