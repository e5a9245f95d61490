/**
 * The database unreachable for a while, end to end: a real server on PostgreSQL through a TCP
 * proxy the test cuts (the PostgreSQL other tests share is left alone), a real wall in Chromium
 * and a feed. While it is cut, the feed gets 503 STORE_UNAVAILABLE with Retry-After and nothing
 * it sent is stored, /healthz says degraded, every socket is told (live:status) and the wall
 * dims under a banner saying no new data comes; once restored, everything resumes by itself:
 * the feed's resend is stored once and reaches the wall, health is ok, the banner goes.
 * Screenshot: tests/output/faults.png (the wall while the store is down).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveStatus } from '../../server/contract/live.ts';
import { SHICHAHAI } from '../support/fixtures.ts';
import { launchChromium, OUTPUT_DIR } from '../support/browser.ts';
import { createTestStore, post, startServer, type TestServer, type TestStore } from '../support/server.ts';
import { createLink, openWall } from '../support/sessions.ts';
import { connectClient, type RecordingClient } from '../support/socket.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcpProxy.ts';

const BUILT_CLIENT = fileURLToPath(new URL('../../dist/client/index.html', import.meta.url));

const hotlineCase = (id: string) => ({ sourceId: id, source: 'hotline', category: 'parking', lon: SHICHAHAI.lon, lat: SHICHAHAI.lat });

describe('the database unreachable for a while', () => {
  let store: TestStore;
  let proxy: TcpProxy;
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let client: RecordingClient;
  const statuses: LiveStatus[] = [];

  beforeAll(async () => {
    if (!existsSync(BUILT_CLIENT)) throw new Error('dist/client is missing: `npm test` builds it first (vite build)');
    store = await createTestStore('postgresql');
    const direct = new URL(store.env.DATABASE_URL!);
    proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const proxied = new URL(direct);
    proxied.port = String(proxy.port);
    server = await startServer(store, { DATABASE_URL: proxied.toString() });
    client = await connectClient(server.url, (await openWall(server)).cookie);
    client.socket.on('live:status', (status) => statuses.push(status));
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await page.goto(`${server.url}/#link=${(await createLink(server)).token}`);
    await page.waitForFunction(() => window.__wall?.connection === 'live' && window.__wall.rendered, null, { timeout: 60_000 });
  }, 120_000);

  afterAll(async () => {
    client?.close();
    await browser?.close();
    await server?.close();
    await proxy?.close();
    await store?.dispose();
  });

  it('refuses with 503 and Retry-After, stores nothing, says so everywhere, and resumes by itself', async () => {
    expect((await post(server, '/api/v1/cases', { items: [hotlineCase('BEFORE')] })).status).toBe(200);
    await page.waitForFunction(() => window.__wall!.counts.cases === 1, null);

    proxy.cut();
    const refused = await fetch(`${server.url}/api/v1/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}` },
      body: JSON.stringify({ items: [hotlineCase('DURING')] }),
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect((await refused.json()).code).toBe('STORE_UNAVAILABLE');
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(503);
    expect((await health.json()).status).toBe('degraded');

    await expect.poll(() => statuses.at(-1)?.storeAvailable, { timeout: 10_000 }).toBe(false);
    await page.locator('.frozen[data-store="unavailable"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('.frozen .banner').innerText()).toContain('数据库无响应');
    expect(await page.locator('header .connection').getAttribute('data-store')).toBe('unavailable');
    await page.screenshot({ path: `${OUTPUT_DIR}faults.png` });

    proxy.restore();
    // The feed sends again, as Retry-After says, until it is taken.
    let answer = await post(server, '/api/v1/cases', { items: [hotlineCase('DURING')] });
    for (let tries = 0; answer.status === 503 && tries < 30; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      answer = await post(server, '/api/v1/cases', { items: [hotlineCase('DURING')] });
    }
    expect(answer.status).toBe(200);
    expect(answer.body.changed).toBe(1);
    await expect.poll(async () => (await fetch(`${server.url}/healthz`)).status, { timeout: 10_000 }).toBe(200);
    await expect.poll(() => statuses.at(-1)?.storeAvailable, { timeout: 10_000 }).toBe(true);
    await page.waitForFunction(() => window.__wall!.counts.cases === 2, null);
    await page.locator('.frozen').waitFor({ state: 'detached' });
    expect(await page.locator('header .connection').getAttribute('data-store')).toBe('available');

    const { rows } = await server.app.store.pool.query<{ source_id: string }>("SELECT source_id FROM cases ORDER BY source_id");
    expect(rows.map((r) => r.source_id)).toEqual(['BEFORE', 'DURING']);
  }, 90_000);
});
