import type { PresenceDto } from '@parley/contracts';
import { PresenceStore } from './presence-store';

const ANN = '665f1c2b1e8a474d7e9a650a';
const online: PresenceDto = { status: 'online', lastSeenAt: null };
const offline: PresenceDto = { status: 'offline', lastSeenAt: '2026-03-01T10:00:00.000Z' };

describe('PresenceStore', () => {
  it('knows nobody at first, then what a list says', () => {
    const store = new PresenceStore();
    expect(store.get(ANN)).toBeUndefined();
    store.seed(ANN, online);
    expect(store.get(ANN)).toEqual(online);
  });

  it('lets a later list replace an earlier one while no event was heard', () => {
    const store = new PresenceStore();
    store.seed(ANN, online);
    store.seed(ANN, offline);
    expect(store.get(ANN)).toEqual(offline);
  });

  it('keeps an event over a list fetched before it arrived, until the connection drops', () => {
    const store = new PresenceStore();
    store.receive({ userId: ANN, ...offline });
    store.seed(ANN, online);
    expect(store.get(ANN)).toEqual(offline);

    store.connectionLost();
    store.seed(ANN, online);
    expect(store.get(ANN)).toEqual(online);
  });

  it('tells subscribers about changes only, and keeps the same object for the same value', () => {
    const store = new PresenceStore();
    const listener = jest.fn();
    const unsubscribe = store.subscribe(listener);
    store.receive({ userId: ANN, ...online });
    const first = store.get(ANN);
    store.receive({ userId: ANN, ...online });
    store.seed(ANN, { ...online });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(store.get(ANN)).toBe(first);

    store.receive({ userId: ANN, status: 'away', lastSeenAt: null });
    expect(listener).toHaveBeenCalledTimes(2);
    unsubscribe();
    store.clear();
    expect(listener).toHaveBeenCalledTimes(2);
    expect(store.get(ANN)).toBeUndefined();
  });

  it('stores only the presence fields of an event', () => {
    const store = new PresenceStore();
    store.receive({ userId: ANN, status: 'away', lastSeenAt: null });
    expect(store.get(ANN)).toStrictEqual({ status: 'away', lastSeenAt: null });
  });
});
