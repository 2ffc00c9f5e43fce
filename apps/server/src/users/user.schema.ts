import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Types } from 'mongoose';

/**
 * `strict: 'throw'`: a write carrying a field this schema does not declare is a bug (or an attack
 * that got past validation) and fails loudly instead of being dropped silently.
 */
@Schema({
  collection: 'users',
  timestamps: true,
  versionKey: false,
  strict: 'throw',
  strictQuery: 'throw',
})
export class User {
  /** Stored lowercase so the unique index makes handles unique case-insensitively. */
  @Prop({ type: String, required: true, unique: true, lowercase: true, trim: true })
  username!: string;

  @Prop({ type: String, required: true })
  displayName!: string;

  /** Argon2id PHC string; absent for a guest. Never leaves the users service. */
  @Prop({ type: String, required: false })
  passwordHash?: string;

  /** Whether others see how far this user has read; absent (the default) means yes. */
  @Prop({ type: Boolean })
  shareReadState?: boolean;

  /** When the user's last connection closed (presence); absent if never connected. */
  @Prop({ type: Date, required: false })
  lastSeenAt?: Date;

  createdAt!: Date;
  updatedAt!: Date;
}

export const UserSchema = SchemaFactory.createForClass(User);

/** What a `.lean()` read returns. */
export type UserRecord = User & { _id: Types.ObjectId };
