import net from 'node:net';
import { type Document, deserialize, serialize } from 'bson';
import { MongoClient } from 'mongodb';
import { startServer, type RunningServer } from '../src';
import { OP_MSG, OP_QUERY, OP_REPLY, parseMessage } from '../src/wire/protocol';

function header(len: number, requestId: number, opCode: number): Buffer {
  const h = Buffer.alloc(16);
  h.writeInt32LE(len, 0);
  h.writeInt32LE(requestId, 4);
  h.writeInt32LE(opCode, 12);
  return h;
}

function opMsg(
  requestId: number,
  body: Document,
  flags = 0,
  sequences: [string, Document[]][] = [],
): Buffer {
  const parts: Buffer[] = [Buffer.from([0]), Buffer.from(serialize(body))];
  for (const [id, docs] of sequences) {
    const payload = Buffer.concat([
      Buffer.from(`${id}\0`),
      ...docs.map((d) => Buffer.from(serialize(d))),
    ]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(4 + payload.length, 0);
    parts.push(Buffer.from([1]), size, payload);
  }
  const flagBuf = Buffer.alloc(4);
  flagBuf.writeUInt32LE(flags, 0);
  const checksum = flags & 1 ? Buffer.alloc(4) : Buffer.alloc(0);
  const rest = Buffer.concat([flagBuf, ...parts, checksum]);
  return Buffer.concat([header(16 + rest.length, requestId, OP_MSG), rest]);
}

/** A minimal raw client: sends bytes and resolves with the next complete reply. */
class RawClient {
  private buf = Buffer.alloc(0);
  private waiters: ((m: Buffer) => void)[] = [];
  private constructor(private readonly sock: net.Socket) {
    sock.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      while (this.buf.length >= 4 && this.buf.length >= this.buf.readInt32LE(0)) {
        const len = this.buf.readInt32LE(0);
        const m = this.buf.subarray(0, len);
        this.buf = this.buf.subarray(len);
        this.waiters.shift()?.(m);
      }
    });
  }
  static async connect(port: number): Promise<RawClient> {
    const sock = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => sock.once('connect', () => resolve()));
    return new RawClient(sock);
  }
  send(msg: Buffer): void {
    this.sock.write(msg);
  }
  request(msg: Buffer): Promise<Buffer> {
    const p = new Promise<Buffer>((resolve) => this.waiters.push(resolve));
    this.sock.write(msg);
    return p;
  }
  close(): void {
    this.sock.destroy();
  }
}

function replyBody(m: Buffer): Document {
  const opCode = m.readInt32LE(12);
  if (opCode === OP_MSG) return deserialize(m.subarray(21));
  if (opCode === OP_REPLY) return deserialize(m.subarray(36));
  throw new Error(`unexpected opcode ${opCode}`);
}

describe('wire protocol', () => {
  let server: RunningServer;
  let raw: RawClient;
  beforeAll(async () => {
    server = await startServer({ port: 0 });
    raw = await RawClient.connect(server.port);
  });
  afterAll(async () => {
    raw.close();
    await server.stop();
  });

  it('answers a legacy OP_QUERY isMaster on admin.$cmd with OP_REPLY', async () => {
    const q = Buffer.concat([
      Buffer.alloc(4),
      Buffer.from('admin.$cmd\0'),
      Buffer.alloc(4),
      Buffer.from([0xff, 0xff, 0xff, 0xff]),
      serialize({ isMaster: 1, helloOk: true }),
    ]);
    const reply = await raw.request(Buffer.concat([header(16 + q.length, 7, OP_QUERY), q]));
    expect(reply.readInt32LE(12)).toBe(OP_REPLY);
    expect(reply.readInt32LE(8)).toBe(7);
    expect(reply.readInt32LE(32)).toBe(1);
    expect(replyBody(reply)).toMatchObject({
      ismaster: true,
      maxWireVersion: 21,
      minWireVersion: 0,
      maxBsonObjectSize: 16777216,
      maxMessageSizeBytes: 48000000,
      maxWriteBatchSize: 100000,
      logicalSessionTimeoutMinutes: 30,
      readOnly: false,
      ok: 1,
    });
    expect(replyBody(reply).setName).toBeUndefined();
  });

  it('accepts kind-1 document sequences, checksums and moreToCome', async () => {
    const ins = await raw.request(
      opMsg(1, { insert: 'w', $db: 'wire' }, 1, [['documents', [{ _id: 1 }, { _id: 2 }]]]),
    );
    expect(replyBody(ins)).toMatchObject({ n: 2, ok: 1 });
    // moreToCome: no reply; the next request's reply must be the only one we get.
    raw.send(
      opMsg(2, { insert: 'w', $db: 'wire', writeConcern: { w: 0 } }, 2, [
        ['documents', [{ _id: 3 }]],
      ]),
    );
    const count = await raw.request(opMsg(3, { count: 'w', $db: 'wire' }));
    expect(count.readInt32LE(8)).toBe(3);
    expect(replyBody(count)).toMatchObject({ n: 3, ok: 1 });
  });

  it('parses OP_MSG sections into one command', () => {
    const req = parseMessage(
      opMsg(9, { update: 'c', $db: 'x' }, 0, [['updates', [{ q: {}, u: { $set: { a: 1 } } }]]]),
    );
    expect(req.command).toEqual({
      update: 'c',
      $db: 'x',
      updates: [{ q: {}, u: { $set: { a: 1 } } }],
    });
    expect(req.moreToCome).toBe(false);
  });

  it('reports unknown commands, operators and stages with MongoDB codes', async () => {
    const r = replyBody(await raw.request(opMsg(4, { nope: 1, $db: 'wire' })));
    expect(r).toMatchObject({ ok: 0, code: 59, codeName: 'CommandNotFound' });
    const u = replyBody(
      await raw.request(
        opMsg(5, { update: 'w', $db: 'wire', updates: [{ q: {}, u: { $frob: { a: 1 } } }] }),
      ),
    );
    expect(u.writeErrors[0]).toMatchObject({ code: 9, codeName: 'FailedToParse' });
    const e = replyBody(
      await raw.request(
        opMsg(6, {
          aggregate: 'w',
          $db: 'wire',
          pipeline: [{ $project: { a: { $frob: 1 } } }],
          cursor: {},
        }),
      ),
    );
    expect(e).toMatchObject({ ok: 0, code: 168 });
  });

  it('supports unacknowledged writes through the driver', async () => {
    const client = await MongoClient.connect(server.uri);
    try {
      const c = client.db('wire').collection('unack');
      await c.insertOne({ a: 1 }, { writeConcern: { w: 0 } });
      expect(await c.countDocuments({ a: 1 })).toBe(1);
    } finally {
      await client.close();
    }
  });
});
