import type { ReactNode } from 'react';
import { act, renderHook } from '@testing-library/react';
import { ChatConnection } from '@/lib/chat-connection';
import { ConnectionProvider } from '@/lib/connection-context';
import { FakeSocket, flushPromises } from '@/test/fake-socket';
import { MARK_READ_INTERVAL_MS } from '../lib/read-marker';
import { useReadMarker } from './use-read-marker';

const ROOM = 'abcdefghij';

function setup({
  focused = true,
  readSeq = 0,
}: { focused?: boolean; readSeq?: number | 'not a member' } = {}) {
  const cursor = readSeq === 'not a member' ? undefined : readSeq;
  const hasFocus = jest.spyOn(document, 'hasFocus').mockReturnValue(focused);
  const socket = new FakeSocket();
  const connection = new ChatConnection(
    socket.asSocket(),
    { onUnauthorized: jest.fn(), onJoined: jest.fn(), onResynced: jest.fn() },
    { isOnline: () => true, addEventListener: jest.fn(), removeEventListener: jest.fn() },
  );
  connection.start();
  socket.serverConnect();
  const onReadState = jest.fn();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <ConnectionProvider connection={connection}>{children}</ConnectionProvider>
  );
  const rendered = renderHook(
    ({ cursor }: { cursor: number | undefined }) => useReadMarker(ROOM, cursor, onReadState),
    { wrapper, initialProps: { cursor } },
  );
  const marks = () => socket.emittedOf('mark_read').map((entry) => entry.payload);
  const focus = (value: boolean) =>
    act(() => {
      hasFocus.mockReturnValue(value);
      window.dispatchEvent(new Event(value ? 'focus' : 'blur'));
    });
  return { socket, rendered, marks, focus, onReadState, seen: rendered.result.current };
}

describe('useReadMarker', () => {
  afterEach(() => jest.restoreAllMocks());

  it('marks what is on screen read while the window has the focus, and hands on the answer', async () => {
    const { socket, marks, seen, onReadState } = setup();
    seen(4);
    expect(marks()).toEqual([{ room: ROOM, seq: 4 }]);
    socket.emittedOf('mark_read')[0].ack(null, { ok: true, data: { room: ROOM, readSeq: 4 } });
    await flushPromises();
    expect(onReadState).toHaveBeenCalledWith({ room: ROOM, readSeq: 4 });
  });

  it('waits for the focus: a message on screen in a background window is not read', () => {
    const { marks, seen, focus } = setup({ focused: false });
    seen(4);
    seen(6);
    expect(marks()).toEqual([]);
    focus(true);
    expect(marks()).toEqual([{ room: ROOM, seq: 6 }]);
  });

  it('sends nothing at or below the cursor the room already has', () => {
    const { marks, seen, rendered } = setup({ readSeq: 5 });
    seen(5);
    expect(marks()).toEqual([]);
    rendered.rerender({ cursor: 9 });
    seen(8);
    expect(marks()).toEqual([]);
  });

  it('marks nothing in a room that is not mine yet, then what is on screen once it is', () => {
    const { marks, seen, rendered } = setup({ readSeq: 'not a member' });
    seen(3);
    expect(marks()).toEqual([]);
    rendered.rerender({ cursor: 0 });
    expect(marks()).toEqual([{ room: ROOM, seq: 3 }]);
  });

  it('sends what the throttle holds when the room is left', () => {
    jest.useFakeTimers();
    try {
      const { marks, seen, rendered } = setup();
      seen(2);
      seen(3);
      expect(marks()).toEqual([{ room: ROOM, seq: 2 }]);
      rendered.unmount();
      expect(marks()).toEqual([
        { room: ROOM, seq: 2 },
        { room: ROOM, seq: 3 },
      ]);
      jest.advanceTimersByTime(MARK_READ_INTERVAL_MS);
      expect(marks()).toHaveLength(2);
    } finally {
      jest.useRealTimers();
    }
  });
});
