/**
 * Runs the seeded simulator (seeds/) against this very server once it listens, when the
 * configuration says so. The simulator is an ordinary HTTP client of /api/v1 — the same path a
 * real feed takes — and marks its requests as simulated so the wall shows 模拟数据.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { startSimulator } from '../seeds/runner.ts';

type RunningSimulator = Awaited<ReturnType<typeof startSimulator>>;

async function simulator(app: FastifyInstance): Promise<void> {
  if (!app.config.simulate) return;
  let running: RunningSimulator | null = null;
  app.addHook('onListen', async () => {
    const address = app.server.address();
    if (address === null || typeof address === 'string') return;
    running = await startSimulator({
      url: `http://127.0.0.1:${address.port}`,
      speed: app.config.simSpeed,
      seed: app.config.simSeed,
      subdistricts: app.geo.subdistricts,
      log: (message: string) => app.log.warn(message),
    });
  });
  app.addHook('preClose', async () => {
    await running?.stop();
  });
}

export default fp(simulator, { name: 'simulator', dependencies: ['services'] });
