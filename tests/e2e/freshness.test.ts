/**
 * Freshness and layers on the wall, in a real headless Chromium against a real server without
 * the simulator, so the map shows exactly what the test posts:
 * - dense volunteers and cases cluster, each cluster's counts by status add up to its points
 *   and to its leaves, and a late case stays out of every cluster;
 * - each live layer's last update is shown beside it in the legend, in either language;
 * - with the page's clock under the test's control (Playwright's clock, installed before the
 *   page loads, so the wall's server time moves with it), a volunteer fades once its position
 *   is older than the stale threshold and greys once older than the lost one, as the address
 *   set them (`?stale=30&lost=120`);
 * - a layer switched off in the legend is hidden on the map and stays so across a reload;
 * - a cut connection dims the screen below the header under a banner (the full wall and a KPI
 *   board), which goes once the wall is live again.
 * Screenshots: tests/output/clusters.png, freshness.png, banner.png and banner-kpi.png.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { GeoJSONSource } from 'maplibre-gl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { OUTPUT_DIR, launchChromium } from '../support/browser.ts';
import { createTestStore, post, startServer, type TestServer } from '../support/server.ts';
import { createLink } from '../support/sessions.ts';

const BUILT_CLIENT = fileURLToPath(new URL('../../dist/client/index.html', import.meta.url));
const SECOND = 1000;
const HOUR = 3600 * SECOND;
const SHICHAHAI = '110102012';
/** Where the crowd of volunteers stands (德胜), the crowd of cases (广安门内), and the loners. */
const CROWD = { lon: 116.37, lat: 39.95 };
const CASE_CROWD = { lon: 116.355, lat: 39.893 };
const LONE = { lon: 116.36, lat: 39.915 };
const STALE_SPOT = { lon: 116.385, lat: 39.925 };
const FRESH_SPOT = { lon: 116.33, lat: 39.935 };
const CROWD_STATUSES = ['available', 'available', 'available', 'available', 'available', 'en_route', 'en_route', 'en_route', 'on_scene', 'on_scene', 'assigned'] as const;
const CASE_STATES = ['reported', 'reported', 'dispatched', 'dispatched', 'dispatched', 'in_progress', 'in_progress', 'resolved'] as const;
const LATE_CASE = 'hotline:FR-LATE';
const CLOCK_STEP_MS = 40 * SECOND;
const WATCHDOG_LOOK_MS = 5_500;

/** The only way up a volunteer's statuses (server/domain/lifecycle.ts), one step a report. */
const LADDER = ['available', 'assigned', 'en_route', 'on_scene'] as const;

const iso = (at: number) => new Date(at).toISOString();
/** A few tens of metres apart, so the points crowd at any zoom the wall opens with. */
const near = (spot: { lon: number; lat: number }, i: number) => ({ lon: spot.lon + (i % 4) * 3e-4, lat: spot.lat + Math.floor(i / 4) * 3e-4 });

interface ClusterSeen {
  properties: Record<string, number>;
  leaves: Array<Record<string, string>>;
}

