/**
 * Bearer secrets other than feed keys: session tokens (random, stored only as SHA-256) and
 * wall links, `<id>.<signature>`, where the signature is an HMAC of the id under the server's
 * signing secret. A link cannot be forged or altered without the secret; it is revoked, expired
 * or scoped by its row in the store, which every use checks.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function newSigningSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function newWallLinkId(): string {
  return randomBytes(6).toString('hex');
}

/** What a link opens; signed into it, so a wall link's token never opens a volunteer's page. */
export type LinkPurpose = 'wall-link' | 'volunteer-link';

function signature(id: string, secret: string, purpose: LinkPurpose): string {
  return createHmac('sha256', secret).update(`${purpose}:${id}`).digest('base64url');
}

export function signWallLink(id: string, secret: string, purpose: LinkPurpose = 'wall-link'): string {
  return `${id}.${signature(id, secret, purpose)}`;
}

/** The address a screen opens: the token rides in the fragment, which browsers never send. */
export function wallLinkUrl(base: string, id: string, secret: string): string {
  return `${base}/#link=${signWallLink(id, secret)}`;
}

/** The address of a volunteer's own page, the same way. */
export function volunteerLinkUrl(base: string, id: string, secret: string): string {
  return `${base}/volunteer#link=${signWallLink(id, secret, 'volunteer-link')}`;
}

const WALL_LINK = /^([0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

/** The link's id when the token is well formed and its signature is right, else null. */
export function verifyWallLink(token: string, secret: string, purpose: LinkPurpose = 'wall-link'): string | null {
  const match = WALL_LINK.exec(token);
  if (!match) return null;
  const given = Buffer.from(match[2]!, 'base64url');
  const expected = Buffer.from(signature(match[1]!, secret, purpose), 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected) ? match[1]! : null;
}
