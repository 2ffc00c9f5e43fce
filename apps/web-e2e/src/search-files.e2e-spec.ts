import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import type { BrowserContext, Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import type {
  AuthSessionDto,
  ClientToServerEvents,
  RoomDto,
  ServerToClientEvents,
} from '@parley/contracts';
import { artifactsDir } from './support/browser';
import { useServerAndBrowser } from './support/harness';
import { messages, signIn, unique } from './support/pages';

/** History long enough that the first messages are several pages back (a page is 50). */
const HISTORY_LENGTH = 120;
/** Big enough that a throttled upload is still running when it is canceled. */
const BIG_FILE_BYTES = 8 * 1024 * 1024;

/** A real PNG (solid colour, RGB), encoded here so the test needs no fixture file. */
function png(width: number, height: number, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const checksum = Buffer.alloc(4);
    checksum.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, checksum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // colour type: RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3)]);
  for (let x = 0; x < width; x += 1) row.set(rgb, 1 + x * 3);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

async function guest(baseUrl: string, username: string): Promise<AuthSessionDto> {
  const response = await fetch(`${baseUrl}/api/auth/guest`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username }),
  });
  if (!response.ok) throw new Error(`guest sign-in failed: ${response.status}`);
  return (await response.json()) as AuthSessionDto;
}

/**
 * A public room filled with `contents` by its creator, through the real REST route and socket
 * events (acknowledged one by one, so the seqs follow the order given).
 */
