import type { MessageDto } from '@parley/contracts';
import { percentile, tallyLedger, type ClientRecord, type RoomHistory } from './ledger';

const ROOM = 'room000001';

function message(
  seq: number,
  senderId: string,
  clientMessageId = `cm-${senderId}-${seq}`,
): MessageDto {
  return {
    id: `id-${seq}-${clientMessageId}`,
    room: ROOM,
    seq,
    sender: { id: senderId, username: senderId, displayName: senderId },
    content: `message ${seq}`,
    clientMessageId,
    mentions: [],
    mentionsRoom: false,
    createdAt: '2026-01-01T00:00:00.000Z',
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

/** Ann sent 1 and 3, Bob sent 2; both were shown all three in order. */
function healthy(): { clients: ClientRecord[]; histories: RoomHistory[] } {
  const history = [message(1, 'ann'), message(2, 'bob'), message(3, 'ann')];
  const client = (name: string, own: MessageDto[]): ClientRecord => ({
    name,
    userId: name,
    rooms: [ROOM],
    enqueued: own.map(({ room, clientMessageId }) => ({ room, clientMessageId })),
    acked: own,
    delivered: new Map([[ROOM, [...history]]]),
  });
  return {
    histories: [{ room: ROOM, messages: history }],
    clients: [client('ann', [history[0], history[2]]), client('bob', [history[1]])],
  };
}

describe('tallyLedger', () => {
  it('counts nothing when everything sent was stored once and shown once, in order', () => {
    const { clients, histories } = healthy();
    const { counts, findings, stored } = tallyLedger(clients, histories);
    expect(counts).toEqual({
      lost_acked: 0,
      lost_after_outbox_drain: 0,
      dup_stored: 0,
      dup_shown_after_dedupe: 0,
      order_violations: 0,
      gaps: 0,
      lost_shown: 0,
    });
    expect(findings).toEqual([]);
    expect(stored).toBe(3);
  });

  it('counts an acked message that is not stored as lost twice over, and the seq hole it leaves', () => {
    const { clients, histories } = healthy();
    const kept = histories[0].messages.filter((stored) => stored.seq !== 3);
    const shown = new Map([[ROOM, kept]]);
    const { counts } = tallyLedger(
      clients.map((client) => ({ ...client, delivered: shown })),
      [{ room: ROOM, messages: kept }],
    );
    expect(counts).toMatchObject({ lost_acked: 1, lost_after_outbox_drain: 1, gaps: 0 });

    const holed = histories[0].messages.filter((stored) => stored.seq !== 2);
    const withHole = tallyLedger(
      clients.map((client) => ({ ...client, delivered: new Map([[ROOM, holed]]) })),
      [{ room: ROOM, messages: holed }],
    );
    expect(withHole.counts).toMatchObject({ lost_acked: 1, lost_after_outbox_drain: 1, gaps: 1 });
  });

  it('counts an ack whose seq differs from the stored one as lost', () => {
    const { clients, histories } = healthy();
    clients[1] = { ...clients[1], acked: [{ ...histories[0].messages[1], seq: 7 }] };
    expect(tallyLedger(clients, histories).counts.lost_acked).toBe(1);
  });

  it('counts a clientMessageId stored twice and a seq stored twice', () => {
    const { clients, histories } = healthy();
    const twice = [...histories[0].messages, message(4, 'bob', 'cm-bob-2')];
    expect(tallyLedger(clients, [{ room: ROOM, messages: twice }]).counts).toMatchObject({
      dup_stored: 1,
      // Nobody was shown the copy.
      gaps: 2,
    });
    const sameSeq = [...histories[0].messages, { ...message(3, 'bob'), id: 'other' }];
    expect(tallyLedger(clients, [{ room: ROOM, messages: sameSeq }]).counts.dup_stored).toBe(1);
  });

  it('counts a message shown twice, shown out of order, shown but not stored, and never shown', () => {
    const { clients, histories } = healthy();
    const [first, second, third] = histories[0].messages;
    const variants: [MessageDto[], Partial<Record<string, number>>][] = [
      [[first, second, second, third], { dup_shown_after_dedupe: 1 }],
      [[first, third, second], { order_violations: 1 }],
      [[first, second, third, message(4, 'bob')], { lost_shown: 1 }],
      [[first, third], { gaps: 1 }],
      [[first, { ...second, seq: 5 }, third], { order_violations: 1 }],
    ];
    for (const [shown, expected] of variants) {
      const altered = [clients[0], { ...clients[1], delivered: new Map([[ROOM, shown]]) }];
      const { counts } = tallyLedger(altered, histories);
      expect(counts).toEqual({
        lost_acked: 0,
        lost_after_outbox_drain: 0,
        dup_stored: 0,
        dup_shown_after_dedupe: 0,
        order_violations: 0,
        gaps: 0,
        lost_shown: 0,
        ...expected,
      });
    }
  });
});

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const samples = Array.from({ length: 100 }, (_unused, index) => index + 1);
    expect(percentile(samples, 0.99)).toBe(99);
    expect(percentile(samples, 0.5)).toBe(50);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.99)).toBe(0);
  });
});
