/**
 * The wall's screens in a real headless Chromium against a real server fed by its simulator,
 * each opened as a kiosk is, with a wall link: every layout chosen by the address (full, the
 * map alone, the panel alone, the KPI board, one subdistrict framed) with no scroll bar
 * anywhere, a screenshot of each at 1920×1080 in tests/output/layout-<name>.png; bad values
 * falling back to the defaults with a warning; the type scale; the cursor hidden when the mouse
 * rests; a playlist that rotates, stops while held for an alarm and resumes once released, and
 * holds by itself when a severity I incident raises an alarm (against a server without the
 * simulator, whose own incidents would raise alarms of their own) until an operator acknowledges
 * it; and the watchdog bringing
 * the map back after its WebGL context is lost, then reloading the page when it is lost again
 * soon after.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { SUBDISTRICTS } from '../../geo/names.ts';
import { OUTPUT_DIR, launchChromium } from '../support/browser.ts';
import { createTestStore, post, startServer, type TestServer } from '../support/server.ts';
import { createLink, signIn } from '../support/sessions.ts';
import { connectClient } from '../support/socket.ts';

const BUILT_CLIENT = fileURLToPath(new URL('../../dist/client/index.html', import.meta.url));
const SHICHAHAI = '110102012';
/** in the far south of the district, off a screen framed on 什刹海 in the north */
const BAIZHIFANG = '110102019';

interface Opened {
  page: Page;
  warnings: string[];
}

