import type { NotifyLevel, RoomRole } from '@parley/contracts';
import { badgeText, composeTitle, titleUnreadCount, unreadCount } from './unread-count';

const room = (
  lastSeq: number,
  readSeq: number,
  notify: NotifyLevel = 'all',
  role: RoomRole | null = 'member',
) => ({
  lastSeq,
  readSeq,
  notify,
  role,
});

describe('unreadCount', () => {
  it('is the messages after my cursor', () => {
    expect(unreadCount(room(10, 7))).toBe(3);
    expect(unreadCount(room(10, 10))).toBe(0);
  });

  it('is never negative (a cursor ahead of a trailing last seq)', () => {
    expect(unreadCount(room(10, 12))).toBe(0);
  });

  it('is 0 for a room I am not a member of', () => {
    expect(unreadCount(room(10, 0, 'all', null))).toBe(0);
  });
});

describe('titleUnreadCount', () => {
  it('adds up my rooms, leaving muted ones out', () => {
    expect(
      titleUnreadCount([
        room(10, 7, 'all'),
        room(4, 2, 'mentions'),
        room(50, 0, 'muted'),
        room(9, 0, 'all', null),
      ]),
    ).toBe(5);
  });
});

describe('composeTitle', () => {
  it('puts the count first, then the page, then the app', () => {
    expect(composeTitle(3, null)).toBe('(3) Parley');
    expect(composeTitle(3, 'Lobby')).toBe('(3) Lobby · Parley');
    expect(composeTitle(0, 'Lobby')).toBe('Lobby · Parley');
    expect(composeTitle(0, null)).toBe('Parley');
  });
});

describe('badgeText', () => {
  it('caps at 99+', () => {
    expect(badgeText(7)).toBe('7');
    expect(badgeText(99)).toBe('99');
    expect(badgeText(100)).toBe('99+');
  });
});
