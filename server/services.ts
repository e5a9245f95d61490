/**
 * Domain services as typed decorators: the store (and a watch on whether it answers), the
 * geography, the live hub (socket.io on the app's own HTTP server) and the ingest service. Opened in dependency order, closed in
 * reverse when the app closes.
 */
import fp from 'fastify-plugin';
import { Server } from 'socket.io';
import type { FastifyInstance } from 'fastify';
import { loadGeo, type Geo } from '../geo/index.ts';
import type { Config } from './config.ts';
import { IngestService } from './ingest/service.ts';
import { LiveHub, type LiveServer } from './live/hub.ts';
import { openDatabase } from './store/db.ts';
import { Store } from './store/store.ts';
import { StoreWatch } from './store/watch.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    geo: Geo;
    store: Store;
    live: LiveHub;
    ingest: IngestService;
    /** whether the store answers, probed every few seconds */
    storeWatch: StoreWatch;
  }
}

async function services(app: FastifyInstance, { config }: { config: Config }): Promise<void> {
  const database = await openDatabase(config);
  const store = await Store.open(database);
  const geo = loadGeo();
  const io: LiveServer = new Server(app.server, { serveClient: false });
  const live = new LiveHub(io, store, config.frameIntervalMs);
  const storeWatch = new StoreWatch(() => store.pool.query('SELECT 1'), (available) => live.setStoreAvailable(available));
  storeWatch.start();
  const ingest = new IngestService(store, (lon, lat) => geo.locator.locate(lon, lat), (c) => live.publish(c));

  app.decorate('config', config);
  app.decorate('geo', geo);
  app.decorate('store', store);
  app.decorate('live', live);
  app.decorate('ingest', ingest);
  app.decorate('storeWatch', storeWatch);

  app.addHook('onClose', async () => {
    storeWatch.stop();
    live.close();
    await io.close();
    // Let queued writes finish before the pool goes away.
    await store.serial(async () => undefined);
    await database.close();
  });
}

export default fp(services, { name: 'services' });
