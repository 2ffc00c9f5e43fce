import { RoomDto, validatePayload } from '@parley/contracts';
import { Types } from 'mongoose';
import { toRoomDto, toRoomViewDto } from './room.mapper';

describe('toRoomDto', () => {
  const createdBy = new Types.ObjectId();
  const at = new Date('2026-01-01T12:00:00Z');
  const record = {
    _id: 'k3v9x0q2mz',
    name: 'Book club',
    createdBy,
    ownerCount: 1,
    lastSeq: 3,
    lastActivityAt: at,
    createdAt: at,
    updatedAt: at,
  };

  it('maps a lean record to the contract; a room stored before kinds existed is public', () => {
    const dto = toRoomDto(record);
    expect(dto).toEqual({
      id: 'k3v9x0q2mz',
      name: 'Book club',
      kind: 'public',
      topic: null,
      createdBy: createdBy.toHexString(),
      lastSeq: 3,
      createdAt: '2026-01-01T12:00:00.000Z',
    });
    expect(validatePayload(RoomDto, dto).ok).toBe(true);
  });

  it('keeps the kind and topic, and adds the viewer’s role', () => {
    expect(toRoomViewDto({ ...record, kind: 'private', topic: 'Books' }, 'owner')).toMatchObject({
      kind: 'private',
      topic: 'Books',
      role: 'owner',
    });
  });
});
