/**
 * The store's front door: one writer at a time, transactions, and the head sequence number.
 *
 * Writes run one after another (`serial`), so sequence numbers are committed in the order they
 * are taken and the live stream can emit them in that order. Reads that must be consistent with
 * the stream (snapshots, resyncs) run in the same queue. Several servers on one database (a
 * cluster) write one after another too: every transaction first takes the writers' advisory
 * lock (WRITER_LOCK), so what one read before writing no other server
 * changes under it, and sequence numbers commit in order across servers.
 */
import type pg from 'pg';
import type { Database, StoreKind } from './db.ts';
import { readHeadSeq, WRITER_LOCK } from './changes.ts';

export type Queryable = Pick<pg.PoolClient, 'query'>;

export class Store {
  readonly kind: StoreKind;
  readonly pool: pg.Pool;
  /** takes COPY … FROM STDIN (PostgreSQL; PGlite's node-postgres adapter ends the process on one) */
  readonly copies: boolean;
  #head = 0;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(database: Database) {
    this.kind = database.kind;
    this.pool = database.pool;
    this.copies = database.kind === 'postgresql';
  }

  static async open(database: Database): Promise<Store> {
    const store = new Store(database);
    store.#head = await readHeadSeq(database.pool);
    return store;
  }

  /** The highest sequence number committed by this process (or found at start). */
  get head(): number {
    return this.#head;
  }

  /** Runs `job` after every job queued before it; a failing job does not block the queue. */
  serial<T>(job: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(job, job);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** BEGIN … COMMIT around `work`; ROLLBACK and rethrow on any error. */
  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query(`BEGIN; SELECT pg_advisory_xact_lock(${WRITER_LOCK})`);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Called after a commit that took sequence numbers up to `seq`. */
  advanceHead(seq: number): void {
    if (seq > this.#head) this.#head = seq;
  }
}
