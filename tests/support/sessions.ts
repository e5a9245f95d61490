/**
 * Signing in for tests, through the real routes: an account of any role is created in the
 * test's own store with a known password, then signed in with POST /api/v1/session; a wall
 * link is created and opened with POST /api/v1/session/wall-link, a volunteer's personal link
 * with /session/volunteer-link. Each returns the session
 * cookie, the CSRF token, and a `request` that sends both.
 */
import type { Role, UserRole } from '../../server/domain/access.ts';
import { hashPassword } from '../../server/domain/passwords.ts';
import { signWallLink } from '../../server/domain/tokens.ts';
import { createUser } from '../../server/store/users.ts';
import { createVolunteerLink } from '../../server/store/volunteer-links.ts';
import { createWallLink } from '../../server/store/wall-links.ts';
import type { TestServer } from './server.ts';

export const TEST_PASSWORD = 'correct horse battery staple';

export interface Session {
  cookie: string;
  csrf: string;
  role: Role;
  /** JSON in, JSON (or null) out, with the session's cookie and CSRF token. */
  request(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
}

let accounts = 0;

/** The session cookies a response sets, as one Cookie header. */
export function cookiesOf(response: Response): string {
  return response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}

export async function call(
  server: Pick<TestServer, 'url'>,
  method: string,
  path: string,
  options: { body?: unknown; cookie?: string; csrf?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any; response: Response }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.cookie) headers.cookie = options.cookie;
  if (options.csrf) headers['x-csrf-token'] = options.csrf;
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : safeJson(text), response };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function session(server: TestServer, role: Role, cookie: string, csrf: string): Session {
  return {
    cookie,
    csrf,
    role,
    request: async (method, path, body) => {
      const { status, body: answer } = await call(server, method, path, { body, cookie, csrf });
      return { status, body: answer };
    },
  };
}

/** Creates an account (password already set) and signs it in. */
export async function signIn(
  server: TestServer,
  role: UserRole,
  options: { subdistrict?: string | null; username?: string } = {},
): Promise<Session> {
  const username = options.username ?? `${role}-${++accounts}`;
  const created = await createUser(server.app.store.pool, {
    username,
    role,
    subdistrict: options.subdistrict ?? null,
    passwordHash: await hashPassword(TEST_PASSWORD),
  });
  if (!created) throw new Error(`username ${username} taken`);
  await server.app.store.pool.query('UPDATE users SET must_change = false WHERE id = $1', [created.id]);
  const answer = await call(server, 'POST', '/api/v1/session', { body: { username, password: TEST_PASSWORD } });
  if (answer.status !== 200) throw new Error(`sign-in failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return session(server, role, cookiesOf(answer.response), answer.body.csrfToken);
}

/** Creates a wall link and returns its token (not yet opened). */
export async function createLink(
  server: TestServer,
  options: { subdistrict?: string | null; expiresAt?: Date | null } = {},
): Promise<{ id: string; token: string }> {
  const link = await createWallLink(server.app.store.pool, {
    name: 'test screen',
    subdistrict: options.subdistrict ?? null,
    createdBy: 'test',
    expiresAt: options.expiresAt ?? null,
  });
  return { id: link.id, token: signWallLink(link.id, server.app.signingSecret) };
}

/** Opens a screen's session from a (new) wall link. */
export async function openWall(server: TestServer, options: { subdistrict?: string | null } = {}): Promise<Session & { linkId: string }> {
  const { id, token } = await createLink(server, options);
  const answer = await call(server, 'POST', '/api/v1/session/wall-link', { body: { token } });
  if (answer.status !== 200) throw new Error(`wall link refused: ${answer.status} ${JSON.stringify(answer.body)}`);
  return { ...session(server, 'wall', cookiesOf(answer.response), answer.body.csrfToken), linkId: id };
}

/** Opens a volunteer's own page from a new personal link (the volunteer must be registered). */
export async function openVolunteerPage(server: TestServer, volunteerId: string): Promise<Session & { linkId: string }> {
  const link = await createVolunteerLink(server.app.store.pool, volunteerId, 'test');
  if (!link) throw new Error(`no volunteer ${volunteerId}`);
  const token = signWallLink(link.id, server.app.signingSecret, 'volunteer-link');
  const answer = await call(server, 'POST', '/api/v1/session/volunteer-link', { body: { token } });
  if (answer.status !== 200) throw new Error(`volunteer link refused: ${answer.status} ${JSON.stringify(answer.body)}`);
  return { ...session(server, 'volunteer', cookiesOf(answer.response), answer.body.csrfToken), linkId: link.id };
}
