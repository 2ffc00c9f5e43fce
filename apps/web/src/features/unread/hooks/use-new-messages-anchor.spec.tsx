import { act, renderHook } from '@testing-library/react';
import type { UnreadCounted } from '../lib/unread-count';
import { useNewMessagesAnchor } from './use-new-messages-anchor';

describe('useNewMessagesAnchor', () => {
  afterEach(() => jest.restoreAllMocks());

  it('keeps the cursor the room was opened with while reading moves it', () => {
    jest.spyOn(document, 'hasFocus').mockReturnValue(true);
    const { result, rerender } = renderHook(
      ({ room }: { room: UnreadCounted | undefined }) => useNewMessagesAnchor(room),
      { initialProps: { room: undefined as UnreadCounted | undefined } },
    );
    expect(result.current).toBeUndefined();
    // Not mine yet (a public room before its join is answered): nothing to place.
    rerender({ room: { role: null, lastSeq: 9, readSeq: 0 } });
    expect(result.current).toBeUndefined();
    rerender({ room: { role: 'member', lastSeq: 9, readSeq: 4 } });
    expect(result.current).toBe(4);
    rerender({ room: { role: 'member', lastSeq: 9, readSeq: 9 } });
    expect(result.current).toBe(4);
  });

  it('places none when the room opens with nothing unread, also as messages arrive and are read', () => {
    jest.spyOn(document, 'hasFocus').mockReturnValue(true);
    const { result, rerender } = renderHook(
      ({ room }: { room: UnreadCounted }) => useNewMessagesAnchor(room),
      { initialProps: { room: { role: 'member', lastSeq: 9, readSeq: 9 } } },
    );
    expect(result.current).toBeNull();
    rerender({ room: { role: 'member', lastSeq: 10, readSeq: 9 } });
    expect(result.current).toBeNull();
  });

  it('moves to the cursor of the moment the window comes back with unread messages', () => {
    const hasFocus = jest.spyOn(document, 'hasFocus').mockReturnValue(true);
    const { result, rerender } = renderHook(
      ({ room }: { room: UnreadCounted }) => useNewMessagesAnchor(room),
      { initialProps: { room: { role: 'member', lastSeq: 9, readSeq: 7 } } },
    );
    expect(result.current).toBe(7);
    const focus = (value: boolean) =>
      act(() => {
        hasFocus.mockReturnValue(value);
        window.dispatchEvent(new Event(value ? 'focus' : 'blur'));
      });
    // Back with nothing unread: the divider stays where it was.
    focus(false);
    rerender({ room: { role: 'member', lastSeq: 12, readSeq: 12 } });
    focus(true);
    expect(result.current).toBe(7);

    focus(false);
    rerender({ room: { role: 'member', lastSeq: 15, readSeq: 12 } });
    focus(true);
    expect(result.current).toBe(12);
  });
});