describe("the wall's screens in Chromium", () => {
  let server: TestServer;
  /** no simulator: only what the test posts happens there */
  let quiet: TestServer;
  let browser: Browser;
  const tokens = new Map<TestServer, string>();

  beforeAll(async () => {
    if (!existsSync(BUILT_CLIENT)) throw new Error('dist/client is missing: `npm test` builds it first (vite build)');
    server = await startServer(await createTestStore('pglite'), { SIMULATE: '1', SIM_SPEED: '60', FRAME_INTERVAL_MS: '250' });
    quiet = await startServer(await createTestStore('pglite'));
    browser = await launchChromium();
    for (const each of [server, quiet]) tokens.set(each, (await createLink(each)).token);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
    await quiet?.dispose();
  });

  /** Opens the wall at `search` as a screen does, with a wall link, and waits until it is live. */
  async function open(search: string, on: TestServer = server): Promise<Opened> {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const warnings: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'warning') warnings.push(message.text());
    });
    await page.goto(`${on.url}/${search}#link=${tokens.get(on)}`);
    await page.waitForFunction(() => window.__wall?.connection === 'live', null, { timeout: 60_000 });
    return { page, warnings };
  }

  const drawn = (page: Page) => page.waitForFunction(() => window.__wall!.rendered, null, { timeout: 60_000 });

  /**
   * Elements that would show a scroll bar: the page itself when its content is larger than the
   * window, and any element that scrolls (overflow auto or scroll) without `scrollbar-width: none`.
   */
  function scrollBars(page: Page): Promise<string[]> {
    return page.evaluate(() => {
      const shown: string[] = [];
      const root = document.documentElement;
      if (root.scrollWidth > window.innerWidth || root.scrollHeight > window.innerHeight) shown.push('the page');
      for (const element of document.querySelectorAll<HTMLElement>('*')) {
        const style = getComputedStyle(element);
        const scrolls = [style.overflowX, style.overflowY].some((o) => o === 'auto' || o === 'scroll');
        if (scrolls && style.scrollbarWidth !== 'none') shown.push(`${element.tagName}.${element.className}`);
      }
      return shown;
    });
  }

  const rootFontPx = (page: Page) => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));

  /** Settles the picture (symbols placed, dots drawn) and writes tests/output/layout-<name>.png. */
  async function screenshot(page: Page, name: string): Promise<void> {
    await page.waitForTimeout(1500);
    await page.screenshot({ path: `${OUTPUT_DIR}layout-${name}.png` });
  }

  it('full: header, map and side panel, as a kiosk without scroll bars', async () => {
    const { page, warnings } = await open('');
    await drawn(page);
    expect(await page.evaluate(() => window.__wall!.view)).toEqual({ layout: 'full', subdistrict: null });
    expect(await page.locator('header').count()).toBe(1);
    expect(await page.locator('aside.side-panel').count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.classList.contains('kiosk'))).toBe(true);
    expect(await scrollBars(page)).toEqual([]);
    expect(warnings.filter((w) => w.startsWith('wall address'))).toEqual([]);
    await screenshot(page, 'full');
    await page.close();
  });

  it('map: the map alone over the whole screen, with its legend and a tag standing in for the header', async () => {
    const { page } = await open('?layout=map');
    await drawn(page);
    expect(await page.locator('header').count()).toBe(0);
    expect(await page.locator('aside.side-panel').count()).toBe(0);
    expect(await page.locator('.maplibregl-canvas').boundingBox()).toMatchObject({ x: 0, y: 0, width: 1920, height: 1080 });
    expect(await page.locator('.legend').isVisible()).toBe(true);
    const tag = await page.locator('.screen-tag').innerText();
    expect(tag).toContain('西城区城市运行指挥中心');
    expect(tag).toContain('模拟数据');
    expect(await scrollBars(page)).toEqual([]);
    await screenshot(page, 'map');
    await page.close();
  });

  it('panel: the side panel alone across the screen in larger type, without a map', async () => {
    const full = await open('');
    const fullFont = await rootFontPx(full.page);
    await full.page.close();
    const { page } = await open('?layout=panel&lang=en');
    await page.locator('section.ticker li').first().waitFor({ timeout: 30_000 });
    expect(await page.locator('.maplibregl-canvas').count()).toBe(0);
    expect((await page.locator('aside.side-panel').boundingBox())?.width).toBe(1920);
    expect(await rootFontPx(page)).toBeCloseTo(fullFont * 1.4, 1);
    expect(await page.locator('aside.side-panel').innerText()).toContain('Shichahai');
    expect(await scrollBars(page)).toEqual([]);
    await screenshot(page, 'panel');
    await page.close();
  });

  it('kpi: big figures for the district and a tile per subdistrict that add up to them', async () => {
    const { page } = await open('?layout=kpi');
    await page.waitForFunction(() => window.__wall!.counts.units > 0, null, { timeout: 30_000 });
    const tiles = page.locator('.kpi-board li.tile');
    expect(await tiles.count()).toBe(SUBDISTRICTS.length);
    expect(await page.locator('.maplibregl-canvas').count()).toBe(0);
    const read = () =>
      page.evaluate(() => {
        const number = (text: string | null | undefined) => Number(text?.trim() ?? NaN);
        const tileValues = [...document.querySelectorAll('.kpi-board li.tile')].map((tile) =>
          [...tile.querySelectorAll('dd')].map((dd) => number(dd.textContent)),
        );
        return {
          district: [
            number(document.querySelector('.kpi-board .open-cases')?.textContent),
            number(document.querySelector('.kpi-board .overdue-cases')?.textContent),
            number(document.querySelector('.kpi-board .incidents')?.firstChild?.textContent),
            number(document.querySelector('.kpi-board .volunteers')?.textContent),
          ],
          tileSum: tileValues.reduce((sum, values) => sum.map((s, i) => s + values[i]!), [0, 0, 0, 0]),
          heldIncidents: window.__wall!.counts.incidents,
        };
      });
    // The board shows what the wall holds, as of its last publish (a tenth of a second behind).
    // The simulator puts about 0.5 % of its points just outside the district, and those count in
    // the district's figures only: the tiles add up to the district, or fall short by those.
    await expect
      .poll(async () => {
        const { district, tileSum, heldIncidents } = await read();
        return { tileSum, onDuty: district[3]! > 0, incidents: district[2] === heldIncidents };
      }, { timeout: 15_000 })
      .toMatchObject({ tileSum: expect.any(Array), onDuty: true, incidents: true });
    const settled = await read();
    settled.tileSum.forEach((sum, i) => {
      expect(sum).toBeLessThanOrEqual(settled.district[i]!);
      expect(settled.district[i]! - sum).toBeLessThanOrEqual(Math.max(2, Math.ceil(settled.district[i]! * 0.05)));
    });
    expect(await scrollBars(page)).toEqual([]);
    await screenshot(page, 'kpi');
    await page.close();
  });

  it('subdistrict: the map framed on it, the rest darkened, its name on the screen', async () => {
    const { page } = await open(`?subdistrict=${SHICHAHAI}`);
    await drawn(page);
    expect(await page.locator('.screen-tag').innerText()).toBe('什刹海街道');
    const shown = () =>
      page.evaluate(() => window.__wall!.renderedFeatures(['subdistricts-fill']).map((f) => String(f.properties.adcode)));
    await expect.poll(async () => (await shown()).includes(BAIZHIFANG), { timeout: 10_000 }).toBe(false);
    expect(await shown()).toContain(SHICHAHAI);
    const outlined = await page.evaluate(() => window.__wall!.renderedFeatures(['focus-outline']).map((f) => f.properties.adcode));
    expect(new Set(outlined)).toEqual(new Set([SHICHAHAI]));
    // The data stays district-wide: the whole district's units are held.
    expect(await page.evaluate(() => window.__wall!.session?.subdistrict ?? null)).toBeNull();
    expect(await scrollBars(page)).toEqual([]);
    await screenshot(page, 'subdistrict');
    await page.close();
  });

  it('falls back to the defaults, with a warning each, on values it does not understand', async () => {
    const { page, warnings } = await open('?layout=wall&subdistrict=nowhere&scale=9&interval=x');
    await drawn(page);
    expect(await page.evaluate(() => window.__wall!.view)).toEqual({ layout: 'full', subdistrict: null });
    expect(await rootFontPx(page)).toBeCloseTo(1920 * 0.0095, 1);
    expect(warnings.filter((w) => w.startsWith('wall address'))).toHaveLength(4);
    await page.close();
  });

  it('multiplies the type size by the scale', async () => {
    const { page } = await open('?layout=kpi&scale=1.5');
    expect(await rootFontPx(page)).toBeCloseTo(1920 * 0.0095 * 1.5, 1);
    await page.close();
  });

  it('hides the mouse cursor after 5 s without movement and shows it again at the next', async () => {
    const { page } = await open('?layout=kpi');
    const cursor = () => page.evaluate(() => getComputedStyle(document.querySelector('.kpi-board')!).cursor);
    await page.mouse.move(300, 300);
    expect(await cursor()).not.toBe('none');
    await page.waitForTimeout(5_500);
    expect(await cursor()).toBe('none');
    await page.mouse.move(400, 400);
    expect(await cursor()).not.toBe('none');
    await page.close();
  });

  it('rotates through its playlist, stops while an alarm holds it, resumes from the same step, holds by itself on a severity I incident and goes on once it is acknowledged', async () => {
    const { page } = await open(`?layout=map&playlist=district,${SHICHAHAI},kpi&interval=10`, quiet);
    const playlist = () => page.evaluate(() => ({ step: window.__wall!.playlist!.step, held: window.__wall!.playlist!.held }));
    const view = () => page.evaluate(() => window.__wall!.view);
    expect(await playlist()).toEqual({ step: 0, held: [] });
    expect(await view()).toEqual({ layout: 'map', subdistrict: null });
    await expect.poll(async () => (await playlist()).step, { timeout: 15_000, interval: 250 }).toBe(1);
    expect(await view()).toEqual({ layout: 'map', subdistrict: SHICHAHAI });
    expect(await page.locator('.rotation').innerText()).toBe('轮播 2/3');

    await page.evaluate(() => window.__wall!.playlist!.hold('alarm'));
    expect(await playlist()).toEqual({ step: 1, held: ['alarm'] });
    expect(await page.locator('.rotation').innerText()).toBe('轮播暂停');
    await page.waitForTimeout(12_000);
    expect((await playlist()).step).toBe(1);

    await page.evaluate(() => window.__wall!.playlist!.release('alarm'));
    await expect.poll(async () => (await playlist()).step, { timeout: 15_000, interval: 250 }).toBe(2);
    expect(await view()).toEqual({ layout: 'kpi', subdistrict: null });
    expect(await page.locator('.kpi-board').isVisible()).toBe(true);
    expect(await scrollBars(page)).toEqual([]);

    // The alarms take the camera to what raised them, and hold the rotation as they do: on a map.
    await expect.poll(async () => (await playlist()).step, { timeout: 15_000, interval: 250 }).toBe(0);
    const fire = await post(quiet, '/api/v1/incidents', {
      items: [{ sourceId: 'E2E-FIRE-I', kind: 'fire', severity: 1, lon: 116.385, lat: 39.94, at: new Date().toISOString() }],
    });
    expect(fire.status).toBe(200);
    await expect.poll(async () => (await playlist()).held, { timeout: 10_000 }).toEqual(['alarm']);
    await page.waitForTimeout(12_000);
    expect(await playlist()).toEqual({ step: 0, held: ['alarm'] });

    // An operator acknowledges it on their console: the rotation goes on from where it stood.
    const { rows } = await quiet.app.store.pool.query<{ id: string }>("SELECT id::text AS id FROM alarms WHERE state = 'active'");
    expect(rows).toHaveLength(1);
    const operator = await connectClient(quiet.url, (await signIn(quiet, 'operator')).cookie);
    const acknowledged = await operator.socket.timeout(10_000).emitWithAck('alarm:ack', { alarm: rows[0]!.id });
    operator.close();
    expect(acknowledged.ok).toBe(true);
    await expect.poll(async () => (await playlist()).held, { timeout: 10_000 }).toEqual([]);
    await expect.poll(async () => (await playlist()).step, { timeout: 15_000, interval: 250 }).toBe(1);
    await page.close();
  }, 150_000);

  it('remounts the map after its WebGL context is lost, and reloads the page when it is lost again soon after', async () => {
    const { page } = await open('');
    await drawn(page);
    const loseContext = () =>
      page.evaluate(() => {
        const canvas = document.querySelector<HTMLCanvasElement>('.maplibregl-canvas')!;
        const gl = canvas.getContext('webgl2') ?? canvas.getContext('webgl');
        gl!.getExtension('WEBGL_lose_context')!.loseContext();
      });
    await loseContext();
    await page.waitForFunction(() => window.__wall!.watchdog!.remounts === 1);
    await drawn(page);
    expect(await page.evaluate(() => window.__wall!.watchdog)).toEqual({ contextLosses: 1, remounts: 1, reloadedFor: null });
    await page.waitForFunction(() => window.__wall!.renderedFeatures(['subdistricts-fill']).length > 0, null, { timeout: 10_000 });

    const reloaded = page.waitForEvent('load', { timeout: 30_000 });
    await loseContext();
    await reloaded;
    await page.waitForFunction(() => window.__wall?.rendered === true, null, { timeout: 60_000 });
    expect(await page.evaluate(() => window.__wall!.watchdog)).toEqual({ contextLosses: 0, remounts: 0, reloadedFor: 'webgl' });
    await page.close();
  }, 150_000);
});
