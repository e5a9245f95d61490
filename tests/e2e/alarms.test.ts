/**
 * Alarms in real headless Chromium against a real server: a severity I incident raises an
 * alarm that flashes on a wall screen and on an operator's console, takes the camera there,
 * asks for the sound to be armed; the operator acknowledges it and every screen stops
 * flashing; the wall screen itself has no acknowledge button. Screenshots go to
 * tests/output/alarm.png (flashing) and alarm-acknowledged.png.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { OUTPUT_DIR, launchChromium, signedInContext } from '../support/browser.ts';
import { createTestStore, post, startServer, type TestServer } from '../support/server.ts';
import { createLink, signIn } from '../support/sessions.ts';

const BUILT_CLIENT = fileURLToPath(new URL('../../dist/client/index.html', import.meta.url));
const SCENE = { lon: 116.37, lat: 39.95 };

describe('an alarm from raise to acknowledgement, on two screens', () => {
  let server: TestServer;
  let browser: Browser;
  let wall: Page;
  let operator: Page;

  async function open(context: BrowserContext, url: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => window.__wall?.rendered === true && window.__wall.connection === 'live', null, { timeout: 60_000 });
    return page;
  }

  beforeAll(async () => {
    if (!existsSync(BUILT_CLIENT)) throw new Error('dist/client is missing: `npm test` builds it first (vite build)');
    server = await startServer(await createTestStore('pglite'), { ALARM_TICK_MS: '200' });
    browser = await launchChromium();
    const viewport = { width: 1920, height: 1080 };
    wall = await open(await browser.newContext({ viewport }), `${server.url}/#link=${(await createLink(server)).token}`);
    const session = await signIn(server, 'operator', { username: 'duty-op' });
    operator = await open(await signedInContext(browser, server.url, session.cookie, { viewport }), `${server.url}/`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('flashes on every screen and takes the camera to a severity I incident', async () => {
    const before = await wall.evaluate(() => window.__wall!.map!.getZoom());
    expect((await post(server, '/api/v1/incidents', { items: [{ sourceId: 'FIRE-I', kind: 'fire', severity: 1, ...SCENE }] })).status).toBe(200);
    for (const page of [wall, operator]) await page.locator('.alarms .alarm[data-state="active"][data-priority="1"]').waitFor();
    expect(await wall.locator('.alarms .alarm').innerText()).toContain('火灾');
    await wall.waitForFunction((zoom) => window.__wall!.map!.getZoom() >= 15 && window.__wall!.map!.getZoom() > zoom, before, { timeout: 15_000 });
    expect(await wall.locator('.frame').count()).toBe(1);
    expect(await wall.locator('.alarms button.ack').count()).toBe(0); // a wall screen only watches
    await wall.screenshot({ path: `${OUTPUT_DIR}alarm.png` });
  });

  it('asks for the sound to be armed where the browser blocks it, and is armed by a click', async () => {
    // Whether headless Chromium lets a page sound at once depends on the machine; a desktop
    // browser starts a page's audio suspended until a click, and this context behaves so.
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    await context.addInitScript(() => {
      const Real = window.AudioContext;
      window.AudioContext = class extends Real {
        constructor(options?: AudioContextOptions) {
          super(options);
          void this.suspend();
        }
      };
    });
    const page = await open(context, `${server.url}/#link=${(await createLink(server)).token}`);
    const arm = page.locator('button.arm');
    await arm.waitFor();
    await arm.click();
    await arm.waitFor({ state: 'detached', timeout: 10_000 });
    await context.close();
  });

  it('stops flashing on every screen when the operator acknowledges, and gives the camera back', async () => {
    await operator.locator('.alarms .alarm[data-state="active"] button.ack').click();
    for (const page of [wall, operator]) {
      await page.locator('.alarms .alarm[data-state="acknowledged"]').waitFor();
      await page.locator('.frame').waitFor({ state: 'detached' });
    }
    expect(await wall.locator('.alarms .alarm').innerText()).toContain('已确认');
    await wall.waitForFunction(() => window.__wall!.map!.getZoom() < 15, null, { timeout: 15_000 });
    await wall.screenshot({ path: `${OUTPUT_DIR}alarm-acknowledged.png` });
  });

  it('takes the alarm off every screen when its condition ends', async () => {
    await post(server, '/api/v1/incidents', { items: [{ sourceId: 'FIRE-I', kind: 'fire', severity: 1, state: 'contained', ...SCENE }] });
    for (const page of [wall, operator]) await page.locator('.alarms .alarm').waitFor({ state: 'detached' });
  });
});

/**
 * A volunteer on scene whose phone went silent raises an alarm; where the volunteers crowd, the
 * silent one is drawn alone, outside the cluster of the others, on the wall and on the dispatch
 * console alike, also once the alarm is acknowledged. Screenshot: alarm-silent-console.png.
 */
