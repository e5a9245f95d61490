import { describe, expect, it } from 'vitest';
import { actorOf, inScope, judge, type Principal, type Rule } from './access.ts';

function principal(role: Principal['role'], extra: Partial<Principal> = {}): Principal {
  return { kind: 'user', id: '1', name: 'li', role, subdistrict: null, mustChangePassword: false, sessionId: 's', ...extra };
}

describe('judge', () => {
  const operators: Rule = { roles: ['operator'] };
  it('lets anyone through a public rule', () => {
    expect(judge({ public: true }, null)).toBe('allow');
  });
  it('allows a listed role and forbids the others', () => {
    expect(judge(operators, principal('operator'))).toBe('allow');
    expect(judge(operators, principal('leader'))).toBe('forbidden');
    expect(judge(operators, principal('wall', { kind: 'wall-link' }))).toBe('forbidden');
  });
  it('asks for a sign-in when nobody is signed in, and for a feed key where feeds may come', () => {
    expect(judge(operators, null)).toBe('unauthenticated');
    expect(judge({ roles: ['operator'], feed: true }, null)).toBe('feed');
  });
  it('judges a signed-in principal by role alone, even on a feed route', () => {
    expect(judge({ roles: ['operator'], feed: true }, principal('leader'))).toBe('forbidden');
  });
  it('holds an account with a one-time password to the routes that allow it', () => {
    const fresh = principal('admin', { mustChangePassword: true });
    expect(judge({ roles: ['admin'] }, fresh)).toBe('password-change-required');
    expect(judge({ roles: ['admin'], beforePasswordChange: true }, fresh)).toBe('allow');
  });
});

describe('scope and actors', () => {
  it('lets a scoped principal see its own subdistrict only', () => {
    expect(inScope({ subdistrict: null }, '110102012')).toBe(true);
    expect(inScope({ subdistrict: '110102012' }, '110102012')).toBe(true);
    expect(inScope({ subdistrict: '110102012' }, '110102013')).toBe(false);
    expect(inScope({ subdistrict: '110102012' }, null)).toBe(false);
  });
  it('names users by name and screens by link id in the audit log', () => {
    expect(actorOf({ kind: 'user', id: '7', name: 'wang' })).toBe('user:wang');
    expect(actorOf({ kind: 'wall-link', id: 'abc', name: 'Hall' })).toBe('wall-link:abc');
  });
});
