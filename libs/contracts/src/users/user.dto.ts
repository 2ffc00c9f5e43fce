import { IsBoolean, IsISO8601, IsString, Length, Matches } from 'class-validator';

export const USERNAME_PATTERN = /^[a-z0-9_.-]{3,32}$/;
export const DISPLAY_NAME_MAX_LENGTH = 64;

export class UserDto {
  /** Opaque user id. */
  @IsString()
  id!: string;

  /** Unique, lowercase handle. */
  @Matches(USERNAME_PATTERN)
  username!: string;

  @IsString()
  @Length(1, DISPLAY_NAME_MAX_LENGTH)
  displayName!: string;

  /** False for a guest: the name is held only by its sessions until claimed with a password. */
  @IsBoolean()
  registered!: boolean;

  @IsISO8601()
  createdAt!: string;
}
