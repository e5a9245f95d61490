/**
 * The leaders' view in a headless Chromium against a real server with a few hours of history:
 * the subdistricts coloured by case count and ranked in the league table, the table and the map
 * lighting each other up, the drill-down to grid cells with the heat map on (and every cell
 * on a map zoomed in), the plan's
 * indicators with a survey figure entered, a population edited and a bad import refused by
 * line, the time machine replaying the district from two hours ago while following a
 * volunteer, and both exports. An operator is told the page is not theirs.
 * Screenshots: tests/output/leaders.png (district by cases), leaders-cells.png (什刹海's cells
 * with the heat map), leaders-replay.png (two hours ago, following the volunteer),
 * leaders-indicators.png, leaders-en.png.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NIUJIE, SHICHAHAI } from '../support/fixtures.ts';
import { launchChromium, OUTPUT_DIR, signedInContext } from '../support/browser.ts';
import { createTestStore, post, startServer, type TestServer } from '../support/server.ts';
import { signIn } from '../support/sessions.ts';

const BUILT_CLIENT = fileURLToPath(new URL('../../dist/client/index.html', import.meta.url));
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

/** 什刹海: five open cases, one closed an hour after its report, and one 40 minutes old. */
const SHICHAHAI_CASES = [5, 4.5, 4, 3.5, 3].map((hours, i) => ({ id: `SH-${i + 1}`, at: hours * HOUR }));
const CLOSED = { id: 'SH-6', at: 4 * HOUR, closed: 3 * HOUR };
const LATE = { id: 'LATE-1', at: 40 * MINUTE };
const NIUJIE_CASES = [{ id: 'NJ-1', at: 2.5 * HOUR }, { id: 'NJ-2', at: 2.5 * HOUR }];
/** A volunteer walking east across 什刹海 for the last two and a half hours, a fix every 5 minutes. */
const WALK = Array.from({ length: 31 }, (_, i) => ({ at: (150 - i * 5) * MINUTE, lon: SHICHAHAI.lon - 0.006 + i * 0.0004, lat: SHICHAHAI.lat }));

function caseReport(id: string, where: { lon: number; lat: number }, atMs: number, extra: Record<string, unknown> = {}) {
  return { sourceId: id, source: 'hotline', category: 'parking', lon: where.lon, lat: where.lat, at: ago(atMs), ...extra };
}

async function seedHistory(server: TestServer): Promise<void> {
  const reports = [
    ...SHICHAHAI_CASES.map((c) => caseReport(c.id, SHICHAHAI, c.at)),
    caseReport(CLOSED.id, SHICHAHAI, CLOSED.at),
    ...NIUJIE_CASES.map((c) => caseReport(c.id, NIUJIE, c.at)),
    caseReport(LATE.id, SHICHAHAI, LATE.at),
  ];
  for (const report of reports) expect((await post(server, '/api/v1/cases', { items: [report] })).status).toBe(200);
  const closing = caseReport(CLOSED.id, SHICHAHAI, CLOSED.closed, { state: 'closed' });
  expect((await post(server, '/api/v1/cases', { items: [closing] })).status).toBe(200);
  const incident = { sourceId: 'F-1', kind: 'fire', severity: 3, lon: NIUJIE.lon, lat: NIUJIE.lat, at: ago(HOUR) };
  expect((await post(server, '/api/v1/incidents', { items: [incident] })).status).toBe(200);
  const team = { id: 'SH-PATROL', name: '什刹海巡逻队', subdistrict: SHICHAHAI.adcode, specialty: 'patrol' };
  expect((await post(server, '/api/v1/teams', { items: [team] })).status).toBe(200);
  expect((await post(server, '/api/v1/volunteers', { items: [{ id: 'V-WALK', teamId: team.id, name: '赵志强', phone: '138-0000-0001' }] })).status).toBe(200);
  for (const [i, fix] of WALK.entries()) {
    const report = { volunteerId: 'V-WALK', lon: fix.lon, lat: fix.lat, at: ago(fix.at), ...(i === 0 ? { status: 'available' } : {}) };
    const answer = await post(server, '/api/v1/positions', { items: [report] });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  }
}

