import { randomBytes, randomUUID } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { getConnectionToken } from '@nestjs/mongoose';
import {
  MESSAGE_ATTACHMENTS_MAX,
  THUMBNAIL_MAX_SIDE,
  UPLOAD_FIELD,
  type AuthSessionDto,
  type FileDto,
  type MessageDto,
  type RoomViewDto,
} from '@parley/contracts';
import { Types, type Connection } from 'mongoose';
import sharp from 'sharp';
import type { Response } from 'supertest';
import { FileSweeper } from '../src/files/file-sweeper';
import { UNSENT_FILE_TTL_MS } from '../src/files/files.service';
import { acceptInvite, bearer, createInvite, createRoomOfKind } from './support/rooms';
import {
  closeSockets,
  connectSocket,
  emitRawWithAck,
  emitWithAck,
  nextEvent,
  withTimeout,
  type ClientSocket,
} from './support/sockets';
import { startTestApp, type TestApp } from './support/test-app';
import { signIn } from './support/users';

/** Small, so the limit tests need little data; every image below is far smaller. */
const MAX_UPLOAD_BYTES = 256 * 1024;
const DOWNLOAD_CSP = "sandbox; default-src 'none'";
const CACHE_CONTROL = 'private, max-age=31536000, immutable';

interface Upload {
  content: Buffer;
  filename: string;
  contentType?: string;
}

