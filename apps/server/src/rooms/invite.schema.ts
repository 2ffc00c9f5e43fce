import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/** An invite to a private room. Revoking deletes it; an expired one is refused (and kept). */
@Schema({ collection: 'invites', versionKey: false, strict: 'throw', strictQuery: 'throw' })
export class Invite {
  /** The code itself, so a lookup is one primary-key read. */
  @Prop({ type: String, required: true })
  _id!: string;

  @Prop({ type: String, required: true })
  room!: string;

  @Prop({ type: Types.ObjectId, required: true })
  createdBy!: Types.ObjectId;

  @Prop({ type: Date, required: true })
  createdAt!: Date;

  @Prop({ type: Date, default: null })
  expiresAt!: Date | null;
}

export const InviteSchema = SchemaFactory.createForClass(Invite);
InviteSchema.index({ room: 1, createdAt: -1 });

export type InviteRecord = Invite;
