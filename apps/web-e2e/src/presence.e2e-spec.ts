import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { artifactsDir } from './support/browser';
import { messages, signIn, unique } from './support/pages';
import { useServerAndBrowser } from './support/harness';

/** The server's grace before "offline", kept short so the test does not wait long. */
const PRESENCE_GRACE_MS = 300;

interface RecordedNotification {
  title: string;
  body?: string;
  tag?: string;
}

/**
 * Headless Chromium shows no notifications and its tabs are always visible: stand in for the
 * Notification API (permission granted, every notification recorded) and let the test hide the
 * page, so what the app does for a background tab can be watched.
 */
async function recordNotifications(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const state = window as unknown as {
      parleyNotifications: RecordedNotification[];
      parleyHidden: boolean;
    };
    state.parleyNotifications = [];
    state.parleyHidden = false;
    class RecordingNotification {
      static readonly permission = 'granted';
      static requestPermission() {
        return Promise.resolve('granted');
      }
      onclick: (() => void) | null = null;
      constructor(title: string, options: { body?: string; tag?: string } = {}) {
        state.parleyNotifications.push({ title, body: options.body, tag: options.tag });
      }
      close() {
        return undefined;
      }
    }
    Object.assign(window, { Notification: RecordingNotification });
    Object.defineProperty(Document.prototype, 'visibilityState', {
      configurable: true,
      get: () => (state.parleyHidden ? 'hidden' : 'visible'),
    });
  });
}

function notifications(page: Page): Promise<RecordedNotification[]> {
  return page.evaluate(
    () =>
      (window as unknown as { parleyNotifications: RecordedNotification[] }).parleyNotifications,
  );
}

function composer(page: Page) {
  return page.getByRole('textbox', { name: 'Message' });
}

describe('presence and mentions in the browser', () => {
  const app = useServerAndBrowser({ PRESENCE_GRACE_MS: String(PRESENCE_GRACE_MS) });

  it('Ann sees Ben online, mentions him from the autocomplete, Ben sees it marked and is notified; Ben leaves and goes offline', async () => {
    const ann = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const ben = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
    await recordNotifications(ben);
    const annPage = await ann.newPage();
    const benPage = await ben.newPage();
    const roomName = `Presence ${unique()}`;
    const benName = `ben_${unique()}`;

    await signIn(annPage, app.server.baseUrl, `ann_${unique()}`, 'Ann');
    await annPage.getByLabel('New room name').fill(roomName);
    await annPage.getByRole('button', { name: 'Create room' }).click();
    await annPage.getByRole('heading', { level: 2, name: roomName }).waitFor();
    const roomId = /\/rooms\/([0-9a-z]{10})$/.exec(annPage.url())?.[1];
    expect(roomId).toMatch(/^[0-9a-z]{10}$/);

    await signIn(benPage, app.server.baseUrl, benName, 'Ben');
    await benPage.getByLabel('Room id or link').fill(roomId!);
    await benPage.getByRole('button', { name: 'Join' }).click();
    await benPage.getByRole('heading', { level: 2, name: roomName }).waitFor();

    // Ann's header counts Ben in; the members list shows his dot.
    await annPage.getByText('2 online', { exact: true }).waitFor();
    await annPage.getByRole('button', { name: 'Room settings' }).click();
    const benRow = annPage.getByRole('listitem', { name: 'Ben' });
    await benRow.getByRole('img', { name: 'Ben is online' }).waitFor();

    // Ben's tab goes to the background; Ann mentions him, picking his name from the list.
    await benPage.evaluate(() => {
      (window as unknown as { parleyHidden: boolean }).parleyHidden = true;
    });
    await composer(annPage).pressSequentially('Welcome @be');
    const option = annPage
      .getByRole('listbox', { name: 'Mention suggestions' })
      .getByRole('option', { name: /Ben/ });
    await option.waitFor();
    expect(await option.getAttribute('aria-selected')).toBe('true');
    await annPage.screenshot({ path: path.join(artifactsDir, 'mention-autocomplete-1280.png') });
    await composer(annPage).press('Enter');
    expect(await composer(annPage).inputValue()).toBe(`Welcome @${benName} `);
    await composer(annPage).pressSequentially('to the room!');
    await composer(annPage).press('Enter');

    const text = `Welcome @${benName} to the room!`;
    const mentioned = messages(benPage).locator('article[data-mentions-me="true"]', {
      hasText: text,
    });
    await mentioned.waitFor();
    expect(await mentioned.locator('.mention').allTextContents()).toEqual([`@${benName}`]);
    await benPage.waitForFunction(
      () =>
        (window as unknown as { parleyNotifications: RecordedNotification[] }).parleyNotifications
          .length > 0,
    );
    expect(await notifications(benPage)).toEqual([
      expect.objectContaining({ title: `Ann in ${roomName}`, body: text }),
    ]);
    await benPage.screenshot({
      path: path.join(artifactsDir, 'mention-highlight-1280.png'),
      fullPage: true,
    });
    await benRow.scrollIntoViewIfNeeded();
    await annPage.screenshot({
      path: path.join(artifactsDir, 'presence-members-1280.png'),
      fullPage: true,
    });

    // Ben's only tab closes: after the grace he is offline for Ann, without a reload.
    await benPage.close();
    await benRow.getByRole('img', { name: 'Ben is offline' }).waitFor();
    await annPage.getByText('1 online', { exact: true }).waitFor();

    await ann.close();
    await ben.close();
  });
});
