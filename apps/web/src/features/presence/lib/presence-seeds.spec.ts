import type { RoomMemberDto, RoomViewDto } from '@parley/contracts';
import { presenceSeeds } from './presence-seeds';

const ANN = '665f1c2b1e8a474d7e9a650a';
const BEN = '665f1c2b1e8a474d7e9a650b';

const member = (id: string, username: string): RoomMemberDto => ({
  user: { id, username, displayName: username },
  role: 'member',
  joinedAt: '2026-01-01T00:00:00.000Z',
  presence: { status: 'online', lastSeenAt: null },
  readSeq: null,
});

const view = (kind: RoomViewDto['kind']): RoomViewDto => ({
  id: 'abcdefghij',
  name: 'Ben',
  kind,
  topic: null,
  createdBy: ANN,
  lastSeq: 0,
  lastMessage: null,
  editWindowSeconds: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  role: 'member',
  readSeq: 0,
  notify: 'all',
  peer:
    kind === 'direct'
      ? {
          user: { id: BEN, username: 'ben', displayName: 'Ben' },
          presence: { status: 'offline', lastSeenAt: '2026-03-01T10:00:00.000Z' },
        }
      : null,
});

describe('presenceSeeds', () => {
  it('reads every member of a members list', () => {
    expect(presenceSeeds([member(ANN, 'ann'), member(BEN, 'ben')])).toEqual([
      { userId: ANN, status: 'online', lastSeenAt: null },
      { userId: BEN, status: 'online', lastSeenAt: null },
    ]);
  });

  it('reads the peer of a direct room, alone or in a list, and nothing from other rooms', () => {
    const peer = { userId: BEN, status: 'offline', lastSeenAt: '2026-03-01T10:00:00.000Z' };
    expect(presenceSeeds(view('direct'))).toEqual([peer]);
    expect(presenceSeeds([view('public'), view('direct')])).toEqual([peer]);
    expect(presenceSeeds(view('public'))).toEqual([]);
  });

  it('ignores anything else, including malformed presence', () => {
    expect(presenceSeeds(undefined)).toEqual([]);
    expect(presenceSeeds({ pages: [] })).toEqual([]);
    expect(presenceSeeds([{ user: { id: ANN }, presence: { status: 'busy' } }])).toEqual([]);
    expect(presenceSeeds([{ user: { id: ANN }, presence: { status: 'online' } }])).toEqual([]);
  });
});
