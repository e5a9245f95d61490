/**
 * Bad input at the HTTP edge: every malformed request gets a 4xx that names what was wrong,
 * nothing is written, and the server keeps serving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hotlineCase } from '../support/fixtures.ts';
import { createTestStore, post, startServer, type TestServer } from '../support/server.ts';

describe('ingestion rejects bad input clearly', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer(await createTestStore('pglite'));
  });
  afterAll(async () => server.dispose());

  const cases: Array<[string, unknown, number, string, RegExp]> = [
    ['latitude out of range', { items: [hotlineCase(1, { lat: 91 })] }, 400, 'VALIDATION_FAILED', /\/items\/0\/lat/],
    ['a string for a number', { items: [{ ...hotlineCase(1), lon: 'east' }] }, 400, 'VALIDATION_FAILED', /\/items\/0\/lon/],
    ['an unknown category', { items: [hotlineCase(1, { category: 'ufo' as never })] }, 400, 'VALIDATION_FAILED', /\/items\/0\/category/],
    ['a missing field', { items: [{ sourceId: 'x', source: 'hotline', lon: 116.37, lat: 39.93 }] }, 400, 'VALIDATION_FAILED', /category/],
    ['an unknown field', { items: [{ ...hotlineCase(1), colour: 'red' }] }, 400, 'VALIDATION_FAILED', /colour/],
    ['an empty batch', { items: [] }, 400, 'VALIDATION_FAILED', /\/items/],
    ['a timestamp far in the future', { items: [hotlineCase(1, { at: '2999-01-01T00:00:00Z' })] }, 400, 'TIMESTAMP_IN_FUTURE', /\/items\/0\/at/],
    ['a malformed timestamp', { items: [hotlineCase(1, { at: 'yesterday' })] }, 400, 'VALIDATION_FAILED', /\/items\/0\/at/],
    ['U+0000 in text', { items: [hotlineCase(1, { description: 'a\u0000b' })] }, 400, 'VALIDATION_FAILED', /\/items\/0\/description/],
    ['an unpaired surrogate in text', { items: [hotlineCase(1, { description: 'a\ud800b' })] }, 400, 'VALIDATION_FAILED', /\/items\/0\/description/],
  ];

  it.each(cases)('%s', async (_name, body, status, code, path) => {
    const response = await post(server, '/api/v1/cases', body);
    expect(response.status).toBe(status);
    expect(response.body.code).toBe(code);
    expect(JSON.stringify(response.body.details)).toMatch(path);
    expect(server.app.store.head).toBe(0);
  });

  it('refuses broken JSON with a 400', async () => {
    const response = await post(server, '/api/v1/cases', '{"items": [');
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
  });

  it('refuses NaN smuggled as a JSON token', async () => {
    const response = await post(server, '/api/v1/cases', '{"items":[{"sourceId":"a","source":"hotline","category":"noise","lon":NaN,"lat":39.9}]}');
    expect(response.status).toBe(400);
  });

  it('refuses a body that is not JSON with a 415', async () => {
    const response = await fetch(`${server.url}/api/v1/cases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'items=1',
    });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('refuses an oversized body with a 413', async () => {
    const response = await post(server, '/api/v1/cases', { items: [hotlineCase(1, { description: 'x'.repeat(9 * 1024 * 1024) })] });
    expect(response.status).toBe(413);
    expect(response.body.code).toBe('BODY_TOO_LARGE');
  });

  it('still serves after all of that', async () => {
    expect((await post(server, '/api/v1/cases', { items: [hotlineCase(1)] })).status).toBe(200);
    expect(server.app.store.head).toBe(1);
  });
});
