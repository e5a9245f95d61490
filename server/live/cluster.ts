/**
 * One server of several on one PostgreSQL (REDIS_URL set): how it learns what the others
 * committed, and whether it runs the cluster's clocks.
 *
 * - A connection of its own LISTENs on HEAD_CHANNEL: every commit that took sequence numbers
 *   notifies its highest seq, delivered in commit order (changes.ts, takeSeqs), and `onHead`
 *   hears it; the hub then streams that range from the store to this server's sockets. Every
 *   POLL_MS, and after the connection came back, the highest committed seq is read as well, so
 *   a notification lost with a connection is caught up.
 * - The same connection tries the session-level JOBS_LOCK: the server holding it `leads`, and
 *   only the leader runs the alarm, dispatch and retention clocks (one judge, no double alarm).
 *   A leader that dies loses its connection and so the lock, and another takes it within POLL_MS.
 */
import pg from 'pg';
import { HEAD_CHANNEL } from '../store/changes.ts';
import { committedHead } from '../store/stream.ts';

const JOBS_LOCK = 8_150_103;
const POLL_MS = 2_000;

export class ClusterFeed {
  #client: pg.Client | null = null;
  #leads = false;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly onHead: (seq: number) => void,
  ) {}

  /** Whether this server runs the cluster's clocks now. */
  get leads(): boolean {
    return this.#leads;
  }

  async start(): Promise<void> {
    await this.#connect();
    this.#timer = setInterval(() => void this.#poll(), POLL_MS);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#client?.end().catch(() => undefined);
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    client.on('error', () => this.#lost(client));
    client.on('end', () => this.#lost(client));
    client.on('notification', (message) => {
      if (message.channel === HEAD_CHANNEL && message.payload) this.onHead(Number(message.payload));
    });
    await client.connect();
    await client.query(`LISTEN ${HEAD_CHANNEL}`);
    this.#client = client;
    await this.#poll();
  }

  #lost(client: pg.Client): void {
    if (this.#client !== client) return;
    this.#client = null;
    this.#leads = false;
  }

  /** Reconnects when the connection was lost, tries to lead, and catches up the head. */
  async #poll(): Promise<void> {
    if (this.#stopped) return;
    try {
      if (!this.#client) return await this.#connect();
      if (!this.#leads) {
        const { rows } = await this.#client.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1) AS got', [JOBS_LOCK]);
        this.#leads = rows[0]?.got === true;
      }
      this.onHead(await committedHead(this.#client));
    } catch {
      // The store is away: the next poll tries again (the store watch tells the walls).
    }
  }
}
