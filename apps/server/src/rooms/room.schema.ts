import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

@Schema({ collection: 'rooms', timestamps: true, versionKey: false })
export class Room {
  /** The short shareable id itself: the primary key doubles as the uniqueness check. */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  name!: string;

  @Prop({ type: Types.ObjectId, required: true })
  createdBy!: Types.ObjectId;

  /** Last allocated message `seq`; incremented atomically before each insert. */
  @Prop({ type: Number, required: true, default: 0, min: 0 })
  lastSeq!: number;

  /** Creation, then the time of the newest message: the room list's sort key. */
  @Prop({ type: Date, required: true })
  lastActivityAt!: Date;

  createdAt!: Date;
  updatedAt!: Date;
}

export const RoomSchema = SchemaFactory.createForClass(Room);
RoomSchema.index({ lastActivityAt: -1 });

export type RoomRecord = Room;
