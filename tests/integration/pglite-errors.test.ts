/**
 * The embedded store survives failing queries: PGlite's node-postgres adapter shares one
 * connection, and a failed query must not leave it misreading every answer after it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createTestStore, type TestStore } from '../support/server.ts';
import { openDatabase, type Database } from '../../server/store/db.ts';

describe('PGlite after a failed query', () => {
  let store: TestStore;
  let database: Database;
  afterEach(async () => {
    await database?.close();
    await store?.dispose();
  });

  it('answers the next queries correctly, through the pool and in transactions', async () => {
    store = await createTestStore('pglite');
    database = await openDatabase({ databaseUrl: null, dataDir: store.env.DATA_DIR! });
    await expect(database.pool.query('SELECT $1::int', ['nope'])).rejects.toThrow(/invalid input syntax/);
    expect((await database.pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    expect((await database.pool.query('SELECT $1::int AS two', [2])).rows).toEqual([{ two: 2 }]);
    await expect(database.pool.query('SELECT * FROM no_such_table')).rejects.toThrow(/does not exist/);
    expect((await database.pool.query('SELECT 3 AS three')).rows).toEqual([{ three: 3 }]);
  });
});
