import path from 'node:path';
import type { BrowserContext, Dialog, Locator, Page } from 'playwright-core';
import { artifactsDir } from './support/browser';
import { useServerAndBrowser } from './support/harness';
import { messages, send, signIn, unique } from './support/pages';
import { asDisplayNames, INJECTED_ELEMENTS, XSS_PAYLOADS } from './support/xss-corpus';

const VIEWPORT = { width: 1280, height: 800 };

function article(page: Page, text: string): Locator {
  return messages(page).locator('article', { hasText: text }).last();
}

/** Hovers a message so its toolbar shows, then clicks one of its actions. */
async function act(page: Page, text: string, action: string): Promise<void> {
  // The desktop-notification offer (shown after a first send) sits over the lower messages.
  const notNow = page
    .getByRole('region', { name: 'Desktop notifications' })
    .getByRole('button', { name: 'Not now' });
  if (await notNow.isVisible()) await notNow.click();
  const message = article(page, text);
  await message.hover();
  await message
    .getByRole('toolbar', { name: 'Message actions' })
    .getByRole('button', { name: action, exact: true })
    .click();
}

/** Waits until a message's reaction chip for an emoji shows `count`. */
async function reactionCount(page: Page, text: string, emoji: string, count: number) {
  await article(page, text)
    .locator('.reaction__chip', { hasText: emoji })
    .locator('.reaction__count', { hasText: new RegExp(`^${count}$`) })
    .waitFor();
}

