import type { UserTypingDto } from '@parley/contracts';
import { TypingStore, describeTypists } from './typing-store';

const ROOM = 'abcdefghij';
const OTHER_ROOM = 'otherroom1';

const typing = (
  displayName: string,
  isTyping = true,
  room = ROOM,
  expiresInMs = 5_000,
): UserTypingDto => ({
  room,
  user: { id: `id-${displayName}`, username: displayName.toLowerCase(), displayName },
  isTyping,
  expiresInMs: isTyping ? expiresInMs : 0,
});

const names = (store: TypingStore, room = ROOM) =>
  store.room(room).map((typist) => typist.displayName);

describe('describeTypists', () => {
  const typist = (displayName: string) => ({ id: displayName, displayName });

  it('names one or two typists and counts no further', () => {
    expect(describeTypists([])).toBeNull();
    expect(describeTypists([typist('Ann')])).toBe('Ann is typing…');
    expect(describeTypists([typist('Ann'), typist('Ben')])).toBe('Ann and Ben are typing…');
    expect(describeTypists([typist('Ann'), typist('Ben'), typist('Cy')])).toBe(
      'Several people are typing…',
    );
    expect(describeTypists(['Ann', 'Ben', 'Cy', 'Di'].map(typist))).toBe(
      'Several people are typing…',
    );
  });
});

describe('TypingStore', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('lists typists per room in the order they started, and removes one on stop', () => {
    const store = new TypingStore();
    const listener = jest.fn();
    store.subscribe(listener);
    store.receive(typing('Ann'));
    store.receive(typing('Ben'));
    store.receive(typing('Cy', true, OTHER_ROOM));
    store.receive(typing('Ann'));
    expect(names(store)).toEqual(['Ann', 'Ben']);
    expect(names(store, OTHER_ROOM)).toEqual(['Cy']);

    store.receive(typing('Ann', false));
    expect(names(store)).toEqual(['Ben']);
    expect(names(store, OTHER_ROOM)).toEqual(['Cy']);
    // A stop for someone not typing changes nothing.
    const before = store.room(ROOM);
    const calls = listener.mock.calls.length;
    store.receive(typing('Di', false));
    expect(store.room(ROOM)).toBe(before);
    expect(listener).toHaveBeenCalledTimes(calls);
  });

  it('hides an indicator after expiresInMs unless a refresh extends it', () => {
    const store = new TypingStore();
    store.receive(typing('Ann', true, ROOM, 5_000));
    jest.advanceTimersByTime(4_000);
    store.receive(typing('Ann', true, ROOM, 5_000));
    jest.advanceTimersByTime(4_000);
    expect(names(store)).toEqual(['Ann']);
    jest.advanceTimersByTime(1_000);
    expect(names(store)).toEqual([]);
    expect(store.room(ROOM)).toBe(store.room('unknown000'));
  });

  it('keeps a room snapshot stable through a refresh that changes nothing', () => {
    const store = new TypingStore();
    const listener = jest.fn();
    store.receive(typing('Ann'));
    store.subscribe(listener);
    const before = store.room(ROOM);
    store.receive(typing('Ann'));
    expect(store.room(ROOM)).toBe(before);
    expect(listener).not.toHaveBeenCalled();
  });

  it("ends a typist's indicator when their message arrives in that room", () => {
    const store = new TypingStore();
    store.receive(typing('Ann'));
    store.receive(typing('Ann', true, OTHER_ROOM));
    store.receive(typing('Ben'));
    store.messageReceived(ROOM, 'id-Ann');
    expect(names(store)).toEqual(['Ben']);
    expect(names(store, OTHER_ROOM)).toEqual(['Ann']);
    // Its expiry is gone with it: a new indicator is not cut short by the old timer.
    jest.advanceTimersByTime(3_000);
    store.receive(typing('Ann'));
    jest.advanceTimersByTime(2_500);
    expect(names(store)).toEqual(['Ann']);
  });

  it('forgets everyone on clear and fires no stale expiry afterwards', () => {
    const store = new TypingStore();
    const listener = jest.fn();
    store.subscribe(listener);
    store.receive(typing('Ann'));
    store.receive(typing('Ben', true, OTHER_ROOM));
    listener.mockClear();
    store.clear();
    expect(names(store)).toEqual([]);
    expect(names(store, OTHER_ROOM)).toEqual([]);
    expect(listener).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(10_000);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(jest.getTimerCount()).toBe(0);
  });
});
