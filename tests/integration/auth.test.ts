/**
 * Feed keys and rate limits on the real server: a request without a usable key (none,
 * malformed, wrong secret, revoked here or in another process) is refused 401 in every way a
 * key can be presented, and writes nothing; a key's own budget of requests a minute answers 429
 * with retry-after and writes nothing of the refused request, without touching other keys; a
 * simulated key, and only it, makes the server say it is fed simulated data.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { KEY_CACHE_MS } from '../../server/ingest/auth.ts';
import { createFeedKey, revokeFeedKey } from '../../server/store/keys.ts';
import { hotlineCase } from '../support/fixtures.ts';
import { createTestStore, startServer, type TestServer } from '../support/server.ts';
import { written } from '../support/written.ts';

/** The ways a feed may present its key (see server/ingest/auth.ts). */
const PRESENTATIONS = {
  bearer: (token: string) => ({ headers: { authorization: `Bearer ${token}` }, query: '' }),
  'x-api-key': (token: string) => ({ headers: { 'x-api-key': token }, query: '' }),
  'basic-auth password': (token: string) => ({
    headers: { authorization: `Basic ${Buffer.from(`phone:${token}`).toString('base64')}` },
    query: '',
  }),
  '?key=': (token: string) => ({ headers: {}, query: `?key=${encodeURIComponent(token)}` }),
} as const;
type Presentation = keyof typeof PRESENTATIONS;
const PRESENTATION_NAMES = Object.keys(PRESENTATIONS) as Presentation[];

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

let nextCase = 1;

/** POSTs one new, valid case: whatever refuses it, it is not the body. */
async function postCase(server: TestServer, token: string | null, presentation: Presentation = 'bearer'): Promise<Answer> {
  const { headers, query } = token === null ? { headers: {}, query: '' } : PRESENTATIONS[presentation](token);
  const response = await fetch(`${server.url}/api/v1/cases${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ items: [hotlineCase(nextCase++)] }),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

/** The answer to `send`, checked to be a 401 that left the store as it was. */
async function expectRefused(server: TestServer, send: () => Promise<Answer>): Promise<Answer> {
  const before = await written(server.app);
  const answer = await send();
  expect(answer.status).toBe(401);
  expect(answer.body).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
  expect(await written(server.app)).toEqual(before);
  return answer;
}

function keyId(token: string): string {
  return token.split('_')[1]!;
}

async function newKey(server: TestServer, spec: { ratePerMinute?: number; simulated?: boolean } = {}): Promise<string> {
  return (await createFeedKey(server.app.store.pool, { name: 'auth test', ...spec })).token;
}

describe('feed keys', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(await createTestStore('pglite'));
  });
  afterAll(async () => server.dispose());
  afterEach(() => {
    vi.useRealTimers();
  });

  it('refuses a request without any key', async () => {
    const answer = await expectRefused(server, () => postCase(server, null));
    expect(answer.body.message).toMatch(/feed key is required/);
  });

  it.each(PRESENTATION_NAMES)('accepts a valid key presented as %s', async (presentation) => {
    const before = server.app.store.head;
    const answer = await postCase(server, server.token, presentation);
    expect(answer).toMatchObject({ status: 200, body: { accepted: 1, changed: 1 } });
    expect(server.app.store.head).toBe(before + 1);
  });

  describe.each(PRESENTATION_NAMES)('presented as %s', (presentation) => {
    it.each(['not-a-key', 'xw_1234_short', `xw_${'0'.repeat(8)}_${'A'.repeat(43)}x`])('refuses the malformed key %s', async (token) => {
      await expectRefused(server, () => postCase(server, token, presentation));
    });

    it('refuses a real key id with a wrong secret', async () => {
      const token = await newKey(server);
      const forged = `xw_${keyId(token)}_${'A'.repeat(43)}`;
      expect(forged).not.toBe(token);
      await expectRefused(server, () => postCase(server, forged, presentation));
    });

    it('refuses a key revoked here at once', async () => {
      const token = await newKey(server);
      expect((await postCase(server, token, presentation)).status).toBe(200);
      expect(await revokeFeedKey(server.app.store.pool, keyId(token))).toBe(true);
      server.app.forgetFeedKey(keyId(token));
      const answer = await expectRefused(server, () => postCase(server, token, presentation));
      expect(answer.body.message).toMatch(/unknown or revoked/);
    });
  });

  it(`refuses a key revoked by another process once its verification is older than ${KEY_CACHE_MS} ms`, async () => {
    const token = await newKey(server);
    expect((await postCase(server, token)).status).toBe(200);
    // Another process revokes it in the database: this one has not been told.
    await server.app.store.pool.query('UPDATE feed_keys SET revoked_at = now() WHERE id = $1', [keyId(token)]);
    expect((await postCase(server, token)).status).toBe(200);
    // Only the clock is faked: sockets and the store keep their real timers.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + KEY_CACHE_MS + 1 });
    await expectRefused(server, () => postCase(server, token));
  });
});

describe('rate limits', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(await createTestStore('pglite'));
  });
  afterAll(async () => server.dispose());

  it('refuses the 4th request in a minute on a key allowed 3, writing nothing of it, and only for that key', async () => {
    const token = await newKey(server, { ratePerMinute: 3 });
    for (let i = 0; i < 3; i++) expect((await postCase(server, token)).status).toBe(200);
    const before = await written(server.app);

    const refused = await postCase(server, token);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await written(server.app)).toEqual(before);

    expect((await postCase(server, server.token)).status).toBe(200);
    expect(server.app.store.head).toBe(before.head + 1);
  });
});

describe('simulated feeds', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(await createTestStore('pglite'));
  });
  afterAll(async () => server.dispose());

  async function simulated(): Promise<boolean> {
    const response = await fetch(`${server.url}/healthz`);
    return ((await response.json()) as { simulated: boolean }).simulated;
  }

  it('says simulated only once a simulated key has fed it', async () => {
    expect((await postCase(server, await newKey(server))).status).toBe(200);
    expect(await simulated()).toBe(false);
    expect((await postCase(server, await newKey(server, { simulated: true }))).status).toBe(200);
    expect(await simulated()).toBe(true);
  });
});
