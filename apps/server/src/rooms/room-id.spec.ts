import { ROOM_ID_PATTERN } from '@parley/contracts';
import { generateRoomId } from './room-id';

describe('generateRoomId', () => {
  it('produces valid, distinct ids using the whole alphabet', () => {
    const ids = Array.from({ length: 2000 }, generateRoomId);
    for (const id of ids) expect(id).toMatch(ROOM_ID_PATTERN);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids.join('')).size).toBe(36);
  });
});
