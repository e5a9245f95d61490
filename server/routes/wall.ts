/**
 * What the wall page loads from its own origin: the built client, the boundary and grid
 * GeoJSON, its configuration, an optional PMTiles basemap, and empty glyph ranges so that
 * MapLibre never reaches the internet for fonts (Chinese text is drawn with local fonts).
 */
import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CLIENT_DIR = resolve(root, 'dist/client');
const GEO_DIR = resolve(root, 'geo/data');
export const ATTRIBUTION = '© OpenStreetMap contributors';

const wall: FastifyPluginAsync = async (app) => {
  const { basemapStyle, basemapPmtiles } = app.config;
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
  }));
  // An empty protobuf is a valid glyph range with no glyphs.
  app.get('/glyphs/:fontstack/:range', async (_request, reply) =>
    reply.type('application/x-protobuf').send(Buffer.alloc(0)),
  );
  if (existsSync(CLIENT_DIR)) {
    await app.register(fastifyStatic, { root: CLIENT_DIR, prefix: '/', decorateReply: false });
  } else {
    app.get('/', async (_request, reply) =>
      reply.type('text/plain; charset=utf-8').send('The wall is not built yet: run `npm run build`.'),
    );
  }
};

export default wall;