describe('freshness and layers on the wall in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let posted: number;

  /**
   * Puts volunteers on duty and walks each up the ladder to its status, one batch a step, a
   * second apart, the last step's position at `at`.
   */
  async function report(units: Array<{ volunteerId: string; lon: number; lat: number; status: (typeof LADDER)[number] }>, at: number): Promise<void> {
    const top = Math.max(...units.map((unit) => LADDER.indexOf(unit.status)));
    for (let step = 0; step <= top; step++) {
      const climbing = units.filter((unit) => LADDER.indexOf(unit.status) >= step);
      const answer = await post(server, '/api/v1/positions', {
        items: climbing.map((unit) => ({ ...unit, status: LADDER[step], at: iso(at - (top - step) * SECOND) })),
      });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    }
  }

  beforeAll(async () => {
    if (!existsSync(BUILT_CLIENT)) throw new Error('dist/client is missing: `npm test` builds it first (vite build)');
    server = await startServer(await createTestStore('pglite'));
    await post(server, '/api/v1/teams', { items: [{ id: 'T-FR', name: '德胜街道应急志愿队', subdistrict: SHICHAHAI, specialty: 'fire' }] });
    const ids = [...CROWD_STATUSES.map((_, i) => `V-CROWD-${i}`), 'V-LONE', 'V-STALE', 'V-FRESH'];
    const volunteers = await post(server, '/api/v1/volunteers', { items: ids.map((id) => ({ id, teamId: 'T-FR', name: `志愿者${id}` })) });
    expect(volunteers.status).toBe(200);
    posted = Date.now();
    await report(
      [
        ...CROWD_STATUSES.map((status, i) => ({ volunteerId: `V-CROWD-${i}`, ...near(CROWD, i), status })),
        { volunteerId: 'V-LONE', ...LONE, status: 'available' as const },
      ],
      posted,
    );
    const cases = await post(server, '/api/v1/cases', {
      items: [
        ...CASE_STATES.map((state, i) => ({ sourceId: `FR-${i}`, source: 'hotline', category: 'noise', state, ...near(CASE_CROWD, i) })),
        // Urgent parking has two hours: reported three hours ago, it is overdue.
        { sourceId: 'FR-LATE', source: 'hotline', category: 'parking', urgency: 'urgent', ...near(CASE_CROWD, 5), at: iso(posted - 3 * HOUR) },
      ],
    });
    expect(cases.status).toBe(200);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    // Before the page loads, so every clock of the wall, its server time included, is the test's.
    await page.clock.install();
    await page.goto(`${server.url}/?stale=30&lost=120#link=${(await createLink(server)).token}`);
    await page.waitForFunction(() => window.__wall?.rendered === true, null, { timeout: 60_000 });
    await page.waitForFunction(() => window.__wall!.connection === 'live' && window.__wall!.features.units === 12);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  /** Every cluster drawn on a layer, once each, with the points it holds. */
  function clusters(layer: 'units-clusters' | 'cases-clusters', sourceId: 'units' | 'cases'): Promise<ClusterSeen[]> {
    return page.evaluate(
      async ([layerId, id]) => {
        const map = window.__wall!.map!;
        const source = map.getSource(id) as GeoJSONSource;
        const drawn = new Map(map.queryRenderedFeatures({ layers: [layerId] }).map((f) => [f.properties.cluster_id as number, f.properties]));
        return Promise.all(
          [...drawn].map(async ([clusterId, properties]) => ({
            properties: properties as Record<string, number>,
            leaves: (await source.getClusterLeaves(clusterId, 1000, 0)).map((leaf) => leaf.properties as Record<string, string>),
          })),
        );
      },
      [layer, sourceId] as const,
    );
  }

  function renderedIds(layers: string[]): Promise<string[]> {
    return page.evaluate((ids) => window.__wall!.renderedFeatures(ids).map((f) => String(f.properties.id)), layers);
  }

  /** How the map draws one unit now: its freshness and the stroke's evaluated opacity and colour. */
  function drawnUnit(id: string): Promise<{ freshness: unknown; opacity: unknown; colour: { r: number; g: number; b: number } } | null> {
    return page.evaluate((unit) => {
      const feature = window.__wall!.map!.queryRenderedFeatures({ layers: ['units-rings'] }).find((f) => f.properties.id === unit);
      if (!feature) return null;
      const paint = feature.layer.paint as Record<string, unknown>;
      return {
        freshness: feature.properties.freshness,
        opacity: paint['circle-stroke-opacity'],
        colour: paint['circle-stroke-color'] as { r: number; g: number; b: number },
      };
    }, id);
  }

  /**
   * Moves the page's clock to `at` in steps of at most CLOCK_STEP_MS, each followed by a pause
   * long enough for the wall's watchdog (wall/guard.ts) to see a frame: it looks every five
   * seconds, and a minute without a frame on its clock would have it reload a "stalled" page.
   */
  async function setClock(at: number): Promise<void> {
    let now = await page.evaluate(() => Date.now());
    while (now < at) {
      now = Math.min(at, now + CLOCK_STEP_MS);
      await page.clock.setSystemTime(now);
      await page.waitForTimeout(WATCHDOG_LOOK_MS);
    }
  }

  async function hover(lonLat: { lon: number; lat: number }): Promise<void> {
    const point = await page.evaluate(({ lon, lat }) => {
      const map = window.__wall!.map!;
      const { x, y } = map.project([lon, lat]);
      const box = map.getCanvas().getBoundingClientRect();
      return { x: box.left + x, y: box.top + y };
    }, lonLat);
    await page.mouse.move(point.x, point.y);
  }

  it('clusters the crowds with counts by status that add up, and keeps the late case out of them', async () => {
    await expect.poll(async () => (await clusters('units-clusters', 'units')).length, { timeout: 15_000 }).toBeGreaterThan(0);
    const units = await clusters('units-clusters', 'units');
    for (const { properties, leaves } of units) {
      const shares = ['n_available', 'n_assigned', 'n_en_route', 'n_on_scene', 'n_lost'].map((key) => properties[key] ?? 0);
      expect(shares.reduce((a, b) => a + b, 0)).toBe(properties.point_count);
      expect(leaves).toHaveLength(properties.point_count!);
      for (const status of ['available', 'assigned', 'en_route', 'on_scene']) {
        expect(properties[`n_${status}`], status).toBe(leaves.filter((leaf) => leaf.status === status).length);
      }
    }
    const singles = await renderedIds(['units-rings', 'units-pinned-rings']);
    const inClusters = units.reduce((sum, cluster) => sum + cluster.properties.point_count!, 0);
    expect(inClusters + singles.length).toBe(12);
    expect(singles).toContain('V-LONE');

    await expect.poll(() => renderedIds(['cases-alarm']), { timeout: 20_000 }).toEqual([LATE_CASE]);
    const cases = await clusters('cases-clusters', 'cases');
    expect(cases.length).toBeGreaterThan(0);
    for (const { properties, leaves } of cases) {
      const shares = ['n_reported', 'n_dispatched', 'n_in_progress', 'n_resolved'].map((key) => properties[key] ?? 0);
      expect(shares.reduce((a, b) => a + b, 0)).toBe(properties.point_count);
      expect(leaves.map((leaf) => leaf.id)).not.toContain(LATE_CASE);
    }
    const casesDrawn = cases.reduce((sum, cluster) => sum + cluster.properties.point_count!, 0) + (await renderedIds(['cases-dots', 'cases-pinned-dots'])).length;
    expect(casesDrawn).toBe(CASE_STATES.length + 1);

    await hover(CROWD);
    await expect.poll(() => page.locator('.wall-popup').innerText(), { timeout: 5_000 }).toMatch(/应急志愿者 \d+[\s\S]*待命 \d+/);
    await page.screenshot({ path: `${OUTPUT_DIR}clusters.png` });
    await page.mouse.move(5, 600);
  });

  it("shows each live layer's last update in the legend", async () => {
    const casesUpdated = page.locator('.legend [data-updated="cases"]');
    expect(await casesUpdated.innerText()).toMatch(/^更新于 \d\d:\d\d:\d\d$/);
    expect(await page.locator('.legend [data-updated="units"]').innerText()).toMatch(/^更新于 \d\d:\d\d:\d\d$/);
    const before = await casesUpdated.innerText();
    await page.waitForTimeout(1_100);
    const reported = await post(server, '/api/v1/cases', {
      items: [{ sourceId: 'FR-NEW', source: 'patrol', category: 'garbage_sorting', lon: 116.34, lat: 39.9 }],
    });
    expect(reported.status).toBe(200);
    await expect.poll(() => casesUpdated.innerText(), { timeout: 5_000 }).not.toBe(before);

    await page.locator('header button.lang').click();
    await page.waitForFunction(() => window.__wall!.lang === 'en');
    const legend = await page.locator('.legend').innerText();
    expect(legend).toMatch(/Grid cases\s*updated \d\d:\d\d:\d\d/);
    expect(legend).toContain('Faded after 30 s without a new position, grey after 2 min');
    expect(legend).toContain('Dense points cluster');
    await page.locator('header button.lang').click();
    await page.waitForFunction(() => window.__wall!.lang === 'zh');
  });

  it('fades a volunteer once its position is stale and greys it once lost, by the clock', async () => {
    // The server's thresholds, which this screen's address overrides.
    const served = await page.evaluate(() => fetch('/config.json').then((response) => response.json()));
    expect(served.freshness).toEqual({ staleSeconds: 120, lostSeconds: 600 });
    expect(await page.locator('.legend').innerText()).toContain('位置超过 30 秒 未更新变淡，超过 2 分钟 变灰');
    const fresh = await drawnUnit('V-LONE');
    expect(fresh).toMatchObject({ freshness: 'fresh', opacity: 1 });

    // No message comes: only the clock moves, and the layer's re-check finds the flip.
    await setClock(posted + 40 * SECOND);
    await expect.poll(() => drawnUnit('V-LONE'), { timeout: 15_000 }).toMatchObject({ freshness: 'stale', opacity: 0.4 });
    const stale = await drawnUnit('V-LONE');
    expect(stale!.colour).toEqual(fresh!.colour);

    await setClock(posted + 130 * SECOND);
    await expect.poll(() => drawnUnit('V-LONE'), { timeout: 15_000 }).toMatchObject({ freshness: 'lost', opacity: 0.55 });
    const grey = (await drawnUnit('V-LONE'))!.colour;
    expect([grey.r, grey.g, grey.b].map((c) => Math.round(c * 255))).toEqual([0x99, 0x99, 0x99]);

    // For the picture, one unit of each kind: phones whose clocks run ahead of the server's by
    // less than the five minutes the server accepts make positions young on the moved clock.
    await report([{ volunteerId: 'V-STALE', ...STALE_SPOT, status: 'en_route' }], posted + 80 * SECOND);
    await report([{ volunteerId: 'V-FRESH', ...FRESH_SPOT, status: 'on_scene' }], posted + 127 * SECOND);
    await expect.poll(() => drawnUnit('V-STALE'), { timeout: 10_000 }).toMatchObject({ freshness: 'stale' });
    await expect.poll(() => drawnUnit('V-FRESH'), { timeout: 10_000 }).toMatchObject({ freshness: 'fresh', opacity: 1 });
    // Under each faded unit, the age of its position; none under a fresh one.
    const ages = () =>
      page.evaluate(() =>
        Object.fromEntries(window.__wall!.renderedFeatures(['units-age', 'units-pinned-age']).map((f) => [String(f.properties.id), `${f.properties.ageN} ${f.properties.ageUnit}`])),
      );
    await expect.poll(ages, { timeout: 10_000 }).toMatchObject({ 'V-LONE': '2 minutes', 'V-STALE': expect.stringMatching(/^\d+ seconds$/) });
    expect(Object.keys(await ages())).not.toContain('V-FRESH');
    await hover(LONE);
    await expect.poll(() => page.locator('.wall-popup').innerText(), { timeout: 5_000 }).toMatch(/队伍 T-FR[\s\S]*待命[\s\S]*位置 2 分钟前/);
    await page.screenshot({ path: `${OUTPUT_DIR}freshness.png` });
    await page.mouse.move(5, 600);
  });

  it('hides a layer switched off in the legend, and keeps it hidden across a reload', async () => {
    const visibility = (layer: string) => page.evaluate((id) => window.__wall!.map!.getLayoutProperty(id, 'visibility') ?? 'visible', layer);
    await page.locator('.legend button[data-layer="grid"]').click();
    await page.locator('.legend button[data-layer="cases"]').click();
    expect(await visibility('grid-lines')).toBe('none');
    for (const layer of ['cases-dots', 'cases-clusters', 'cases-pinned-dots', 'cases-alarm']) expect(await visibility(layer), layer).toBe('none');
    expect(await visibility('units-rings')).toBe('visible');
    expect(new URL(page.url()).searchParams.get('hide')).toBe('cases,grid');
    expect(await renderedIds(['cases-alarm'])).toEqual([]);

    await page.reload();
    await page.waitForFunction(() => window.__wall?.rendered === true, null, { timeout: 60_000 });
    expect(await visibility('grid-lines')).toBe('none');
    expect(await visibility('cases-dots')).toBe('none');
    expect(await page.locator('.legend button[data-layer="cases"]').getAttribute('aria-pressed')).toBe('false');

    await page.locator('.legend button[data-layer="cases"]').click();
    expect(await visibility('cases-dots')).toBe('visible');
    expect(new URL(page.url()).searchParams.get('hide')).toBe('grid');
  });

  it('dims the screen under a banner while the connection is cut, whatever its layout, and lifts it once live again', async () => {
    const kpi = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await kpi.goto(`${server.url}/?layout=kpi#link=${(await createLink(server)).token}`);
    const screens = [page, kpi];
    for (const each of screens) await each.waitForFunction(() => window.__wall?.connection === 'live', null, { timeout: 60_000 });
    expect(await page.locator('.frozen').count()).toBe(0);
    // Cut: the server drops the walls' sockets, and the pages cannot reach socket.io again.
    for (const each of screens) await each.route('**/socket.io/**', (route) => route.abort());
    server.app.live.io.disconnectSockets(true);
    for (const each of screens) {
      await each.waitForFunction(() => window.__wall!.connection !== 'live');
      await each.locator('.frozen').waitFor({ timeout: 10_000 });
      expect(await each.locator('.frozen').innerText()).toMatch(/连接中断\s*· 画面停留在 \d\d:\d\d:\d\d\s*· 正在重新连接/);
    }
    // Under the header, over all the rest: the map and the side panel, or the KPI board.
    expect(await covers(page, '.frozen', ['.map-area', 'aside.side-panel'])).toBe(true);
    expect(await covers(page, '.frozen', ['header'])).toBe(false);
    expect(await covers(kpi, '.frozen', ['.kpi-board'])).toBe(true);
    await page.screenshot({ path: `${OUTPUT_DIR}banner.png` });
    await kpi.screenshot({ path: `${OUTPUT_DIR}banner-kpi.png` });

    for (const each of screens) await each.unroute('**/socket.io/**');
    for (const each of screens) {
      await each.waitForFunction(() => window.__wall!.connection === 'live', null, { timeout: 30_000 });
      await each.locator('.frozen').waitFor({ state: 'detached', timeout: 5_000 });
    }
    await kpi.close();
  });

  /** Whether the element at `over` covers every element named in `under`, whole. */
  function covers(on: Page, over: string, under: string[]): Promise<boolean> {
    return on.evaluate(
      ([coverSelector, targets]) => {
        const cover = document.querySelector(coverSelector)!.getBoundingClientRect();
        return targets.every((target) => {
          const box = document.querySelector(target)!.getBoundingClientRect();
          return box.left >= cover.left && box.right <= cover.right && box.top >= cover.top && box.bottom <= cover.bottom;
        });
      },
      [over, under] as const,
    );
  }
});
