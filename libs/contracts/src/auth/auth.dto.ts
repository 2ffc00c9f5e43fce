// class-transformer's @Type reads design-time metadata, on the server and in the browser alike.
import 'reflect-metadata';
import { Transform, Type } from 'class-transformer';
import { IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { Trim } from '../common/transforms';
import { DISPLAY_NAME_MAX_LENGTH, USERNAME_PATTERN, UserDto } from '../users/user.dto';

export class GuestSignInDto {
  /** 3–32 characters of a–z, 0–9, `_`, `.`, `-`; case-insensitive (stored lowercase). */
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toLowerCase() : value,
  )
  @IsString()
  @Matches(USERNAME_PATTERN, {
    message: 'username must be 3–32 characters of a–z, 0–9, "_", "." or "-"',
  })
  username!: string;

  /** Shown next to messages; defaults to the username as typed. */
  @IsOptional()
  @Trim()
  @IsString()
  @Length(1, DISPLAY_NAME_MAX_LENGTH)
  displayName?: string;
}

export class AuthSessionDto {
  /** Bearer token for REST (`Authorization: Bearer …`) and the socket handshake (`auth.token`). */
  @IsString()
  accessToken!: string;

  @ValidateNested()
  @Type(() => UserDto)
  user!: UserDto;
}
