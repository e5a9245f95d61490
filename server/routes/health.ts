/**
 * GET /healthz: 200 with the store kind and the current sequence number when the store
 * answers, 503 `degraded` when it does not (probed at once, so a balancer sees it now).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

const Health = Type.Object({
  status: Type.Enum(['ok', 'degraded']),
  store: Type.Enum(['pglite', 'postgresql']),
  seq: Type.Integer(),
  simulated: Type.Boolean(),
});

const health: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/healthz', { schema: { response: { 200: Health, 503: Health } } }, async (_request, reply) => {
    const reachable = await app.storeWatch.check();
    const body = {
      status: reachable ? ('ok' as const) : ('degraded' as const),
      store: app.store.kind,
      seq: app.store.head,
      simulated: app.live.status.simulated,
    };
    return reply.code(reachable ? 200 : 503).send(body);
  });
};

export default health;
