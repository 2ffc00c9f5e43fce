// class-transformer's @Type reads design-time metadata, on the server and in the browser alike.
import 'reflect-metadata';
import { Transform, Type } from 'class-transformer';
import { IsISO8601, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { Trim } from '../common/transforms';
import { DISPLAY_NAME_MAX_LENGTH, USERNAME_PATTERN, UserDto } from '../users/user.dto';

/** OWASP ASVS 2.1: at least 8 characters; an upper bound keeps hashing cost predictable. */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 256;

const PASSWORD_LENGTH_MESSAGE = `password must be ${PASSWORD_MIN_LENGTH}–${PASSWORD_MAX_LENGTH} characters`;

const NormalizeUsername = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toLowerCase() : value,
  );

const USERNAME_MESSAGE = 'username must be 3–32 characters of a–z, 0–9, "_", "." or "-"';

export class GuestSignInDto {
  /** 3–32 characters of a–z, 0–9, `_`, `.`, `-`; case-insensitive (stored lowercase). */
  @NormalizeUsername()
  @IsString()
  @Matches(USERNAME_PATTERN, { message: USERNAME_MESSAGE })
  username!: string;

  /** Shown next to messages; defaults to the username as typed. */
  @IsOptional()
  @Trim()
  @IsString()
  @Length(1, DISPLAY_NAME_MAX_LENGTH)
  displayName?: string;
}

export class RegisterDto {
  /** 3–32 characters of a–z, 0–9, `_`, `.`, `-`; case-insensitive (stored lowercase). */
  @NormalizeUsername()
  @IsString()
  @Matches(USERNAME_PATTERN, { message: USERNAME_MESSAGE })
  username!: string;

  /** 8–256 characters, not one of the most common passwords (refused with `weak_password`). */
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH, { message: PASSWORD_LENGTH_MESSAGE })
  password!: string;

  /** Shown next to messages; defaults to the username. */
  @IsOptional()
  @Trim()
  @IsString()
  @Length(1, DISPLAY_NAME_MAX_LENGTH)
  displayName?: string;
}

export class LoginDto {
  /** Case-insensitive. Not pattern-checked: an unknown handle gets the same answer as a wrong password. */
  @NormalizeUsername()
  @IsString()
  @Length(1, 64)
  username!: string;

  @IsString()
  @Length(1, PASSWORD_MAX_LENGTH)
  password!: string;
}

/** A guest sets a password for the name they hold, turning it into a registered account. */
export class ClaimAccountDto {
  /** 8–256 characters, not one of the most common passwords (refused with `weak_password`). */
  @IsString()
  @Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH, { message: PASSWORD_LENGTH_MESSAGE })
  password!: string;
}

export class AuthSessionDto {
  /**
   * Short-lived bearer token for REST (`Authorization: Bearer …`) and the socket handshake
   * (`auth.token`). Renew it with `POST /api/auth/refresh`, which reads the HttpOnly refresh cookie.
   */
  @IsString()
  accessToken!: string;

  /** When `accessToken` stops being accepted. */
  @IsISO8601()
  accessTokenExpiresAt!: string;

  @ValidateNested()
  @Type(() => UserDto)
  user!: UserDto;
}
