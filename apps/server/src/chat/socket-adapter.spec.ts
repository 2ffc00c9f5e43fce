import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import { Server } from 'socket.io';
import { io, type Socket } from 'socket.io-client';
import { until } from '../../test/support/instances-ledger';
import { startRedisServer, type RunningRedis } from '../../test/support/redis-server';
import { createRedisSocketAdapter } from './socket-adapter';

interface RunningIo {
  io: Server;
  url: string;
  close(): Promise<void>;
}

/** A bare socket.io server on the adapter: what the gateway's server is, without the app. */
async function startIo(redisUrl: string): Promise<RunningIo> {
  const http = createServer();
  const redis = createRedisSocketAdapter(redisUrl);
  const server = new Server(http, { adapter: redis.adapter, transports: ['websocket'] });
  server.on('connection', (socket) => void socket.join('room:shared'));
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const { port } = http.address() as AddressInfo;
  return {
    io: server,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await server.close();
      await redis.close();
    },
  };
}

/** The next `event` on a client socket (socket.io-client's emitter is not Node's). */
function next(socket: Socket, event: string): Promise<unknown[]> {
  return new Promise((resolve) => socket.once(event, (...args: unknown[]) => resolve(args)));
}

async function connect(url: string): Promise<Socket> {
  const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true });
  await next(socket, 'connect');
  return socket;
}

describe('createRedisSocketAdapter', () => {
  let redis: RunningRedis;
  let inspector: Redis;
  const servers: RunningIo[] = [];
  const sockets: Socket[] = [];

  /** Connections by name, with the command each runs (`xread` while blocked on the stream). */
  async function connections(): Promise<{ id: string; name: string; cmd: string }[]> {
    const list = (await inspector.call('CLIENT', 'LIST')) as string;
    return list
      .trim()
      .split('\n')
      .map((line) => {
        const fields = new Map(
          line.split(' ').map((field) => field.split('=', 2) as [string, string]),
        );
        return {
          id: fields.get('id') ?? '',
          name: fields.get('name') ?? '',
          cmd: fields.get('cmd') ?? '',
        };
      })
      .filter((client) => client.name.startsWith('parley-socket-io'));
  }

  async function readers(): Promise<string[]> {
    return (await connections()).filter((client) => client.cmd === 'xread').map(({ id }) => id);
  }

  beforeAll(async () => {
    redis = await startRedisServer();
    inspector = new Redis(redis.url);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    for (const server of servers) await server.close();
    inspector?.disconnect();
    await redis?.stop();
  });

  it('carries broadcasts between servers, and catches up after its connections drop', async () => {
    const one = await startIo(redis.url);
    const two = await startIo(redis.url);
    servers.push(one, two);
    const client = await connect(two.url);
    sockets.push(client);
    await until(async () => (await readers()).length === 2, 'both servers reading the stream');

    const first = next(client, 'note');
    one.io.to('room:shared').emit('note', 'before');
    expect(await first).toEqual(['before']);

    // A blip: Redis drops the blocked readers. What is published meanwhile goes to the stream,
    // and the reader resumes from the last entry it read.
    const blocked = await readers();
    for (const id of blocked) await inspector.call('CLIENT', 'KILL', 'ID', id);
    const second = next(client, 'note');
    one.io.to('room:shared').emit('note', 'during');
    expect(await second).toEqual(['during']);
    await until(async () => (await readers()).length === 2, 'both readers back on the stream');
  });

  it('closes every connection it opened', async () => {
    const existing = (await connections()).length;
    const server = await startIo(redis.url);
    await until(
      async () => (await connections()).length === existing + 3,
      'a publisher, a stream reader and a subscriber',
    );
    await server.close();
    await until(async () => (await connections()).length === existing, 'all three to close');
  });

  it('closes cleanly right after it was created, with its commands still in flight', async () => {
    const existing = (await connections()).length;
    const server = await startIo(redis.url);
    // No wait for the connections: SUBSCRIBE and the first XREAD are still on their way.
    await server.close();
    await until(async () => (await connections()).length === existing, 'every connection to close');
  });
});
