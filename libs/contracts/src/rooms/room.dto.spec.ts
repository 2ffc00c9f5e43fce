import { validatePayload } from '../common/validate';
import {
  CreateInviteDto,
  CreateRoomDto,
  OpenDirectRoomDto,
  RoomMemberParamDto,
  UpdateMemberDto,
  UpdateRoomDto,
} from './room.dto';

describe('room contracts', () => {
  it('creates public (default) or private rooms, never direct ones', () => {
    expect(validatePayload(CreateRoomDto, { name: 'Lobby' }).ok).toBe(true);
    expect(validatePayload(CreateRoomDto, { name: 'Lobby', kind: 'private' }).ok).toBe(true);
    expect(validatePayload(CreateRoomDto, { name: 'Lobby', kind: 'direct' }).ok).toBe(false);
    expect(validatePayload(CreateRoomDto, { name: 'Lobby', kind: { $ne: 'x' } }).ok).toBe(false);
  });

  it('renames and sets or clears a topic', () => {
    expect(validatePayload(UpdateRoomDto, { topic: '' }).ok).toBe(true);
    expect(validatePayload(UpdateRoomDto, { name: '  ' }).ok).toBe(false);
    expect(validatePayload(UpdateRoomDto, { topic: 'x'.repeat(301) }).ok).toBe(false);
  });

  it('accepts known roles, user ids and bounded invite lifetimes only', () => {
    expect(validatePayload(UpdateMemberDto, { role: 'moderator' }).ok).toBe(true);
    expect(validatePayload(UpdateMemberDto, { role: 'admin' }).ok).toBe(false);
    expect(
      validatePayload(RoomMemberParamDto, { id: 'abcdefghij', userId: '665f1c2b1e8a474d7e9a650c' })
        .ok,
    ).toBe(true);
    expect(validatePayload(RoomMemberParamDto, { id: 'abcdefghij', userId: 'nope' }).ok).toBe(
      false,
    );
    expect(validatePayload(CreateInviteDto, {}).ok).toBe(true);
    expect(validatePayload(CreateInviteDto, { expiresInSeconds: 30 }).ok).toBe(false);
    expect(validatePayload(CreateInviteDto, { expiresInSeconds: 31 * 86400 }).ok).toBe(false);
  });

  it('lowercases the username of a direct conversation', () => {
    expect(validatePayload(OpenDirectRoomDto, { username: ' Bob ' })).toEqual({
      ok: true,
      value: expect.objectContaining({ username: 'bob' }) as unknown,
    });
    expect(validatePayload(OpenDirectRoomDto, { username: { $ne: null } }).ok).toBe(false);
  });
});
