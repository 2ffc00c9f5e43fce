import { dismissedPinsStore, pinKey, pinsDismissed } from './dismissed-pins';

const pin = (id: string, pinnedAt: string) => ({ id, pinnedAt });

describe('dismissed pins', () => {
  afterEach(() => window.localStorage.clear());

  it('stays dismissed for the same pins and shows again for a new pin or a re-pin', () => {
    const first = pin('a', '2026-01-01T10:00:00.000Z');
    const dismissed = [pinKey(first)];
    expect(pinsDismissed([first], dismissed)).toBe(true);
    expect(pinsDismissed([pin('b', '2026-01-01T11:00:00.000Z'), first], dismissed)).toBe(false);
    expect(pinsDismissed([pin('a', '2026-01-02T10:00:00.000Z')], dismissed)).toBe(false);
  });

  it('keeps the dismissed set per user and room in localStorage', () => {
    dismissedPinsStore('u1', 'room000001').set(() => ['a@x']);
    expect(JSON.parse(window.localStorage.getItem('parley:dismissed-pins:u1:room000001')!)).toEqual(
      ['a@x'],
    );
    expect(dismissedPinsStore('u2', 'room000001').get()).toEqual([]);
    expect(dismissedPinsStore('u1', 'room000002').get()).toEqual([]);
  });
});
