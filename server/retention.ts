/**
 * Runs the retention sweep (store/retention.ts) at start and every SWEEP_INTERVAL_MS, in the
 * store's queue so it never interleaves with a batch. A failed sweep is logged and retried at
 * the next interval.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { sweep } from './store/retention.ts';

const SWEEP_INTERVAL_MS = 10 * 60_000;

async function retention(app: FastifyInstance): Promise<void> {
  const run = () =>
    app.store
      .serial(() => sweep(app.store.pool, app.config.retentionDays))
      .then((swept) => {
        if (swept.positions + swept.changes > 0) app.log.info(swept, 'retention: deleted old tracks and changes');
      })
      .catch((error: unknown) => app.log.error({ err: error }, 'retention sweep failed'));
  app.addHook('onReady', async () => {
    await run();
  });
  const timer = setInterval(() => {
    if (app.leads()) void run();
  }, SWEEP_INTERVAL_MS);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}

export default fp(retention, { name: 'retention', dependencies: ['services'] });
