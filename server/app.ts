/**
 * buildApp(config): the whole server as one Fastify instance, in a visible order: error
 * handling and security headers, domain services (decorators), access control, then one
 * route plugin per domain. Tests build it on
 * a free port; main.ts builds it and listens.
 */
import Fastify, { LogController, type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.ts';
import { httpErrorHandler, httpNotFoundHandler } from './http-errors.ts';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import { helmetOptions } from './access/headers.ts';
import access from './access/plugin.ts';
import feedAuth from './ingest/auth.ts';
import phoneRoutes from './ingest/phones.ts';
import ingestRoutes from './ingest/routes.ts';
import docs from './routes/docs.ts';
import admin from './routes/admin.ts';
import health from './routes/health.ts';
import session from './routes/session.ts';
import volunteers from './routes/volunteers.ts';
import registry from './registry/routes.ts';
import wall from './routes/wall.ts';
import liveSocket from './live/socket.ts';
import alarms from './alarms/plugin.ts';
import dispatch from './dispatch/plugin.ts';
import dispatchRoutes from './dispatch/routes.ts';
import leaders from './leaders/plugin.ts';
import leaderRoutes from './leaders/routes.ts';
import services from './services.ts';
import retention from './retention.ts';
import simulator from './simulator.ts';

/** Big enough for a batch of MAX_BATCH_ITEMS items with descriptions. */
const BODY_LIMIT = 8 * 1024 * 1024;

export async function buildApp(config: Config, logger: FastifyServerOptions['logger'] = false) {
  const app = Fastify({
    logger,
    // A feed posts every second: one line per request would bury what matters. Errors still log.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT,
    // Strict validation: an unknown field or a number sent as a string is an error, not
    // something to strip or coerce silently (Fastify's defaults do both).
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true } },
    trustProxy: config.trustProxy,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setErrorHandler(httpErrorHandler);
  app.setNotFoundHandler(httpNotFoundHandler);

  await app.register(helmet, helmetOptions(config));
  await app.register(rateLimit, { global: false });

  await app.register(services, { config });
  await app.register(feedAuth);
  // Every route below is judged by the one rule table (access/rules.ts).
  await app.register(access);
  await app.register(liveSocket);
  await app.register(dispatch);
  await app.register(alarms);
  await app.register(leaders);

  // Before the routes: the OpenAPI document records each route as it is added.
  await app.register(docs);
  await app.register(health);
  await app.register(ingestRoutes, { prefix: '/api/v1' });
  await app.register(phoneRoutes, { prefix: '/api/v1' });
  await app.register(session, { prefix: '/api/v1' });
  await app.register(admin, { prefix: '/api/v1' });
  await app.register(volunteers, { prefix: '/api/v1' });
  await app.register(dispatchRoutes, { prefix: '/api/v1' });
  await app.register(registry, { prefix: '/api/v1' });
  await app.register(leaderRoutes, { prefix: '/api/v1' });
  await app.register(wall);

  await app.register(retention);
  await app.register(simulator);
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
