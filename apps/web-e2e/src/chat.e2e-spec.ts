import path from 'node:path';
import { artifactsDir } from './support/browser';
import { messages, send, signIn, unique } from './support/pages';
import { useServerAndBrowser } from './support/harness';

describe('two people chatting in the browser', () => {
  const app = useServerAndBrowser();

  it('create a room, join it by id, chat both ways, keep history across a reload', async () => {
    const ann = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const ben = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const annPage = await ann.newPage();
    const benPage = await ben.newPage();
    const roomName = `Design review ${unique()}`;

    await signIn(annPage, app.server.baseUrl, `ann_${unique()}`);
    await annPage.getByLabel('New room name').fill(roomName);
    await annPage.getByRole('button', { name: 'Create room' }).click();
    await annPage.getByRole('heading', { level: 2, name: roomName }).waitFor();
    const roomId = /\/rooms\/([0-9a-z]{10})$/.exec(annPage.url())?.[1];
    expect(roomId).toMatch(/^[0-9a-z]{10}$/);

    const benName = `ben_${unique()}`;
    await signIn(benPage, app.server.baseUrl, benName);
    await benPage.getByLabel('Room id or link').fill(roomId!);
    await benPage.getByRole('button', { name: 'Join' }).click();
    await benPage.getByRole('heading', { level: 2, name: roomName }).waitFor();

    // Ann sees Ben's arrival as a system notice, styled apart from messages.
    await messages(annPage).getByRole('note').filter({ hasText: benName }).waitFor();

    await send(annPage, 'Hello Ben, welcome!');
    const fromAnn = messages(benPage).locator('article', { hasText: 'Hello Ben, welcome!' });
    await fromAnn.waitFor();
    expect(await fromAnn.getAttribute('data-own')).not.toBe('true');

    await send(benPage, 'Thanks Ann');
    await messages(annPage).locator('article', { hasText: 'Thanks Ann' }).waitFor();

    await annPage.screenshot({ path: path.join(artifactsDir, 'chat-1280.png'), fullPage: true });

    // History is stored: a reload shows both messages in order.
    await benPage.reload();
    await benPage.getByRole('heading', { level: 2, name: roomName }).waitFor();
    const log = messages(benPage);
    await log.locator('article', { hasText: 'Thanks Ann' }).waitFor();
    const texts = await log.locator('article').allInnerTexts();
    const first = texts.findIndex((text) => text.includes('Hello Ben, welcome!'));
    const second = texts.findIndex((text) => text.includes('Thanks Ann'));
    expect(first).toBeGreaterThanOrEqual(0);
    expect(second).toBeGreaterThan(first);

    await ann.close();
    await ben.close();
  });

  it('works at 375 px through a deep link, with the sidebar collapsed', async () => {
    const owner = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const ownerPage = await owner.newPage();
    const roomName = `Phones ${unique()}`;
    await signIn(ownerPage, app.server.baseUrl, `owner_${unique()}`);
    await ownerPage.getByLabel('New room name').fill(roomName);
    await ownerPage.getByRole('button', { name: 'Create room' }).click();
    await ownerPage.getByRole('heading', { level: 2, name: roomName }).waitFor();
    await send(ownerPage, 'Readable on a phone?');
    const roomUrl = ownerPage.url();

    const phone = await app.browser.newContext({
      viewport: { width: 375, height: 812 },
      isMobile: true,
    });
    const phonePage = await phone.newPage();
    await signIn(phonePage, app.server.baseUrl, `mobile_${unique()}`);
    await phonePage.goto(roomUrl);
    await phonePage.getByRole('heading', { level: 2, name: roomName }).waitFor();
    await messages(phonePage).locator('article', { hasText: 'Readable on a phone?' }).waitFor();
    // The room list is off-screen until the menu opens it.
    await phonePage.getByRole('navigation', { name: 'Rooms' }).waitFor({ state: 'hidden' });
    const overflow = await phonePage.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);

    await send(phonePage, 'Yes, it is.');
    await messages(ownerPage).locator('article', { hasText: 'Yes, it is.' }).waitFor();
    await phonePage.screenshot({ path: path.join(artifactsDir, 'chat-375.png'), fullPage: true });

    await owner.close();
    await phone.close();
  });
});
