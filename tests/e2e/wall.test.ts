/**
 * The wall in a real headless Chromium against a real server fed by its simulator: the map
 * renders the 15 subdistricts with their names, the header shows live and SIMULATED, live units
 * move on the map, the language switch works, and nothing is fetched from outside the server.
 * The page opens as a screen does, with a wall link, under the server's Content-Security-Policy
 * (any violation fails the test), and every byte it receives, over HTTP and the WebSocket, is
 * searched for the volunteers' names, phone numbers and device ids.
 * A screenshot is written to tests/output/wall.png.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RenderedFeature } from '../../client/debug.ts';
import { SUBDISTRICTS } from '../../geo/names.ts';
import { OUTPUT_DIR, launchChromium } from '../support/browser.ts';
import { createTestStore, post, startServer, type TestServer } from '../support/server.ts';
import { createLink } from '../support/sessions.ts';

const BUILT_CLIENT = fileURLToPath(new URL('../../dist/client/index.html', import.meta.url));

describe('the wall in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const foreignRequests: string[] = [];
  /** every response body and WebSocket frame the page received */
  const received: string[] = [];
  const pending: Promise<void>[] = [];

  beforeAll(async () => {
    if (!existsSync(BUILT_CLIENT)) throw new Error('dist/client is missing: `npm test` builds it first (vite build)');
    server = await startServer(await createTestStore('pglite'), { SIMULATE: '1', SIM_SPEED: '60', FRAME_INTERVAL_MS: '250' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.addInitScript(() => {
      (window as unknown as { __csp: string[] }).__csp = [];
      document.addEventListener('securitypolicyviolation', (event) =>
        (window as unknown as { __csp: string[] }).__csp.push(`${event.violatedDirective} ${event.blockedURI}`),
      );
    });
    page.on('response', (response) => {
      pending.push(response.body().then((body) => void received.push(body.toString('utf8')), () => undefined));
    });
    page.on('websocket', (socket) => socket.on('framereceived', (frame) => void received.push(String(frame.payload))));
    page.on('request', (request) => {
      if (!request.url().startsWith(server.url) && !request.url().startsWith('data:') && !request.url().startsWith('blob:')) {
        foreignRequests.push(request.url());
      }
    });
    // A phone registered to a volunteer, so a device id exists to be leaked.
    await post(server, '/api/v1/teams', { items: [{ id: 'T-PII', name: '隐私测试队', subdistrict: '110102012', specialty: 'patrol' }] });
    const registered = await post(server, '/api/v1/volunteers', {
      items: [{ id: 'V-PII', teamId: 'T-PII', name: '隐私测试员', phone: '139-9999-0000', deviceId: 'pii-phone-7' }],
    });
    expect(registered.status).toBe(200);
    await page.goto(`${server.url}/#link=${(await createLink(server)).token}`);
    await page.waitForFunction(() => window.__wall?.rendered === true, null, { timeout: 60_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  function rendered(layers: string[]): Promise<RenderedFeature[]> {
    return page.evaluate((ids) => window.__wall!.renderedFeatures(ids), layers);
  }

  it('renders all 15 subdistricts with their Chinese names', async () => {
    // Symbol placement runs over a few frames after the first picture: wait for it, bounded.
    const distinctAdcodes = (layer: string) =>
      page.evaluate((id) => new Set(window.__wall!.renderedFeatures([id]).map((f) => f.properties.adcode)).size, layer);
    await expect.poll(() => distinctAdcodes('subdistricts-fill'), { timeout: 15_000 }).toBe(SUBDISTRICTS.length);
    await expect.poll(() => distinctAdcodes('subdistrict-labels'), { timeout: 15_000 }).toBe(SUBDISTRICTS.length);
    const fills = await rendered(['subdistricts-fill']);
    expect(new Set(fills.map((f) => f.properties.adcode))).toEqual(new Set(SUBDISTRICTS.map((s) => s.adcode)));
    expect(await page.locator('.maplibregl-ctrl-attrib').innerText()).toContain('© OpenStreetMap contributors');
  });

  it('shows the connection as live and the simulated badge', async () => {
    await page.waitForFunction(() => window.__wall!.connection === 'live' && window.__wall!.simulated);
    expect(await page.locator('header').innerText()).toContain('实时');
    expect(await page.locator('header').innerText()).toContain('模拟数据');
  });

  it('moves live units on the map', async () => {
    await page.waitForFunction(() => window.__wall!.features.units > 5, null, { timeout: 60_000 });
    const positions = async () =>
      new Map((await rendered(['units-rings'])).map((f) => [String(f.properties.id ?? f.id), JSON.stringify(f.coordinates)]));
    const before = await positions();
    const seqBefore = await page.evaluate(() => window.__wall!.seq!);
    await page.waitForFunction((seq) => window.__wall!.seq! > seq + 3, seqBefore, { timeout: 60_000 });
    await page.waitForTimeout(1500);
    const after = await positions();
    const moved = [...after].filter(([id, coords]) => before.has(id) && before.get(id) !== coords);
    expect(moved.length).toBeGreaterThan(0);
    await page.screenshot({ path: `${OUTPUT_DIR}wall.png` });
  });

  it('switches every text to English and back', async () => {
    await page.locator('header button.lang').click();
    await page.waitForFunction(() => window.__wall!.lang === 'en');
    expect(await page.locator('header').innerText()).toContain('SIMULATED');
    expect(await page.locator('aside.side-panel').innerText()).toContain('Shichahai');
    await page.screenshot({ path: `${OUTPUT_DIR}wall-en.png` });
    await page.locator('header button.lang').click();
    await page.waitForFunction(() => window.__wall!.lang === 'zh');
    expect(await page.locator('aside.side-panel').innerText()).toContain('什刹海街道');
  });

  it('fetched nothing from outside its own server', () => {
    expect(foreignRequests).toEqual([]);
  });

  it('ran under the Content-Security-Policy without a single violation', async () => {
    expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
  });

  it('received no volunteer name, phone number or device id, in any byte', async () => {
    await Promise.all(pending);
    const { rows } = await server.app.store.pool.query<{ name: string; phone: string | null; device_id: string | null }>(
      'SELECT name, phone, device_id FROM volunteers',
    );
    expect(rows.length).toBeGreaterThan(100);
    const secrets = rows.flatMap((row) => [row.name, row.phone, row.device_id]).filter((text): text is string => !!text);
    const everything = received.join('\n');
    expect(received.filter((r) => r.includes('"position:frame"') || r.includes('position:frame')).length).toBeGreaterThan(0);
    // The volunteer itself did reach the wall, by its opaque id only.
    expect(everything).toContain('"V-PII"');
    expect(secrets.filter((secret) => everything.includes(secret))).toEqual([]);
  });
});