async function seedRoom(baseUrl: string, name: string, contents: string[]): Promise<string> {
  const session = await guest(baseUrl, `seed_${unique()}`);
  const created = await fetch(`${baseUrl}/api/rooms`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${session.accessToken}` },
    body: JSON.stringify({ name }),
  });
  if (!created.ok) throw new Error(`room creation failed: ${created.status}`);
  const room = (await created.json()) as RoomDto;
  const socket: ChatSocket = io(baseUrl, {
    auth: { token: session.accessToken },
    transports: ['websocket'],
  });
  try {
    for (const content of contents) {
      const ack = await socket.timeout(10_000).emitWithAck('send_message', {
        room: room.id,
        content,
        clientMessageId: crypto.randomUUID(),
      });
      if (!ack.ok) throw new Error(`send failed: ${ack.error.code}`);
    }
  } finally {
    socket.disconnect();
  }
  return room.id;
}

async function createRoom(page: Page, name: string): Promise<string> {
  await page.getByLabel('New room name').fill(name);
  await page.getByRole('button', { name: 'Create room' }).click();
  await page.getByRole('heading', { level: 2, name }).waitFor();
  const roomId = /\/rooms\/([0-9a-z]{10})$/.exec(page.url())?.[1];
  if (!roomId) throw new Error(`not in a room: ${page.url()}`);
  return roomId;
}

async function joinRoom(page: Page, roomId: string, name: string): Promise<void> {
  await page.getByLabel('Room id or link').fill(roomId);
  await page.getByRole('button', { name: 'Join' }).click();
  await page.getByRole('heading', { level: 2, name }).waitFor();
}

function attach(page: Page, files: { name: string; mimeType: string; buffer: Buffer }[]) {
  return page.getByTestId('attach-input').setInputFiles(files);
}

/** Any `alert()` (an XSS payload that ran) fails the test. */
function failOnDialogs(page: Page, seen: string[]): void {
  page.on('dialog', (dialog) => {
    seen.push(dialog.message());
    void dialog.dismiss();
  });
}

describe('files and images', () => {
  const app = useServerAndBrowser();
  const contexts: BrowserContext[] = [];
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  it('Ann sends an image and a hostile file name; Bob sees the thumbnail, the viewer and inert text; a canceled upload sends nothing', async () => {
    const ann = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const bob = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(ann, bob);
    const annPage = await ann.newPage();
    const bobPage = await bob.newPage();
    const dialogs: string[] = [];
    failOnDialogs(annPage, dialogs);
    failOnDialogs(bobPage, dialogs);

    await signIn(annPage, app.server.baseUrl, `ann_${unique()}`, 'Ann');
    const roomName = `Files ${unique()}`;
    const roomId = await createRoom(annPage, roomName);
    await signIn(bobPage, app.server.baseUrl, `bob_${unique()}`, 'Bob');
    await joinRoom(bobPage, roomId, roomName);
    await messages(annPage).getByRole('note').filter({ hasText: 'Bob joined' }).waitFor();

    // An image, with a caption: it uploads, shows "Ready", and goes with the message.
    await attach(annPage, [
      { name: 'dot.png', mimeType: 'image/png', buffer: png(64, 48, [220, 40, 40]) },
    ]);
    const tray = annPage.getByRole('list', { name: 'Files to send' });
    await tray.getByText('Ready').waitFor();
    await annPage.getByLabel('Message', { exact: true }).fill('A red dot');
    await annPage.getByRole('button', { name: 'Send', exact: true }).click();
    await tray.waitFor({ state: 'detached' });

    const thumbnail = messages(bobPage).getByRole('img', { name: 'dot.png' });
    await thumbnail.waitFor();
    await bobPage.waitForFunction(
      () => (document.querySelector<HTMLImageElement>('img[alt="dot.png"]')?.naturalWidth ?? 0) > 0,
    );
    await bobPage.screenshot({ path: path.join(artifactsDir, 'files-thumbnail-1280.png') });

    await messages(bobPage).getByRole('button', { name: 'Open image dot.png' }).click();
    const viewer = bobPage.getByRole('dialog', { name: 'dot.png' });
    await viewer.waitFor();
    await expectFocused(bobPage, 'Close');
    await bobPage.waitForFunction(
      () => document.querySelector<HTMLImageElement>('.image-viewer__image')?.naturalWidth === 64,
    );
    await bobPage.screenshot({ path: path.join(artifactsDir, 'files-viewer-1280.png') });
    await bobPage.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });

    // A file whose name is markup: shown as its text, never as an element, and nothing runs.
    const hostile = '<img src=x onerror=alert(1)>.txt';
    await attach(annPage, [
      { name: hostile, mimeType: 'text/plain', buffer: Buffer.from('hello\n') },
    ]);
    await tray.getByText('Ready').waitFor();
    await annPage.getByRole('button', { name: 'Send', exact: true }).click();
    const card = messages(bobPage).locator('.attachment-file', { hasText: hostile });
    await card.waitFor();
    expect(await card.locator('.attachment-file__name').textContent()).toBe(hostile);
    expect(await bobPage.locator('img[src="x"]').count()).toBe(0);
    await expectText(card, /6 bytes/);
    await bobPage.screenshot({ path: path.join(artifactsDir, 'files-hostile-name-1280.png') });

    // A big upload on a slow link, canceled on the way: gone from the tray, and no message.
    const cdp = await ann.newCDPSession(annPage);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 20,
      downloadThroughput: -1,
      uploadThroughput: 256 * 1024,
    });
    const articlesBefore = await messages(annPage).locator('article').count();
    await attach(annPage, [
      {
        name: 'big.bin',
        mimeType: 'application/octet-stream',
        buffer: Buffer.alloc(BIG_FILE_BYTES, 7),
      },
    ]);
    const progress = tray.getByRole('progressbar', { name: 'Uploading big.bin' });
    await progress.waitFor();
    await annPage.waitForFunction(
      () => Number(document.querySelector('.upload__progress')?.getAttribute('value')) > 0,
    );
    await annPage.screenshot({ path: path.join(artifactsDir, 'files-uploading-1280.png') });
    expect(await annPage.getByRole('button', { name: 'Send', exact: true }).isDisabled()).toBe(
      true,
    );
    await tray.getByRole('button', { name: 'Cancel upload of big.bin' }).click();
    await tray.waitFor({ state: 'detached' });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    // A message sent afterwards is the next one: nothing carrying big.bin went in between.
    await annPage.getByLabel('Message', { exact: true }).fill('after the cancel');
    await annPage.getByLabel('Message', { exact: true }).press('Enter');
    await messages(bobPage).locator('article', { hasText: 'after the cancel' }).waitFor();
    expect(await messages(annPage).locator('article').count()).toBe(articlesBefore + 1);
    expect(await messages(bobPage).getByText('big.bin').count()).toBe(0);

    expect(dialogs).toEqual([]);
  });
});

describe('message search', () => {
  const app = useServerAndBrowser({
    SEND_MESSAGES_PER_10_SECONDS: '1000',
    SOCKET_EVENTS_PER_10_SECONDS: '1000',
  });

  it('finds a Latin word and a CJK substring far back in history and opens the room at each, highlighted', async () => {
    const contents = Array.from(
      { length: HISTORY_LENGTH },
      (_, index) => `filler message ${index + 1}`,
    );
    contents[4] = 'The quick zebra crossed the road';
    contents[9] = '我们明天去东京旅行';
    const roomName = `Search ${unique()}`;
    const roomId = await seedRoom(app.server.baseUrl, roomName, contents);

    const ann = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const annPage = await ann.newPage();
    const dialogs: string[] = [];
    failOnDialogs(annPage, dialogs);
    try {
      await signIn(annPage, app.server.baseUrl, `ann_${unique()}`, 'Ann');
      await joinRoom(annPage, roomId, roomName);
      await messages(annPage)
        .locator('article', { hasText: `filler message ${HISTORY_LENGTH}` })
        .waitFor();
      // The first messages are pages back: not loaded yet.
      expect(await messages(annPage).locator('article', { hasText: 'zebra' }).count()).toBe(0);

      for (const { query, marked, content, seq } of [
        { query: 'zebra', marked: 'zebra', content: contents[4], seq: 5 },
        { query: '东京', marked: '东京', content: contents[9], seq: 10 },
      ]) {
        await annPage.keyboard.press('Control+k');
        const panel = annPage.getByRole('dialog', { name: 'Search messages' });
        await panel.getByRole('searchbox', { name: 'Search messages' }).fill(query);
        const results = panel.getByRole('list', { name: 'Search results' });
        const hit = results.getByRole('button', { name: content });
        await hit.waitFor();
        expect(await results.getByRole('button').count()).toBe(1);
        expect(await hit.locator('mark').allTextContents()).toEqual([marked]);
        await annPage.screenshot({
          path: path.join(artifactsDir, `search-${seq}-results-1280.png`),
        });

        await hit.click();
        await panel.waitFor({ state: 'detached' });
        const target = messages(annPage).locator(`[data-seq="${seq}"][data-jump-target="true"]`);
        await target.waitFor();
        expect(await target.textContent()).toContain(content);
        expect(await isInView(annPage, seq)).toBe(true);
        await annPage.screenshot({
          path: path.join(artifactsDir, `search-${seq}-jumped-1280.png`),
        });
      }
      expect(dialogs).toEqual([]);
    } finally {
      await ann.close();
    }
  });
});

async function expectFocused(page: Page, name: string): Promise<void> {
  await page.waitForFunction(
    (label) => document.activeElement?.textContent?.trim() === label,
    name,
  );
}

async function expectText(locator: ReturnType<Page['locator']>, pattern: RegExp): Promise<void> {
  expect(await locator.textContent()).toMatch(pattern);
}

/** Whether the message is within the visible part of the message list. */
function isInView(page: Page, seq: number): Promise<boolean> {
  return page.evaluate((target) => {
    const scroller = document.querySelector('[role="log"][aria-label="Messages"]');
    const element = document.querySelector(`[data-seq="${target}"]`);
    if (!scroller || !element) return false;
    const box = scroller.getBoundingClientRect();
    const item = element.getBoundingClientRect();
    return item.bottom > box.top && item.top < box.bottom;
  }, seq);
}
