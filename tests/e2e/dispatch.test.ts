/**
 * A dispatch from click to "on scene", in two headless Chromium contexts against a real
 * server. A coordinator (context A, a desk screen) signs in through /login, opens /dispatch,
 * clicks the incident on the map, sees the recommended teams with their reasons and who else
 * has the incident open, and assigns the first team with one click. A volunteer of that team
 * (context B, a phone: small touch screen, location allowed) opens the personal link an admin
 * created, shares the phone's location, gets the offer with its countdown, and answers Accept,
 * then "on my way" and "on scene". The console then shows the team on scene and the incident's
 * clock stopped. A team that declines another incident raises an alert on the console. An
 * operator is told the console is not for that role. Both pages run under the server's Content-Security-Policy without a violation
 * and without an uncaught error.
 * Screenshots: tests/output/dispatch.png (the console with the team on scene),
 * tests/output/volunteer.png (the phone with the offer), tests/output/dispatch-alert.png.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SHICHAHAI } from '../support/fixtures.ts';
import { OUTPUT_DIR, launchChromium, signedInContext } from '../support/browser.ts';
import { createTestStore, post, startServer, type TestServer } from '../support/server.ts';
import { TEST_PASSWORD, openVolunteerPage, signIn } from '../support/sessions.ts';
import { connectClient, type RecordingClient } from '../support/socket.ts';

const BUILT_CLIENT = fileURLToPath(new URL('../../dist/client/index.html', import.meta.url));

const SCENE = { lon: SHICHAHAI.lon, lat: SHICHAHAI.lat };
/** A point `metres` east of the scene (degrees of longitude at Shichahai's latitude). */
const east = (metres: number) => ({ lon: SCENE.lon + metres / 85_300, lat: SCENE.lat });
const INCIDENT = 'QUAKE-1';
const TEAMS = [
  { id: 'EQ-NEAR', name: '什刹海地震救援志愿队', subdistrict: SHICHAHAI.adcode, specialty: 'earthquake' },
  { id: 'PATROL', name: '什刹海群防群治队', subdistrict: SHICHAHAI.adcode, specialty: 'patrol' },
];
const MEMBERS = [
  { id: 'EQ-1', teamId: 'EQ-NEAR', name: '王建国', metres: 600 },
  { id: 'EQ-2', teamId: 'EQ-NEAR', name: '李秀英', metres: 800 },
  { id: 'PT-1', teamId: 'PATROL', name: '张桂兰', metres: 300 },
];
/** The phone's own position: where EQ-1 stands. */
const PHONE = east(600);

