import { TYPING_REFRESH_MS } from '@parley/contracts';
import { FakeSocket, flushPromises } from '@/test/fake-socket';
import { TypingSender } from './typing-sender';

const ROOM = 'abcdefghij';

function setup() {
  const socket = new FakeSocket();
  socket.connected = true;
  let now = 1_000_000;
  const sender = new TypingSender(socket.asSocket(), ROOM, () => now);
  const sent = () => socket.emittedOf('typing').map(({ payload }) => payload);
  const advance = (ms: number) => {
    now += ms;
  };
  return { socket, sender, sent, advance };
}

describe('TypingSender', () => {
  it('starts on the first keystroke and refreshes at most once per TYPING_REFRESH_MS', () => {
    const { sender, sent, advance } = setup();
    sender.draftChanged('h');
    expect(sent()).toEqual([{ room: ROOM, isTyping: true }]);
    for (const draft of ['he', 'hel', 'hell']) {
      advance(TYPING_REFRESH_MS / 4);
      sender.draftChanged(draft);
    }
    expect(sent()).toHaveLength(1);
    advance(TYPING_REFRESH_MS / 4);
    sender.draftChanged('hello');
    expect(sent()).toEqual([
      { room: ROOM, isTyping: true },
      { room: ROOM, isTyping: true },
    ]);
  });

  it('stops when the draft is emptied, and starts again at once', () => {
    const { sender, sent } = setup();
    sender.draftChanged('hi');
    sender.draftChanged('');
    sender.draftChanged('   ');
    sender.draftChanged('h');
    expect(sent()).toEqual([
      { room: ROOM, isTyping: true },
      { room: ROOM, isTyping: false },
      { room: ROOM, isTyping: true },
    ]);
  });

  it('stops on blur (or leaving) only after typing', () => {
    const { sender, sent } = setup();
    sender.stop();
    expect(sent()).toEqual([]);
    sender.draftChanged('hi');
    sender.stop();
    sender.stop();
    expect(sent()).toEqual([
      { room: ROOM, isTyping: true },
      { room: ROOM, isTyping: false },
    ]);
  });

  it('after a send, emits no stop and lets the next keystroke start at once', () => {
    const { sender, sent } = setup();
    sender.draftChanged('hi');
    sender.reset();
    sender.stop();
    expect(sent()).toEqual([{ room: ROOM, isTyping: true }]);
    sender.draftChanged('n');
    expect(sent()).toEqual([
      { room: ROOM, isTyping: true },
      { room: ROOM, isTyping: true },
    ]);
  });

  it('drops emits while disconnected instead of queueing them', () => {
    const { socket, sender, sent, advance } = setup();
    socket.connected = false;
    sender.draftChanged('hi');
    advance(TYPING_REFRESH_MS * 3);
    sender.draftChanged('hi there');
    sender.stop();
    expect(sent()).toEqual([]);
    // Nothing was started, so the first keystroke once connected goes out at once.
    socket.connected = true;
    sender.draftChanged('hi there!');
    expect(sent()).toEqual([{ room: ROOM, isTyping: true }]);
  });

  it('ignores a failed or unanswered emit', async () => {
    const { socket, sender, sent } = setup();
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      sender.draftChanged('hi');
      sender.draftChanged('');
      const [start, stop] = socket.emittedOf('typing');
      start.ack(null, { ok: false, error: { code: 'not_in_room', message: 'Join first.' } });
      stop.ack(new Error('operation has timed out'), undefined);
      await flushPromises();
      await flushPromises();
      expect(unhandled).not.toHaveBeenCalled();
      sender.draftChanged('h');
      expect(sent()).toHaveLength(3);
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});
