import type { ConsoleMessage, Page } from 'playwright-core';
import { messages, send, signIn, unique } from './support/pages';
import { useServerAndBrowser } from './support/harness';

/** Collects Content-Security-Policy violations the page reports, so a too-strict CSP fails here. */
function cspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.text().includes('Content Security Policy')) violations.push(message.text());
  });
  return violations;
}

describe('a private room in the browser', () => {
  const app = useServerAndBrowser();

  it('create a private room, invite by link, chat, kick: the room disappears for the kicked user', async () => {
    const ann = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const ben = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const annPage = await ann.newPage();
    const benPage = await ben.newPage();
    const violations = [...[annPage, benPage].map(cspViolations)];
    const roomName = `Secret plans ${unique()}`;

    const annName = `ann_${unique()}`;
    await signIn(annPage, app.server.baseUrl, annName);
    await annPage.getByLabel('New room name').fill(roomName);
    await annPage.getByLabel('Room kind').selectOption('private');
    await annPage.getByRole('button', { name: 'Create room' }).click();
    await annPage.getByRole('heading', { level: 2, name: roomName }).waitFor();
    const roomUrl = annPage.url();

    await annPage.getByRole('button', { name: 'Room settings' }).click();
    await annPage.getByRole('button', { name: 'Create invite link' }).click();
    const link = annPage.getByLabel('Invite link').first();
    await link.waitFor();
    const inviteUrl = (await link.textContent()) ?? '';
    expect(inviteUrl).toMatch(/\/invite\/[0-9a-z]{16}$/);

    const benName = `ben_${unique()}`;
    await signIn(benPage, app.server.baseUrl, benName);
    // Not a member yet: the private room is nowhere in Ben's list.
    const benNav = benPage.getByRole('navigation', { name: 'Rooms' });
    await benNav.getByRole('heading', { name: 'My rooms' }).waitFor();
    expect(await benNav.getByRole('link', { name: roomName }).count()).toBe(0);

    await benPage.goto(inviteUrl);
    await benPage.getByRole('heading', { level: 2, name: roomName }).waitFor();
    await benNav.getByRole('link', { name: new RegExp(roomName) }).waitFor();

    await send(benPage, 'Thanks for the invite');
    await messages(annPage).locator('article', { hasText: 'Thanks for the invite' }).waitFor();
    await send(annPage, 'Welcome, Ben');
    await messages(benPage).locator('article', { hasText: 'Welcome, Ben' }).waitFor();

    // A direct conversation from a sender's name, listed under "Direct messages" for both.
    await messages(benPage).getByRole('button', { name: annName }).click();
    await benPage.getByRole('button', { name: 'Message', exact: true }).click();
    const dmName = `${benName} & ${annName}`;
    await benPage.getByRole('heading', { level: 2, name: dmName }).waitFor();
    await send(benPage, 'A word in private');
    // Ann's list names the conversation after the other person, with the last message.
    await annPage
      .getByRole('navigation', { name: 'Rooms' })
      .getByRole('link', { name: new RegExp(`${benName} A word in private`) })
      .waitFor();
    await benPage.goBack();
    await benPage.getByRole('heading', { level: 2, name: roomName }).waitFor();

    const members = annPage.getByRole('region', { name: 'Members' });
    await members.getByRole('listitem', { name: benName }).waitFor();
    // Ben's display name defaults to his username.
    await members
      .getByRole('listitem', { name: benName })
      .getByRole('button', { name: 'Kick' })
      .click();

    // Ben is taken off the room at once: back on the start page, the room gone from his list.
    await benPage
      .getByRole('status')
      .filter({ hasText: 'You were removed from that room.' })
      .waitFor();
    await benNav.getByRole('link', { name: new RegExp(roomName) }).waitFor({ state: 'detached' });
    await members.getByRole('listitem', { name: benName }).waitFor({ state: 'detached' });

    // The room's address no longer opens it for him.
    await benPage.goto(roomUrl);
    await benPage.getByRole('heading', { level: 2, name: 'This room is private' }).waitFor();

    expect(violations.flat()).toEqual([]);
    await ann.close();
    await ben.close();
  });

  it('Swagger UI renders under its own CSP', async () => {
    const context = await app.browser.newContext();
    const page = await context.newPage();
    const violations = cspViolations(page);
    await page.goto(`${app.server.baseUrl}/api/docs`);
    await page.getByRole('heading', { name: /Parley API/ }).waitFor();
    expect(violations).toEqual([]);
    await context.close();
  });
});
