import { describeLastSeen, peerStatusText, presenceLabel } from './describe-presence';

const NOW = new Date('2026-03-10T12:00:00.000Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const MINUTE = 60_000;

describe('presence wording', () => {
  it('names the dot with the person and the state', () => {
    expect(presenceLabel('Ann', 'online')).toBe('Ann is online');
    expect(presenceLabel('Ann', 'away')).toBe('Ann is away');
    expect(presenceLabel('Ann', 'offline')).toBe('Ann is offline');
  });

  it('says what a direct conversation header shows', () => {
    expect(peerStatusText({ status: 'online', lastSeenAt: null }, NOW, 'en')).toBe('Active now');
    expect(peerStatusText({ status: 'away', lastSeenAt: null }, NOW, 'en')).toBe('Away');
    expect(peerStatusText({ status: 'offline', lastSeenAt: ago(5 * MINUTE) }, NOW, 'en')).toBe(
      'Last seen 5 minutes ago',
    );
    expect(peerStatusText({ status: 'offline', lastSeenAt: null }, NOW, 'en')).toBe('Offline');
  });

  it('rounds the last-seen time down to the unit that fits', () => {
    expect(describeLastSeen(ago(30_000), NOW, 'en')).toBe('just now');
    expect(describeLastSeen(ago(MINUTE), NOW, 'en')).toBe('1 minute ago');
    expect(describeLastSeen(ago(59 * MINUTE), NOW, 'en')).toBe('59 minutes ago');
    expect(describeLastSeen(ago(3 * 60 * MINUTE + 5), NOW, 'en')).toBe('3 hours ago');
    expect(describeLastSeen(ago(26 * 60 * MINUTE), NOW, 'en')).toBe('yesterday');
    expect(describeLastSeen(ago(3 * 24 * 60 * MINUTE), NOW, 'en')).toBe('3 days ago');
    expect(describeLastSeen('2026-01-02T12:00:00.000Z', NOW, 'en')).toBe('on January 2');
    expect(describeLastSeen('2025-01-02T12:00:00.000Z', NOW, 'en')).toBe('on January 2, 2025');
  });
});
