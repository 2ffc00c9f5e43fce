import { randomBytes } from 'node:crypto';
import type { AuthSessionDto, RoomDto } from '@parley/contracts';
import type { TestApp } from './test-app';

/** A fresh, valid username per call, so tests never share users. */
export function uniqueUsername(prefix = 'user'): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

export async function signIn(t: TestApp, displayName?: string): Promise<AuthSessionDto> {
  const response = await t.http
    .post('/api/auth/guest')
    .send(
      displayName ? { username: uniqueUsername(), displayName } : { username: uniqueUsername() },
    )
    .expect(201);
  return response.body as AuthSessionDto;
}

export async function createRoom(t: TestApp, token: string, name = 'Test room'): Promise<RoomDto> {
  const response = await t.http
    .post('/api/rooms')
    .auth(token, { type: 'bearer' })
    .send({ name })
    .expect(201);
  return response.body as RoomDto;
}
