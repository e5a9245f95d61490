/**
 * Who is at this screen, and what the wall does about it. No DOM, no timers: it talks to the
 * server through the Api it is given (so through an injected fetch) and answers with an
 * outcome the page carries out.
 *
 * Contract:
 * - `start()`, before anything live starts: a `#link=<token>` in the address is exchanged for a
 *   wall-link session (the hash stays in the address, so a kiosk that reloads opens itself
 *   again); a link the server refuses is 'revoked'. Without a link the session cookie is asked
 *   who it is: not signed in, or still on a one-time password, goes to sign in with `next` set
 *   to this page. No answer from the server at all: 'retry'.
 * - `recover(code)`, when the live socket's handshake is refused: `UNAUTHORIZED` (the session
 *   ended: signed out, link revoked, expired) exchanges the link again, at most once until the
 *   socket is live again (`connected()`), and otherwise goes to sign in; a second refusal in a
 *   row waits REFUSED_RETRY_MS before the next exchange. `PASSWORD_CHANGE_REQUIRED` goes to
 *   sign in, which asks for the new password. Any other code: 'retry'.
 * - Every 'ready' hands its Me to the Api, so changes carry its CSRF token.
 * - `safeNext()` only lets through paths of this origin: '/' and more, never '//', a backslash,
 *   a control character or the sign-in page itself.
 */
import { Api, ApiError, type Me } from './api.ts';

/** A Me without its CSRF token, as the header and `window.__wall` show it. */
export type SessionInfo = Omit<Me, 'csrfToken'>;

/** The parts of `window.location` the session reads. */
export interface Place {
  pathname: string;
  search: string;
  hash: string;
}

export type WallOutcome =
  /** signed in: (re)start the live stream */
  | { kind: 'ready'; me: Me }
  /** the wall link no longer opens anything: say so, full screen, and stop */
  | { kind: 'revoked' }
  /** leave the wall for this address */
  | { kind: 'go'; to: string }
  /** the server could not answer, or refused for no reason we can act on: try again later */
  | { kind: 'retry'; afterMs: number };

export const SESSION_PATH = '/api/v1/session';
export const WALL_LINK_PATH = '/api/v1/session/wall-link';
export const PASSWORD_PATH = '/api/v1/session/password';
export const LOGIN_PATH = '/login';
export const ADMIN_PATH = '/admin';
export const DISPATCH_PATH = '/dispatch';
export const LEADERS_PATH = '/leaders';
export const VOLUNTEER_PATH = '/volunteer';

/** How long a wall waits to try again when the server cannot be reached at start-up. */
export const START_RETRY_MS = 5_000;
/** How long a wall waits after a refusal the session could not mend. */
export const REFUSED_RETRY_MS = 30_000;

export function sessionInfo(me: Me): SessionInfo {
  const { csrfToken: _, ...info } = me;
  return info;
}

/** The wall link token in an address's hash (`#link=<token>`), or null. */
export function linkToken(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('link')?.trim();
  return token ? token : null;
}

/** A path of this origin to go to after signing in, or '/'. */
export function safeNext(raw: string | null | undefined): string {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//')) return '/';
  // Browsers read a backslash as a slash and drop tabs and newlines: '/\evil', '/\t/evil'.
  if (raw.includes('\\') || /[\u0000-\u001f\u007f]/.test(raw)) return '/';
  const base = 'http://wall.invalid';
  const url = new URL(raw, base);
  if (url.origin !== base || url.pathname === LOGIN_PATH) return '/';
  return raw;
}

/** A path of this origin in a language: `?lang=en` set for English, no `lang` for Chinese. */
export function pathWithLang(path: string, lang: 'zh' | 'en'): string {
  const base = 'http://wall.invalid';
  const url = new URL(path, base);
  if (lang === 'en') url.searchParams.set('lang', 'en');
  else url.searchParams.delete('lang');
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The sign-in page, coming back to this page (path and query; the hash is not kept). */
export function loginUrl(place: Pick<Place, 'pathname' | 'search'>): string {
  const next = `${place.pathname}${place.search}`;
  const lang = new URLSearchParams(place.search).get('lang') === 'en' ? 'en' : 'zh';
  return pathWithLang(`${LOGIN_PATH}?next=${encodeURIComponent(next)}`, lang);
}

/** The session ended, or must first set a password: a page should go to sign in. */
export function mustSignIn(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    ((error.status === 401 && error.code === 'UNAUTHORIZED') || error.code === 'PASSWORD_CHANGE_REQUIRED')
  );
}

/** Who is signed in, or null when no one is. Other failures are thrown. */
export async function currentSession(api: Api): Promise<Me | null> {
  try {
    return api.signedIn(await api.get<Me>(SESSION_PATH));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/** Signs out; an already ended session is signed out too. */
/** Signs out (a failure is only logged: the page leaves anyway) and goes to the sign-in page. */
export async function signOutToLogin(api: Api, lang: 'zh' | 'en'): Promise<void> {
  await signOut(api).catch((error: unknown) => console.warn('sign-out failed:', error));
  window.location.assign(pathWithLang(LOGIN_PATH, lang));
}

export async function signOut(api: Api): Promise<void> {
  try {
    await api.delete(SESSION_PATH);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) throw error;
  } finally {
    api.signedOut();
  }
}

export class WallSession {
  me: Me | null = null;
  /** the link was exchanged after a refusal, and the socket has not been live since */
  private relinked = false;

  constructor(
    private readonly api: Api,
    private readonly place: Place,
  ) {}

  async start(): Promise<WallOutcome> {
    const token = linkToken(this.place.hash);
    if (token !== null) return this.openLink(token);
    let me: Me | null;
    try {
      me = await currentSession(this.api);
    } catch {
      return { kind: 'retry', afterMs: START_RETRY_MS };
    }
    return me ? this.signedIn(me) : this.toLogin();
  }

  /** The live socket synced: a later refusal may exchange the link again. */
  connected(): void {
    this.relinked = false;
  }

  async recover(code: string): Promise<WallOutcome> {
    if (code === 'PASSWORD_CHANGE_REQUIRED') return this.toLogin();
    if (code !== 'UNAUTHORIZED') return { kind: 'retry', afterMs: REFUSED_RETRY_MS };
    const token = linkToken(this.place.hash);
    if (token === null) return this.toLogin();
    if (this.relinked) {
      // The link opened a session and the socket was refused all the same: not in a loop.
      this.relinked = false;
      return { kind: 'retry', afterMs: REFUSED_RETRY_MS };
    }
    this.relinked = true;
    return this.openLink(token);
  }

  private async openLink(token: string): Promise<WallOutcome> {
    try {
      return this.signedIn(await this.api.post<Me>(WALL_LINK_PATH, { token }));
    } catch (error) {
      // 401 WALL_LINK_INVALID; a 400 is a token the server cannot even read.
      if (error instanceof ApiError && (error.status === 401 || error.status === 400)) {
        this.me = null;
        return { kind: 'revoked' };
      }
      const tooMany = error instanceof ApiError && error.status === 429;
      return { kind: 'retry', afterMs: tooMany ? REFUSED_RETRY_MS : START_RETRY_MS };
    }
  }

  private signedIn(me: Me): WallOutcome {
    if (me.mustChangePassword) return this.toLogin();
    this.me = this.api.signedIn(me);
    return { kind: 'ready', me };
  }

  private toLogin(): WallOutcome {
    this.me = null;
    this.api.signedOut();
    return { kind: 'go', to: loginUrl(this.place) };
  }
}
