import type { MessageDto } from '@parley/contracts';

/** What one client did and saw, as the ledger needs it. */
export interface ClientRecord {
  name: string;
  userId: string;
  rooms: readonly string[];
  /** Every message it put in its outbox. */
  enqueued: readonly { room: string; clientMessageId: string }[];
  /** The server's acks of its sends, as received. */
  acked: readonly MessageDto[];
  /** What `RoomSync` delivered, per room, in delivery order. */
  delivered: ReadonlyMap<string, readonly MessageDto[]>;
}

/** A room's stored history, fetched over REST after the run. */
export interface RoomHistory {
  room: string;
  messages: readonly MessageDto[];
}

/** The six counts that must be 0, in the order they are printed. */
export const MUST_BE_ZERO = [
  'lost_acked',
  'lost_after_outbox_drain',
  'dup_stored',
  'dup_shown_after_dedupe',
  'order_violations',
  'gaps',
] as const;

export type LedgerCount = (typeof MUST_BE_ZERO)[number] | 'lost_shown';

export type LedgerCounts = Record<LedgerCount, number>;

/** One line of evidence per problem found, for the report. */
export interface LedgerFinding {
  count: LedgerCount;
  detail: string;
}

export interface LedgerResult {
  counts: LedgerCounts;
  findings: LedgerFinding[];
  /** Messages in all histories. */
  stored: number;
}

const FINDINGS_PER_COUNT = 25;

const senderKey = (senderId: string, clientMessageId: string) => `${senderId}/${clientMessageId}`;

/**
 * Compares what the clients sent, were acknowledged and were shown with what the server stored.
 * Every count is a number of messages (or of seq positions), so a single fault shows up as a
 * small number rather than a cascade.
 */
export function tallyLedger(
  clients: readonly ClientRecord[],
  histories: readonly RoomHistory[],
): LedgerResult {
  const counts: LedgerCounts = {
    lost_acked: 0,
    lost_after_outbox_drain: 0,
    dup_stored: 0,
    dup_shown_after_dedupe: 0,
    order_violations: 0,
    gaps: 0,
    lost_shown: 0,
  };
  const findings: LedgerFinding[] = [];
  const noted = new Map<LedgerCount, number>();
  const note = (count: LedgerCount, detail: string, amount = 1) => {
    counts[count] += amount;
    // Enough lines of each kind to see a pattern, without one kind drowning the others.
    const lines = noted.get(count) ?? 0;
    if (lines < FINDINGS_PER_COUNT) findings.push({ count, detail });
    noted.set(count, lines + 1);
  };

  // Per room: message by id, by (sender, clientMessageId), and the seq order.
  const byId = new Map<string, MessageDto>();
  const bySender = new Map<string, Map<string, MessageDto>>();
  const positions = new Map<string, Map<string, number>>();
  for (const { room, messages } of histories) {
    const senders = new Map<string, MessageDto>();
    const seqs = new Set<number>();
    const sorted = [...messages].sort((a, b) => a.seq - b.seq);
    for (const message of sorted) {
      const key = senderKey(message.sender.id, message.clientMessageId);
      const earlier = senders.get(key);
      if (earlier) {
        note(
          'dup_stored',
          `room ${room}: clientMessageId ${message.clientMessageId} of ${message.sender.username} stored at seq ${earlier.seq} and ${message.seq}`,
        );
      } else {
        senders.set(key, message);
      }
      if (seqs.has(message.seq))
        note('dup_stored', `room ${room}: seq ${message.seq} stored twice`);
      seqs.add(message.seq);
      byId.set(message.id, message);
    }
    bySender.set(room, senders);
    positions.set(room, new Map(sorted.map((message, index) => [message.id, index])));
    // Seqs are 1, 2, 3… without holes.
    let expected = 1;
    for (const seq of [...seqs].sort((a, b) => a - b)) {
      if (seq > expected)
        note('gaps', `room ${room}: no message at seq ${expected}–${seq - 1}`, seq - expected);
      expected = seq + 1;
    }
  }
  const stored = (room: string, senderId: string, clientMessageId: string) =>
    bySender.get(room)?.get(senderKey(senderId, clientMessageId));

  for (const client of clients) {
    for (const { room, clientMessageId } of client.enqueued) {
      if (!stored(room, client.userId, clientMessageId)) {
        note(
          'lost_after_outbox_drain',
          `${client.name}: ${clientMessageId} in room ${room} never stored`,
        );
      }
    }
    for (const ack of client.acked) {
      const kept = byId.get(ack.id);
      if (!kept || kept.seq !== ack.seq || kept.room !== ack.room || kept.content !== ack.content) {
        note(
          'lost_acked',
          `${client.name}: acked ${ack.id} (room ${ack.room} seq ${ack.seq}) ${kept ? `stored as seq ${kept.seq}` : 'not stored'}`,
        );
      }
    }
    for (const room of client.rooms) {
      const delivered = client.delivered.get(room) ?? [];
      const order = positions.get(room) ?? new Map<string, number>();
      const seen = new Set<string>();
      let previous = -1;
      for (const message of delivered) {
        if (seen.has(message.id)) {
          note(
            'dup_shown_after_dedupe',
            `${client.name}: ${message.id} (room ${room} seq ${message.seq}) shown twice`,
          );
          continue;
        }
        seen.add(message.id);
        const kept = byId.get(message.id);
        const position = order.get(message.id);
        if (!kept || position === undefined) {
          note(
            'lost_shown',
            `${client.name}: shown ${message.id} (room ${room} seq ${message.seq}) is not stored`,
          );
          continue;
        }
        if (kept.seq !== message.seq || position < previous) {
          note(
            'order_violations',
            `${client.name}: room ${room} shows seq ${kept.seq} (as ${message.seq}) after stored position ${previous + 1}`,
          );
        }
        previous = Math.max(previous, position);
      }
      const missing = [...order.keys()].filter((id) => !seen.has(id));
      if (missing.length > 0) {
        const seqs = missing.map((id) => byId.get(id)?.seq).join(', ');
        note('gaps', `${client.name}: room ${room} never showed seq ${seqs}`, missing.length);
      }
    }
  }
  return {
    counts,
    findings,
    stored: histories.reduce((sum, { messages }) => sum + messages.length, 0),
  };
}

/** Nearest-rank percentile; 0 for no samples. */
export function percentile(samples: readonly number[], fraction: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)];
}
