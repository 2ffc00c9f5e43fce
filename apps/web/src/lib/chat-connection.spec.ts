import type { RoomViewDto } from '@parley/contracts';
import { FakeSocket, flushPromises } from '@/test/fake-socket';
import { ChatConnection, deriveConnectionStatus, type NetworkEnvironment } from './chat-connection';

const room = (id: string): RoomViewDto => ({
  id,
  name: `Room ${id}`,
  kind: 'public',
  topic: null,
  createdBy: 'u1',
  lastSeq: 0,
  lastMessage: null,
  editWindowSeconds: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  role: 'member',
  readSeq: 0,
  notify: 'mentions',
  peer: null,
});

const payload = {
  room: 'aaaaaaaaaa',
  content: 'hello',
  clientMessageId: '00000000-0000-4000-8000-000000000001',
};

class FakeNetwork implements NetworkEnvironment {
  online = true;
  private readonly listeners = new Map<string, () => void>();
  isOnline = () => this.online;
  addEventListener(type: string, listener: () => void) {
    this.listeners.set(type, listener);
  }
  removeEventListener(type: string) {
    this.listeners.delete(type);
  }
  go(online: boolean) {
    this.online = online;
    this.listeners.get(online ? 'online' : 'offline')?.();
  }
}

function setup() {
  const socket = new FakeSocket();
  const network = new FakeNetwork();
  const hooks = {
    onUnauthorized: jest.fn(),
    refreshToken: jest.fn<Promise<string | null>, []>(),
    onJoined: jest.fn(),
    onResynced: jest.fn(),
  };
  const connection = new ChatConnection(socket.asSocket(), hooks, network);
  return { socket, network, hooks, connection };
}

describe('deriveConnectionStatus', () => {
  it.each([
    [{ connected: true, everConnected: true, browserOnline: true }, 'connected'],
    [{ connected: false, everConnected: false, browserOnline: true }, 'connecting'],
    [{ connected: false, everConnected: true, browserOnline: true }, 'reconnecting'],
    [{ connected: false, everConnected: true, browserOnline: false }, 'offline'],
  ] as const)('%o is %s', (state, status) => {
    expect(deriveConnectionStatus(state)).toBe(status);
  });
});

