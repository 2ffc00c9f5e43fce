import type { ReactNode } from 'react';
import { act, renderHook } from '@testing-library/react';
import type { MessageDto, UserTypingDto } from '@parley/contracts';
import { ChatConnection } from '@/lib/chat-connection';
import { ConnectionProvider } from '@/lib/connection-context';
import { FakeSocket } from '@/test/fake-socket';
import type { MessageDelivery } from '../lib/message-delivery';
import { TypingStore } from '../lib/typing-store';
import { LocalMessagesProvider } from './local-messages-context';
import { MessageDeliveryProvider } from './message-delivery-context';
import { TypingProvider, useRoomTypists } from './typing-context';
import { useChatEvents } from './use-chat-events';
import { UNCHANGED_MESSAGE_FIELDS } from '@/test/message-fields';

const ROOM = 'abcdefghij';
const ann = { id: 'u-ann', username: 'ann', displayName: 'Ann' };
const ben = { id: 'u-ben', username: 'ben', displayName: 'Ben' };

const typing = (user: typeof ann, isTyping = true): UserTypingDto => ({
  room: ROOM,
  user,
  isTyping,
  expiresInMs: isTyping ? 5_000 : 0,
});

const message = (sender: typeof ann): MessageDto => ({
  id: `m-${sender.id}`,
  room: ROOM,
  seq: 1,
  sender,
  content: 'hello',
  mentions: [],
  mentionsRoom: false,
  clientMessageId: `c-${sender.id}`,
  createdAt: '2026-01-01T00:00:00.000Z',
  ...UNCHANGED_MESSAGE_FIELDS,
});

function setup() {
  const socket = new FakeSocket();
  const connection = new ChatConnection(
    socket.asSocket(),
    { onUnauthorized: jest.fn(), onJoined: jest.fn(), onResynced: jest.fn() },
    { isOnline: () => true, addEventListener: jest.fn(), removeEventListener: jest.fn() },
  );
  // The delivery is this hook's collaborator; its own behaviour is tested in message-delivery.spec.
  const receive = jest.fn();
  const delivery = { receive } as unknown as MessageDelivery;
  const store = new TypingStore();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <ConnectionProvider connection={connection}>
      <MessageDeliveryProvider delivery={delivery}>
        <LocalMessagesProvider>
          <TypingProvider store={store}>{children}</TypingProvider>
        </LocalMessagesProvider>
      </MessageDeliveryProvider>
    </ConnectionProvider>
  );
  const rendered = renderHook(
    () => {
      useChatEvents();
      return useRoomTypists(ROOM).map((typist) => typist.displayName);
    },
    { wrapper },
  );
  const fire = (event: string, payload?: unknown) => act(() => socket.fire(event, payload));
  return { socket, receive, rendered, fire };
}

describe('useChatEvents: typing indicators', () => {
  it('shows user_typing until the stop, and ends one when that user’s message arrives', () => {
    const { receive, rendered, fire } = setup();
    fire('user_typing', typing(ann));
    fire('user_typing', typing(ben));
    expect(rendered.result.current).toEqual(['Ann', 'Ben']);

    fire('new_message', message(ann));
    expect(receive).toHaveBeenCalledWith(message(ann));
    expect(rendered.result.current).toEqual(['Ben']);

    fire('user_typing', typing(ben, false));
    expect(rendered.result.current).toEqual([]);
  });

  it('forgets every indicator on a disconnection and stops listening on unmount', () => {
    const { socket, rendered, fire } = setup();
    fire('user_typing', typing(ann));
    fire('user_typing', typing(ben));
    act(() => socket.serverDisconnect());
    expect(rendered.result.current).toEqual([]);

    rendered.unmount();
    expect(socket.listenerCount('user_typing')).toBe(0);
    expect(socket.listenerCount('new_message')).toBe(0);
  });
});
