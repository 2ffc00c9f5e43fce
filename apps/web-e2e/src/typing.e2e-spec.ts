import path from 'node:path';
import type { Page } from 'playwright-core';
import { artifactsDir } from './support/browser';
import { messages, send, signIn, unique } from './support/pages';
import { watchEmits } from './support/socket-traffic';
import { useServerAndBrowser } from './support/harness';

/** The indicator hides itself after TYPING_EXPIRES_MS (5 s); leave room for a busy machine. */
const GONE_BY_ITSELF_MS = 10_000;

function composer(page: Page) {
  return page.getByRole('textbox', { name: 'Message' });
}

describe('typing indicators between two people', () => {
  const app = useServerAndBrowser();

  it('Ben sees "Ann is typing…" until Ann clears, sends, pauses, goes offline or closes the page', async () => {
    const ann = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const ben = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const annPage = await ann.newPage();
    const benPage = await ben.newPage();
    const typingEmits: unknown[] = [];
    watchEmits(annPage, ({ event, payload }) => {
      if (event === 'typing') typingEmits.push(payload);
    });
    const roomName = `Typing ${unique()}`;

    await signIn(annPage, app.server.baseUrl, `ann_${unique()}`, 'Ann');
    await annPage.getByLabel('New room name').fill(roomName);
    await annPage.getByRole('button', { name: 'Create room' }).click();
    await annPage.getByRole('heading', { level: 2, name: roomName }).waitFor();
    const roomId = /\/rooms\/([0-9a-z]{10})$/.exec(annPage.url())?.[1];
    expect(roomId).toMatch(/^[0-9a-z]{10}$/);

    await signIn(benPage, app.server.baseUrl, `ben_${unique()}`, 'Ben');
    await benPage.getByLabel('Room id or link').fill(roomId!);
    await benPage.getByRole('button', { name: 'Join' }).click();
    await benPage.getByRole('heading', { level: 2, name: roomName }).waitFor();
    // Ben's socket is in the room once Ann hears of his arrival.
    await messages(annPage).getByRole('note').filter({ hasText: 'Ben joined' }).waitFor();

    const annTyping = benPage.getByText('Ann is typing…', { exact: true });

    // Typing shows the indicator in a polite live region; emptying the box takes it away.
    await composer(annPage).pressSequentially('Hel');
    await annTyping.waitFor();
    expect(await annTyping.getAttribute('aria-live')).toBe('polite');
    await benPage.screenshot({ path: path.join(artifactsDir, 'typing-1280.png'), fullPage: true });
    await composer(annPage).fill('');
    await annTyping.waitFor({ state: 'hidden' });
    expect(typingEmits).toContainEqual({ room: roomId, isTyping: false });

    // Sending ends it too, without a stop from Ann: the server ends it with the message.
    await composer(annPage).pressSequentially('Hello Ben');
    await annTyping.waitFor();
    const stopsBeforeSend = typingEmits.filter((payload) => isStop(payload)).length;
    await composer(annPage).press('Enter');
    await messages(benPage).locator('article', { hasText: 'Hello Ben' }).waitFor();
    await annTyping.waitFor({ state: 'hidden' });
    expect(typingEmits.filter((payload) => isStop(payload))).toHaveLength(stopsBeforeSend);

    // Ann pauses with a draft: no stop is sent, and without refreshes the indicator lapses.
    await composer(annPage).pressSequentially('Are you th');
    await annTyping.waitFor();
    await annTyping.waitFor({ state: 'hidden', timeout: GONE_BY_ITSELF_MS });
    expect(typingEmits.filter((payload) => isStop(payload))).toHaveLength(stopsBeforeSend);

    // Typing on starts it again; then Ann's network goes, and the indicator goes with it.
    await composer(annPage).pressSequentially('ere?');
    await annTyping.waitFor();
    await ann.setOffline(true);
    await annTyping.waitFor({ state: 'hidden', timeout: GONE_BY_ITSELF_MS });

    // Back online (a sent message proves the room is joined again), then her page closes.
    await ann.setOffline(false);
    await send(annPage, 'Back again');
    await messages(benPage).locator('article', { hasText: 'Back again' }).waitFor();
    await composer(annPage).pressSequentially('One more thing');
    await annTyping.waitFor();
    await annPage.close();
    await annTyping.waitFor({ state: 'hidden', timeout: GONE_BY_ITSELF_MS });

    await ann.close();
    await ben.close();
  });
});

function isStop(payload: unknown): boolean {
  return (payload as { isTyping?: unknown }).isTyping === false;
}
