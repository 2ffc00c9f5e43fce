import { UserDto, validatePayload } from '@parley/contracts';
import { Types } from 'mongoose';
import { toUserDto } from './user.mapper';

describe('toUserDto', () => {
  it('maps a lean record to the contract, leaving out internal fields', () => {
    const id = new Types.ObjectId();
    const at = new Date('2026-01-01T12:00:00Z');
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
      createdAt: '2026-01-01T12:00:00.000Z',
    });
    expect(validatePayload(UserDto, dto).ok).toBe(true);
  });
});
