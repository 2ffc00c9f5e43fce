// class-transformer's @Type reads design-time metadata, on the server and in the browser alike.
import 'reflect-metadata';
import { IsIn, IsISO8601, Matches, ValidateIf } from 'class-validator';

/** User ids are MongoDB ObjectIds: 24 hex characters. */
const USER_ID = /^[0-9a-f]{24}$/;

/**
 * `online`: at least one connection whose user is active. `away`: connected, but every
 * connection reported inactivity. `offline`: no connection (after a short grace period, so a
 * reload does not flicker).
 */
export const PRESENCE_STATUSES = ['online', 'away', 'offline'] as const;
export type PresenceStatus = (typeof PRESENCE_STATUSES)[number];
/** What a connection may report about itself; `offline` is the server's to decide. */
export const REPORTED_PRESENCE_STATUSES = ['online', 'away'] as const;
export type ReportedPresenceStatus = (typeof REPORTED_PRESENCE_STATUSES)[number];

/** A client reports `away` after this long without input (and `online` on the next input). */
export const AWAY_AFTER_IDLE_MS = 5 * 60_000;

export class PresenceDto {
  @IsIn(PRESENCE_STATUSES)
  status!: PresenceStatus;

  /** When the user was last connected; `null` while connected, or if never seen. */
  @ValidateIf((_presence: unknown, value: unknown) => value !== null)
  @IsISO8601()
  lastSeenAt!: string | null;
}

/** Server → everyone who shares a room with the user: their presence changed. */
export class UserPresenceDto extends PresenceDto {
  @Matches(USER_ID)
  userId!: string;
}

/** Client → server: this connection's user is active (`online`) or idle (`away`). */
export class SetPresenceDto {
  @IsIn(REPORTED_PRESENCE_STATUSES)
  status!: ReportedPresenceStatus;
}
