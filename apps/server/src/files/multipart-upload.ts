import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { UPLOAD_FIELD } from '@parley/contracts';
import busboy from 'busboy';
import { AppException } from '../common/errors/app-exception';
import { IMAGE_SIGNATURE_BYTES, startsLikeImage } from './image-inspector';

/** Where the file's bytes go as they arrive (a GridFS upload stream in production). */
export interface UploadSink {
  /** Resolves once the chunk is accepted; the next one is not written before. */
  write(chunk: Buffer): Promise<void>;
  finish(): Promise<void>;
  /** Removes whatever was written. Never rejects. */
  discard(): Promise<void>;
}

export interface ReceivedFile {
  /** As the client sent it (unsanitised). */
  name: string;
  size: number;
  /** The whole content when it starts like an image (for decoding), otherwise `null`. */
  content: Buffer | null;
}

export function payloadTooLarge(maxBytes: number): AppException {
  return new AppException('payload_too_large', `A file may be at most ${maxBytes} bytes`);
}

function invalid(message: string): AppException {
  return new AppException('validation_failed', message);
}

/**
 * Streams the one file of a `multipart/form-data` request (field `file`) into the sink opened for
 * it (with the file name the client sent), counting
 * as it goes. Past `maxBytes` it stops at once: the sink is discarded, the rest of the request is
 * read and thrown away (so the client gets the 413 rather than a reset connection) and the
 * promise rejects with `payload_too_large` — before the client has finished sending.
 */
export function receiveFile(
  request: IncomingMessage,
  openSink: (name: string) => UploadSink,
  maxBytes: number,
): Promise<ReceivedFile> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: request.headers,
      // File names are UTF-8 in every current browser; busboy's default would read them as Latin-1.
      defParamCharset: 'utf8',
      // Busboy reports the limit on reaching it, so one byte more tells "exactly the limit" apart.
      limits: { files: 1, fields: 0, fileSize: maxBytes + 1, headerPairs: 16 },
    });
  } catch {
    return Promise.reject(
      invalid(`Send one file as multipart/form-data in field "${UPLOAD_FIELD}"`),
    );
  }

  return new Promise<ReceivedFile>((resolve, reject) => {
    let failure: Error | undefined;
    let done = false;
    let fileStream: Readable | undefined;
    let sink: UploadSink | undefined;
    let copying: Promise<ReceivedFile> | undefined;

    const fail = (error: Error): void => {
      if (failure || done) return;
      failure = error;
      request.unpipe(parser);
      // Drain what the client is still sending so the response reaches it.
      request.resume();
      fileStream?.destroy(error);
      // No write may be in flight when the sink is discarded, or a late chunk would outlive it.
      void (copying ?? Promise.resolve())
        .catch(() => undefined)
        .then(() => sink?.discard())
        .then(() => reject(error));
    };

    parser.on('file', (field: string, stream: Readable, info: busboy.FileInfo) => {
      if (field !== UPLOAD_FIELD || fileStream) {
        stream.resume();
        fail(invalid(`Send exactly one file, in field "${UPLOAD_FIELD}"`));
        return;
      }
      fileStream = stream;
      stream.on('limit', () => stream.destroy(payloadTooLarge(maxBytes)));
      // A part without a file name still counts: `sanitizeFileName` gives it a neutral one.
      const name = info.filename ?? '';
      const opened = openSink(name);
      sink = opened;
      copying = copy(stream, name, opened).then(async (received) => {
        await opened.finish();
        return received;
      });
      copying.then(
        (received) => {
          // A failure meanwhile (a second part) discards the file once this settles.
          if (failure) return;
          done = true;
          resolve(received);
        },
        (error: unknown) => fail(error instanceof Error ? error : new Error(String(error))),
      );
    });
    parser.on('fieldsLimit', () => fail(invalid(`Send only the file, in field "${UPLOAD_FIELD}"`)));
    parser.on('filesLimit', () =>
      fail(invalid(`Send exactly one file, in field "${UPLOAD_FIELD}"`)),
    );
    parser.on('error', () => fail(invalid('The multipart body is malformed or incomplete')));
    parser.on('close', () => {
      if (!fileStream) fail(invalid(`No file in field "${UPLOAD_FIELD}"`));
    });
    request.on('close', () => {
      if (!request.complete) fail(new Error('The client went away during the upload'));
    });
    request.pipe(parser);
  });
}

/** Copies the file into the sink one chunk at a time, keeping it in memory only if it may be an image. */
async function copy(stream: Readable, name: string, sink: UploadSink): Promise<ReceivedFile> {
  let size = 0;
  const head: Buffer[] = [];
  let keep: boolean | undefined;
  const kept: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (keep === undefined) {
      head.push(chunk);
      const start = Buffer.concat(head);
      if (start.length >= IMAGE_SIGNATURE_BYTES) {
        keep = startsLikeImage(start);
        if (keep) kept.push(start);
        head.length = 0;
      }
    } else if (keep) {
      kept.push(chunk);
    }
    await sink.write(chunk);
  }
  // Shorter than any image signature.
  if (keep === undefined) keep = false;
  return { name, size, content: keep ? Buffer.concat(kept) : null };
}