describe('an alarmed volunteer outside the clusters, on the wall and the console', () => {
  const CROWD = { lon: 116.37, lat: 39.95 };
  const near = (i: number) => ({ lon: CROWD.lon + (i % 3) * 3e-4, lat: CROWD.lat + Math.floor(i / 3) * 3e-4 });
  const IDS = ['V-1', 'V-2', 'V-3', 'V-4', 'V-5', 'V-SILENT'];
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer(await createTestStore('pglite'), { ALARM_TICK_MS: '200', ALARM_SILENT_SECONDS: '3' });
    expect((await post(server, '/api/v1/teams', { items: [{ id: 'T-1', name: '德胜街道应急志愿队', subdistrict: '110102010', specialty: 'fire' }] })).status).toBe(200);
    expect((await post(server, '/api/v1/volunteers', { items: IDS.map((id) => ({ id, teamId: 'T-1', name: `志愿者${id}` })) })).status).toBe(200);
    const positions = (status: string, ids: string[]) => ids.map((id) => ({ volunteerId: id, ...near(IDS.indexOf(id)), status }));
    expect((await post(server, '/api/v1/positions', { items: positions('available', IDS) })).status).toBe(200);
    for (const status of ['assigned', 'en_route', 'on_scene']) {
      expect((await post(server, '/api/v1/positions', { items: positions(status, ['V-SILENT']) })).status).toBe(200);
    }
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  /** The ids drawn on their own, and how many units the clusters hold. */
  async function drawn(page: Page): Promise<{ alone: string[]; clustered: number }> {
    return page.evaluate(() => {
      const wall = window.__wall!;
      const alone = wall.renderedFeatures(['units-rings', 'units-pinned-rings']).map((f) => String(f.properties.id));
      const clustered = wall.renderedFeatures(['units-clusters']).reduce((sum, f) => sum + Number(f.properties.point_count), 0);
      return { alone: [...new Set(alone)].sort(), clustered };
    });
  }

  it('draws the silent volunteer alone and the rest in their cluster, on both', async () => {
    const viewport = { width: 1920, height: 1080 };
    const wall = await browser.newPage({ viewport });
    await wall.goto(`${server.url}/#link=${(await createLink(server)).token}`);
    const session = await signIn(server, 'coordinator', { username: 'duty-coord' });
    const context = await signedInContext(browser, server.url, session.cookie, { viewport });
    const console = await context.newPage();
    await console.goto(`${server.url}/dispatch`);
    for (const page of [wall, console]) {
      await page.waitForFunction(() => window.__wall?.rendered === true && window.__wall.connection === 'live', null, { timeout: 60_000 });
      await page.locator('.alarms .alarm[data-state="active"]').waitFor({ timeout: 15_000 });
    }
    // Acknowledged, the alarm gives the camera back (close to it nothing clusters); it stays
    // open while the volunteer is silent, and so does the pin.
    await console.locator('.alarms .alarm[data-state="active"] button.ack').click();
    for (const page of [wall, console]) {
      await page.locator('.alarms .alarm[data-state="acknowledged"]').waitFor();
      await expect.poll(() => drawn(page), { timeout: 15_000 }).toEqual({ alone: ['V-SILENT'], clustered: 5 });
    }
    await console.screenshot({ path: `${OUTPUT_DIR}alarm-silent-console.png` });
    await context.close();
    await wall.close();
  });
});
