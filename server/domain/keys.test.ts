import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { issueKey, parseToken, secretMatches } from './keys.ts';

describe('feed keys', () => {
  it('issues a token whose secret matches only its own hash', () => {
    const key = issueKey(randomBytes(4), randomBytes(32));
    const parsed = parseToken(key.token);
    expect(parsed?.id).toBe(key.id);
    expect(secretMatches(parsed!.secret, key.secretSha256)).toBe(true);
    const other = issueKey(randomBytes(4), randomBytes(32));
    expect(secretMatches(parsed!.secret, other.secretSha256)).toBe(false);
  });
  it('never stores the secret itself', () => {
    const key = issueKey(randomBytes(4), randomBytes(32));
    expect(key.token).not.toContain(key.secretSha256);
    expect(key.secretSha256).not.toContain(parseToken(key.token)!.secret);
  });
  it('rejects text that is not shaped like a key', () => {
    for (const text of ['', 'xw_', 'Bearer xyz', 'xw_zzzzzzzz_' + 'a'.repeat(43), 'xw_0123abcd_short']) {
      expect(parseToken(text)).toBeNull();
    }
  });
});