describe('files: upload, download, thumbnails, attachments', () => {
  let t: TestApp;
  const sockets: ClientSocket[] = [];
  let png: Buffer;
  let jpeg: Buffer;

  beforeAll(async () => {
    t = await startTestApp({
      MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
      REST_RATE_LIMIT_PER_MINUTE: '1000000',
      SEND_MESSAGES_PER_10_SECONDS: '1000',
      SOCKET_EVENTS_PER_10_SECONDS: '1000',
    });
    const picture = { width: 640, height: 480, channels: 3, background: '#3366cc' } as const;
    png = await sharp({ create: picture }).png().toBuffer();
    jpeg = await sharp({ create: { ...picture, width: 200, height: 800 } })
      .jpeg()
      .toBuffer();
  });

  afterEach(() => closeSockets(...sockets.splice(0)));

  afterAll(async () => {
    await t.close();
  });

  function upload(session: AuthSessionDto | undefined, roomId: string, file: Upload) {
    const request = t.http.post(`/api/rooms/${roomId}/files`);
    if (session) request.set('Authorization', bearer(session));
    return request.attach(UPLOAD_FIELD, file.content, {
      filename: file.filename,
      contentType: file.contentType ?? 'application/octet-stream',
    });
  }

  async function uploaded(session: AuthSessionDto, roomId: string, file: Upload): Promise<FileDto> {
    const response = await upload(session, roomId, file);
    if (response.status !== 201) throw new Error(`upload: ${response.status} ${response.text}`);
    return response.body as FileDto;
  }

  /** A multipart body written by hand, for part headers supertest would not produce. */
  function rawUpload(session: AuthSessionDto, roomId: string, fileNameParameter: string) {
    const boundary = `----parley${randomBytes(8).toString('hex')}`;
    const body = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${UPLOAD_FIELD}"; ${fileNameParameter}\r\n` +
        `Content-Type: text/plain\r\n\r\nx\r\n--${boundary}--\r\n`,
    );
    return t.http
      .post(`/api/rooms/${roomId}/files`)
      .set('Authorization', bearer(session))
      .set('Content-Type', `multipart/form-data; boundary=${boundary}`)
      .send(body);
  }

  function download(session: AuthSessionDto | undefined, path: string) {
    // Bodies as bytes, whatever the type (superagent would parse JSON and drop binary types).
    const request = t.http.get(path).responseType('blob');
    if (session) request.set('Authorization', bearer(session));
    return request;
  }

  /** A private room of Ann (owner) and Bob, created before anyone connects a socket. */
  async function roomOfTwo(): Promise<{
    ann: AuthSessionDto;
    bob: AuthSessionDto;
    room: RoomViewDto;
  }> {
    const ann = await signIn(t, 'Ann');
    const bob = await signIn(t, 'Bob');
    const room = await createRoomOfKind(t, ann, 'private', 'Files');
    await acceptInvite(t, bob, (await createInvite(t, ann, room.id)).code);
    return { ann, bob, room };
  }

  async function connect(session: AuthSessionDto): Promise<ClientSocket> {
    const socket = await connectSocket(t.baseUrl, session.accessToken);
    sockets.push(socket);
    return socket;
  }

  function database() {
    const db = t.app.get<Connection>(getConnectionToken()).db;
    if (!db) throw new Error('no database');
    return db;
  }

  async function gridFsCounts(): Promise<{ files: number; chunks: number }> {
    const db = database();
    return {
      files: await db.collection('files.files').countDocuments({}),
      chunks: await db.collection('files.chunks').countDocuments({}),
    };
  }

  function expectDownloadHeaders(
    response: Response,
    expected: { contentType: string; disposition: string; length: number },
  ): void {
    expect({
      contentType: response.headers['content-type'],
      disposition: response.headers['content-disposition'],
      length: response.headers['content-length'],
      nosniff: response.headers['x-content-type-options'],
      csp: response.headers['content-security-policy'],
      cache: response.headers['cache-control'],
    }).toEqual({
      contentType: expected.contentType,
      disposition: expected.disposition,
      length: String(expected.length),
      nosniff: 'nosniff',
      csp: DOWNLOAD_CSP,
      cache: CACHE_CONTROL,
    });
  }

  describe('upload and download', () => {
    it('stores a PNG as an image with its size, serves it inline and makes a thumbnail', async () => {
      const { ann, room } = await roomOfTwo();
      const file = await uploaded(ann, room.id, {
        content: png,
        filename: 'whiteboard.png',
        contentType: 'image/png',
      });
      expect(file).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{24}$/),
        name: 'whiteboard.png',
        size: png.length,
        contentType: 'image/png',
        kind: 'image',
        width: 640,
        height: 480,
        room: room.id,
        uploadedBy: ann.user.id,
        createdAt: expect.any(String),
      });

      const original = await download(ann, `/api/files/${file.id}`).expect(200);
      expectDownloadHeaders(original, {
        contentType: 'image/png',
        disposition: `inline; filename="whiteboard.png"; filename*=UTF-8''whiteboard.png`,
        length: png.length,
      });
      expect(Buffer.compare(original.body as Buffer, png)).toBe(0);

      const thumbnail = await download(ann, `/api/files/${file.id}/thumbnail`).expect(200);
      const thumbnailBytes = thumbnail.body as Buffer;
      expectDownloadHeaders(thumbnail, {
        contentType: 'image/webp',
        disposition: `inline; filename="whiteboard.png"; filename*=UTF-8''whiteboard.png`,
        length: thumbnailBytes.length,
      });
      const shown = await sharp(thumbnailBytes).metadata();
      expect([shown.format, shown.width, shown.height]).toEqual([
        'webp',
        THUMBNAIL_MAX_SIDE,
        (THUMBNAIL_MAX_SIDE * 480) / 640,
      ]);
    });

    it('recognises a JPEG by its content, whatever name and type were declared', async () => {
      const { ann, room } = await roomOfTwo();
      const file = await uploaded(ann, room.id, {
        content: jpeg,
        filename: 'notes.txt',
        contentType: 'text/plain',
      });
      expect([file.kind, file.contentType, file.width, file.height]).toEqual([
        'image',
        'image/jpeg',
        200,
        800,
      ]);
      const thumbnail = await download(ann, `/api/files/${file.id}/thumbnail`).expect(200);
      const shown = await sharp(thumbnail.body as Buffer).metadata();
      expect([shown.width, shown.height]).toEqual([THUMBNAIL_MAX_SIDE / 4, THUMBNAIL_MAX_SIDE]);
    });

    it('stores a text file as an opaque file, served only as an attachment and without thumbnail', async () => {
      const { ann, room } = await roomOfTwo();
      const content = Buffer.from('minutes of the meeting\n');
      const file = await uploaded(ann, room.id, {
        content,
        filename: 'minutes résumé.txt',
        contentType: 'text/plain',
      });
      expect(file).toMatchObject({
        name: 'minutes résumé.txt',
        size: content.length,
        contentType: 'application/octet-stream',
        kind: 'file',
        width: null,
        height: null,
      });
      const response = await download(ann, `/api/files/${file.id}`).expect(200);
      expectDownloadHeaders(response, {
        contentType: 'application/octet-stream',
        disposition: `attachment; filename="minutes r_sum_.txt"; filename*=UTF-8''minutes%20r%C3%A9sum%C3%A9.txt`,
        length: content.length,
      });
      expect((response.body as Buffer).toString()).toBe('minutes of the meeting\n');
      const thumbnail = await download(ann, `/api/files/${file.id}/thumbnail`).expect(404);
      expect(errorCode(thumbnail)).toBe('file_not_found');
    });

    it('accepts an empty file', async () => {
      const { ann, room } = await roomOfTwo();
      const file = await uploaded(ann, room.id, { content: Buffer.alloc(0), filename: 'empty' });
      expect([file.size, file.kind]).toEqual([0, 'file']);
      await download(ann, `/api/files/${file.id}`).expect(200);
    });
  });

  describe('type spoofing and names', () => {
    it('never serves a PNG header on an HTML body as HTML or as an image', async () => {
      const { ann, room } = await roomOfTwo();
      const content = Buffer.concat([
        png.subarray(0, 8),
        Buffer.from('<html><body><script>alert(document.cookie)</script></body></html>'),
      ]);
      const file = await uploaded(ann, room.id, {
        content,
        filename: 'evil.html',
        contentType: 'text/html',
      });
      expect([file.kind, file.contentType, file.width]).toEqual([
        'file',
        'application/octet-stream',
        null,
      ]);
      const response = await download(ann, `/api/files/${file.id}`).expect(200);
      expect(response.headers['content-type']).toBe('application/octet-stream');
      expect(response.headers['content-disposition']).toMatch(/^attachment;/);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      await download(ann, `/api/files/${file.id}/thumbnail`).expect(404);
    });

    it('treats an SVG with a script as a file: an attachment, never inline, never an image', async () => {
      const { ann, room } = await roomOfTwo();
      const content = Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>',
      );
      const file = await uploaded(ann, room.id, {
        content,
        filename: 'logo.svg',
        contentType: 'image/svg+xml',
      });
      expect([file.kind, file.contentType]).toEqual(['file', 'application/octet-stream']);
      const response = await download(ann, `/api/files/${file.id}`).expect(200);
      expect(response.headers['content-type']).toBe('application/octet-stream');
      expect(response.headers['content-disposition']).toBe(
        `attachment; filename="logo.svg"; filename*=UTF-8''logo.svg`,
      );
      expect(response.headers['content-security-policy']).toBe(DOWNLOAD_CSP);
    });

    it('never stores under the uploader’s name, and shows it without directories or control characters', async () => {
      const { ann, room } = await roomOfTwo();
      const names: [string, string][] = [
        ['../../etc/passwd', 'passwd'],
        ['..\\..\\x', 'x'],
        ['..', 'file'],
      ];
      const uploads: [string, FileDto][] = [];
      for (const [sent] of names) {
        uploads.push([
          sent,
          await uploaded(ann, room.id, { content: Buffer.from('x'), filename: sent }),
        ]);
      }
      // Control characters cannot stand raw in a part header; RFC 8187's filename* carries them.
      const encoded = await rawUpload(
        ann,
        room.id,
        `filename*=UTF-8''re%00po%01r%1Bt%7F%E2%80%AE.txt`,
      );
      expect(encoded.status).toBe(201);
      uploads.push(['re\u0000po\u0001r\u001bt\u007f\u202e.txt', encoded.body as FileDto]);
      names.push(['re\u0000po\u0001r\u001bt\u007f\u202e.txt', 'report.txt']);
      for (const [index, [sent, file]] of uploads.entries()) {
        const shown = names[index]?.[1];
        expect([sent, file.name]).toEqual([sent, shown]);
        const stored = await database()
          .collection('files.files')
          .findOne({ filename: file.id }, { projection: { filename: 1, 'metadata.name': 1 } });
        expect(stored?.['metadata']).toEqual({ name: shown });
      }
    });
  });

  describe('the size limit', () => {
    it('refuses a body whose Content-Length is over the limit before reading it', async () => {
      const { ann, room } = await roomOfTwo();
      const before = await gridFsCounts();
      const response = await upload(ann, room.id, {
        content: randomBytes(MAX_UPLOAD_BYTES * 2),
        filename: 'big.bin',
      }).expect(413);
      expect(errorCode(response)).toBe('payload_too_large');
      expect(await gridFsCounts()).toEqual(before);
    });

    it('answers 413 while the file is still streaming in, and keeps nothing of it', async () => {
      const { ann, room } = await roomOfTwo();
      const before = await gridFsCounts();
      // Chunked, so no Content-Length gives the size away; the request is never ended.
      const boundary = `----parley${randomBytes(8).toString('hex')}`;
      const url = new URL(`/api/rooms/${room.id}/files`, t.baseUrl);
      const request = httpRequest(url, {
        method: 'POST',
        headers: {
          Authorization: bearer(ann),
          'Content-Type': `multipart/form-data; boundary=${boundary}`,
          'Transfer-Encoding': 'chunked',
        },
      });
      const response = withTimeout(
        new Promise<IncomingMessage>((resolve, reject) => {
          request.once('response', resolve);
          request.once('error', reject);
        }),
        'the 413 response',
      );
      request.write(
        `--${boundary}\r\nContent-Disposition: form-data; name="${UPLOAD_FIELD}"; filename="big.bin"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      );
      // Past the limit, in several chunks (several GridFS chunks were already written).
      for (let sent = 0; sent <= MAX_UPLOAD_BYTES; sent += 64 * 1024) {
        request.write(randomBytes(64 * 1024));
      }
      const answer = await response;
      const body = await readBody(answer);
      request.destroy();
      expect([answer.statusCode, (JSON.parse(body) as ErrorBody).error.code]).toEqual([
        413,
        'payload_too_large',
      ]);
      expect(await gridFsCounts()).toEqual(before);
    });

    it('accepts a file of exactly the limit', async () => {
      const { ann, room } = await roomOfTwo();
      const file = await uploaded(ann, room.id, {
        content: randomBytes(MAX_UPLOAD_BYTES),
        filename: 'exact.bin',
      });
      expect(file.size).toBe(MAX_UPLOAD_BYTES);
    });
  });

  describe('invalid requests and access', () => {
    it('refuses requests without a token', async () => {
      const { ann, room } = await roomOfTwo();
      const file = await uploaded(ann, room.id, { content: png, filename: 'a.png' });
      const refusals = [
        await upload(undefined, room.id, { content: png, filename: 'a.png' }),
        await download(undefined, `/api/files/${file.id}`),
        await download(undefined, `/api/files/${file.id}/thumbnail`),
      ];
      expect(refusals.map((response) => [response.status, errorCode(response)])).toEqual([
        [401, 'unauthorized'],
        [401, 'unauthorized'],
        [401, 'unauthorized'],
      ]);
    });

    it('refuses what is not one file in the file field', async () => {
      const { ann, room } = await roomOfTwo();
      const responses = [
        await t.http
          .post(`/api/rooms/${room.id}/files`)
          .set('Authorization', bearer(ann))
          .send({ file: 'not multipart' }),
        await t.http
          .post(`/api/rooms/${room.id}/files`)
          .set('Authorization', bearer(ann))
          .attach('document', png, 'a.png'),
        await t.http
          .post(`/api/rooms/${room.id}/files`)
          .set('Authorization', bearer(ann))
          .attach(UPLOAD_FIELD, png, 'a.png')
          .attach(UPLOAD_FIELD, png, 'b.png'),
        await t.http
          .post(`/api/rooms/${room.id}/files`)
          .set('Authorization', bearer(ann))
          .field('note', 'hello'),
        await download(ann, '/api/files/not-an-id'),
      ];
      expect(responses.map((response) => [response.status, errorCode(response)])).toEqual(
        responses.map(() => [400, 'validation_failed']),
      );
    });

    it('lets only members upload, only readers of the room download, and only the uploader see an unsent file', async () => {
      const { ann, bob, room } = await roomOfTwo();
      const mallory = await signIn(t, 'Mallory');
      const refused = await upload(mallory, room.id, { content: png, filename: 'a.png' });
      expect([refused.status, errorCode(refused)]).toEqual([403, 'not_a_member']);

      const file = await uploaded(ann, room.id, { content: png, filename: 'a.png' });
      // Not sent yet: nobody but Ann, not even a member of the room.
      for (const path of [`/api/files/${file.id}`, `/api/files/${file.id}/thumbnail`]) {
        const hidden = await download(bob, path);
        expect([hidden.status, errorCode(hidden)]).toEqual([404, 'file_not_found']);
      }

      const annSocket = await connect(ann);
      const ack = await emitWithAck(annSocket, 'send_message', {
        room: room.id,
        content: '',
        clientMessageId: randomUUID(),
        attachments: [file.id],
      });
      expect(ack.ok).toBe(true);
      await download(bob, `/api/files/${file.id}`).expect(200);
      await download(bob, `/api/files/${file.id}/thumbnail`).expect(200);
      const outsider = await download(mallory, `/api/files/${file.id}`);
      expect([outsider.status, errorCode(outsider)]).toEqual([403, 'not_a_member']);
      const unknown = await download(ann, `/api/files/${'0'.repeat(24)}`);
      expect([unknown.status, errorCode(unknown)]).toEqual([404, 'file_not_found']);
    });
  });

  describe('attachments on send_message', () => {
    it('copies the files into the message, which the room receives with them', async () => {
      const { ann, bob, room } = await roomOfTwo();
      const image = await uploaded(ann, room.id, { content: png, filename: 'chart.png' });
      const text = await uploaded(ann, room.id, { content: Buffer.from('a'), filename: 'a.txt' });
      const annSocket = await connect(ann);
      const bobSocket = await connect(bob);
      const broadcast = nextEvent(bobSocket, 'new_message');
      const clientMessageId = randomUUID();
      const ack = await emitWithAck(annSocket, 'send_message', {
        room: room.id,
        content: 'Two files',
        clientMessageId,
        attachments: [image.id, text.id],
      });
      if (!ack.ok) throw new Error(`send failed: ${ack.error.code}`);
      const expected = [image, text].map(
        ({ id, name, size, contentType, kind, width, height }) => ({
          id,
          name,
          size,
          contentType,
          kind,
          width,
          height,
        }),
      );
      expect(ack.data.attachments).toEqual(expected);
      expect((await broadcast).attachments).toEqual(expected);

      // A resend of the same send is the same message, files and all.
      const resent = await emitWithAck(annSocket, 'send_message', {
        room: room.id,
        content: 'Two files',
        clientMessageId,
        attachments: [image.id, text.id],
      });
      expect(resent.ok && [resent.data.id, resent.data.attachments]).toEqual([
        ack.data.id,
        expected,
      ]);

      const history = await t.http
        .get(`/api/rooms/${room.id}/messages`)
        .set('Authorization', bearer(bob))
        .expect(200);
      const stored = (history.body as { items: MessageDto[] }).items.find(
        (message) => message.id === ack.data.id,
      );
      expect(stored?.attachments).toEqual(expected);
    });

    it('refuses files that are not the sender’s, of another room, already sent, unknown, or too many', async () => {
      const { ann, bob, room } = await roomOfTwo();
      const otherRoom = await createRoomOfKind(t, ann, 'private', 'Elsewhere');
      const bobsFile = await uploaded(bob, room.id, { content: png, filename: 'bob.png' });
      const elsewhere = await uploaded(ann, otherRoom.id, { content: png, filename: 'x.png' });
      const sent = await uploaded(ann, room.id, { content: png, filename: 'sent.png' });
      const annSocket = await connect(ann);
      const send = (attachments: string[], content = 'with files') =>
        emitRawWithAck(annSocket, 'send_message', {
          room: room.id,
          content,
          clientMessageId: randomUUID(),
          attachments,
        });
      expect((await send([sent.id])).ok).toBe(true);

      const attempts = {
        othersFile: await send([bobsFile.id]),
        otherRoom: await send([elsewhere.id]),
        alreadySent: await send([sent.id]),
        unknown: await send(['0'.repeat(24)]),
        notAnId: await send(['../../etc/passwd']),
        tooMany: await send(
          Array.from({ length: MESSAGE_ATTACHMENTS_MAX + 1 }, () =>
            randomBytes(12).toString('hex'),
          ),
        ),
        emptyWithoutFiles: await send([], ''),
      };
      expect(
        Object.fromEntries(
          Object.entries(attempts).map(([name, ack]) => [name, ack.ok ? 'ok' : ack.error.code]),
        ),
      ).toEqual({
        othersFile: 'file_not_found',
        otherRoom: 'unsupported_file',
        alreadySent: 'unsupported_file',
        unknown: 'file_not_found',
        notAnId: 'validation_failed',
        tooMany: 'validation_failed',
        emptyWithoutFiles: 'validation_failed',
      });
      // A refused send claims nothing: Bob can still send his file.
      const bobSocket = await connect(bob);
      const bobsSend = await emitWithAck(bobSocket, 'send_message', {
        room: room.id,
        content: '',
        clientMessageId: randomUUID(),
        attachments: [bobsFile.id],
      });
      expect(bobsSend.ok).toBe(true);
    });

    it('lets a refused send release its files for the next one', async () => {
      const { ann, room } = await roomOfTwo();
      const mine = await uploaded(ann, room.id, { content: png, filename: 'mine.png' });
      const annSocket = await connect(ann);
      // One good file and one unknown: refused as a whole, and the good one stays unsent.
      const refused = await emitWithAck(annSocket, 'send_message', {
        room: room.id,
        content: 'x',
        clientMessageId: randomUUID(),
        attachments: [mine.id, '0'.repeat(24)],
      });
      expect(refused.ok ? 'ok' : refused.error.code).toBe('file_not_found');
      const retried = await emitWithAck(annSocket, 'send_message', {
        room: room.id,
        content: 'x',
        clientMessageId: randomUUID(),
        attachments: [mine.id],
      });
      expect(retried.ok).toBe(true);
    });
  });

  it('sweeps files never sent once they are a day old, and keeps sent ones', async () => {
    const { ann, room } = await roomOfTwo();
    const unsent = await uploaded(ann, room.id, { content: png, filename: 'draft.png' });
    const sent = await uploaded(ann, room.id, { content: png, filename: 'kept.png' });
    const annSocket = await connect(ann);
    const ack = await emitWithAck(annSocket, 'send_message', {
      room: room.id,
      content: '',
      clientMessageId: randomUUID(),
      attachments: [sent.id],
    });
    expect(ack.ok).toBe(true);

    const sweeper = t.app.get(FileSweeper);
    // Not yet a day old: nothing happens to it.
    await sweeper.sweep(new Date(Date.parse(unsent.createdAt) + UNSENT_FILE_TTL_MS - 60_000));
    await download(ann, `/api/files/${unsent.id}`).expect(200);

    expect(
      await sweeper.sweep(new Date(Date.parse(unsent.createdAt) + UNSENT_FILE_TTL_MS + 60_000)),
    ).toBeGreaterThanOrEqual(1);
    for (const path of [`/api/files/${unsent.id}`, `/api/files/${unsent.id}/thumbnail`]) {
      const gone = await download(ann, path);
      expect([gone.status, errorCode(gone)]).toEqual([404, 'file_not_found']);
    }
    const db = database();
    const id = new Types.ObjectId(unsent.id);
    expect([
      await db.collection('files.chunks').countDocuments({ files_id: id }),
      await db.collection('thumbnails.files').countDocuments({ _id: id }),
      await db.collection('thumbnails.chunks').countDocuments({ files_id: id }),
    ]).toEqual([0, 0, 0]);
    await download(ann, `/api/files/${sent.id}`).expect(200);
  });
});

interface ErrorBody {
  error: { code: string };
}

function errorCode(response: Response): string | undefined {
  const body = response.body as Partial<ErrorBody> | Buffer;
  if (Buffer.isBuffer(body)) {
    try {
      return (JSON.parse(body.toString()) as ErrorBody).error.code;
    } catch {
      return undefined;
    }
  }
  return body.error?.code;
}

function readBody(response: IncomingMessage): Promise<string> {
  return withTimeout(
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve(Buffer.concat(chunks).toString()));
      response.on('error', reject);
    }),
    'the response body',
  );
}
