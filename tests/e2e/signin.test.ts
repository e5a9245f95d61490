/**
 * Signing in through the real pages in Chromium: the wall sends a visitor without a session to
 * /login, a wrong password is refused in words, the right one opens the wall with the user's
 * name in the header, and signing out returns to /login with the session gone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { OUTPUT_DIR, launchChromium } from '../support/browser.ts';
import { createTestStore, startServer, type TestServer } from '../support/server.ts';
import { TEST_PASSWORD, call, signIn } from '../support/sessions.ts';

describe('signing in in Chromium', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer(await createTestStore('postgresql'));
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('goes from the login page to the wall and back out', async () => {
    await signIn(server, 'operator', { username: 'duty-li' });
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await page.goto(server.url);
    await page.waitForURL(/\/login\?next=/);

    await page.locator('input[name="username"]').fill('duty-li');
    await page.locator('input[name="password"]').fill('not the password');
    await page.locator('button[type="submit"]').click();
    await expect.poll(() => page.locator('form.sign-in').innerText()).toMatch(/用户名或密码|password/i);
    await page.screenshot({ path: `${OUTPUT_DIR}login.png` });

    await page.locator('input[name="password"]').fill(TEST_PASSWORD);
    await page.locator('button[type="submit"]').click();
    await page.waitForFunction(() => window.__wall?.rendered === true, null, { timeout: 60_000 });
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await page.locator('header').innerText()).toContain('duty-li');

    await page.locator('header button.sign-out').click();
    await page.waitForURL(/\/login/);
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    expect((await call(server, 'GET', '/api/v1/session', { cookie })).status).toBe(401);
    await page.close();
  });
});
