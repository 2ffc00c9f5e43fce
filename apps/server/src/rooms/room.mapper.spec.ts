import { RoomDto, RoomMemberDto, RoomViewDto, validatePayload } from '@parley/contracts';
import { Types } from 'mongoose';
import { toRoomDto, toRoomMemberDto, toRoomViewDto } from './room.mapper';

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
      editWindowSeconds: null,
      createdBy: createdBy.toHexString(),
      lastSeq: 3,
      lastMessage: null,
      createdAt: '2026-01-01T12:00:00.000Z',
    });
    expect(validatePayload(RoomDto, dto).ok).toBe(true);
  });

  it('maps the stored preview of the newest message', () => {
    const sender = new Types.ObjectId();
    const dto = toRoomDto({
      ...record,
      lastMessage: {
        seq: 3,
        sender,
        senderUsername: 'ann',
        senderDisplayName: 'Ann',
        excerpt: 'hello',
        createdAt: at,
      },
    });
    expect(dto.lastMessage).toEqual({
      seq: 3,
      sender: { id: sender.toHexString(), username: 'ann', displayName: 'Ann' },
      excerpt: 'hello',
      createdAt: '2026-01-01T12:00:00.000Z',
    });
    expect(validatePayload(RoomDto, dto).ok).toBe(true);
  });
});

describe('toRoomViewDto', () => {
  const at = new Date('2026-01-01T12:00:00Z');
  const record = {
    _id: 'k3v9x0q2mz',
    name: 'Book club',
    createdBy: new Types.ObjectId(),
    ownerCount: 1,
    lastSeq: 3,
    lastActivityAt: at,
    createdAt: at,
    updatedAt: at,
  };
  const peer = {
    user: { id: new Types.ObjectId().toHexString(), username: 'bob', displayName: 'Bob' },
    presence: { status: 'online' as const, lastSeenAt: null },
  };

  it('keeps the kind and topic, and adds the viewer’s role, cursor and level', () => {
    const view = toRoomViewDto(
      { ...record, kind: 'private', topic: 'Books' },
      { role: 'owner', readSeq: 2, notify: 'muted' },
      null,
    );
    expect(view).toMatchObject({
      kind: 'private',
      topic: 'Books',
      role: 'owner',
      readSeq: 2,
      notify: 'muted',
      peer: null,
    });
    expect(validatePayload(RoomViewDto, view).ok).toBe(true);
  });

  it('reads an old membership (no cursor, no level) as cursor 0 and the kind’s default level', () => {
    expect(toRoomViewDto(record, { role: 'member' }, null)).toMatchObject({
      readSeq: 0,
      notify: 'mentions',
    });
    const direct = toRoomViewDto({ ...record, kind: 'direct' }, { role: 'member' }, peer);
    expect(direct).toMatchObject({ readSeq: 0, notify: 'all', peer });
    expect(validatePayload(RoomViewDto, direct).ok).toBe(true);
  });

  it('never shows a cursor past lastSeq: the summary may trail what the viewer has read', () => {
    const view = toRoomViewDto(record, { role: 'member', readSeq: 5 }, null);
    expect(view).toMatchObject({ lastSeq: 5, readSeq: 5 });
  });

  it('shows a non-member no role, cursor 0, and never a peer outside direct rooms', () => {
    expect(toRoomViewDto(record, undefined, peer)).toMatchObject({
      role: null,
      readSeq: 0,
      notify: 'mentions',
      peer: null,
    });
  });
});

describe('toRoomMemberDto', () => {
  it('adds presence and the cursor others may see', () => {
    const user = new Types.ObjectId();
    const dto = toRoomMemberDto(
      {
        _id: new Types.ObjectId(),
        room: 'k3v9x0q2mz',
        user,
        username: 'ann',
        displayName: 'Ann',
        role: 'member',
        joinedAt: new Date('2026-01-01T12:00:00Z'),
        readSeq: 4,
      },
      { status: 'offline', lastSeenAt: '2026-01-02T12:00:00.000Z' },
      null,
    );
    expect(dto).toEqual({
      user: { id: user.toHexString(), username: 'ann', displayName: 'Ann' },
      role: 'member',
      joinedAt: '2026-01-01T12:00:00.000Z',
      presence: { status: 'offline', lastSeenAt: '2026-01-02T12:00:00.000Z' },
      readSeq: null,
    });
    expect(validatePayload(RoomMemberDto, dto).ok).toBe(true);
  });
});
