import { LocalMessagesStore } from './local-messages-store';
import type { PendingMessage } from './timeline';

const pending = (clientMessageId: string): PendingMessage => ({
  clientMessageId,
  room: 'abcdefghij',
  content: 'hello',
  createdAt: '2026-01-01T00:00:00.000Z',
  status: 'pending',
});

describe('LocalMessagesStore', () => {
  it('tracks a send through failed, pending again and resolved', () => {
    const store = new LocalMessagesStore();
    const listener = jest.fn();
    store.subscribe(listener);

    store.addPending(pending('a'));
    store.markFailed('abcdefghij', 'a', 'timeout');
    expect(store.findPending('abcdefghij', 'a')).toMatchObject({
      status: 'failed',
      error: 'timeout',
    });
    store.markPending('abcdefghij', 'a');
    expect(store.findPending('abcdefghij', 'a')).toMatchObject({
      status: 'pending',
      error: undefined,
    });
    store.resolve('abcdefghij', 'a');
    expect(store.room('abcdefghij').pending).toEqual([]);
    expect(listener).toHaveBeenCalledTimes(4);
  });

  it('keeps a room snapshot stable until that room changes', () => {
    const store = new LocalMessagesStore();
    store.addPending(pending('a'));
    const before = store.room('abcdefghij');
    store.addPending({ ...pending('b'), room: 'otherroom1' });
    expect(store.room('abcdefghij')).toBe(before);
    expect(store.room('unknown000')).toBe(store.room('unknown001'));
  });

  it('ignores updates for sends it does not know', () => {
    const store = new LocalMessagesStore();
    const listener = jest.fn();
    store.subscribe(listener);
    store.resolve('abcdefghij', 'missing');
    store.markFailed('abcdefghij', 'missing', 'x');
    expect(listener).not.toHaveBeenCalled();
  });

  it('keeps only the latest notices', () => {
    const store = new LocalMessagesStore();
    for (let i = 0; i < 120; i += 1) {
      store.addNotice({
        room: 'abcdefghij',
        kind: 'join',
        user: { id: 'u', username: 'ann', displayName: 'Ann' },
        content: `notice ${i}`,
        createdAt: '2026-01-01T00:00:00.000Z',
      });
    }
    const { notices } = store.room('abcdefghij');
    expect(notices).toHaveLength(100);
    expect(notices[0].content).toBe('notice 20');
    expect(new Set(notices.map((n) => n.id)).size).toBe(100);
  });
});
