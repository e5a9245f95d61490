import { describe, expect, it } from 'vitest';
import { DECOY_HASH, hashPassword, oneTimePassword, passwordProblem, verifyPassword } from './passwords.ts';

describe('passwords', () => {
  it('verifies the password a hash was made from, and no other', async () => {
    const hash = await hashPassword('西城 night shift 42');
    expect(hash).toMatch(/^scrypt\$15\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await verifyPassword('西城 night shift 42', hash)).toBe(true);
    expect(await verifyPassword('西城 night shift 43', hash)).toBe(false);
  });
  it('salts every hash', async () => {
    expect(await hashPassword('same password')).not.toBe(await hashPassword('same password'));
  });
  it('never matches the decoy or a malformed hash', async () => {
    expect(await verifyPassword('', DECOY_HASH)).toBe(false);
    expect(await verifyPassword('x', 'plain-text')).toBe(false);
  });
  it('makes one-time passwords of 18 unambiguous characters, different each time', () => {
    const a = oneTimePassword();
    expect(a).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{18}$/);
    expect(oneTimePassword()).not.toBe(a);
  });
  it('refuses short passwords and ones containing the username', () => {
    expect(passwordProblem('short', 'li')).toMatch(/at least 10/);
    expect(passwordProblem('operator-wang-2026', 'Wang')).toMatch(/username/);
    expect(passwordProblem('a long enough phrase', 'li')).toBeNull();
  });
});
