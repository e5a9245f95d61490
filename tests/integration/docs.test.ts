/**
 * The API reference on the real server: /docs/json is an OpenAPI 3 document built from the
 * contract's TypeBox schemas (request bodies, feed-key and session security) that lists the
 * ingestion API, sessions and administration, and nothing of the wall's own page; /docs is a
 * browsable reference whose assets all come from this server, so it works without the
 * internet; the wall's page is still served at / to anyone, its data to a session.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseReport, IncidentReport, PositionReport, TeamRecord, VolunteerRecord } from '../../server/contract/ingest.ts';
import { createTestStore, startServer, type TestServer } from '../support/server.ts';
import { openWall } from '../support/sessions.ts';

const BATCH_ROUTES = [
  ['/api/v1/cases', CaseReport],
  ['/api/v1/incidents', IncidentReport],
  ['/api/v1/positions', PositionReport],
  ['/api/v1/teams', TeamRecord],
  ['/api/v1/volunteers', VolunteerRecord],
] as const;

/** The status of a GET, its body read to the end: an unread body keeps the connection busy and the server from closing. */
async function statusOf(url: string | URL, headers: Record<string, string> = {}): Promise<number> {
  const response = await fetch(url, { headers });
  await response.arrayBuffer();
  return response.status;
}

describe('API reference', () => {
  let server: TestServer;
  let document: any;
  beforeAll(async () => {
    server = await startServer(await createTestStore('pglite'));
    const response = await fetch(`${server.url}/docs/json`);
    expect(response.status).toBe(200);
    document = await response.json();
  });
  afterAll(async () => server.dispose());

  it('is an OpenAPI 3 document about the ingestion API', () => {
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info.title).toMatch(/ingestion API/);
    expect(document.info.description).toMatch(/items/);
  });

  it.each(BATCH_ROUTES)('documents POST %s with the contract schema of its items', (path, item) => {
    const operation = document.paths[path].post;
    expect(operation.tags).toEqual(['ingest']);
    expect(operation.summary).toMatch(/\S/);
    const body = operation.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(['items']);
    expect(body.properties.items).toMatchObject({ type: 'array', minItems: 1 });
    const items = body.properties.items.items;
    expect(items.required).toEqual(item.required);
    expect(Object.keys(items.properties)).toEqual(Object.keys(item.properties));
    expect(items.additionalProperties).toBe(false);
    expect(operation.responses['200'].content['application/json'].schema.properties).toHaveProperty('seq');
    expect(operation.responses['4XX'].content['application/json'].schema.properties).toHaveProperty('code');
  });

  it('gives the CaseReport fields their constraints and vocabulary', () => {
    const item = document.paths['/api/v1/cases'].post.requestBody.content['application/json'].schema.properties.items.items;
    expect(item.properties.lat).toMatchObject({ type: 'number', minimum: -90, maximum: 90 });
    expect(item.properties.source.enum).toContain('hotline');
    expect(item.properties.category.enum).toContain('parking');
    expect(item.properties.at).toMatchObject({ type: 'string', format: 'date-time' });
  });

  it('describes the feed key as a bearer token or an X-Api-Key header, or a session cookie, one of which every ingestion route requires', () => {
    expect(document.components.securitySchemes).toEqual({
      feedKey: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      feedKeyHeader: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }),
      session: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'xw_session' }),
    });
    // From the access rules: feeds everywhere, sessions where a role may post too.
    const feedsAndSessions = [{ feedKey: [] }, { feedKeyHeader: [] }, { session: [] }];
    for (const [path] of BATCH_ROUTES) {
      const expected = path.endsWith('/positions') ? feedsAndSessions.slice(0, 2) : feedsAndSessions;
      expect(document.paths[path].post.security, path).toEqual(expected);
    }
    expect(document.paths['/api/v1/osmand'].get.security).toEqual(feedsAndSessions.slice(0, 2));
    expect(document.paths['/api/v1/cases'].post.description).toBe('Allowed: feed keys; signed-in operator, coordinator.');
    expect(document.paths['/api/v1/session'].get.security).toEqual([{ session: [] }]);
    expect(document.paths['/api/v1/session'].post.security).toBeUndefined();
  });

  it('documents signing in, and the administration and identity routes behind a session', () => {
    expect(Object.keys(document.paths['/api/v1/session']).sort()).toEqual(['delete', 'get', 'post']);
    expect(document.paths['/api/v1/session/wall-link']).toHaveProperty('post');
    expect(document.paths['/api/v1/session/password']).toHaveProperty('put');
    const sessionOnly: Array<[string, string]> = [
      ['get', '/api/v1/volunteers'],
      ['get', '/api/v1/unknown-devices'],
      ['get', '/api/v1/users'],
      ['post', '/api/v1/users'],
      ['patch', '/api/v1/users/{id}'],
      ['post', '/api/v1/users/{id}/password'],
      ['get', '/api/v1/wall-links'],
      ['post', '/api/v1/wall-links'],
      ['delete', '/api/v1/wall-links/{id}'],
      ['get', '/api/v1/feed-keys'],
      ['post', '/api/v1/feed-keys'],
      ['delete', '/api/v1/feed-keys/{id}'],
      ['get', '/api/v1/audit'],
    ];
    for (const [method, path] of sessionOnly) {
      expect(document.paths[path]?.[method]?.security, `${method.toUpperCase()} ${path}`).toEqual([{ session: [] }]);
      expect(document.paths[path][method].summary, `${method.toUpperCase()} ${path}`).toMatch(/\S/);
    }
  });

  it("leaves out the wall's own page, data and the reference itself", () => {
    const paths = Object.keys(document.paths);
    expect(paths).toContain('/healthz');
    for (const path of paths) expect(path).toMatch(/^\/(api\/|healthz$)/);
  });

  it('serves a browsable reference whose every asset comes from this server', async () => {
    const response = await fetch(`${server.url}/docs`, { redirect: 'follow' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toContain('swagger-ui');
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => new URL(match[1]!, response.url));
    expect(assets.length).toBeGreaterThan(3);
    for (const asset of assets) {
      expect(asset.origin).toBe(server.url);
      expect(await statusOf(asset), asset.pathname).toBe(200);
    }
    const initializer = await (await fetch(`${server.url}/docs/static/swagger-initializer.js`)).text();
    // No online validator badge: the UI would fetch it from validator.swagger.io.
    expect(initializer).toMatch(/validatorUrl: null/);
  });

  it("still serves the wall's page to anyone, and its data to a session, beside the reference", async () => {
    const page = await fetch(`${server.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain('swagger-ui');
    const data = [`${server.url}/config.json`, `${server.url}/geo/xicheng_subdistricts_osm_wgs84.geojson`];
    for (const url of data) expect(await statusOf(url), url).toBe(401);
    const { cookie } = await openWall(server);
    for (const url of data) expect(await statusOf(url, { cookie }), url).toBe(200);
  });
});
