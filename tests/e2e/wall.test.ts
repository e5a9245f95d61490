/**
 * The wall in a real headless Chromium against a real server fed by its simulator: the map
 * renders the 15 subdistricts with their names, the header shows live and SIMULATED, live units
 * move on the map, the language switch works, and nothing is fetched from outside the server.
 * A screenshot is written to tests/output/wall.png.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RenderedFeature } from '../../client/debug.ts';
import { SUBDISTRICTS } from '../../geo/names.ts';
import { OUTPUT_DIR, launchChromium } from '../support/browser.ts';
import { createTestStore, startServer, type TestServer } from '../support/server.ts';

const BUILT_CLIENT = fileURLToPath(new URL('../../dist/client/index.html', import.meta.url));

describe('the wall in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const foreignRequests: string[] = [];

  beforeAll(async () => {
    if (!existsSync(BUILT_CLIENT)) throw new Error('dist/client is missing: `npm test` builds it first (vite build)');
    server = await startServer(await createTestStore('pglite'), { SIMULATE: '1', SIM_SPEED: '60', FRAME_INTERVAL_MS: '250' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    page.on('request', (request) => {
      if (!request.url().startsWith(server.url) && !request.url().startsWith('data:') && !request.url().startsWith('blob:')) {
        foreignRequests.push(request.url());
      }
    });
    await page.goto(server.url);
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
});
