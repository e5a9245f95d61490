/**
 * The one table of coded errors. Routes and socket handlers throw `AppError`s; the HTTP error
 * handler and socket acks turn them into `{ code, message, details }` with the status below.
 * Nothing else reaches a client: unexpected errors become INTERNAL without a stack trace.
 */
export const ERRORS = {
  VALIDATION_FAILED: { status: 400, message: 'the request does not match the schema' },
  TIMESTAMP_IN_FUTURE: { status: 400, message: 'a timestamp lies too far in the future' },
  UNAUTHORIZED: { status: 401, message: 'sign in first, or present a valid feed key' },
  LOGIN_FAILED: { status: 401, message: 'wrong username or password' },
  WALL_LINK_INVALID: { status: 401, message: 'the wall link is unknown, revoked or expired' },
  FORBIDDEN: { status: 403, message: 'your role may not do this' },
  OUT_OF_SCOPE: { status: 403, message: 'this lies outside the subdistrict your account is scoped to' },
  PASSWORD_CHANGE_REQUIRED: { status: 403, message: 'set your own password first (PUT /api/v1/session/password)' },
  CSRF_FAILED: { status: 403, message: 'missing or wrong CSRF token (send the X-CSRF-Token from GET /api/v1/session)' },
  CROSS_ORIGIN: { status: 403, message: 'a request from another origin may not change anything here' },
  USERNAME_TAKEN: { status: 409, message: 'the username is taken' },
  WEAK_PASSWORD: { status: 400, message: 'the new password is not acceptable' },
  TOO_MANY_ATTEMPTS: { status: 429, message: 'too many sign-in attempts; wait and try again' },
  RATE_LIMITED: { status: 429, message: 'too many requests for this feed key; slow down' },
  UNKNOWN_DEVICE: { status: 422, message: 'the device is not registered to any volunteer' },
  DEVICE_IN_USE: { status: 409, message: 'a device is already registered to another volunteer' },
  UNKNOWN_TEAM: { status: 422, message: 'a volunteer names a team that is not registered' },
  UNKNOWN_VOLUNTEER: { status: 422, message: 'a position names a volunteer that is not registered' },
  ILLEGAL_TRANSITION: { status: 409, message: 'a lifecycle move is not allowed from the current state' },
  ON_ASSIGNMENT: { status: 409, message: 'a volunteer on a dispatch assignment moves by its steps (its page, the console), not by a feed; send the position without a status' },
  NOT_FOUND: { status: 404, message: 'no such resource' },
  DISPATCH_CONFLICT: { status: 409, message: 'someone changed this incident’s dispatch since you saw it; look again before you act' },
  TEAM_BUSY: { status: 409, message: 'the team is already on an assignment' },
  TEAM_UNAVAILABLE: { status: 409, message: 'no member of the team is available' },
  INCIDENT_CLOSED: { status: 409, message: 'the incident is closed' },
  BODY_TOO_LARGE: { status: 413, message: 'the request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'the content type of the body is not accepted here (send application/json)' },
  STORE_UNAVAILABLE: { status: 503, message: 'the store is unavailable; retry later' },
  INTERNAL: { status: 500, message: 'internal error' },
} as const;

export type ErrorCode = keyof typeof ERRORS;

/** One problem with one item or field, located by a JSON pointer such as `/items/3/lat`. */
export interface ErrorDetail {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: ErrorDetail[];

  constructor(code: ErrorCode, details: ErrorDetail[] = [], message: string = describe(code, details)) {
    super(message);
    this.code = code;
    this.status = ERRORS[code].status;
    this.details = details;
  }
}

/** The code's message, followed by the first few problems, each with its path. */
function describe(code: ErrorCode, details: ErrorDetail[]): string {
  const shown = details.slice(0, 5).map((d) => `${d.path} ${d.message}`);
  const more = details.length > shown.length ? `; and ${details.length - shown.length} more` : '';
  return shown.length === 0 ? ERRORS[code].message : `${ERRORS[code].message}: ${shown.join('; ')}${more}`;
}
