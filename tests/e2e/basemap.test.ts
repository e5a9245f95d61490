/**
 * The optional basemap: a style named by BASEMAP_STYLE is drawn under the wall's own layers
 * (its tiles really requested and its layers below ours), and a PMTiles file named by
 * BASEMAP_PMTILES is offered to the wall and served with range requests.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { createTestStore, startServer, type TestServer } from '../support/server.ts';
import { createLink, openWall } from '../support/sessions.ts';

/** A 1×1 PNG: enough for MapLibre to draw a raster tile. */
const PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

/** A local stand-in for a tile provider: a style and raster tiles on a free port. */
async function startTileServer(): Promise<{ server: Server; styleUrl: string; tileRequests: string[] }> {
  const tileRequests: string[] = [];
  const server = createServer((request, response) => {
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    response.setHeader('access-control-allow-origin', '*');
    if (request.url === '/style.json') {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({
        version: 8,
        sources: { streets: { type: 'raster', tiles: [`${base}/tiles/{z}/{x}/{y}.png`], tileSize: 256 } },
        layers: [
          { id: 'paper', type: 'background', paint: { 'background-color': '#ffffff' } },
          { id: 'streets', type: 'raster', source: 'streets' },
        ],
      }));
      return;
    }
    tileRequests.push(request.url ?? '');
    response.setHeader('content-type', 'image/png');
    response.end(PIXEL_PNG);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { server, styleUrl: `http://127.0.0.1:${port}/style.json`, tileRequests };
}

describe('the optional basemap', () => {
  let browser: Browser;
  let tiles: Awaited<ReturnType<typeof startTileServer>>;
  let server: TestServer;
  const dir = mkdtempSync(join(tmpdir(), 'wall-basemap-'));

  beforeAll(async () => {
    tiles = await startTileServer();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
    tiles?.server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('draws a configured style under the wall layers', async () => {
    server = await startServer(await createTestStore('pglite'), { BASEMAP_STYLE: tiles.styleUrl });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${server.url}/#link=${(await createLink(server)).token}`);
    await page.waitForFunction(() => window.__wall?.rendered === true, null, { timeout: 60_000 });
    await expect.poll(() => tiles.tileRequests.length, { timeout: 20_000 }).toBeGreaterThan(0);
    const layers = await page.evaluate(() => window.__wall!.layerIds());
    expect(layers).toContain('basemap:streets');
    expect(layers).not.toContain('basemap:paper');
    expect(layers.indexOf('basemap:streets')).toBeLessThan(layers.indexOf('subdistricts-fill'));
    await page.close();
  });

  it('offers a PMTiles file to the wall and serves it with range requests', async () => {
    await server?.dispose();
    const file = join(dir, 'xicheng.pmtiles');
    writeFileSync(file, Buffer.from('PMTiles\u0003 and some bytes of a basemap archive'));
    server = await startServer(await createTestStore('pglite'), { BASEMAP_PMTILES: file });
    const headers = { cookie: (await openWall(server)).cookie };
    expect((await fetch(`${server.url}/basemap/xicheng.pmtiles`)).status).toBe(401);
    const config = await (await fetch(`${server.url}/config.json`, { headers })).json();
    expect(config).toEqual({
      basemap: { style: null, pmtiles: '/basemap/xicheng.pmtiles' },
      attribution: '© OpenStreetMap contributors',
      freshness: { staleSeconds: 120, lostSeconds: 600 },
    });
    const range = await fetch(`${server.url}/basemap/xicheng.pmtiles`, { headers: { ...headers, range: 'bytes=0-6' } });
    expect(range.status).toBe(206);
    expect(await range.text()).toBe('PMTiles');
    expect((await fetch(`${server.url}/basemap/other.pmtiles`, { headers })).status).toBe(404);
  });
});
