import type { PresenceDto, PresenceStatus } from '@parley/contracts';

const STATUS_WORDS: Record<PresenceStatus, string> = {
  online: 'online',
  away: 'away',
  offline: 'offline',
};

/** The accessible name of a presence dot: "Ann is online". */
export function presenceLabel(name: string, status: PresenceStatus): string {
  return `${name} is ${STATUS_WORDS[status]}`;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** "5 minutes ago", "yesterday", "on 3 March"; "just now" under a minute. */
export function describeLastSeen(lastSeenAt: string, now: Date, locale?: string): string {
  const seen = new Date(lastSeenAt);
  const elapsed = now.getTime() - seen.getTime();
  if (Number.isNaN(elapsed)) return '';
  if (elapsed < MINUTE_MS) return 'just now';
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  if (elapsed < HOUR_MS) return relative.format(-Math.floor(elapsed / MINUTE_MS), 'minute');
  if (elapsed < DAY_MS) return relative.format(-Math.floor(elapsed / HOUR_MS), 'hour');
  if (elapsed < 7 * DAY_MS) return relative.format(-Math.floor(elapsed / DAY_MS), 'day');
  const sameYear = seen.getFullYear() === now.getFullYear();
  return `on ${seen.toLocaleDateString(locale, {
    day: 'numeric',
    month: 'long',
    ...(sameYear ? {} : { year: 'numeric' }),
  })}`;
}

/** A direct conversation's header: "Active now", "Away", "Last seen 5 minutes ago". */
export function peerStatusText(presence: PresenceDto, now: Date, locale?: string): string {
  switch (presence.status) {
    case 'online':
      return 'Active now';
    case 'away':
      return 'Away';
    case 'offline':
      return presence.lastSeenAt === null
        ? 'Offline'
        : `Last seen ${describeLastSeen(presence.lastSeenAt, now, locale)}`;
  }
}
