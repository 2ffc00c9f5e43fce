import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Types } from 'mongoose';

@Schema({ collection: 'users', timestamps: true, versionKey: false })
export class User {
  /** Stored lowercase so the unique index makes handles unique case-insensitively. */
  @Prop({ type: String, required: true, unique: true, lowercase: true, trim: true })
  username!: string;

  @Prop({ type: String, required: true })
  displayName!: string;

  createdAt!: Date;
  updatedAt!: Date;
}

export const UserSchema = SchemaFactory.createForClass(User);

/** What a `.lean()` read returns. */
export type UserRecord = User & { _id: Types.ObjectId };
