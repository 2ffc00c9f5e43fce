import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Types } from 'mongoose';

/**
 * One refresh token. Only its SHA-256 is stored: the token is 256 random bits, so a fast hash is
 * enough (no salt or stretching needed) and a leaked collection cannot be replayed. Tokens issued
 * by rotating one another share a `familyId`; reuse of a rotated token revokes the family.
 */
@Schema({
  collection: 'refresh_tokens',
  versionKey: false,
  strict: 'throw',
  strictQuery: 'throw',
})
export class RefreshToken {
  @Prop({ type: String, required: true, unique: true })
  tokenHash!: string;

  @Prop({ type: String, required: true, index: true })
  familyId!: string;

  @Prop({ type: String, required: true })
  userId!: string;

  @Prop({ type: Date, required: true })
  createdAt!: Date;

  @Prop({ type: Date, required: true })
  expiresAt!: Date;

  /** Set when this token was exchanged for its successor. */
  @Prop({ type: Date, default: null })
  rotatedAt!: Date | null;

  /** Set on logout or when reuse was detected, for every token of the family. */
  @Prop({ type: Date, default: null })
  revokedAt!: Date | null;
}

export const RefreshTokenSchema = SchemaFactory.createForClass(RefreshToken);
// The database deletes a token once it has expired: it can no longer be used, nor reused.
RefreshTokenSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type RefreshTokenRecord = RefreshToken & { _id: Types.ObjectId };
