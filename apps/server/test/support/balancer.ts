import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';

export interface Backend {
  host: string;
  port: number;
}

export interface Balancer {
  /** `http://127.0.0.1:<port>`: the one URL clients use. */
  url: string;
  /** Connections currently piped to each backend, in the order the backends were given. */
  active(): number[];
  close(): Promise<void>;
}

/**
 * A layer-4 load balancer for tests: every new TCP connection goes to the next backend in turn;
 * one that refuses the connection is skipped for the next, and with none up the client is closed.
 * No stickiness: HTTP requests and websocket sessions live on one connection each, which is all
 * Parley needs with websocket-only clients. Long-polling would need sticky sessions (see
 * docs/deployment.md). When either side closes or fails, both are destroyed, as a backend crash
 * looks to a client behind a real balancer.
 */
export async function startBalancer(backends: Backend[]): Promise<Balancer> {
  const live = backends.map(() => new Set<Socket>());
  const clients = new Set<Socket>();
  let next = 0;

  function pipe(client: Socket, tried: number): void {
    if (tried === backends.length || client.destroyed) {
      client.destroy();
      return;
    }
    const index = next;
    next = (next + 1) % backends.length;
    const backend = backends[index];
    if (backend === undefined) throw new Error(`no backend ${index}`);
    const upstream = createConnection(backend.port, backend.host);
    const refused = (): void => {
      upstream.destroy();
      pipe(client, tried + 1);
    };
    upstream.once('error', refused);
    upstream.once('connect', () => {
      upstream.off('error', refused);
      if (client.destroyed) {
        upstream.destroy();
        return;
      }
      live[index]?.add(upstream);
      const end = (): void => {
        live[index]?.delete(upstream);
        client.destroy();
        upstream.destroy();
      };
      for (const side of [client, upstream]) {
        side.once('close', end);
        side.once('error', end);
      }
      client.pipe(upstream);
      upstream.pipe(client);
      // Bytes the client sent while the backend was being chosen are buffered in `client` and
      // flow now that it is piped.
      client.resume();
    });
  }

  const server = createServer({ pauseOnConnect: true }, (client) => {
    clients.add(client);
    client.once('close', () => clients.delete(client));
    // Until piped, an error (a reset) must not crash the test process.
    client.on('error', () => client.destroy());
    pipe(client, 0);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    active: () => live.map((sockets) => sockets.size),
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const client of clients) client.destroy();
      for (const sockets of live) for (const upstream of sockets) upstream.destroy();
      await closed;
    },
  };
}
