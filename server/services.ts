/**
 * Domain services as typed decorators: the store (and a watch on whether it answers), the
 * geography, the live hub (socket.io on the app's own HTTP server) and the ingest service. Opened in dependency order, closed in
 * reverse when the app closes. With REDIS_URL the server is one of a cluster on one PostgreSQL:
 * socket.io broadcasts cross servers through the Redis adapter, each server streams every
 * commit to its own sockets (live/cluster.ts), and one of them leads the clocks (`leads()`).
 */
import fp from 'fastify-plugin';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { Server } from 'socket.io';
import type { FastifyInstance } from 'fastify';
import { loadGeo, type Geo } from '../geo/index.ts';
import type { Config } from './config.ts';
import * as wireParser from './contract/wire-parser.ts';
import { IngestService } from './ingest/service.ts';
import { ClusterFeed } from './live/cluster.ts';
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
    /** whether this server runs the clocks (alarms, dispatch, retention): always, unless one of a cluster */
    leads(): boolean;
  }
}

async function services(app: FastifyInstance, { config }: { config: Config }): Promise<void> {
  const database = await openDatabase(config);
  const store = await Store.open(database);
  const geo = loadGeo();
  const io: LiveServer = new Server(app.server, { serveClient: false, parser: wireParser });
  const redis = config.redisUrl === null ? null : await connectRedis(config.redisUrl);
  if (redis) io.adapter(createAdapter(redis.pub, redis.sub, { key: config.clusterName }));
  const live = new LiveHub(io, store, config.frameIntervalMs, { cluster: redis !== null });
  const cluster = redis && config.databaseUrl ? new ClusterFeed(config.databaseUrl, (seq) => live.headCommitted(seq)) : null;
  await cluster?.start();
  const storeWatch = new StoreWatch(() => store.pool.query('SELECT 1'), (available) => live.setStoreAvailable(available));
  storeWatch.start();
  const ingest = new IngestService(store, (lon, lat) => geo.locator.locate(lon, lat), (c) => live.publish(c));

  app.decorate('config', config);
  app.decorate('geo', geo);
  app.decorate('store', store);
  app.decorate('live', live);
  app.decorate('ingest', ingest);
  app.decorate('storeWatch', storeWatch);
  app.decorate('leads', () => cluster?.leads ?? true);

  // The walls' WebSockets would hold the HTTP server open, and so its close, for good: they are
  // let go first (each reconnects, to another server of a cluster or to this one restarted).
  app.addHook('preClose', async () => {
    io.local.disconnectSockets(true);
  });
  app.addHook('onClose', async () => {
    storeWatch.stop();
    await cluster?.stop();
    live.close();
    await io.close();
    await Promise.all([redis?.pub.quit(), redis?.sub.quit()]).catch(() => undefined);
    // Let queued writes finish before the pool goes away.
    await store.serial(async () => undefined);
    await database.close();
  });
}

/** A publishing and a subscribing connection, as the Redis adapter needs. */
async function connectRedis(url: string) {
  const pub = createClient({ url });
  const sub = pub.duplicate();
  // A lost connection reconnects by itself; until then broadcasts to other servers wait.
  pub.on('error', () => undefined);
  sub.on('error', () => undefined);
  await Promise.all([pub.connect(), sub.connect()]);
  return { pub, sub };
}

export default fp(services, { name: 'services' });
