/**
 * The one table of who may use what: every HTTP route (by method and route pattern) and every
 * socket command has a rule here. A route missing from the table is refused to everyone
 * (and the access test fails, naming it), so a new route cannot be open by oversight.
 * HEAD follows the rule of its GET.
 */
import type { ClientToServerEvents } from '../contract/live.ts';
import { ANYONE_SIGNED_IN, DISPATCHERS, LEADER_ROLES, WATCHERS, type Role, type Rule } from '../domain/access.ts';

const PUBLIC: Rule = { public: true };
const FEEDS_ONLY: Rule = { roles: [], feed: true };
const ADMINS: Rule = { roles: ['admin'] };
/** An account with a one-time password may still see itself, change it and sign out. */
const OWN_SESSION: Rule = { roles: ANYONE_SIGNED_IN, beforePasswordChange: true };
const OPERATIONS: readonly Role[] = ['operator', 'coordinator'];
const VOLUNTEER_SELF: Rule = { roles: ['volunteer'] };
const LEADERS: Rule = { roles: LEADER_ROLES };

export const ROUTE_RULES: Readonly<Record<string, Rule>> = {
  // Open to all: the page shell (it holds no data), the sign-in doors, health and the API docs.
  'GET /*': PUBLIC,
  'GET /': PUBLIC, // only while the wall is not built: a line saying how to build it
  'GET /login': PUBLIC,
  'GET /admin': PUBLIC,
  'GET /dispatch': PUBLIC,
  'GET /leaders': PUBLIC,
  'GET /volunteer': PUBLIC,
  'GET /healthz': PUBLIC,
  'GET /docs': PUBLIC,
  'GET /docs/': PUBLIC,
  'GET /docs/json': PUBLIC,
  'GET /docs/yaml': PUBLIC,
  'GET /docs/static/*': PUBLIC,
  'GET /docs/static/index.html': PUBLIC,
  'GET /docs/static/swagger-initializer.js': PUBLIC,
  'POST /api/v1/session': PUBLIC,
  'POST /api/v1/session/wall-link': PUBLIC,
  'POST /api/v1/session/volunteer-link': PUBLIC,

  // One's own session.
  'GET /api/v1/session': OWN_SESSION,
  'DELETE /api/v1/session': OWN_SESSION,
  'PUT /api/v1/session/password': { roles: ['operator', 'coordinator', 'leader', 'admin'], beforePasswordChange: true },

  // What a wall draws.
  'GET /config.json': { roles: WATCHERS },
  'GET /geo/*': { roles: WATCHERS },
  'GET /basemap/*': { roles: WATCHERS },

  // Feeds; operators also report cases and incidents, admins import teams and volunteers.
  'POST /api/v1/cases': { roles: OPERATIONS, feed: true },
  'POST /api/v1/incidents': { roles: OPERATIONS, feed: true },
  'POST /api/v1/positions': FEEDS_ONLY,
  'POST /api/v1/teams': { roles: ['admin'], feed: true },
  'POST /api/v1/volunteers': { roles: ['admin'], feed: true },
  'GET /api/v1/osmand': FEEDS_ONLY,
  'POST /api/v1/osmand': FEEDS_ONLY,
  'POST /api/v1/owntracks': FEEDS_ONLY,

  // Volunteer identities and the registry: coordinators (and admins, who import them).
  'GET /api/v1/volunteers': { roles: DISPATCHERS },
  'GET /api/v1/registry': { roles: DISPATCHERS },
  'PUT /api/v1/registry/teams/:id': { roles: DISPATCHERS },
  'PUT /api/v1/registry/volunteers/:id': { roles: DISPATCHERS },
  'PUT /api/v1/registry/volunteers/:id/shifts': { roles: DISPATCHERS },
  'POST /api/v1/registry/volunteers/:id/duty': { roles: DISPATCHERS },
  'POST /api/v1/registry/volunteers/:id/link': { roles: DISPATCHERS },
  'DELETE /api/v1/registry/volunteers/:id/link': { roles: DISPATCHERS },
  'POST /api/v1/registry/import': { roles: DISPATCHERS },

  // A volunteer's own page: its duty, its position while on duty, its answers to an offer.
  'GET /api/v1/me/volunteer': VOLUNTEER_SELF,
  'POST /api/v1/me/duty': VOLUNTEER_SELF,
  'POST /api/v1/me/position': VOLUNTEER_SELF,
  'POST /api/v1/me/assignment': VOLUNTEER_SELF,

  // Grid-case escalation (吹哨报到): operators blow the whistle; departments report through
  // an operator or their own feed.
  'POST /api/v1/cases/:id/whistle': { roles: OPERATIONS },
  'POST /api/v1/cases/:id/whistle/report': { roles: OPERATIONS, feed: true },

  // Measured indicators: no personal data, for every watcher.
  'GET /api/v1/indicators/response-times': { roles: WATCHERS },

  // The leaders' view: areas, indicators, heat, reference figures, survey figures, the time machine.
  'GET /api/v1/leaders/areas': LEADERS,
  'GET /api/v1/leaders/areas.csv': LEADERS,
  'GET /api/v1/leaders/indicators': LEADERS,
  'PUT /api/v1/leaders/survey': LEADERS,
  'GET /api/v1/leaders/heat': LEADERS,
  'GET /api/v1/reference/areas': LEADERS,
  'PUT /api/v1/reference/areas/:adcode': LEADERS,
  'POST /api/v1/reference/areas/import': LEADERS,
  'GET /api/v1/history/snapshot': LEADERS,
  'GET /api/v1/history/changes': LEADERS,

  // Administration.
  'GET /api/v1/unknown-devices': ADMINS,
  'GET /api/v1/users': ADMINS,
  'POST /api/v1/users': ADMINS,
  'PATCH /api/v1/users/:id': ADMINS,
  'POST /api/v1/users/:id/password': ADMINS,
  'GET /api/v1/wall-links': ADMINS,
  'POST /api/v1/wall-links': ADMINS,
  'DELETE /api/v1/wall-links/:id': ADMINS,
  'GET /api/v1/feed-keys': ADMINS,
  'POST /api/v1/feed-keys': ADMINS,
  'DELETE /api/v1/feed-keys/:id': ADMINS,
  'GET /api/v1/audit': ADMINS,
};

/** Socket commands: typed by the event map, so a new command without a rule does not compile. */
export const SOCKET_RULES: Readonly<Record<keyof ClientToServerEvents, readonly Role[]>> = {
  'live:sync': WATCHERS,
  'alarm:ack': ['operator', 'coordinator', 'admin'],
  'dispatch:open': DISPATCHERS,
  'dispatch:close': DISPATCHERS,
  'dispatch:assign': DISPATCHERS,
  'dispatch:cancel': DISPATCHERS,
  'dispatch:release': DISPATCHERS,
};

export function routeRule(method: string, url: string): Rule | undefined {
  return ROUTE_RULES[`${method === 'HEAD' ? 'GET' : method} ${url}`];
}
