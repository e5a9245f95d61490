import { describe, expect, it } from 'vitest';
import { newSigningSecret, newWallLinkId, sha256, signWallLink, verifyWallLink } from './tokens.ts';

describe('wall link tokens', () => {
  const secret = newSigningSecret();
  const id = newWallLinkId();

  it('verifies a link signed with the secret and gives back its id', () => {
    expect(verifyWallLink(signWallLink(id, secret), secret)).toBe(id);
  });
  it('refuses a link signed with another secret', () => {
    expect(verifyWallLink(signWallLink(id, newSigningSecret()), secret)).toBeNull();
  });
  it('refuses a link whose id was altered', () => {
    const [, signature] = signWallLink(id, secret).split('.');
    const other = newWallLinkId();
    expect(verifyWallLink(`${other}.${signature}`, secret)).toBeNull();
  });
  it('refuses malformed text', () => {
    for (const text of ['', id, `${id}.`, `${id}.short`, `../${id}.${'a'.repeat(43)}`]) expect(verifyWallLink(text, secret)).toBeNull();
  });
  it('hashes session tokens to hex SHA-256', () => {
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
