/**
 * What the wall page loads from its own origin: the built client (its pages `/`, `/login`,
 * `/admin`, `/dispatch`, `/volunteer`), the boundary and grid GeoJSON, its configuration and an optional PMTiles basemap.
 * The page shell is public; the data needs a session (access/rules.ts). The map's glyph URL points here
 * too and is answered 404 on purpose: MapLibre then draws every label with local fonts (CJK
 * through localIdeographFontFamily), so no font is ever fetched from the internet.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLIENT_DIR = resolve(root, 'dist/client');
const GEO_DIR = resolve(root, 'geo/data');
export const ATTRIBUTION = '© OpenStreetMap contributors';

const wall: FastifyPluginAsync = async (app) => {
  const { basemapStyle, basemapPmtiles, staleAfterSeconds, lostAfterSeconds } = app.config;
  await app.register(fastifyStatic, { root: GEO_DIR, prefix: '/geo/', decorateReply: false, index: false });
  if (basemapPmtiles) {
    await app.register(fastifyStatic, {
      root: resolve(dirname(resolve(basemapPmtiles))),
      prefix: '/basemap/',
      decorateReply: false,
      allowedPath: (path) => path === `/${basename(basemapPmtiles)}`,
    });
  }
  app.get('/config.json', async () => ({
    basemap: {
      style: basemapStyle,
      pmtiles: basemapPmtiles ? `/basemap/${basename(basemapPmtiles)}` : null,
    },
    attribution: ATTRIBUTION,
    freshness: { staleSeconds: staleAfterSeconds, lostSeconds: lostAfterSeconds },
  }));
  if (existsSync(CLIENT_DIR)) {
    await app.register(fastifyStatic, { root: CLIENT_DIR, prefix: '/', decorateReply: false });
    // The page shell routes by path; these paths are its other pages. Read at each request, so
    // a rebuild under a running server serves the new shell.
    for (const page of ['/login', '/admin', '/dispatch', '/leaders', '/volunteer']) {
      app.get(page, { schema: { hide: true } }, async (_request, reply) =>
        reply.type('text/html; charset=utf-8').send(await readFile(resolve(CLIENT_DIR, 'index.html'))),
      );
    }
  } else {
    app.get('/', async (_request, reply) =>
      reply.type('text/plain; charset=utf-8').send('The wall is not built yet: run `npm run build`.'),
    );
  }
};

export default wall;
