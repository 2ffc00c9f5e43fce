import { RoomDto, validatePayload } from '@parley/contracts';
import { Types } from 'mongoose';
import { toRoomDto } from './room.mapper';

describe('toRoomDto', () => {
  it('maps a lean record to the contract', () => {
    const createdBy = new Types.ObjectId();
    const at = new Date('2026-01-01T12:00:00Z');
    const dto = toRoomDto({
      _id: 'k3v9x0q2mz',
      name: 'Book club',
      createdBy,
      lastSeq: 3,
      lastActivityAt: at,
      createdAt: at,
      updatedAt: at,
    });
    expect(dto).toEqual({
      id: 'k3v9x0q2mz',
      name: 'Book club',
      createdBy: createdBy.toHexString(),
      lastSeq: 3,
      createdAt: '2026-01-01T12:00:00.000Z',
    });
    expect(validatePayload(RoomDto, dto).ok).toBe(true);
  });
});
