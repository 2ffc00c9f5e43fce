import path from 'node:path';
import type { AuthSessionDto } from '@parley/contracts';
import { artifactsDir } from './support/browser';
import { unique } from './support/pages';
import { useServerAndBrowser } from './support/harness';

describe('accounts in the browser', () => {
  const app = useServerAndBrowser();

  it('sign up, stay signed in across a reload, sign out, log in again and still see your rooms', async () => {
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const username = `carol_${unique()}`;
    const password = 'violet kettle harbour';
    const roomName = `Book club ${unique()}`;

    await page.goto(app.server.baseUrl);
    await page.getByRole('tab', { name: 'Create account' }).click();
    const signUp = page.getByRole('form', { name: 'Create account' });
    await signUp.waitFor();
    await page.screenshot({ path: path.join(artifactsDir, 'sign-up-1280.png') });
    await signUp.getByLabel('Username').fill(username);
    await signUp.getByLabel('Display name').fill('Carol');
    await signUp.getByLabel('Password').fill(password);
    await signUp.getByRole('button', { name: 'Create account' }).click();
    await signUp.waitFor({ state: 'detached' });

    await page.getByLabel('New room name').fill(roomName);
    await page.getByRole('button', { name: 'Create room' }).click();
    await page.getByRole('heading', { level: 2, name: roomName }).waitFor();
    // A registered account is not offered to claim its name.
    expect(await page.getByRole('button', { name: 'Claim your name' }).count()).toBe(0);

    // The access token lives in memory only: the refresh cookie brings the session back.
    await page.reload();
    await page.getByRole('heading', { level: 2, name: roomName }).waitFor();
    expect(await page.evaluate(() => JSON.stringify(window.localStorage))).not.toContain('eyJ');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('form', { name: 'Sign in' }).waitFor();
    // Signing out revoked the session on the server: a reload does not bring it back.
    await page.reload();
    await page.getByRole('form', { name: 'Sign in' }).waitFor();

    await page.getByRole('tab', { name: 'Log in' }).click();
    const logIn = page.getByRole('form', { name: 'Log in with password' });
    await logIn.getByLabel('Username').fill(username);
    await logIn.getByLabel('Password').fill('not the password');
    await logIn.getByRole('button', { name: 'Log in' }).click();
    await logIn.getByRole('alert').filter({ hasText: 'Wrong username or password.' }).waitFor();

    await logIn.getByLabel('Password').fill(password);
    await logIn.getByRole('button', { name: 'Log in' }).click();
    await logIn.waitFor({ state: 'detached' });
    await page
      .getByRole('navigation', { name: 'Rooms' })
      .getByRole('link', { name: roomName })
      .click();
    await page.getByRole('heading', { level: 2, name: roomName }).waitFor();

    await context.close();
  });

  it('a guest claims their name and can log in with it later', async () => {
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const username = `dave_${unique()}`;
    const password = 'amber lantern meadow';

    await page.goto(app.server.baseUrl);
    const guest = page.getByRole('form', { name: 'Sign in' });
    await guest.getByLabel('Username').fill(username);
    await guest.getByRole('button', { name: 'Continue' }).click();
    await guest.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Claim your name' }).click();
    const claim = page.getByRole('form', { name: 'Claim your name' });
    await claim.waitFor();
    await page.screenshot({ path: path.join(artifactsDir, 'claim-name-1280.png') });
    await claim.getByLabel('Password').fill(password);
    await claim.getByRole('button', { name: 'Save password' }).click();
    await claim.waitFor({ state: 'detached' });
    expect(await page.getByRole('button', { name: 'Claim your name' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('tab', { name: 'Log in' }).click();
    const logIn = page.getByRole('form', { name: 'Log in with password' });
    await logIn.getByLabel('Username').fill(username);
    await logIn.getByLabel('Password').fill(password);
    await logIn.getByRole('button', { name: 'Log in' }).click();
    await logIn.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Sign out' }).waitFor();

    await context.close();
  });
});

describe('an access token that expires while chatting', () => {
  const app = useServerAndBrowser({ ACCESS_TOKEN_TTL: '3s' });

  it('is renewed from the cookie on reconnect; the room stays joined and messages flow', async () => {
    const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const roomName = `Night shift ${unique()}`;

    await page.goto(app.server.baseUrl);
    const guest = page.getByRole('form', { name: 'Sign in' });
    await guest.getByLabel('Username').fill(`erin_${unique()}`);
    const signedIn = page.waitForResponse((response) => response.url().endsWith('/api/auth/guest'));
    await guest.getByRole('button', { name: 'Continue' }).click();
    const { accessTokenExpiresAt } = (await (await signedIn).json()) as AuthSessionDto;

    await page.getByLabel('New room name').fill(roomName);
    await page.getByRole('button', { name: 'Create room' }).click();
    await page.getByRole('heading', { level: 2, name: roomName }).waitFor();

    // Wait for the condition "the token has expired", then drop the connection: the socket
    // reconnects, its handshake is refused, and the client must renew and carry on by itself.
    await page.waitForFunction((at) => Date.now() > Date.parse(at) + 1000, accessTokenExpiresAt, {
      polling: 250,
      timeout: 15_000,
    });
    const renewed = page.waitForResponse(
      (response) => response.url().endsWith('/api/auth/refresh') && response.ok(),
    );
    const newSocket = page.waitForEvent('websocket');
    await context.setOffline(true);
    await page
      .getByRole('status')
      .filter({ hasText: /offline|reconnect/i })
      .waitFor();
    await context.setOffline(false);
    await renewed;
    await newSocket;

    await page.getByLabel('Message', { exact: true }).fill('Still here');
    await page.getByLabel('Message', { exact: true }).press('Enter');
    await page
      .getByRole('log', { name: 'Messages' })
      .locator('article[data-own="true"][data-status="sent"]', { hasText: 'Still here' })
      .waitFor();
    // Never signed out along the way.
    expect(await page.getByRole('form', { name: 'Sign in' }).count()).toBe(0);

    await context.close();
  });
});