describe('the leaders’ view, in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    if (!existsSync(BUILT_CLIENT)) throw new Error('dist/client is missing: `npm test` builds it first (vite build)');
    server = await startServer(await createTestStore('pglite'));
    await seedHistory(server);
    browser = await launchChromium();
    const leader = await signIn(server, 'leader');
    const context = await signedInContext(browser, server.url, leader.cookie, { viewport: { width: 1800, height: 1000 }, acceptDownloads: true });
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (error) => problems.push(error.message));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it('colours the subdistricts by cases and ranks them in the table', async () => {
    await page.goto(`${server.url}/leaders`);
    await page.waitForFunction(() => window.__leaders?.rendered === true && window.__leaders.areas !== null, null);
    await page.locator('[data-control="window"]').selectOption('day');
    await page.waitForFunction((span) => window.__leaders!.areas!.to - window.__leaders!.areas!.from === span, 24 * HOUR);
    const first = page.locator('.league tbody tr').first();
    expect(await first.getAttribute('data-key')).toBe(SHICHAHAI.adcode);
    // Six reported in the day and the late one: the closed case still counts as reported.
    expect(await first.locator('td[data-column="cases"]').innerText()).toBe('7');
    expect(await page.locator(`.league tr[data-key="${NIUJIE.adcode}"] td[data-column="cases"]`).innerText()).toBe('2');
    expect(await page.locator('.league tbody tr').count()).toBe(15);
    expect(await page.locator('.league tfoot td[data-column="cases"]').innerText()).toBe('9');

    // Drawn on the map: 什刹海 in the ramp's strongest colour, an area with none in its palest.
    const colours = await page.evaluate(() => window.__leaders!.colours);
    expect(Object.keys(colours)).toHaveLength(15);
    expect(colours[SHICHAHAI.adcode]).not.toBe(colours['110102001']);
    const drawn = await page.evaluate((adcode) => {
      const map = window.__leaders!.map!;
      return map.queryRenderedFeatures({ layers: ['choropleth-subdistricts-fill'] }).filter((f) => f.id === adcode).map((f) => f.state);
    }, SHICHAHAI.adcode);
    expect(drawn.length).toBeGreaterThan(0);
    expect(drawn[0]!.colour).toBe(colours[SHICHAHAI.adcode]);
    await page.screenshot({ path: `${OUTPUT_DIR}leaders.png` });
  });

  it('sorts by any column and lights the area of the row under the pointer, and the row of the area', async () => {
    await page.locator('th[data-column="cases"] button').click();
    expect(await page.locator('.league tbody tr').last().getAttribute('data-key')).toBe(SHICHAHAI.adcode);
    await page.locator('th[data-column="cases"] button').click();
    expect(await page.locator('.league tbody tr').first().getAttribute('data-key')).toBe(SHICHAHAI.adcode);

    await page.locator(`.league tr[data-key="${NIUJIE.adcode}"]`).hover();
    const hover = await page.evaluate((id) => window.__leaders!.map!.getFeatureState({ source: 'choropleth-subdistricts', id }).hover, NIUJIE.adcode);
    expect(hover).toBe(true);

    const point = await page.evaluate(({ lon, lat }) => {
      const map = window.__leaders!.map!;
      const p = map.project([lon, lat]);
      const box = map.getCanvas().getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y };
    }, SHICHAHAI);
    await page.mouse.move(point.x, point.y);
    await expect.poll(() => page.locator(`.league tr[data-key="${SHICHAHAI.adcode}"]`).getAttribute('class')).toContain('hovered');
  });

  it('drills into a subdistrict’s grid cells, with the heat map of its cases', async () => {
    await page.locator(`.league tr[data-key="${SHICHAHAI.adcode}"]`).click();
    await page.waitForFunction((adcode) => window.__leaders!.areas!.level === 'cell' && window.__leaders!.areas!.within === adcode, SHICHAHAI.adcode);
    const rows = page.locator('.league tbody tr');
    expect(await rows.count()).toBeGreaterThan(20);
    expect(await rows.first().locator('td[data-column="cases"]').innerText()).toBe('7');
    expect(await page.locator('[data-crumb="subdistrict"]').innerText()).toContain('什刹海');

    await page.locator('[data-control="heat"]').selectOption('cases');
    await page.waitForFunction(() => window.__leaders!.heat.length > 0, null);
    const heat = await page.evaluate(() => window.__leaders!.heat);
    expect(heat.reduce((sum, [, , count]) => sum + count, 0)).toBe(9);
    await page.waitForFunction(() => window.__leaders!.map!.queryRenderedFeatures({ layers: ['heat'] }).length > 0, null);
    await page.waitForTimeout(1_800); // the camera's flight to the subdistrict
    await page.screenshot({ path: `${OUTPUT_DIR}leaders-cells.png` });

    await page.locator('[data-crumb="district"]').click();
    await page.waitForFunction(() => window.__leaders!.areas!.level === 'subdistrict', null);

    // Zoomed in over the district, the map draws every grid cell; zoomed out, the subdistricts again.
    await page.waitForTimeout(1_800); // the camera's flight back to the district
    await page.evaluate(({ lon, lat }) => window.__leaders!.map!.jumpTo({ center: [lon, lat], zoom: 14.5 }), NIUJIE);
    await page.waitForFunction(() => Object.keys(window.__leaders!.colours).length > 2_000, null);
    const cells = await page.evaluate(() => window.__leaders!.map!.queryRenderedFeatures({ layers: ['choropleth-cells-fill'] }).length);
    expect(cells).toBeGreaterThan(0);
    await page.evaluate(() => window.__leaders!.map!.jumpTo({ zoom: 12 }));
    await page.waitForFunction(() => Object.keys(window.__leaders!.colours).length === 15, null);
  });

  it('exports the table as CSV and the map as a PNG', async () => {
    const href = await page.locator('[data-export="csv"]').getAttribute('href');
    const csv = await page.evaluate(async (url) => {
      const answer = await fetch(url!);
      return { status: answer.status, type: answer.headers.get('content-type'), text: await answer.text() };
    }, href);
    expect(csv.status).toBe(200);
    expect(csv.type).toContain('text/csv');
    expect(csv.text).toContain(SHICHAHAI.adcode);

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export="png"]').click()]);
    const file = await download.path();
    const bytes = readFileSync(file);
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(bytes.length).toBeGreaterThan(20_000);
  });

  it('shows the plan’s indicators and keeps a survey figure a leader enters', async () => {
    await page.locator('[data-tab="indicators"]').click();
    await page.locator('[data-indicator="grid_coverage"]').waitFor();
    expect(await page.locator('.cards [data-indicator]').count()).toBe(8);
    expect(await page.locator('[data-indicator="volunteers_per_resident"] .value').innerText()).not.toBe('');

    const form = page.locator('[data-form="survey"]');
    await form.locator('select[name="indicator"]').selectOption('safety_feeling');
    await form.locator('input[name="period"]').fill('2025');
    await form.locator('input[name="value"]').fill('98.2');
    await form.locator('button[type="submit"]').click();
    const row = page.locator('.survey tr[data-indicator="safety_feeling"]');
    await expect.poll(() => row.innerText()).toContain('98.2');
    expect(await row.getAttribute('data-meets')).toBe('true');
    await page.locator('.tab-body').evaluate((body) => body.scrollTo(0, 0));
    await page.screenshot({ path: `${OUTPUT_DIR}leaders-indicators.png` });
  });

  it('edits a population, and refuses an import with a bad line, naming it', async () => {
    await page.locator('[data-tab="references"]').click();
    await page.locator(`[data-edit="${NIUJIE.adcode}"]`).click();
    await page.locator('input[name="population"]').fill('50000');
    await page.locator('.edit button[type="submit"]').click();
    await expect.poll(() => page.locator(`tr[data-adcode="${NIUJIE.adcode}"] [data-field="population"]`).innerText()).toBe('50,000');

    const bad = 'adcode,population\n110102012,100000\n110102999,5\n';
    await page.locator('[data-form="references-import"] input[type="file"]').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.locator('[data-form="references-import"] button[type="submit"]').click();
    await page.locator('.problem tr[data-line="3"]').waitFor();
    const shichahai = await page.locator(`tr[data-adcode="${SHICHAHAI.adcode}"] [data-field="population"]`).innerText();
    expect(shichahai).not.toBe('100,000');

    // Per 10,000 residents now reads the edited figure: 2 cases among 50,000.
    await page.locator('[data-tab="areas"]').click();
    await page.locator('[data-control="per-capita"]').check();
    await expect.poll(() => page.locator(`.league tr[data-key="${NIUJIE.adcode}"] td[data-column="cases"]`).innerText()).toBe('0.4');
  });

  it('replays the district from two hours ago, following the volunteer, and comes back to now', async () => {
    await page.locator('[data-control="per-capita"]').uncheck();
    const twoHoursAgo = Date.now() - 2 * HOUR;
    const value = new Date(twoHoursAgo + 8 * HOUR).toISOString().slice(0, 16);
    await page.locator('[data-control="moment"]').fill(value);
    await page.locator('[data-control="moment"]').dispatchEvent('change');
    // Open two hours ago: five in 什刹海 (the sixth closed an hour before), two in 牛街; not the late one.
    await page.waitForFunction((before) => !window.__leaders!.loading && window.__leaders!.clock < before && window.__leaders!.counts.cases === 7, Date.now() - HOUR);
    expect(await page.locator('.time-bar').getAttribute('data-past')).toBe('true');
    expect((await page.evaluate(() => window.__leaders!.counts)).units).toBe(1);
    // The table counts the window ending at the moment shown: 7 in 什刹海 then is 6 (the late case is not yet).
    await expect.poll(() => page.locator(`.league tr[data-key="${SHICHAHAI.adcode}"] td[data-column="cases"]`).innerText()).toBe('6');

    await page.locator('[data-control="follow"]').selectOption('V-WALK');
    await page.waitForTimeout(1_000); // the camera's glide to the volunteer
    await page.screenshot({ path: `${OUTPUT_DIR}leaders-replay.png` });
    await page.locator('[data-control="speed"]').selectOption('1800');
    const before = await page.evaluate(() => window.__leaders!.map!.getCenter().lng);
    await page.locator('[data-control="play"]').click();
    await page.waitForFunction(() => window.__leaders!.counts.cases === 8, null);
    const after = await page.evaluate(() => window.__leaders!.map!.getCenter().lng);
    expect(after).toBeGreaterThan(before);
    await page.locator('[data-control="pause"]').click();

    await page.locator('[data-control="now"]').click();
    await page.waitForFunction((near) => Date.now() - window.__leaders!.clock < near && window.__leaders!.counts.cases === 8, 2 * MINUTE);
    expect(await page.locator('.time-bar').getAttribute('data-past')).toBe('false');
    expect(problems).toEqual([]);
  }, 60_000);

  it('speaks English when asked, table, indicators and time bar alike', async () => {
    await page.locator('header button.lang').click();
    await expect.poll(() => page.locator('[data-tab="areas"]').innerText()).toBe('Subdistricts');
    expect(await page.locator('.league tbody tr').first().locator('td.name').innerText()).toBe('Shichahai');
    expect(await page.locator('.time-bar').innerText()).toContain('Back to now');
    await page.screenshot({ path: `${OUTPUT_DIR}leaders-en.png` });
  });

  it('tells an operator the leaders’ view is not theirs', async () => {
    const operator = await signIn(server, 'operator');
    const context = await signedInContext(browser, server.url, operator.cookie);
    const other = await context.newPage();
    await other.goto(`${server.url}/leaders`);
    await other.locator('[data-notice="not-allowed"]').waitFor();
    expect(await other.locator('body').innerText()).toContain('领导视图仅供领导和管理员使用');
    await context.close();
  });
});
