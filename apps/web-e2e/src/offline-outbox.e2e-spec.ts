import path from 'node:path';
import type { Page } from 'playwright-core';
import { artifactsDir } from './support/browser';
import { messages, signIn, unique } from './support/pages';
import { storedContents } from './support/rest';
import { countSends, recordSyncs, watchEmits, type Emitted } from './support/socket-traffic';
import { useServerAndBrowser } from './support/harness';

const viewport = { width: 1280, height: 800 };

async function createRoom(page: Page, name: string): Promise<string> {
  await page.getByLabel('New room name').fill(name);
  await page.getByRole('button', { name: 'Create room' }).click();
  await page.getByRole('heading', { level: 2, name }).waitFor();
  const roomId = /\/rooms\/([0-9a-z]{10})$/.exec(page.url())?.[1];
  if (!roomId) throw new Error(`not on a room page: ${page.url()}`);
  return roomId;
}

/** Types and presses Enter; offline the message stays in the outbox, shown as pending. */
async function write(page: Page, text: string): Promise<void> {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByLabel('Message', { exact: true }).press('Enter');
  await messages(page).locator('article[data-own="true"]', { hasText: text }).waitFor();
}

function offlineBanner(page: Page) {
  return page.locator('.connection-banner[data-state="offline"]');
}

/** The texts of the messages (articles) shown, in order. */
async function shown(page: Page): Promise<string[]> {
  return messages(page)
    .locator('.message__content')
    .allInnerTexts()
    .then((texts) => texts.map((text) => text.trim()));
}

/** Resolves once the service worker controls the page, so a reload works without network. */
async function offlineReady(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (navigator.serviceWorker.controller) return;
    await new Promise<void>((resolve) =>
      navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), {
        once: true,
      }),
    );
  });
}

