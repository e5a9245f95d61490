/**
 * Who holds this phone: the volunteer page's session, told through the Api it is given (so
 * through an injected fetch), answering with an outcome the page carries out.
 *
 * Contract:
 * - `start()`: a `#link=<token>` in the address (read as client/session.ts reads a wall's) is
 *   exchanged for a volunteer session; the fragment stays, so the phone's bookmark or a reload
 *   opens the page again. A link the server refuses is 'revoked'. Without a link, the cookie is
 *   asked: a volunteer's session is 'ready', anything else is 'no-link' (this page opens only
 *   from a personal link). No answer from the server: 'retry'.
 * - `recover()`, when the server says the session ended (a 401, a refused socket): exchanges
 *   the link again, but not twice within RELINK_PAUSE_MS (a link that opens a session the
 *   server then refuses is not tried in a loop: 'retry').
 * - Every 'ready' hands its Me to the Api, so changes carry its CSRF token.
 */
import { ApiError, type Api, type Me } from '../api.ts';
import { currentSession, linkToken } from '../session.ts';

export const VOLUNTEER_LINK_PATH = '/api/v1/session/volunteer-link';
export const START_RETRY_MS = 5_000;
export const RELINK_PAUSE_MS = 30_000;

export type VolunteerOutcome =
  | { kind: 'ready'; me: Me }
  | { kind: 'revoked' }
  | { kind: 'no-link' }
  | { kind: 'retry'; afterMs: number };

export class VolunteerSession {
  private lastExchangeAt: number | null = null;

  constructor(
    private readonly api: Api,
    private readonly hash: string,
    private readonly now: () => number = Date.now,
  ) {}

  async start(): Promise<VolunteerOutcome> {
    const token = linkToken(this.hash);
    if (token !== null) return this.openLink(token);
    try {
      const me = await currentSession(this.api);
      return me?.role === 'volunteer' ? { kind: 'ready', me } : this.noLink();
    } catch {
      return { kind: 'retry', afterMs: START_RETRY_MS };
    }
  }

  async recover(): Promise<VolunteerOutcome> {
    const token = linkToken(this.hash);
    if (token === null) return this.noLink();
    if (this.lastExchangeAt !== null && this.now() - this.lastExchangeAt < RELINK_PAUSE_MS) {
      return { kind: 'retry', afterMs: RELINK_PAUSE_MS };
    }
    return this.openLink(token);
  }

  private async openLink(token: string): Promise<VolunteerOutcome> {
    this.lastExchangeAt = this.now();
    try {
      return { kind: 'ready', me: this.api.signedIn(await this.api.post<Me>(VOLUNTEER_LINK_PATH, { token })) };
    } catch (error) {
      // 401: unknown, revoked or replaced; 400: a token the server cannot even read.
      if (error instanceof ApiError && (error.status === 401 || error.status === 400)) {
        this.api.signedOut();
        return { kind: 'revoked' };
      }
      const tooMany = error instanceof ApiError && error.status === 429;
      return { kind: 'retry', afterMs: tooMany ? RELINK_PAUSE_MS : START_RETRY_MS };
    }
  }

  private noLink(): VolunteerOutcome {
    this.api.signedOut();
    return { kind: 'no-link' };
  }
}
