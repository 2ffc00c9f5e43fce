import type { MessageDto, SyncDto, SyncResultDto } from '@parley/contracts';
import { RoomSync } from './room-sync';

const ROOM = 'aaaaaaaaaa';
const OTHER = 'bbbbbbbbbb';

function message(seq: number, room = ROOM): MessageDto {
  return {
    id: `${room}-${seq}`,
    room,
    seq,
    sender: { id: 'u1', username: 'ann', displayName: 'Ann' },
    content: `message ${seq}`,
    clientMessageId: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    mentions: [],
    mentionsRoom: false,
    createdAt: new Date(0).toISOString(),
    version: 1,
    changeSeq: 0,
    editedAt: null,
    deletedAt: null,
    reactions: [],
    replyTo: null,
    pinnedAt: null,
    attachments: [],
  };
}

/** A server holding `stored` messages per room, answering `sync` like the real one. */
function fakeServer(stored: Record<string, number>) {
  const requests: SyncDto[] = [];
  const request = jest.fn((payload: SyncDto): Promise<SyncResultDto> => {
    requests.push(payload);
    const limit = payload.limit ?? 100;
    return Promise.resolve({
      rooms: Object.entries(payload.rooms).map(([room, after]) => {
        const newest = stored[room] ?? 0;
        const seqs = Array.from({ length: Math.max(0, newest - after) }, (_v, i) => after + i + 1);
        return {
          room,
          messages: seqs.slice(0, limit).map((seq) => message(seq, room)),
          lastSeq: newest,
          hasMore: seqs.length > limit,
          changed: [],
          changeSeq: 0,
          hasMoreChanges: false,
        };
      }),
      refused: [],
    });
  });
  return { request, requests };
}

function setup(stored: Record<string, number>, pageSize?: number) {
  const server = fakeServer(stored);
  const delivered: Record<string, number[]> = {};
  const refused: string[] = [];
  const sync = new RoomSync({
    request: server.request,
    deliver: (room, messages) => {
      (delivered[room] ??= []).push(...messages.map((m) => m.seq));
    },
    refused: (room) => refused.push(room),
    pageSize,
  });
  return { sync, server, delivered, refused };
}

describe('RoomSync', () => {
  it('delivers live messages in order, once each', () => {
    const { sync, delivered } = setup({});
    sync.follow(ROOM, 0);
    sync.receive(message(1));
    sync.receive(message(2));
    sync.receive(message(2));
    sync.receive(message(1));
    expect(delivered[ROOM]).toEqual([1, 2]);
    expect(sync.lastSeq(ROOM)).toBe(2);
  });

  it('ignores rooms it does not follow', () => {
    const { sync, delivered, server } = setup({});
    sync.receive(message(5));
    expect(delivered).toEqual({});
    expect(server.request).not.toHaveBeenCalled();
  });

  it('fills a gap with sync before delivering what came after it', async () => {
    const { sync, delivered, server } = setup({ [ROOM]: 5 });
    sync.follow(ROOM, 2);
    sync.receive(message(5));
    expect(delivered[ROOM]).toBeUndefined();
    await sync.catchUp([]);
    expect(server.requests[0]).toEqual({ rooms: { [ROOM]: 2 }, limit: 100 });
    expect(delivered[ROOM]).toEqual([3, 4, 5]);
  });

  it('delivers held messages when a live message fills the gap first', () => {
    const { sync, delivered } = setup({});
    sync.follow(ROOM, 0);
    sync.receive(message(2));
    sync.receive(message(3));
    sync.receive(message(1));
    expect(delivered[ROOM]).toEqual([1, 2, 3]);
  });

  it('pages until caught up after a long absence, for every followed room', async () => {
    const { sync, delivered, server } = setup({ [ROOM]: 250, [OTHER]: 3 }, 100);
    sync.follow(ROOM, 0);
    sync.follow(OTHER, 1);
    await sync.catchUp();
    expect(delivered[ROOM]).toEqual(Array.from({ length: 250 }, (_v, i) => i + 1));
    expect(delivered[OTHER]).toEqual([2, 3]);
    expect(server.requests.map((r) => r.rooms)).toEqual([
      { [ROOM]: 0, [OTHER]: 1 },
      { [ROOM]: 100 },
      { [ROOM]: 200 },
    ]);
  });

  it('runs one round at a time; a catch-up asked for during a round gets one more after it', async () => {
    const { sync, server } = setup({ [ROOM]: 1 });
    let concurrent = 0;
    let most = 0;
    const answer = server.request.getMockImplementation();
    server.request.mockImplementation(async (payload: SyncDto) => {
      concurrent += 1;
      most = Math.max(most, concurrent);
      await Promise.resolve();
      concurrent -= 1;
      return answer!(payload);
    });
    sync.follow(ROOM, 0);
    await Promise.all([sync.catchUp(), sync.catchUp(), sync.catchUp()]);
    expect(most).toBe(1);
    expect(server.request).toHaveBeenCalledTimes(2);
  });

  it('keeps a room behind when sync goes unanswered, and catches it up on the next call', async () => {
    const { sync, delivered, server } = setup({ [ROOM]: 2 });
    sync.follow(ROOM, 0);
    server.request.mockRejectedValueOnce(new Error('timeout'));
    await expect(sync.catchUp()).rejects.toThrow('timeout');
    await sync.catchUp([]);
    expect(delivered[ROOM]).toEqual([1, 2]);
  });

  it('forgets rooms the server refuses', async () => {
    const refused: string[] = [];
    const request = jest.fn(() =>
      Promise.resolve<SyncResultDto>({ rooms: [], refused: [{ room: ROOM, code: 'banned' }] }),
    );
    const sync = new RoomSync({
      request,
      deliver: () => undefined,
      refused: (room) => refused.push(room),
    });
    sync.follow(ROOM, 0);
    await sync.catchUp();
    expect(sync.isFollowing(ROOM)).toBe(false);
    expect(refused).toEqual([ROOM]);
  });

  it('never moves a followed room backwards', () => {
    const { sync } = setup({});
    sync.follow(ROOM, 7);
    sync.follow(ROOM, 3);
    expect(sync.cursors()).toEqual({ [ROOM]: 7 });
  });

  it('does not wait forever for a seq the server says does not exist', async () => {
    // Seq 2 is missing on the server (it can only happen with data removed by hand).
    const request = jest.fn((payload: SyncDto): Promise<SyncResultDto> =>
      Promise.resolve({
        rooms: [
          {
            room: ROOM,
            messages: (payload.rooms[ROOM] ?? 0) < 1 ? [message(1)] : [],
            lastSeq: 3,
            hasMore: false,
            changed: [],
            changeSeq: 0,
            hasMoreChanges: false,
          },
        ],
        refused: [],
      }),
    );
    const delivered: number[] = [];
    const sync = new RoomSync({
      request,
      deliver: (_r, ms) => delivered.push(...ms.map((m) => m.seq)),
    });
    sync.follow(ROOM, 1);
    sync.receive(message(3));
    await sync.catchUp([]);
    expect(delivered).toEqual([3]);
  });
});