describe('the outbox: messages written offline are delivered once, in order', () => {
  const app = useServerAndBrowser();

  it('keeps 3 messages across an offline reload and delivers each once to both people', async () => {
    const ann = await app.browser.newContext({ viewport });
    const ben = await app.browser.newContext({ viewport });
    const annPage = await ann.newPage();
    const benPage = await ben.newPage();
    const texts = [1, 2, 3].map((n) => `offline ${n} ${unique()}`);

    await signIn(annPage, app.server.baseUrl, `ann_${unique()}`);
    const roomName = `Tunnel ${unique()}`;
    const roomId = await createRoom(annPage, roomName);
    await signIn(benPage, app.server.baseUrl, `ben_${unique()}`);
    await benPage.getByLabel('Room id or link').fill(roomId);
    await benPage.getByRole('button', { name: 'Join' }).click();
    await benPage.getByRole('heading', { level: 2, name: roomName }).waitFor();
    await offlineReady(annPage);

    await ann.setOffline(true);
    await offlineBanner(annPage).waitFor();
    for (const text of texts) await write(annPage, text);
    await annPage.reload();

    // The shell came from the service worker; the outbox from IndexedDB.
    await offlineBanner(annPage).waitFor();
    const pending = messages(annPage).locator('article[data-own="true"][data-status="pending"]');
    await pending.nth(2).waitFor();
    expect(await pending.count()).toBe(3);
    expect(await shown(annPage)).toEqual(texts);
    await annPage.screenshot({
      path: path.join(artifactsDir, 'offline-outbox-1280.png'),
      fullPage: true,
    });

    await ann.setOffline(false);
    for (const text of texts) {
      await messages(annPage)
        .locator('article[data-own="true"][data-status="sent"]', { hasText: text })
        .waitFor();
      await messages(benPage).locator('article', { hasText: text }).waitFor();
    }
    await offlineBanner(annPage).waitFor({ state: 'detached' });

    const onlyTheseThree = (all: string[]) => all.filter((text) => texts.includes(text));
    expect(onlyTheseThree(await shown(annPage))).toEqual(texts);
    expect(onlyTheseThree(await shown(benPage))).toEqual(texts);
    expect(onlyTheseThree(await storedContents(app.server.baseUrl, roomId))).toEqual(texts);

    await ann.close();
    await ben.close();
  });

  it('sends what one tab wrote exactly once while another tab of the same user is open', async () => {
    const ann = await app.browser.newContext({ viewport });
    const sends = countSends(ann);
    const first = await ann.newPage();
    await signIn(first, app.server.baseUrl, `ann_${unique()}`);
    const roomName = `Two tabs ${unique()}`;
    const roomId = await createRoom(first, roomName);
    const second = await ann.newPage();
    await second.goto(first.url());
    await second.getByRole('heading', { level: 2, name: roomName }).waitFor();
    const texts = [1, 2, 3].map((n) => `tab one ${n} ${unique()}`);

    // Both tabs lose the socket; the first writes, the second sees the entries (one outbox).
    await ann.setOffline(true);
    await offlineBanner(first).waitFor();
    await offlineBanner(second).waitFor();
    for (const text of texts) await write(first, text);
    const pendingInSecond = messages(second).locator('article[data-status="pending"]');
    await pendingInSecond.nth(2).waitFor();
    expect(await shown(second)).toEqual(texts);

    // Both reconnect and both flush the outbox; the room's lock lets one tab send each entry.
    await ann.setOffline(false);
    for (const page of [first, second]) {
      for (const text of texts) {
        await messages(page)
          .locator('article[data-own="true"][data-status="sent"]', { hasText: text })
          .waitFor();
      }
    }
    expect(await shown(first)).toEqual(texts);
    expect(await shown(second)).toEqual(texts);
    expect(await storedContents(app.server.baseUrl, roomId)).toEqual(texts);
    expect(texts.map((text) => sends.get(text))).toEqual([1, 1, 1]);

    await ann.close();
  });

  it('catches a reader up with one sync after a reconnection instead of refetching history', async () => {
    const ann = await app.browser.newContext({ viewport });
    const ben = await app.browser.newContext({ viewport });
    const annPage = await ann.newPage();
    const benPage = await ben.newPage();
    const syncs = recordSyncs(benPage);
    const joinSync = new Promise<Emitted>((resolve) =>
      watchEmits(benPage, (emitted) => {
        if (emitted.event === 'sync') resolve(emitted);
      }),
    );
    await signIn(annPage, app.server.baseUrl, `ann_${unique()}`);
    const roomName = `Catch-up ${unique()}`;
    const roomId = await createRoom(annPage, roomName);
    await signIn(benPage, app.server.baseUrl, `ben_${unique()}`);
    await benPage.getByLabel('Room id or link').fill(roomId);
    await benPage.getByRole('button', { name: 'Join' }).click();
    await benPage.getByRole('heading', { level: 2, name: roomName }).waitFor();
    const texts = [1, 2, 3].map((n) => `while away ${n} ${unique()}`);
    // Ben's join catches the room up once (its history may have been read before the join); it
    // must be answered before the network goes, or the test would be about its fallback.
    await messages(benPage).getByText('No messages yet. Say hello!').waitFor();
    const { answered } = await joinSync;
    await answered;
    const syncsBefore = syncs.length;
    const historyReads: string[] = [];
    benPage.on('request', (request) => {
      if (/\/api\/rooms\/[^/]+\/messages/.test(request.url())) historyReads.push(request.url());
    });

    await ben.setOffline(true);
    await offlineBanner(benPage).waitFor();
    for (const text of texts) {
      await write(annPage, text);
      await messages(annPage)
        .locator('article[data-own="true"][data-status="sent"]', { hasText: text })
        .waitFor();
    }

    await ben.setOffline(false);
    for (const text of texts)
      await messages(benPage).locator('article', { hasText: text }).waitFor();
    expect(await shown(benPage)).toEqual(texts);
    expect(syncs.slice(syncsBefore).map((sync) => sync.payload)).toEqual([
      // The change cursor comes along (ADR 0011): nothing had changed when the page was read.
      { rooms: { [roomId]: 0 }, changes: { [roomId]: 0 }, limit: 100 },
    ]);
    expect(historyReads).toEqual([]);

    await ann.close();
    await ben.close();
  });
});
