import type { MessageDto, RoomSyncDto, SyncDto, SyncResultDto } from '@parley/contracts';
import { RoomSync } from './room-sync';

const ROOM = 'aaaaaaaaaa';

function message(seq: number, version = 1, content = `message ${seq}`): MessageDto {
  return {
    id: `${ROOM}-${seq}`,
    room: ROOM,
    seq,
    sender: { id: 'u1', username: 'ann', displayName: 'Ann' },
    content,
    clientMessageId: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    mentions: [],
    mentionsRoom: false,
    createdAt: new Date(0).toISOString(),
    version,
    changeSeq: version - 1,
    editedAt: null,
    deletedAt: null,
    reactions: [],
    replyTo: null,
    pinnedAt: null,
    attachments: [],
  };
}

/**
 * A server whose room holds `count` messages and a change log: entry n changed `log[n-1]` (a seq)
 * to its version at that time. Answers `sync` like the real one (current state, by entry).
 */
function fakeServer(count: number, log: number[]) {
  const requests: SyncDto[] = [];
  const current = (seq: number) => {
    const versions = log.filter((changed) => changed === seq).length;
    return message(seq, versions + 1, versions > 0 ? `edited ${versions}` : undefined);
  };
  const request = jest.fn((payload: SyncDto): Promise<SyncResultDto> => {
    requests.push(payload);
    const limit = payload.limit ?? 100;
    const rooms = Object.entries(payload.rooms).map(([room, after]): RoomSyncDto => {
      const seqs = Array.from({ length: Math.max(0, count - after) }, (_v, i) => after + i + 1);
      const cursor = payload.changes?.[room];
      const entries = cursor === undefined ? [] : log.slice(cursor, cursor + limit);
      const changed = [...new Set(entries)].map(current);
      return {
        room,
        messages: seqs.slice(0, limit).map(current),
        lastSeq: count,
        hasMore: seqs.length > limit,
        changed,
        changeSeq: cursor === undefined ? 0 : cursor + entries.length,
        hasMoreChanges: cursor !== undefined && cursor + entries.length < log.length,
      };
    });
    return Promise.resolve({ rooms, refused: [] });
  });
  return { request, requests, current };
}

function setup(count: number, log: number[], pageSize?: number) {
  const server = fakeServer(count, log);
  const delivered: MessageDto[] = [];
  const changed: MessageDto[] = [];
  const sync = new RoomSync({
    request: server.request,
    deliver: (_room, messages) => delivered.push(...messages),
    changed: (_room, messages) => changed.push(...messages),
    pageSize,
  });
  return { sync, server, delivered, changed };
}

describe('RoomSync: change cursors', () => {
  it('sends the change cursor seeded from a page, pages while hasMoreChanges, and advances it', async () => {
    // Entries 1–2 are in the page the client holds; 3–7 come after.
    const { sync, server, changed } = setup(4, [1, 2, 1, 3, 1, 4, 2], 2);
    sync.follow(ROOM, 4, 2);

    await sync.catchUp();

    expect(server.requests.map((request) => request.changes)).toEqual([
      { [ROOM]: 2 },
      { [ROOM]: 4 },
      { [ROOM]: 6 },
    ]);
    expect(sync.changeSeq(ROOM)).toBe(7);
    // Each message's newest state arrives; older copies seen later are dropped.
    const newest = new Map<string, MessageDto>();
    for (const message of changed) newest.set(message.id, message);
    expect([...newest.values()].map((m) => [m.seq, m.version])).toEqual([
      [1, 4],
      [3, 2],
      [4, 2],
      [2, 3],
    ]);
    const versions = changed.filter((m) => m.seq === 1).map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });

  it('does not ask for changes in rooms followed without a change cursor', async () => {
    const { sync, server, changed } = setup(3, [1, 2]);
    sync.follow(ROOM, 0);
    await sync.catchUp();
    expect(server.requests[0]).not.toHaveProperty('changes');
    expect(changed).toEqual([]);
    expect(sync.changeSeq(ROOM)).toBeUndefined();
    // Following again with a cursor turns changes on; it only moves forward.
    sync.follow(ROOM, 3, 1);
    sync.follow(ROOM, 3, 0);
    expect(sync.changeSeq(ROOM)).toBe(1);
  });

  it('keeps the higher version between live changes, synced changes and delivered messages', async () => {
    const { sync, changed, delivered } = setup(2, [1, 1]);
    sync.follow(ROOM, 0, 0);
    sync.receive(message(1, 1));
    expect(delivered.map((m) => m.seq)).toEqual([1]);

    sync.receiveChange(message(1, 3, 'edited 2'));
    sync.receiveChange(message(1, 2, 'edited 1'));
    sync.receiveChange(message(1, 3, 'edited 2'));
    expect(changed.map((m) => m.version)).toEqual([3]);

    // The sync answer carries version 3 again: nothing new to hand over.
    await sync.catchUp();
    expect(changed.map((m) => m.version)).toEqual([3]);
    expect(sync.changeSeq(ROOM)).toBe(2);
    // Changes of rooms not followed are ignored.
    sync.receiveChange({ ...message(9, 5), room: 'bbbbbbbbbb' });
    expect(changed).toHaveLength(1);
  });

  it('stops paging when the change cursor does not move (no endless loop on a stuck answer)', async () => {
    const stuck: SyncResultDto = {
      rooms: [
        {
          room: ROOM,
          messages: [],
          lastSeq: 0,
          hasMore: false,
          changed: [],
          changeSeq: 5,
          hasMoreChanges: true,
        },
      ],
      refused: [],
    };
    const request = jest.fn(() => Promise.resolve(stuck));
    const sync = new RoomSync({ request, deliver: () => undefined });
    sync.follow(ROOM, 0, 5);
    await sync.catchUp();
    expect(request).toHaveBeenCalledTimes(1);
  });
});
