import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { trusted, type Model } from 'mongoose';
import { AppException } from '../common/errors/app-exception';
import { AppConfig } from '../config/app-config';
import { RefreshToken, type RefreshTokenRecord } from './refresh-token.schema';

export interface IssuedRefreshToken {
  /** The secret for the cookie; only its hash is stored. */
  token: string;
  expiresAt: Date;
}

export interface RotatedRefreshToken extends IssuedRefreshToken {
  userId: string;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function sessionExpired(): AppException {
  return new AppException('session_expired', 'The session has ended; sign in again');
}

/**
 * Opaque refresh tokens with rotation and reuse detection (OAuth 2.0 Security BCP §4.14): each use
 * swaps the token for a new one in the same family; presenting an already-rotated token means it
 * leaked (or was replayed), so the whole family — including the newest token — is revoked.
 */
@Injectable()
export class RefreshTokensService implements OnModuleInit {
  private readonly logger = new Logger(RefreshTokensService.name);

  constructor(
    @InjectModel(RefreshToken.name) private readonly tokens: Model<RefreshToken>,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.tokens.init();
  }

  /** Starts a new family (a new sign-in) unless `familyId` continues one. */
  async issue(userId: string, familyId: string = randomUUID()): Promise<IssuedRefreshToken> {
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    const expiresAt = new Date(now.getTime() + this.config.refreshTokenTtlSeconds * 1000);
    await this.tokens.create({
      tokenHash: hashToken(token),
      familyId,
      userId,
      createdAt: now,
      expiresAt,
      rotatedAt: null,
      revokedAt: null,
    });
    return { token, expiresAt };
  }

  /** Exchanges a live token for its successor; throws `session_expired` otherwise. */
  async rotate(token: string | undefined): Promise<RotatedRefreshToken> {
    if (!token) throw sessionExpired();
    const tokenHash = hashToken(token);
    const now = new Date();
    // Claiming the token and marking it rotated is one atomic write: of two concurrent uses of the
    // same token exactly one wins, and the other is treated as reuse.
    const claimed = await this.tokens
      .findOneAndUpdate(
        // Trusted: `now` is the server's clock; `tokenHash` is a hex digest computed here.
        { tokenHash, rotatedAt: null, revokedAt: null, expiresAt: trusted({ $gt: now }) },
        { $set: { rotatedAt: now } },
        { returnDocument: 'after' },
      )
      .lean<RefreshTokenRecord>()
      .exec();
    if (!claimed) {
      const known = await this.tokens.findOne({ tokenHash }).lean<RefreshTokenRecord>().exec();
      if (known?.rotatedAt && !known.revokedAt) {
        this.logger.warn(
          `Refresh token reuse for user ${known.userId}: revoking its session family`,
        );
        await this.revokeFamily(known.familyId);
      }
      throw sessionExpired();
    }
    const next = await this.issue(claimed.userId, claimed.familyId);
    return { ...next, userId: claimed.userId };
  }

  /** Logout: ends the session the token belongs to, whatever state the token is in. */
  async revoke(token: string | undefined): Promise<void> {
    if (!token) return;
    const known = await this.tokens
      .findOne({ tokenHash: hashToken(token) })
      .lean<RefreshTokenRecord>()
      .exec();
    if (known) await this.revokeFamily(known.familyId);
  }

  private async revokeFamily(familyId: string): Promise<void> {
    await this.tokens
      .updateMany({ familyId, revokedAt: null }, { $set: { revokedAt: new Date() } })
      .exec();
  }
}
