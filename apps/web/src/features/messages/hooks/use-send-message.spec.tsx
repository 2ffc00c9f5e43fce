import type { ReactNode } from 'react';
import { act, renderHook } from '@testing-library/react';
import { QueryClient } from '@tanstack/react-query';
import { MemoryOutboxStore } from '@parley/chat-client';
import { ChatConnection } from '@/lib/chat-connection';
import { FakeSocket, flushPromises } from '@/test/fake-socket';
import { MessageDelivery } from '../lib/message-delivery';
import { MessageDeliveryProvider, useRoomOutbox } from './message-delivery-context';
import { useSendMessage } from './use-send-message';

const ROOM = 'abcdefghij';

function setup() {
  const socket = new FakeSocket();
  const connection = new ChatConnection(
    socket.asSocket(),
    { onUnauthorized: jest.fn(), onJoined: jest.fn(), onResynced: jest.fn() },
    { isOnline: () => false, addEventListener: jest.fn(), removeEventListener: jest.fn() },
  );
  const store = new MemoryOutboxStore();
  const delivery = new MessageDelivery({ connection, queryClient: new QueryClient(), store });
  delivery.start();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <MessageDeliveryProvider delivery={delivery}>{children}</MessageDeliveryProvider>
  );
  const { result } = renderHook(
    () => ({ actions: useSendMessage(ROOM), outbox: useRoomOutbox(ROOM) }),
    { wrapper },
  );
  return { result, store, delivery };
}

describe('useSendMessage', () => {
  it('puts a message written offline in the outbox and shows it as pending', async () => {
    const { result, store, delivery } = setup();
    act(() => result.current.actions.send('written offline'));
    expect(result.current.outbox).toMatchObject([
      { room: ROOM, content: 'written offline', status: 'pending' },
    ]);
    await act(flushPromises);
    const [entry] = await store.list();
    expect(entry).toMatchObject({ room: ROOM, content: 'written offline', state: 'pending' });
    expect(result.current.outbox[0].clientMessageId).toBe(entry.clientMessageId);

    act(() => result.current.actions.discard(entry.clientMessageId));
    await act(flushPromises);
    expect(result.current.outbox).toEqual([]);
    expect(await store.list()).toEqual([]);
    delivery.stop();
  });
});
