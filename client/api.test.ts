/** The API helper: headers it sends, and how the server's answers come back. */
import { describe, expect, it } from 'vitest';
import { Api, ApiError, NETWORK, type Me } from './api.ts';

const me: Me = { kind: 'user', name: 'admin', role: 'admin', subdistrict: null, mustChangePassword: false, csrfToken: 'tok-1' };

function recording(answer: () => Response | Promise<Response>) {
  const sent: Array<{ path: string; init: RequestInit }> = [];
  const api = new Api(async (path, init = {}) => {
    sent.push({ path, init });
    return answer();
  });
  const headers = (i: number) => (sent[i]?.init.headers ?? {}) as Record<string, string>;
  return { api, sent, headers };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('Api', () => {
  it('sends the CSRF token of the latest Me with every change, never with a GET', async () => {
    const { api, sent, headers } = recording(() => json(200, { ok: true }));
    await api.post('/x', { a: 1 });
    expect(headers(0)['x-csrf-token']).toBeUndefined();
    api.signedIn(me);
    await api.get('/x');
    await api.post('/x', { a: 1 });
    await api.patch('/x', { b: 2 });
    await api.put('/x');
    expect(headers(1)['x-csrf-token']).toBeUndefined();
    expect([2, 3, 4].map((i) => headers(i)['x-csrf-token'])).toEqual(['tok-1', 'tok-1', 'tok-1']);
    expect([2, 3, 4].map((i) => headers(i)['content-type'])).toEqual(['application/json', 'application/json', 'application/json']);
    expect(sent.map((s) => s.init.body)).toEqual([JSON.stringify({ a: 1 }), undefined, JSON.stringify({ a: 1 }), JSON.stringify({ b: 2 }), '{}']);
    api.signedOut();
    await api.post('/x');
    expect(headers(5)['x-csrf-token']).toBeUndefined();
  });

  it('sends a DELETE without a body or a content-type, and resolves a 204', async () => {
    const { api, sent, headers } = recording(() => new Response(null, { status: 204 }));
    api.signedIn(me);
    await expect(api.delete('/api/v1/session')).resolves.toBeUndefined();
    expect(sent[0]?.init.method).toBe('DELETE');
    expect(sent[0]?.init.body).toBeUndefined();
    expect(headers(0)['content-type']).toBeUndefined();
    expect(headers(0)['x-csrf-token']).toBe('tok-1');
  });

  it("throws the server's error code, message and details", async () => {
    const details = [{ path: '/next', message: 'a password needs at least 10 characters' }];
    const { api } = recording(() => json(400, { statusCode: 400, code: 'WEAK_PASSWORD', error: 'WEAK_PASSWORD', message: 'not acceptable', details }));
    const error = await api.put('/api/v1/session/password', { current: 'a', next: 'b' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'WEAK_PASSWORD', message: 'not acceptable', details });
  });

  it('names an answer that is not error JSON by its status, and no answer NETWORK', async () => {
    const { api } = recording(() => new Response('<html>bad gateway</html>', { status: 502 }));
    await expect(api.get('/x')).rejects.toMatchObject({ status: 502, code: 'HTTP_502' });
    const down = new Api(() => Promise.reject(new TypeError('Failed to fetch')));
    await expect(down.get('/x')).rejects.toMatchObject({ status: 0, code: NETWORK });
  });
});
