import type { Locator, Page } from 'playwright-core';

/** A short random suffix so names never collide between tests or runs. */
export const unique = (): string => Math.random().toString(36).slice(2, 8);

/** Signs in as a guest and waits until the app has left the sign-in screen. */
export async function signIn(
  page: Page,
  baseUrl: string,
  username: string,
  displayName?: string,
): Promise<void> {
  await page.goto(baseUrl);
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('Username').fill(username);
  if (displayName !== undefined) await form.getByLabel('Display name').fill(displayName);
  await form.getByRole('button', { name: 'Continue' }).click();
  // At phone widths "Sign out" sits in the collapsed menu, so wait for the form to go instead.
  await form.waitFor({ state: 'detached' });
}

export function messages(page: Page): Locator {
  return page.getByRole('log', { name: 'Messages' });
}

/** Sends with Enter and waits until the server has acknowledged the message. */
export async function send(page: Page, text: string): Promise<void> {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByLabel('Message', { exact: true }).press('Enter');
  await messages(page)
    .locator('article[data-own="true"][data-status="sent"]', { hasText: text })
    .waitFor();
}
