/**
 * Which failures mean "the store cannot be reached" (PostgreSQL restarting, down, or the network
 * to it cut) rather than a fault of the request or of our code: those are answered 503
 * STORE_UNAVAILABLE with Retry-After, and nothing was acknowledged, so a feed sends again.
 *
 * - PostgreSQL's own classes: 08 (connection exception), 57P01–57P03 (shutting down, crashed,
 *   cannot connect now), 53300 (too many connections).
 * - Node's socket errors (refused, reset, timed out, broken pipe, unreachable).
 * - node-postgres' own words for a connection that ended or never came.
 */
const PG_CODES = new Set(['57P01', '57P02', '57P03', '53300']);
const NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const PG_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'Cannot use a pool after calling end on the pool',
];

/** Seconds a client is told to wait (Retry-After) before sending again. */
export const STORE_RETRY_AFTER_SECONDS = 5;

export function isStoreUnreachable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (code.startsWith('08') || PG_CODES.has(code) || NODE_CODES.has(code))) return true;
  return typeof message === 'string' && PG_MESSAGES.some((words) => message.includes(words));
}