/** Records CSP violations and uncaught errors of every page in a context. */
async function watchProblems(context: BrowserContext, problems: string[]): Promise<void> {
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => console.error(`CSP: ${event.violatedDirective} ${event.blockedURI}`));
  });
  context.on('page', (page) => page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`)));
  context.on('console', (message) => {
    if (message.text().startsWith('CSP:')) problems.push(message.text());
  });
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a dispatch from click to on scene, in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let desk: Page;
  let phone: Page;
  let otherCoordinator: RecordingClient | undefined;
  let volunteerUrl: string;
  const problems: string[] = [];

  beforeAll(async () => {
    if (!existsSync(BUILT_CLIENT)) throw new Error('dist/client is missing: `npm test` builds it first (vite build)');
    server = await startServer(await createTestStore('pglite'));
    browser = await launchChromium();

    expect((await post(server, '/api/v1/teams', { items: TEAMS })).status).toBe(200);
    const volunteers = MEMBERS.map(({ metres: _m, ...v }) => ({ ...v, phone: '138-0000-0000' }));
    expect((await post(server, '/api/v1/volunteers', { items: volunteers })).status).toBe(200);
    // On duty a minute ago, then a fresh fix at each member's distance from the scene.
    const past = new Date(Date.now() - 60_000).toISOString();
    await post(server, '/api/v1/positions', { items: MEMBERS.map((m) => ({ volunteerId: m.id, ...east(m.metres), at: past, status: 'available' })) });
    const fixes = await post(server, '/api/v1/positions', { items: MEMBERS.map((m) => ({ volunteerId: m.id, ...east(m.metres) })) });
    expect(fixes.body.changed).toBe(MEMBERS.length);

    // The personal link, as an admin creates it in the registry.
    const admin = await signIn(server, 'admin');
    const link = await admin.request('POST', '/api/v1/registry/volunteers/EQ-1/link');
    expect(link.status, JSON.stringify(link.body)).toBe(200);
    volunteerUrl = `${server.url}/volunteer${new URL(link.body.url).hash}`;

    await signIn(server, 'coordinator', { username: 'coord-a' });
    const incident = await post(server, '/api/v1/incidents', { items: [{ sourceId: INCIDENT, kind: 'earthquake', severity: 3, ...SCENE }] });
    expect(incident.status).toBe(200);

    const deskContext = await browser.newContext({ viewport: { width: 1680, height: 1000 } });
    await watchProblems(deskContext, problems);
    desk = await deskContext.newPage();
    const phoneContext = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      geolocation: { longitude: PHONE.lon, latitude: PHONE.lat, accuracy: 8 },
      permissions: ['geolocation'],
    });
    await watchProblems(phoneContext, problems);
    phone = await phoneContext.newPage();
  });

  afterAll(async () => {
    otherCoordinator?.close();
    await browser?.close();
    await server?.dispose();
  });

  it('sends a coordinator to sign in and back to the console', async () => {
    await desk.goto(`${server.url}/dispatch`);
    await desk.waitForURL(/\/login\?next=%2Fdispatch/);
    await desk.locator('input[name="username"]').fill('coord-a');
    await desk.locator('input[name="password"]').fill(TEST_PASSWORD);
    await desk.locator('button[type="submit"]').click();
    await desk.waitForURL(/\/dispatch$/);
    await desk.waitForFunction(() => window.__wall?.connection === 'live' && window.__wall.features.incidents > 0, null, { timeout: 60_000 });
    expect(await desk.locator('header').innerText()).toContain('coord-a');
    expect(await desk.locator('.incidents').innerText()).toContain('地震');
  });

  it('opens the incident clicked on the map, with ranked teams and their reasons', async () => {
    // Wait until the dot is drawn, then click where it is, as a person would.
    await desk.waitForFunction(() => window.__wall!.renderedFeatures(['incidents-dots']).length > 0, null, { timeout: 30_000 });
    const at = await desk.evaluate(({ lon, lat }) => window.__dispatch!.project(lon, lat), SCENE);
    expect(at).not.toBeNull();
    await desk.mouse.click(at!.x, at!.y);
    await desk.waitForFunction((id) => window.__dispatch?.incident === id && window.__dispatch.version !== null, INCIDENT);

    const first = desk.locator('.recommendation').first();
    expect(await first.getAttribute('data-team')).toBe('EQ-NEAR');
    const reason = await first.locator('.reason').innerText();
    expect(reason).toMatch(/^(\d+ 米|\d+\.\d 公里) · 约 \d+ 分钟 · 地震专业 · 需 \d+ 人，可用 2 人$/);
    expect(await desk.locator('.response-clock').getAttribute('data-stage')).toBe('awaiting_dispatch');
    expect(await desk.locator('.watchers').innerText()).toContain('仅您');
  });

  it('shows who else has the incident open', async () => {
    const coordB = await signIn(server, 'coordinator', { username: 'coord-b' });
    otherCoordinator = await connectClient(server.url, coordB.cookie);
    const opened = await otherCoordinator.socket.timeout(10_000).emitWithAck('dispatch:open', { incident: INCIDENT });
    expect(opened.ok).toBe(true);
    await desk.locator('.watchers.shared', { hasText: 'coord-b' }).waitFor();
    otherCoordinator.close();
    otherCoordinator = undefined;
    await desk.locator('.watchers:not(.shared)').waitFor();
  });

  it('assigns the first team with one click', async () => {
    await desk.locator('.recommendation[data-team="EQ-NEAR"] button.assign').click();
    const card = desk.locator('.assignment[data-state="offered"]');
    await card.waitFor();
    expect(await card.innerText()).toContain('什刹海地震救援志愿队');
    // Members by name, from the registry; both still waiting to answer.
    await expect.poll(() => card.locator('.members').innerText()).toContain('王建国');
    expect(await card.locator('.answer.waiting').count()).toBe(2);
    expect(await desk.locator('.response-clock').getAttribute('data-stage')).toBe('dispatched');
  });

  it('brings the offer to the volunteer’s phone, sharing its location, and follows it to the scene', async () => {
    await phone.goto(volunteerUrl);
    const offer = phone.locator('.assignment[data-step="offer"]');
    await offer.waitFor({ timeout: 30_000 });
    expect(await phone.locator('h1').innerText()).toBe('王建国');
    expect(await offer.innerText()).toContain('地震');
    expect(await offer.locator('.countdown').innerText()).toMatch(/请在 \d+:\d\d 内应答/);
    // On duty (assigned), so the phone shares where it is; the distance to the scene follows.
    await phone.locator('.location[data-sharing="sharing"]').waitFor({ timeout: 30_000 });
    await expect.poll(() => offer.innerText()).toMatch(/距您 \d+ 米/);
    await phone.screenshot({ path: `${OUTPUT_DIR}volunteer.png` });

    await offer.locator('button.accept').tap();
    await phone.locator('.assignment[data-step="accepted"] button.go').tap();
    await phone.locator('.assignment[data-step="en_route"] button.go').tap();
    await phone.locator('.assignment[data-step="on_scene"]').waitFor();
    expect(await phone.locator('.status').getAttribute('data-status')).toBe('on_scene');
  });

  it('shows the team on scene on the console, and the incident’s clock stopped', async () => {
    const card = desk.locator('.assignment[data-state="on_scene"]');
    await card.waitFor({ timeout: 30_000 });
    expect(await card.locator('.answer.accepted').innerText()).toContain('接受');
    const clock = desk.locator('.response-clock[data-stage="on_scene"] .elapsed');
    await clock.waitFor();
    const stopped = await clock.innerText();
    await desk.waitForTimeout(2_100);
    expect(await clock.innerText()).toBe(stopped);
    await desk.screenshot({ path: `${OUTPUT_DIR}dispatch.png` });
  });

  it('alerts the console when a team declines, saying what the server did next', async () => {
    const second = await post(server, '/api/v1/incidents', { items: [{ sourceId: 'QUAKE-2', kind: 'earthquake', severity: 4, ...east(200) }] });
    expect(second.status).toBe(200);
    await desk.locator('button.back').click();
    await desk.locator('.incidents button[data-incident="QUAKE-2"]').click();
    await desk.locator('.recommendation[data-team="PATROL"] button.assign').click();
    await desk.locator('.assignment[data-state="offered"]').waitFor();

    const patrol = await openVolunteerPage(server, 'PT-1');
    const offer = (await patrol.request('GET', '/api/v1/me/volunteer')).body.assignment.id;
    expect((await patrol.request('POST', '/api/v1/me/assignment', { assignment: offer, step: 'decline' })).status).toBe(200);
    const alert = desk.locator('.alerts .alert[data-kind="declined"]');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('什刹海群防群治队 拒绝');
    await desk.locator('.assignment[data-state="declined"]').waitFor();
    await desk.screenshot({ path: `${OUTPUT_DIR}dispatch-alert.png` });
  });

  it('edits a volunteer’s skills and imports a CSV in the registry tab, naming a bad line', async () => {
    await desk.locator('button[data-tab="registry"]').click();
    await desk.locator('tr[data-team="EQ-NEAR"] button.pick').click();
    const card = desk.locator('article.volunteer[data-volunteer="EQ-2"]');
    await card.locator('label.check', { hasText: '急救' }).locator('input').check();
    await card.locator('button.primary').click();
    await waitUntil(async () => (await server.app.store.pool.query("SELECT skills FROM volunteers WHERE id = 'EQ-2'")).rows[0].skills.includes('first_aid'));

    const csv = 'id,name,subdistrict,specialty,community\nFIRE-9,什刹海消防志愿三队,110102012,fire,前海社区\nBAD-1,坏队,110102012,cooking,\n';
    await desk.locator('input[type="file"]').setInputFiles({ name: 'teams.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await desk.locator('form button[type="submit"]').click();
    const refused = desk.locator('.problem tr[data-line="3"]');
    await refused.waitFor();
    expect(await refused.innerText()).toContain('specialty');
    expect((await server.app.store.pool.query("SELECT count(*)::int AS n FROM teams WHERE id = 'FIRE-9'")).rows[0].n).toBe(0);
    await refused.scrollIntoViewIfNeeded();
    await desk.screenshot({ path: `${OUTPUT_DIR}registry.png` });
    await desk.locator('button[data-tab="dispatch"]').click();
  });

  it('tells a signed-in operator that the console is not theirs', async () => {
    const operator = await signIn(server, 'operator');
    const context = await signedInContext(browser, server.url, operator.cookie);
    const page = await context.newPage();
    await page.goto(`${server.url}/dispatch`);
    await page.locator('[data-notice="not-allowed"]').waitFor();
    expect(await page.locator('body').innerText()).toContain('调度台仅供调度员和管理员使用');
    await context.close();
  });

  it('ran both pages under the Content-Security-Policy, without an uncaught error', () => {
    expect(problems).toEqual([]);
  });
});
