import { UserDto, validatePayload } from '@parley/contracts';
import { Types } from 'mongoose';
import { toUserDto } from './user.mapper';

describe('toUserDto', () => {
  const at = new Date('2026-01-01T12:00:00Z');

  it('maps a lean guest record to the contract, leaving out internal fields', () => {
    const id = new Types.ObjectId();
    const dto = toUserDto({
      _id: id,
      username: 'ann',
      displayName: 'Ann',
      createdAt: at,
      updatedAt: at,
    });
    expect(dto).toEqual({
      id: id.toHexString(),
      username: 'ann',
      displayName: 'Ann',
      registered: false,
      createdAt: '2026-01-01T12:00:00.000Z',
    });
    expect(validatePayload(UserDto, dto).ok).toBe(true);
  });

  it('marks an account with a password as registered and never exposes the hash', () => {
    const dto = toUserDto({
      _id: new Types.ObjectId(),
      username: 'ben',
      displayName: 'Ben',
      passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
      createdAt: at,
      updatedAt: at,
    });
    expect(dto.registered).toBe(true);
    expect(JSON.stringify(dto)).not.toContain('argon2');
  });
});