/** Any dialog (alert, confirm, prompt) fails the test: a payload ran, or the UI used one. */
function failOnDialog(page: Page, dialogs: string[]): void {
  page.on('dialog', (dialog: Dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
}

/** Ann creates a room, Ben joins it; both pages end up in the room. */
async function twoPeopleInARoom(
  contexts: { ann: BrowserContext; ben: BrowserContext },
  baseUrl: string,
  names: { ann: string; ben: string },
): Promise<{ annPage: Page; benPage: Page; roomId: string }> {
  const annPage = await contexts.ann.newPage();
  const benPage = await contexts.ben.newPage();
  const roomName = `Actions ${unique()}`;
  await signIn(annPage, baseUrl, `ann_${unique()}`, names.ann);
  await annPage.getByLabel('New room name').fill(roomName);
  await annPage.getByRole('button', { name: 'Create room' }).click();
  await annPage.getByRole('heading', { level: 2, name: roomName }).waitFor();
  const roomId = /\/rooms\/([0-9a-z]{10})$/.exec(annPage.url())?.[1];
  expect(roomId).toMatch(/^[0-9a-z]{10}$/);

  await signIn(benPage, baseUrl, `ben_${unique()}`, names.ben);
  await benPage.getByLabel('Room id or link').fill(roomId!);
  await benPage.getByRole('button', { name: 'Join' }).click();
  await benPage.getByRole('heading', { level: 2, name: roomName }).waitFor();
  await messages(annPage).getByRole('note').filter({ hasText: 'joined' }).waitFor();
  return { annPage, benPage, roomId: roomId! };
}

describe('message actions between two people', () => {
  const app = useServerAndBrowser();

  it('edit, react, reply with a jump, pin, delete and Markdown reach the other person', async () => {
    const ann = await app.browser.newContext({ viewport: VIEWPORT });
    const ben = await app.browser.newContext({ viewport: VIEWPORT });
    const dialogs: string[] = [];
    const { annPage, benPage } = await twoPeopleInARoom({ ann, ben }, app.server.baseUrl, {
      ann: 'Ann',
      ben: 'Ben',
    });
    failOnDialog(annPage, dialogs);
    failOnDialog(benPage, dialogs);

    // Edit: Ann's inline editor; Ben sees the new text and "(edited)".
    await send(annPage, 'First draft');
    await article(benPage, 'First draft').waitFor();
    await act(annPage, 'First draft', 'Edit');
    const editor = annPage.getByRole('textbox', { name: 'Edit message' });
    await editor.fill('Final **words**');
    await editor.press('Enter');
    const edited = article(benPage, 'Final words');
    await edited.waitFor();
    await edited.getByText('(edited)').waitFor();
    expect(await edited.locator('strong').textContent()).toBe('words');
    await article(annPage, 'Final words').getByText('(edited)').waitFor();

    // React: Ben adds 👍 (1), Ann adds hers on the chip (2), then takes it back (1).
    await act(benPage, 'Final words', 'React');
    await article(benPage, 'Final words').getByRole('button', { name: 'React with 👍' }).click();
    await reactionCount(annPage, 'Final words', '👍', 1);
    const annChip = article(annPage, 'Final words').locator('.reaction__chip', { hasText: '👍' });
    expect(await annChip.getAttribute('aria-pressed')).toBe('false');
    expect(await annChip.getAttribute('title')).toBe('Ben');
    await annChip.click();
    await reactionCount(benPage, 'Final words', '👍', 2);
    expect(await annChip.getAttribute('aria-pressed')).toBe('true');
    await annChip.click();
    await reactionCount(benPage, 'Final words', '👍', 1);
    await reactionCount(annPage, 'Final words', '👍', 1);
    await annPage.screenshot({ path: path.join(artifactsDir, 'message-actions-1280.png') });

    // Reply: Ben quotes Ann's message; the quote shows on both sides and jumps to the original.
    await act(benPage, 'Final words', 'Reply');
    await benPage.getByRole('group', { name: 'Replying to' }).waitFor();
    await send(benPage, 'Answering you');
    const reply = article(annPage, 'Answering you');
    await reply.waitFor();
    const quote = reply.locator('.reply-quote');
    expect(await quote.textContent()).toContain('Final');
    expect(await benPage.getByRole('group', { name: 'Replying to' }).count()).toBe(0);
    await quote.click();
    await messages(annPage)
      .locator('.message-list__item[data-jump-target="true"]', { hasText: 'Final words' })
      .waitFor();

    // Pin: Ann (the owner) pins; both see the bar; Ben dismisses it for himself only.
    await act(annPage, 'Final words', 'Pin');
    const benBar = benPage.getByRole('region', { name: 'Pinned messages' });
    await benBar.getByText('1 pinned message').waitFor();
    await annPage
      .getByRole('region', { name: 'Pinned messages' })
      .getByText('1 pinned message')
      .waitFor();
    await benBar.getByRole('button', { name: 'Dismiss pinned messages' }).click();
    await benBar.waitFor({ state: 'detached' });
    await annPage.getByRole('region', { name: 'Pinned messages' }).waitFor();

    // Delete: a tombstone keeps its place on both sides.
    await send(annPage, 'Regrettable message');
    await article(benPage, 'Regrettable message').waitFor();
    await act(annPage, 'Regrettable message', 'Delete');
    await article(annPage, 'Regrettable message')
      .getByRole('group', { name: 'Delete' })
      .getByRole('button', { name: 'Delete', exact: true })
      .click();
    await messages(benPage).getByText('Message deleted').waitFor();
    await messages(annPage).getByText('Message deleted').waitFor();
    expect(await messages(benPage).getByText('Regrettable message').count()).toBe(0);

    // Emoji: the lazily loaded picker (its data bundled, under the app's CSP) and `:shortcode:`.
    const composerBox = annPage.getByLabel('Message', { exact: true });
    await annPage.getByRole('button', { name: 'Insert emoji' }).click();
    const picker = annPage.getByRole('dialog', { name: 'Insert emoji' });
    await picker.getByRole('searchbox').fill('party popper');
    await annPage.screenshot({ path: path.join(artifactsDir, 'emoji-picker-1280.png') });
    await picker.getByRole('gridcell', { name: 'party popper' }).click();
    await picker.waitFor({ state: 'detached' });
    await composerBox.pressSequentially(' :tad');
    await annPage.getByRole('listbox', { name: 'Emoji suggestions' }).waitFor();
    await composerBox.press('Enter');
    expect(await composerBox.inputValue()).toBe('🎉 🎉');
    await composerBox.press('Enter');
    await article(benPage, '🎉 🎉').waitFor();

    // Markdown: bold, code and a link that opens safely.
    // Not `send()`: it waits for the typed text, which Markdown no longer shows as typed.
    const composer = annPage.getByLabel('Message', { exact: true });
    await composer.fill('Look: **bold** `x = 1` [docs](https://example.com/docs)');
    await composer.press('Enter');
    const rich = article(benPage, 'Look:');
    await rich.waitFor();
    expect(await rich.locator('strong').textContent()).toBe('bold');
    expect(await rich.locator('code').textContent()).toBe('x = 1');
    const link = rich.getByRole('link', { name: 'docs' });
    expect(await link.getAttribute('href')).toBe('https://example.com/docs');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await link.getAttribute('target')).toBe('_blank');
    await benPage.screenshot({ path: path.join(artifactsDir, 'message-markdown-1280.png') });

    expect(dialogs).toEqual([]);
    await ann.close();
    await ben.close();
  });

  it('shows an XSS corpus, as messages and as display names, as inert text', async () => {
    const names = asDisplayNames();
    const ann = await app.browser.newContext({ viewport: VIEWPORT });
    const ben = await app.browser.newContext({ viewport: VIEWPORT });
    const dialogs: string[] = [];
    const { annPage, benPage } = await twoPeopleInARoom({ ann, ben }, app.server.baseUrl, {
      ann: names[1],
      ben: names[3],
    });
    failOnDialog(annPage, dialogs);
    failOnDialog(benPage, dialogs);

    for (const payload of XSS_PAYLOADS) {
      await annPage.getByLabel('Message', { exact: true }).fill(payload);
      await annPage.getByLabel('Message', { exact: true }).press('Enter');
    }
    await messages(annPage)
      .locator('article[data-own="true"][data-status="sent"]')
      .nth(XSS_PAYLOADS.length - 1)
      .waitFor();
    await messages(benPage).locator('article', { hasText: '${alert(1)}' }).waitFor();

    for (const page of [annPage, benPage]) {
      expect(await page.locator(INJECTED_ELEMENTS).count()).toBe(0);
      const log = (await messages(page).textContent()) ?? '';
      // Markup shows as typed (Markdown formatting aside).
      expect(log).toContain('<script>alert(1)</script>');
      expect(log).toContain('<img src=x onerror=alert(1)>');
      expect(log).toContain('[x](javascript:alert(1))');
      expect(log).toContain('<svg onload=alert(1)>');
    }
    // Ann's name is a payload too: Ben sees it as text beside her messages.
    expect(await messages(benPage).getByText(names[1], { exact: true }).count()).toBeGreaterThan(0);
    await benPage.screenshot({
      path: path.join(artifactsDir, 'xss-corpus-1280.png'),
      fullPage: true,
    });

    expect(dialogs).toEqual([]);
    await ann.close();
    await ben.close();
  });
});
