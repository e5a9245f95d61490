/**
 * Roles and the access rule every route and socket event is judged by. Pure: who is asking
 * (a principal from a session, or a feed key) goes in, a verdict comes out.
 *
 * Roles follow the domain: a wall screen and a leader read, an operator also writes cases and
 * incidents, a coordinator also sees volunteer identities, an admin manages users, links, keys
 * and reads the audit log. A principal may be scoped to one subdistrict.
 */

export const USER_ROLES = ['operator', 'coordinator', 'leader', 'admin'] as const;
/** `volunteer`: a volunteer's own page, opened with a personal link; sees only its own duty. */
export const ROLES = ['wall', 'volunteer', ...USER_ROLES] as const;
export type UserRole = (typeof USER_ROLES)[number];
export type Role = (typeof ROLES)[number];

/** Someone signed in, or a screen opened with a wall link. */
export interface Principal {
  kind: 'user' | 'wall-link' | 'volunteer-link';
  /** user id, wall link id, or for a volunteer link the volunteer's id */
  id: string;
  /** username or the link's name */
  name: string;
  role: Role;
  /** adcode of the one subdistrict this principal may see, or null for the whole district */
  subdistrict: string | null;
  /** a new account signs in with a one-time password and must set its own first */
  mustChangePassword: boolean;
  /** SHA-256 of the session token, to end this session */
  sessionId: string;
}

/**
 * `public`: anyone. Otherwise the roles allowed; `feed` also lets a feed key in; `beforePasswordChange`
 * lets in an account that still has its one-time password (to change it, see itself, sign out).
 */
export type Rule =
  | { public: true }
  | { roles: readonly Role[]; feed?: boolean; beforePasswordChange?: boolean };

export type Verdict = 'allow' | 'feed' | 'unauthenticated' | 'forbidden' | 'password-change-required';

/** Any signed-in principal: pages and data every role may read. */
export const ANYONE_SIGNED_IN: readonly Role[] = ROLES;
/** Who watches the live wall: everyone but a volunteer's own page. */
export const WATCHERS: readonly Role[] = ['wall', ...USER_ROLES];
/** Who dispatches teams and keeps the volunteer registry. */
export const DISPATCHERS: readonly Role[] = ['coordinator', 'admin'];
/** Who reads the leaders' view (areas, indicators, the time machine) and keeps its reference figures. */
export const LEADER_ROLES: readonly Role[] = ['leader', 'admin'];

/**
 * A signed-in principal is judged by its role alone; only a request without a session falls
 * back to a feed key, where the rule lets feeds in.
 */
export function judge(rule: Rule, principal: Principal | null): Verdict {
  if ('public' in rule) return 'allow';
  if (principal) {
    if (!rule.roles.includes(principal.role)) return 'forbidden';
    return principal.mustChangePassword && !rule.beforePasswordChange ? 'password-change-required' : 'allow';
  }
  return rule.feed ? 'feed' : 'unauthenticated';
}

/** How the audit log names a principal. */
export function actorOf(principal: Pick<Principal, 'kind' | 'id' | 'name'>): string {
  if (principal.kind === 'volunteer-link') return `volunteer:${principal.id}`;
  return principal.kind === 'user' ? `user:${principal.name}` : `wall-link:${principal.id}`;
}

/** The place a scoped principal may see; true for everything when it is not scoped. */
export function inScope(principal: Pick<Principal, 'subdistrict'>, subdistrict: string | null): boolean {
  return principal.subdistrict === null || principal.subdistrict === subdistrict;
}
