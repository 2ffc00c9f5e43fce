import { JwtService } from '@nestjs/jwt';
import type { AuthSessionDto, CreatableRoomKind, InviteDto, RoomViewDto } from '@parley/contracts';
import type { TestApp } from './test-app';

export type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

/** One REST call with an optional raw Authorization header value. */
export function call(
  t: TestApp,
  method: Method,
  path: string,
  authorization: string | undefined,
  body?: object,
) {
  const request = t.http[method](path);
  if (authorization !== undefined) request.set('Authorization', authorization);
  return body === undefined ? request : request.send(body);
}

export function bearer(session: AuthSessionDto): string {
  return `Bearer ${session.accessToken}`;
}

export async function createRoomOfKind(
  t: TestApp,
  owner: AuthSessionDto,
  kind: CreatableRoomKind,
  name = `${kind} room`,
): Promise<RoomViewDto> {
  const response = await call(t, 'post', '/api/rooms', bearer(owner), { name, kind }).expect(201);
  return response.body as RoomViewDto;
}

export async function createInvite(
  t: TestApp,
  session: AuthSessionDto,
  roomId: string,
  body: object = {},
): Promise<InviteDto> {
  const response = await call(t, 'post', `/api/rooms/${roomId}/invites`, bearer(session), body);
  if (response.status !== 201) throw new Error(`invite: ${response.status} ${response.text}`);
  return response.body as InviteDto;
}

export async function acceptInvite(
  t: TestApp,
  session: AuthSessionDto,
  code: string,
): Promise<RoomViewDto> {
  const response = await call(t, 'post', `/api/invites/${code}/accept`, bearer(session)).expect(
    200,
  );
  return response.body as RoomViewDto;
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/**
 * Tokens that must all be refused: expired (signed with the server's real secret), tampered
 * (a valid token with its payload swapped for someone else's), and `alg: none`.
 */
export async function badTokens(
  t: TestApp,
  victim: AuthSessionDto,
): Promise<{ expired: string; tampered: string; algNone: string }> {
  const claims = {
    sub: victim.user.id,
    username: victim.user.username,
    name: victim.user.displayName,
  };
  const expired = await new JwtService({ secret: t.config.jwtSecret }).signAsync(claims, {
    algorithm: 'HS256',
    issuer: 'parley',
    audience: 'parley',
    expiresIn: -10,
  });
  const [header, , signature] = victim.accessToken.split('.');
  const now = Math.floor(Date.now() / 1000);
  const payload = { ...claims, iss: 'parley', aud: 'parley', iat: now, exp: now + 3600 };
  const tampered = `${header ?? ''}.${base64url({ ...payload, name: 'Mallory' })}.${signature ?? ''}`;
  const algNone = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload)}.`;
  return { expired, tampered, algNone };
}
