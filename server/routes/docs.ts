/**
 * The ingestion API described for the people who write feeds: an OpenAPI 3 document built from
 * every route's TypeBox schema at `GET /docs/json`, and a browsable reference at `/docs`. It
 * must be registered before the routes it describes (it records them as they are added). The
 * reference works offline: swagger-ui's assets come from the plugin's own copy, and the online
 * validator badge stays off. The wall's own page and assets are not part of the API and are
 * left out of the document.
 */
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { routeRule } from '../access/rules.ts';

/** What the wall page loads from its own origin (see wall.ts): no feed calls these. */
const WALL_ASSET = /^\/(?:$|\*|login$|admin$|geo\/|basemap\/|config\.json$)/;

const TITLE = 'Xicheng live map wall — ingestion API';
const DESCRIPTION = [
  'Feeds send live grid cases (网格事件), safety incidents, volunteer positions and the volunteer',
  'registry to the Xicheng District command-center wall. The batch routes take `{ items: [...] }`',
  'of one kind, as one transaction: all items are committed, or none (4xx naming each bad path).',
  'Phone apps (Traccar Client, OsmAnd, OwnTracks) send one position a request in their own formats.',
  'Every request needs a feed key: as a bearer token, an X-Api-Key header, the basic-auth password',
  'or a `key` query parameter. Each key has its own rate limit per minute.',
  'People sign in (POST /api/v1/session) and act by their role; see the README for the roles.',
].join(' ');

/**
 * Who may call a route, from the one rule table: its security schemes (a feed key, a session)
 * and the roles, in words, so the reference can never disagree with what the server enforces.
 */
function accessOf(methods: string[], url: string): { security?: Array<Record<string, string[]>>; description?: string } {
  const rule = routeRule(methods[0]!, url);
  if (!rule || 'public' in rule) return {};
  const schemes = [...(rule.feed ? ['feedKey', 'feedKeyHeader'] : []), ...(rule.roles.length > 0 ? ['session'] : [])];
  const security = schemes.map((scheme): Record<string, string[]> => ({ [scheme]: [] }));
  const who = [...(rule.feed ? ['feed keys'] : []), ...(rule.roles.length > 0 ? [`signed-in ${rule.roles.join(', ')}`] : [])];
  return { security, description: `Allowed: ${who.join('; ')}.` };
}

async function docs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: TITLE, description: DESCRIPTION, version: '1' },
      components: {
        securitySchemes: {
          feedKey: { type: 'http', scheme: 'bearer', description: 'a feed key `xw_<id>_<secret>`' },
          feedKeyHeader: { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'the same feed key, for clients that cannot send a bearer token' },
          session: { type: 'apiKey', in: 'cookie', name: 'xw_session', description: 'a signed-in session (POST /api/v1/session); changes also need the X-CSRF-Token header' },
        },
      },
    },
    transform: ({ schema, url, route }) => {
      if (WALL_ASSET.test(url)) return { schema: { ...schema, hide: true }, url };
      return { schema: { ...schema, ...accessOf([route.method].flat(), url) }, url };
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', validatorUrl: false, theme: { title: TITLE } });
}

export default fp(docs, { name: 'docs' });
