import { Logger } from '@nestjs/common';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import Redis, { type RedisOptions } from 'ioredis';
import type { Namespace, ServerOptions } from 'socket.io';
import { closeRedis } from '../common/redis/close-redis';

/** Next to the rate-limit keys (`parley:rl:…`), so Parley's Redis data shares one prefix. */
const STREAM_NAME = 'parley:sio';
const CHANNEL_PREFIX = 'parley:sio';
/**
 * socket.io delivers a broadcast to this process's own sockets only after its XADD answered, so
 * during a Redis outage every local delivery would wait for the command. Bound that wait.
 */
const PUBLISH_TIMEOUT_MS = 1000;

type NamespaceAdapter = ReturnType<ReturnType<typeof createAdapter>>;

/**
 * The publishing connection. The adapter opens its own connections with `duplicate()`: one that
 * blocks in `XREAD` on the stream and one in subscriber mode for request/response traffic. Neither
 * may inherit the publisher's command timeout (a 5 s `XREAD BLOCK` would time out and pile up on its
 * connection), nor fail fast while disconnected: the adapter retries a failed read at once, so a
 * reader that rejects immediately would spin. They queue instead, and resume where they left off
 * once Redis is back. They are kept here so they can be closed: the adapter never exposes them.
 */
class AdapterRedis extends Redis {
  readonly copies: Redis[] = [];

  override duplicate(override?: Partial<RedisOptions>): Redis {
    const copy = super.duplicate({
      ...override,
      connectionName: 'parley-socket-io-listener',
      commandTimeout: undefined,
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
      // The adapter's read loop disconnects its client again after `close()` did; ioredis then
      // arms a timer (2 s by default) for a socket that is already gone, delaying exit.
      disconnectTimeout: 100,
    });
    // The adapter sends SUBSCRIBE without awaiting it: closed while that is still in flight (a
    // server stopped right after it started, or a slow Redis), the command would be rejected with
    // nobody listening — an unhandled rejection. A no-op handler marks it handled; whoever awaits
    // the promise still gets the rejection.
    const subscribe = copy.subscribe.bind(copy) as (...args: unknown[]) => Promise<unknown>;
    Object.assign(copy, {
      subscribe: (...args: unknown[]) => {
        const pending = subscribe(...args);
        pending.catch(() => undefined);
        return pending;
      },
    });
    this.copies.push(copy);
    return copy;
  }
}

export interface RedisSocketAdapter {
  /** For socket.io's `adapter` server option. */
  readonly adapter: ServerOptions['adapter'];
  /** Stops reading the stream and closes every Redis connection the adapter uses. */
  close(): Promise<void>;
}

/**
 * Socket.IO over Redis Streams: a broadcast, `socketsLeave` or `disconnectSockets` in one server
 * process reaches the sockets of every process on the same Redis (docs/decisions/0008).
 */
export function createRedisSocketAdapter(url: string): RedisSocketAdapter {
  const logger = new Logger('SocketAdapter');
  const redis = new AdapterRedis(url, {
    connectionName: 'parley-socket-io',
    commandTimeout: PUBLISH_TIMEOUT_MS,
    // Commands issued before the first connection (boot) are queued, each still bounded by the
    // timeout above; a broadcast that fails reaches this process's sockets only, and clients on
    // other processes catch up with `sync` (a seq gap or their next reconnection tells them).
    maxRetriesPerRequest: 1,
  });
  let outage = false;
  redis.on('error', (error: Error) => {
    if (outage) return;
    outage = true;
    logger.warn(`Redis unavailable (${error.message}); broadcasts reach this process only`);
  });
  redis.on('ready', () => {
    if (!outage) return;
    outage = false;
    logger.log('Redis is back; broadcasts reach every process again');
  });

  const namespaces = new Set<NamespaceAdapter>();
  const perNamespace = createAdapter(redis, {
    streamName: STREAM_NAME,
    channelPrefix: CHANNEL_PREFIX,
    // Every payload is JSON (contract DTOs): skip the adapter's binary scan of each packet.
    onlyPlaintext: true,
  });
  // socket.io calls `new adapter(namespace)`: a function, not an arrow, so it can be constructed.
  function adapter(namespace: Namespace): NamespaceAdapter {
    const created = perNamespace(namespace);
    namespaces.add(created);
    return created;
  }

  return {
    adapter,
    close: async () => {
      // Closing the last namespace adapter stops the read loop; socket.io's close() has usually
      // done so already (a second close is harmless). Only then may the reader's connection go,
      // or the loop would retry on a closed client without pause.
      for (const namespace of namespaces) await namespace.close();
      namespaces.clear();
      for (const copy of redis.copies) copy.disconnect();
      // QUIT goes after whatever is still queued: the last broadcasts.
      await closeRedis(redis);
    },
  };
}
