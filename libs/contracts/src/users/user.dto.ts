import { IsBoolean, IsISO8601, IsOptional, IsString, Length, Matches } from 'class-validator';
import { Trim } from '../common/transforms';

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

/** The signed-in user, with their own settings. */
export class MeDto extends UserDto {
  /**
   * Whether others see how far this user has read ("seen by" in direct and small rooms).
   * Default true.
   */
  @IsBoolean()
  shareReadState!: boolean;
}

/** `PATCH /api/users/me`: only what is present changes. */
export class UpdateMeDto {
  @IsOptional()
  @IsBoolean()
  shareReadState?: boolean;
}

export const USER_SEARCH_MAX = 20;

/** `GET /api/users?query=an`: users whose username or display name starts with `query`. */
export class SearchUsersQueryDto {
  @Trim()
  @IsString()
  @Length(1, 32)
  query!: string;
}
