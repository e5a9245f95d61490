/**
 * The wall's timers and deadlines in a real headless Chromium against a real server (no
 * simulator, so the wall shows exactly what the test posts): an incident's running response
 * clock in the clocks panel, a case past its deadline counted as overdue and ringed on the map,
 * a case that turns overdue while the wall watches (no message says so: the layer's re-check
 * finds it), the medical response time "not measured yet" while no medical team reached a
 * scene, and a 吹哨报到 whistle counting down with the departments still missing.
 * Screenshots go to tests/output/clocks.png, clocks-whistle.png and clocks-en.png.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { OUTPUT_DIR, launchChromium } from '../support/browser.ts';
import { createTestStore, post, startServer, type TestServer } from '../support/server.ts';
import { createLink, signIn } from '../support/sessions.ts';

const BUILT_CLIENT = fileURLToPath(new URL('../../dist/client/index.html', import.meta.url));
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** 什刹海 and 德胜, inside the district and inside the wall's first view */
const SHICHAHAI = { lon: 116.385, lat: 39.94 };
const DESHENG = { lon: 116.37, lat: 39.95 };

const iso = (at: number) => new Date(at).toISOString();

describe('the clocks on the wall in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(BUILT_CLIENT)) throw new Error('dist/client is missing: `npm test` builds it first (vite build)');
    server = await startServer(await createTestStore('pglite'));
    const now = Date.now();
    // Severity III: a I or II would raise an alarm, whose camera flight to the incident would
    // take the overdue case below out of view while the test reads the map's rings.
    const incident = await post(server, '/api/v1/incidents', {
      items: [{ sourceId: 'E2E-MED-1', kind: 'medical', severity: 3, ...DESHENG, at: iso(now - 3 * MINUTE) }],
    });
    expect(incident.status).toBe(200);
    // Parking, urgent: 2 hours to resolve (server/domain/clocks.ts). Reported 3 hours ago, the
    // first is overdue; the second, normal (24 hours), is not.
    const cases = await post(server, '/api/v1/cases', {
      items: [
        { sourceId: 'E2E-LATE', source: 'hotline', category: 'parking', urgency: 'urgent', ...SHICHAHAI, at: iso(now - 3 * HOUR) },
        { sourceId: 'E2E-FINE', source: 'hotline', category: 'parking', lon: 116.36, lat: 39.93, at: iso(now - 3 * HOUR) },
      ],
    });
    expect(cases.status).toBe(200);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(`${server.url}/#link=${(await createLink(server)).token}`);
    await page.waitForFunction(() => window.__wall?.rendered === true, null, { timeout: 60_000 });
    await page.waitForFunction(() => window.__wall!.connection === 'live');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  const clocks = () => page.locator('aside.side-panel section.clocks');
  const overdueCount = () => clocks().locator('.overdue-cases .value').innerText();
  const ringed = () =>
    page.evaluate(() => window.__wall!.renderedFeatures(['cases-alarm']).map((f) => String(f.properties.id)).sort());

  it("shows the incident's running clock, one overdue case ringed on the map, and no measured response yet", async () => {
    const row = clocks().locator('li.incident-clock[data-id="E2E-MED-1"]');
    await row.waitFor({ timeout: 15_000 });
    expect(await row.getAttribute('data-stage')).toBe('awaiting_dispatch');
    // Three minutes without a team against the two-minute dispatch target: late.
    expect(await row.getAttribute('class')).toContain('late');
    expect(await row.innerText()).toMatch(/医疗急救[\s\S]*待派遣[\s\S]*0[3-9]:\d\d\s*\/02:00/);
    const before = await row.locator('.clock').innerText();
    await expect.poll(() => row.locator('.clock').innerText(), { timeout: 5_000 }).not.toBe(before);

    await expect.poll(overdueCount, { timeout: 10_000 }).toBe('1');
    await expect.poll(ringed, { timeout: 10_000 }).toEqual(['hotline:E2E-LATE']);
    expect(await clocks().locator('.response').innerText()).toContain('尚未测得');
    await page.screenshot({ path: `${OUTPUT_DIR}clocks.png` });
  });

  it('rings a case that turns overdue while the wall watches', async () => {
    // Public order, urgent: one hour. Its deadline passes a few seconds from now, with no message.
    const reported = await post(server, '/api/v1/cases', {
      items: [{ sourceId: 'E2E-SOON', source: 'patrol', category: 'public_order', urgency: 'urgent', lon: 116.375, lat: 39.925, at: iso(Date.now() - HOUR + 8_000) }],
    });
    expect(reported.status).toBe(200);
    await page.waitForFunction(() => window.__wall!.counts.cases === 3);
    expect(await ringed()).toEqual(['hotline:E2E-LATE']);
    await expect.poll(overdueCount, { timeout: 15_000 }).toBe('2');
    // The map re-checks every 15 seconds.
    await expect.poll(ringed, { timeout: 30_000 }).toEqual(['hotline:E2E-LATE', 'patrol:E2E-SOON']);
  });

  it('counts a whistle down with the departments still missing', async () => {
    const operator = await signIn(server, 'operator');
    const blown = await operator.request('POST', `/api/v1/cases/${encodeURIComponent('hotline:E2E-FINE')}/whistle`, {
      departments: ['城管执法队', '交通支队'],
    });
    expect(blown.status).toBeLessThan(300);
    const reported = await operator.request('POST', `/api/v1/cases/${encodeURIComponent('hotline:E2E-FINE')}/whistle/report`, {
      department: '城管执法队',
    });
    expect(reported.status).toBeLessThan(300);
    const row = clocks().locator('li.whistle[data-id="hotline:E2E-FINE"]');
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    expect(await row.innerText()).toMatch(/未到：交通支队[\s\S]*剩余 (29|30):\d\d/);
    expect(await row.innerText()).not.toContain('城管执法队');
    expect(await row.getAttribute('class')).not.toContain('late');
    await page.screenshot({ path: `${OUTPUT_DIR}clocks-whistle.png` });

    await page.locator('header button.lang').click();
    await page.waitForFunction(() => window.__wall!.lang === 'en');
    expect(await row.innerText()).toMatch(/missing: 交通支队[\s\S]*(29|30):\d\d left/);
    expect(await clocks().locator('.response').innerText()).toContain('not measured yet');
    await page.screenshot({ path: `${OUTPUT_DIR}clocks-en.png` });
  });
});
