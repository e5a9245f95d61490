import { describe, expect, it } from 'vitest';
import { isStoreUnreachable } from './faults.ts';

describe('isStoreUnreachable', () => {
  it('knows PostgreSQL going away, sockets failing and connections that ended', () => {
    expect(isStoreUnreachable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(true);
    expect(isStoreUnreachable(Object.assign(new Error('connection failure'), { code: '08006' }))).toBe(true);
    expect(isStoreUnreachable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isStoreUnreachable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isStoreUnreachable(new Error('timeout exceeded when trying to connect'))).toBe(true);
  });

  it('leaves the request’s own faults and our bugs alone', () => {
    expect(isStoreUnreachable(Object.assign(new Error('duplicate key value'), { code: '23505' }))).toBe(false);
    expect(isStoreUnreachable(Object.assign(new Error('syntax error'), { code: '42601' }))).toBe(false);
    expect(isStoreUnreachable(new TypeError('cannot read properties of undefined'))).toBe(false);
    expect(isStoreUnreachable(null)).toBe(false);
  });
});
