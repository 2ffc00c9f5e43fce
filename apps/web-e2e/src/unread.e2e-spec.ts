import path from 'node:path';
import type { Page } from 'playwright-core';
import { artifactsDir } from './support/browser';
import { messages, send, signIn, unique } from './support/pages';
import { useServerAndBrowser } from './support/harness';

function roomIdOf(page: Page): string {
  const roomId = /\/rooms\/([0-9a-z]{10})$/.exec(page.url())?.[1];
  if (!roomId) throw new Error(`not on a room page: ${page.url()}`);
  return roomId;
}

async function createRoom(page: Page, name: string): Promise<string> {
  await page.getByLabel('New room name').fill(name);
  await page.getByRole('button', { name: 'Create room' }).click();
  await page.getByRole('heading', { level: 2, name }).waitFor();
  return roomIdOf(page);
}

function sidebarSection(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Rooms' }).getByRole('region', { name });
}

/** Resolves once the tab title matches (it changes without any element to wait on). */
async function titleMatches(page: Page, pattern: RegExp): Promise<void> {
  await page.waitForFunction((source) => new RegExp(source).test(document.title), pattern.source);
}

describe('unread counts, the direct message list and "Seen"', () => {
  const app = useServerAndBrowser();

  it('Ann sees Bob’s messages counted in the room list and the title until she reads them; Bob sees "Seen" in their DM', async () => {
    const annContext = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const bobContext = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const ann = await annContext.newPage();
    const bob = await bobContext.newPage();
    const annUsername = `ann_${unique()}`;
    const busyName = `Busy ${unique()}`;
    const quietName = `Quiet ${unique()}`;

    // Bob makes room R; Ann joins it, then sits in a room of her own (A).
    await signIn(bob, app.server.baseUrl, `bob_${unique()}`, 'Bob');
    const busyId = await createRoom(bob, busyName);
    await signIn(ann, app.server.baseUrl, annUsername, 'Ann');
    await ann.getByLabel('Room id or link').fill(busyId);
    await ann.getByRole('button', { name: 'Join' }).click();
    await ann.getByRole('heading', { level: 2, name: busyName }).waitFor();
    await createRoom(ann, quietName);

    // Three messages in R while Ann is in A: R's badge and the title count them.
    for (const text of ['First news', 'Second news', 'Third news']) await send(bob, text);
    const myRooms = sidebarSection(ann, 'My rooms');
    const busyLink = myRooms.getByRole('link', { name: `${busyName} 3 unread` });
    await busyLink.waitFor();
    await titleMatches(ann, /^\(3\) .*Parley$/);
    expect(await ann.title()).toBe(`(3) ${quietName} · Parley`);
    expect(await busyLink.getAttribute('class')).toContain('room-links__link--unread');

    // Bob finds Ann by name and writes to her directly.
    await bob.getByLabel('New direct message').fill(annUsername);
    await bob
      .getByRole('list', { name: 'People found' })
      .getByRole('button', { name: `Ann @${annUsername}` })
      .click();
    await bob.waitForURL(
      (url) => /^\/rooms\/[0-9a-z]{10}$/.test(url.pathname) && !url.pathname.endsWith(busyId),
    );
    const directId = roomIdOf(bob);
    await send(bob, 'Hi Ann, got a minute?');

    // Ann's direct messages show Bob, online, with his last message and one unread.
    const annDirect = sidebarSection(ann, 'Direct messages');
    const bobLink = annDirect.getByRole('link', {
      name: 'Bob is online Bob Hi Ann, got a minute? 1 unread',
    });
    await bobLink.waitFor();
    expect(await bobLink.getAttribute('href')).toBe(`/rooms/${directId}`);
    await titleMatches(ann, /^\(4\) /);
    await ann
      .getByRole('navigation', { name: 'Rooms' })
      .screenshot({ path: path.join(artifactsDir, 'room-list-unread-1280.png') });
    await ann.screenshot({ path: path.join(artifactsDir, 'unread-1280.png'), fullPage: true });

    // Bob's list shows Ann and his own last message.
    await sidebarSection(bob, 'Direct messages')
      .getByRole('link', { name: 'Ann is online Ann You: Hi Ann, got a minute?' })
      .waitFor();

    // Ann opens R: "New messages" before Bob's first, and the badge and the count go.
    await busyLink.click();
    const divider = messages(ann).getByRole('separator', { name: 'New messages' });
    await divider.waitFor();
    const firstUnread = messages(ann).locator('.message-list__item', { hasText: 'First news' });
    expect(
      await divider.evaluate((element) => element.nextElementSibling?.textContent ?? ''),
    ).toContain('First news');
    await firstUnread.waitFor();
    await myRooms.getByRole('link', { name: busyName, exact: true }).waitFor();
    await titleMatches(ann, /^\(1\) /);
    await ann.screenshot({
      path: path.join(artifactsDir, 'new-messages-1280.png'),
      fullPage: true,
    });

    // Nothing is "Seen" before Ann opens the DM; then Bob sees it under his message.
    const seen = messages(bob).getByText('Seen', { exact: true });
    expect(await seen.count()).toBe(0);
    await bobLink.click();
    await messages(ann).locator('article', { hasText: 'Hi Ann, got a minute?' }).waitFor();
    await seen.waitFor();
    expect(
      await messages(bob)
        .locator('.message-list__item', { has: bob.getByText('Seen', { exact: true }) })
        .textContent(),
    ).toContain('Hi Ann, got a minute?');
    await titleMatches(ann, /^Bob · Parley$/);
    await bob.screenshot({ path: path.join(artifactsDir, 'seen-1280.png'), fullPage: true });

    await annContext.close();
    await bobContext.close();
  });
});
