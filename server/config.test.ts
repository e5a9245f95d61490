import { describe, expect, it } from 'vitest';
import { configFrom } from './config.ts';

describe('configFrom', () => {
  it('defaults to port 8080, embedded PGlite and the simulator on', () => {
    expect(configFrom({})).toMatchObject({ port: 8080, databaseUrl: null, dataDir: 'data/pglite', simulate: true, simSpeed: 1 });
  });
  it('turns the simulator off with a real database, unless SIMULATE says otherwise', () => {
    const url = 'postgres://postgres@127.0.0.1:5432/test';
    expect(configFrom({ DATABASE_URL: url }).simulate).toBe(false);
    expect(configFrom({ DATABASE_URL: url, SIMULATE: '1' }).simulate).toBe(true);
    expect(configFrom({ SIMULATE: '0' }).simulate).toBe(false);
  });
  it('runs a cluster through Redis only on PostgreSQL, under a name of its own', () => {
    const url = 'postgres://postgres@127.0.0.1:5432/test';
    expect(configFrom({ DATABASE_URL: url, REDIS_URL: 'redis://127.0.0.1:6379' })).toMatchObject({ redisUrl: 'redis://127.0.0.1:6379', clusterName: 'xicheng-wall' });
    expect(configFrom({ DATABASE_URL: url, REDIS_URL: 'redis://r', CLUSTER_NAME: 'test-1' }).clusterName).toBe('test-1');
    expect(configFrom({}).redisUrl).toBeNull();
    expect(() => configFrom({ REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(/DATABASE_URL/);
  });
  it('names the variable when a value is bad', () => {
    expect(() => configFrom({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => configFrom({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => configFrom({ SIMULATE: 'yes' })).toThrow(/SIMULATE/);
    expect(() => configFrom({ SIM_SPEED: '0' })).toThrow(/SIM_SPEED/);
  });
  it('takes the freshness thresholds of the wall, lost after stale', () => {
    expect(configFrom({})).toMatchObject({ staleAfterSeconds: 120, lostAfterSeconds: 600 });
    expect(configFrom({ STALE_AFTER_SECONDS: '30', LOST_AFTER_SECONDS: '90' })).toMatchObject({ staleAfterSeconds: 30, lostAfterSeconds: 90 });
    expect(() => configFrom({ STALE_AFTER_SECONDS: '700' })).toThrow(/LOST_AFTER_SECONDS.*STALE_AFTER_SECONDS/);
    expect(() => configFrom({ LOST_AFTER_SECONDS: '0' })).toThrow(/LOST_AFTER_SECONDS/);
  });
  it('treats empty values as unset', () => {
    expect(configFrom({ DATABASE_URL: ' ', BASEMAP_STYLE: '' })).toMatchObject({ databaseUrl: null, basemapStyle: null, simulate: true });
  });
});
