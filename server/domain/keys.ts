/**
 * Feed API keys: `xw_<id>_<secret>`. The id is public (it names the key in lists and logs);
 * the secret is 32 random bytes, shown once at creation and stored only as its SHA-256 (a
 * random 256-bit secret needs no slow hash). Pure, apart from the random bytes given in.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export interface IssuedKey {
  id: string;
  secretSha256: string;
  /** the whole key, to show once */
  token: string;
}

const TOKEN = /^xw_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$/;

export function issueKey(idBytes: Buffer, secretBytes: Buffer): IssuedKey {
  const id = idBytes.subarray(0, 4).toString('hex');
  const secret = secretBytes.subarray(0, 32).toString('base64url');
  return { id, secretSha256: sha256(secret), token: `xw_${id}_${secret}` };
}

/** The key's id and secret, or null when the text is not shaped like a key. */
export function parseToken(token: string): { id: string; secret: string } | null {
  const match = TOKEN.exec(token.trim());
  return match ? { id: match[1]!, secret: match[2]! } : null;
}

export function secretMatches(secret: string, storedSha256: string): boolean {
  const given = Buffer.from(sha256(secret), 'hex');
  const stored = Buffer.from(storedSha256, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