describe('ChatConnection', () => {
  it('reports connecting, connected, reconnecting and offline', () => {
    const { socket, network, connection } = setup();
    connection.start();
    expect(socket.connectCalls).toBe(1);
    expect(connection.getSnapshot()).toEqual({ status: 'connecting', generation: 0 });
    socket.serverConnect();
    expect(connection.getSnapshot()).toEqual({ status: 'connected', generation: 1 });
    socket.serverDisconnect();
    expect(connection.getSnapshot().status).toBe('reconnecting');
    network.go(false);
    expect(connection.getSnapshot().status).toBe('offline');
    connection.stop();
  });

  it('waits for the connection before joining, and joins a room once', async () => {
    const { socket, hooks, connection } = setup();
    connection.start();
    const first = connection.joinRoom('aaaaaaaaaa');
    const second = connection.joinRoom('aaaaaaaaaa');
    expect(second).toBe(first);
    expect(socket.emitted).toHaveLength(0);

    socket.serverConnect();
    await flushPromises();
    expect(socket.emittedOf('join_room')).toHaveLength(1);
    socket.emitted[0].ack(null, { ok: true, data: { room: room('aaaaaaaaaa') } });
    await expect(first).resolves.toEqual(room('aaaaaaaaaa'));
    expect(hooks.onJoined).toHaveBeenCalledWith(room('aaaaaaaaaa'));
  });

  it('re-joins nothing after a reconnection (the server subscribes the socket) and resyncs at once', async () => {
    const { socket, hooks, connection } = setup();
    connection.start();
    socket.serverConnect();
    expect(hooks.onResynced).not.toHaveBeenCalled();
    const join = connection.joinRoom('aaaaaaaaaa');
    await flushPromises();
    socket.emitted[0].ack(null, { ok: true, data: { room: room('aaaaaaaaaa') } });
    await join;

    socket.serverDisconnect();
    socket.serverConnect();
    await flushPromises();
    expect(hooks.onResynced).toHaveBeenCalledTimes(1);
    expect(connection.getSnapshot().generation).toBe(2);
    // Opening the room again answers from the join made before: membership outlives a socket.
    await expect(connection.joinRoom('aaaaaaaaaa')).resolves.toEqual(room('aaaaaaaaaa'));
    expect(socket.emittedOf('join_room')).toHaveLength(1);
  });

  it('asks again for a join left unanswered when the socket dropped', async () => {
    const { socket, connection } = setup();
    connection.start();
    socket.serverConnect();
    const lost = connection.joinRoom('aaaaaaaaaa');
    await flushPromises();
    socket.serverDisconnect();
    socket.serverConnect();

    const again = connection.joinRoom('aaaaaaaaaa');
    expect(again).not.toBe(lost);
    await flushPromises();
    const joins = socket.emittedOf('join_room');
    expect(joins).toHaveLength(2);
    joins[1].ack(null, { ok: true, data: { room: room('aaaaaaaaaa') } });
    await expect(again).resolves.toEqual(room('aaaaaaaaaa'));
  });

  it('asks again after a refused join', async () => {
    const { socket, connection } = setup();
    connection.start();
    socket.serverConnect();
    const join = connection.joinRoom('zzzzzzzzzz');
    await flushPromises();
    socket.emitted[0].ack(null, { ok: false, error: { code: 'room_not_found', message: 'no' } });
    await expect(join).rejects.toMatchObject({ code: 'room_not_found' });

    void connection.joinRoom('zzzzzzzzzz').catch(() => undefined);
    await flushPromises();
    expect(socket.emittedOf('join_room')).toHaveLength(2);
  });

  it('forgets a room without telling the server, which already took the socket out', async () => {
    const { socket, connection } = setup();
    connection.start();
    socket.serverConnect();
    const join = connection.joinRoom('aaaaaaaaaa');
    await flushPromises();
    socket.emitted[0].ack(null, { ok: true, data: { room: room('aaaaaaaaaa') } });
    await join;

    connection.forgetRoom('aaaaaaaaaa');
    expect(socket.emittedOf('leave_room')).toHaveLength(0);
    void connection.joinRoom('aaaaaaaaaa').catch(() => undefined);
    await flushPromises();
    expect(socket.emittedOf('join_room')).toHaveLength(2);
  });

  it('sends to a room of mine without joining it first', async () => {
    const { socket, connection } = setup();
    connection.start();
    socket.serverConnect();
    const sent = connection.sendMessage(payload);
    await flushPromises();
    expect(socket.emitted.map((entry) => entry.event)).toEqual(['send_message']);
    expect(socket.emitted[0].payload).toEqual(payload);
    socket.emitted[0].ack(null, { ok: true, data: { id: 'm1' } });
    await expect(sent).resolves.toEqual({ id: 'm1' });
  });

  it('lets a join in flight go first', async () => {
    const { socket, connection } = setup();
    connection.start();
    socket.serverConnect();
    void connection.joinRoom('aaaaaaaaaa');
    const sent = connection.sendMessage(payload);
    await flushPromises();
    expect(socket.emitted.map((entry) => entry.event)).toEqual(['join_room']);
    socket.emitted[0].ack(null, { ok: true, data: { room: room('aaaaaaaaaa') } });
    await flushPromises();
    expect(socket.emitted.map((entry) => entry.event)).toEqual(['join_room', 'send_message']);
    socket.emitted[1].ack(null, { ok: true, data: { id: 'm1' } });
    await expect(sent).resolves.toEqual({ id: 'm1' });
  });

  it('joins and sends once more when the socket is not in the room', async () => {
    const { socket, connection } = setup();
    connection.start();
    socket.serverConnect();
    const sent = connection.sendMessage(payload);
    await flushPromises();
    socket.emitted[0].ack(null, { ok: false, error: { code: 'not_in_room', message: 'no' } });
    await flushPromises();
    expect(socket.emitted.map((entry) => entry.event)).toEqual(['send_message', 'join_room']);
    socket.emitted[1].ack(null, { ok: true, data: { room: room('aaaaaaaaaa') } });
    await flushPromises();
    expect(socket.emitted.map((entry) => entry.event)).toEqual([
      'send_message',
      'join_room',
      'send_message',
    ]);
    socket.emitted[2].ack(null, { ok: true, data: { id: 'm1' } });
    await expect(sent).resolves.toEqual({ id: 'm1' });
  });

  it('answers a send with the refused join when the room is not mine', async () => {
    const { socket, connection } = setup();
    connection.start();
    socket.serverConnect();
    const sent = connection.sendMessage(payload);
    await flushPromises();
    socket.emitted[0].ack(null, { ok: false, error: { code: 'not_in_room', message: 'no' } });
    await flushPromises();
    socket.emitted[1].ack(null, { ok: false, error: { code: 'not_a_member', message: 'no' } });
    await expect(sent).rejects.toMatchObject({ code: 'not_a_member' });
    expect(socket.emittedOf('send_message')).toHaveLength(1);
  });

  it('renews an expired token and reconnects with it, then resyncs', async () => {
    const { socket, hooks, connection } = setup();
    hooks.refreshToken.mockResolvedValue('token-2');
    connection.start();
    socket.serverConnect();

    socket.serverDisconnect('transport close');
    socket.fire('connect_error', new Error('unauthorized'));
    await flushPromises();
    expect(hooks.refreshToken).toHaveBeenCalledTimes(1);
    expect((socket as unknown as { auth: unknown }).auth).toEqual({ token: 'token-2' });
    expect(socket.connectCalls).toBe(2);
    expect(hooks.onUnauthorized).not.toHaveBeenCalled();

    socket.serverConnect();
    expect(hooks.onResynced).toHaveBeenCalledTimes(1);
  });

  it('signs out when no new token can be had', async () => {
    const { socket, hooks, connection } = setup();
    hooks.refreshToken.mockResolvedValue(null);
    connection.start();
    socket.fire('connect_error', new Error('unauthorized'));
    await flushPromises();
    expect(hooks.onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('signs out when the renewed token is refused too, without refreshing in a loop', async () => {
    const { socket, hooks, connection } = setup();
    hooks.refreshToken.mockResolvedValue('token-2');
    connection.start();
    socket.fire('connect_error', new Error('unauthorized'));
    await flushPromises();
    socket.fire('connect_error', new Error('unauthorized'));
    await flushPromises();
    expect(hooks.refreshToken).toHaveBeenCalledTimes(1);
    expect(hooks.onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('reconnects by itself when the server closes the socket', () => {
    const { socket, connection } = setup();
    connection.start();
    socket.serverConnect();
    socket.serverDisconnect('io server disconnect');
    expect(socket.connectCalls).toBe(2);
  });

  it('removes its listeners on stop', () => {
    const { socket, connection } = setup();
    connection.start();
    connection.stop();
    expect(socket.listenerCount('connect')).toBe(0);
    expect(socket.listenerCount('disconnect')).toBe(0);
    expect(socket.listenerCount('connect_error')).toBe(0);
  });
});
