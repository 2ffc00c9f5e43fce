import { sessionStore } from '@/lib/session-store';
import { isApiRequestError } from '@/lib/api-error';
import { isUploadCanceled, uploadFile } from './upload-file';

type Listener = () => void;

/** The slice of XMLHttpRequest the upload uses; the test answers it by hand. */
class FakeRequest {
  static made: FakeRequest[] = [];
  method = '';
  url = '';
  headers = new Map<string, string>();
  body: FormData | undefined;
  status = 0;
  responseText = '';
  aborted = false;
  private readonly listeners = new Map<string, Listener[]>();
  private readonly uploadListeners: ((event: ProgressEvent) => void)[] = [];
  readonly upload = {
    addEventListener: (_type: 'progress', listener: (event: ProgressEvent) => void) => {
      this.uploadListeners.push(listener);
    },
  };

  constructor() {
    FakeRequest.made.push(this);
  }

  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers.set(name, value);
  }
  addEventListener(type: string, listener: Listener) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  send(body: FormData) {
    this.body = body;
  }
  abort() {
    this.aborted = true;
    this.fire('abort');
  }

  progress(loaded: number, total: number) {
    const event = { lengthComputable: true, loaded, total } as ProgressEvent;
    this.uploadListeners.forEach((listener) => listener(event));
  }
  answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = body === undefined ? '' : JSON.stringify(body);
    this.fire('load');
  }
  private fire(type: string) {
    (this.listeners.get(type) ?? []).forEach((listener) => listener());
  }
}

const createRequest = () => new FakeRequest() as unknown as XMLHttpRequest;
const ROOM = 'aaaaaaaaaa';

describe('uploadFile', () => {
  beforeEach(() => {
    FakeRequest.made = [];
    sessionStore.set({
      accessToken: 'token-1',
      accessTokenExpiresAt: '2026-01-01T00:15:00.000Z',
      user: {
        id: 'u'.repeat(24),
        username: 'ann',
        displayName: 'Ann',
        registered: false,
        createdAt: '2026-01-01T00:00:00.000Z',
      },
    });
  });
  afterEach(() => sessionStore.clear());

  it('posts the file as multipart field "file" with the Bearer token and reports progress', async () => {
    const progress = jest.fn();
    const picture = new File(['png'], 'cat.png', { type: 'image/png' });
    const upload = uploadFile(ROOM, picture, { onProgress: progress, createRequest });
    const [request] = FakeRequest.made;
    expect(request.method).toBe('POST');
    expect(request.url).toBe(`/api/rooms/${ROOM}/files`);
    expect(request.headers.get('Authorization')).toBe('Bearer token-1');
    expect(request.body?.get('file')).toBeInstanceOf(File);
    expect((request.body?.get('file') as File).name).toBe('cat.png');

    request.progress(50, 200);
    expect(progress).toHaveBeenLastCalledWith({ loaded: 50, total: 200 });
    request.answer(201, { id: 'f'.repeat(24), name: 'cat.png' });
    await expect(upload.promise).resolves.toMatchObject({ name: 'cat.png' });
  });

  it('turns a 413 into payload_too_large, also without an error body', async () => {
    const upload = uploadFile(ROOM, new File(['x'], 'big.bin'), { createRequest });
    FakeRequest.made[0].answer(413, undefined);
    const error: unknown = await upload.promise.catch((caught: unknown) => caught);
    expect(isApiRequestError(error) && [error.code, error.status]).toEqual([
      'payload_too_large',
      413,
    ]);
  });

  it("passes the server's error code through", async () => {
    const upload = uploadFile(ROOM, new File(['x'], 'a.svg'), { createRequest });
    FakeRequest.made[0].answer(415, {
      error: { code: 'unsupported_file', message: 'SVG is not accepted' },
    });
    const error: unknown = await upload.promise.catch((caught: unknown) => caught);
    expect(isApiRequestError(error) && error.code).toBe('unsupported_file');
  });

  it('aborts the request on cancel and rejects as canceled', async () => {
    const upload = uploadFile(ROOM, new File(['x'], 'a.txt'), { createRequest });
    upload.abort();
    expect(FakeRequest.made[0].aborted).toBe(true);
    const error: unknown = await upload.promise.catch((caught: unknown) => caught);
    expect(isUploadCanceled(error)).toBe(true);
  });
});
