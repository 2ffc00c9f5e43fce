import { LocalMessagesStore } from './local-messages-store';
import type { SystemMessageDto } from '@parley/contracts';

const notice = (room: string, content: string): SystemMessageDto => ({
  room,
  kind: 'join',
  user: { id: 'u', username: 'ann', displayName: 'Ann' },
  content,
  createdAt: '2026-01-01T00:00:00.000Z',
});

describe('LocalMessagesStore', () => {
  it('keeps a room snapshot stable until that room changes', () => {
    const store = new LocalMessagesStore();
    const listener = jest.fn();
    store.subscribe(listener);
    store.addNotice(notice('abcdefghij', 'ann joined'));
    const before = store.room('abcdefghij');
    store.addNotice(notice('otherroom1', 'ben joined'));
    expect(store.room('abcdefghij')).toBe(before);
    expect(store.room('unknown000')).toBe(store.room('unknown001'));
    expect(listener).toHaveBeenCalledTimes(2);
  });

  it('keeps only the latest notices', () => {
    const store = new LocalMessagesStore();
    for (let i = 0; i < 120; i += 1) {
      store.addNotice(notice('abcdefghij', `notice ${i}`));
    }
    const { notices } = store.room('abcdefghij');
    expect(notices).toHaveLength(100);
    expect(notices[0].content).toBe('notice 20');
    expect(new Set(notices.map((n) => n.id)).size).toBe(100);
  });
});
