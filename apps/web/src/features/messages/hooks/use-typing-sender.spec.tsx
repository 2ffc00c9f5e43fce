import type { ReactNode } from 'react';
import { renderHook } from '@testing-library/react';
import { ChatConnection } from '@/lib/chat-connection';
import { ConnectionProvider } from '@/lib/connection-context';
import { FakeSocket } from '@/test/fake-socket';
import { useTypingSender } from './use-typing-sender';

function setup(roomId: string) {
  const socket = new FakeSocket();
  socket.connected = true;
  const connection = new ChatConnection(
    socket.asSocket(),
    { onUnauthorized: jest.fn(), onJoined: jest.fn(), onResynced: jest.fn() },
    { isOnline: () => true, addEventListener: jest.fn(), removeEventListener: jest.fn() },
  );
  const wrapper = ({ children }: { children: ReactNode }) => (
    <ConnectionProvider connection={connection}>{children}</ConnectionProvider>
  );
  const rendered = renderHook(({ room }) => useTypingSender(room), {
    wrapper,
    initialProps: { room: roomId },
  });
  const sent = () => socket.emittedOf('typing').map(({ payload }) => payload);
  return { socket, rendered, sent };
}

describe('useTypingSender', () => {
  it('ends the indicator when the room changes or the composer goes away', () => {
    const { rendered, sent } = setup('aaaaaaaaaa');
    rendered.result.current.draftChanged('hi');
    rendered.rerender({ room: 'bbbbbbbbbb' });
    rendered.result.current.draftChanged('hi');
    rendered.unmount();
    expect(sent()).toEqual([
      { room: 'aaaaaaaaaa', isTyping: true },
      { room: 'aaaaaaaaaa', isTyping: false },
      { room: 'bbbbbbbbbb', isTyping: true },
      { room: 'bbbbbbbbbb', isTyping: false },
    ]);
  });

  it('starts afresh after a reconnection, since the server ended the indicator', () => {
    const { socket, rendered, sent } = setup('aaaaaaaaaa');
    rendered.result.current.draftChanged('hi');
    socket.serverDisconnect();
    socket.serverConnect();
    rendered.result.current.draftChanged('hi!');
    expect(sent()).toEqual([
      { room: 'aaaaaaaaaa', isTyping: true },
      { room: 'aaaaaaaaaa', isTyping: true },
    ]);
  });
});
