/**
 * The time machine's clock and what it has read, pure (no fetch, no timers): a LiveState that
 * shows the district at `clock`, fed from the stored history (GET /api/v1/history/snapshot and
 * /history/changes) through the same applySync a live wall uses, so every map layer draws the
 * past exactly as it draws the present.
 *
 * Contract:
 * - `begin(snapshot)` shows the district at the snapshot's moment: the clock stands there and
 *   what was read ahead is dropped.
 * - `receive(changes)` keeps changes read for (readUntil, until]; an answer for another span (a
 *   read that began before a seek) is ignored, and false says so.
 * - `advance(to)` moves the clock towards `to`, never past what has been read: every change up to
 *   the clock is applied, in time order, none skipped. 'waiting' means the clock stopped at
 *   readUntil and needs the next read.
 * - `nextRead(aheadMs)` is the span to read next, to stay `aheadMs` ahead of the clock (at most
 *   MAX_READ_MS a read, as the server serves); null while enough is read, or when reading
 *   would pass `limit` (the present).
 * - Seqs are the replay's own, renumbered in the order applied: the stream's seqs of a unit's
 *   status move and its position need not be in time order, the replay's are.
 */
import type { Change, SyncResult } from '../../server/contract/live.ts';
import type { PastChanges, PastSnapshot } from '../../server/store/history.ts';
import { LiveState } from '../live/LiveState.ts';

/** The server serves at most an hour of changes a read. */
export const MAX_READ_MS = 60 * 60_000;

export type Advance = 'moved' | 'waiting';

const PAST_STATUS = { simulated: false, store: 'postgresql', storeAvailable: true } as const;

export class Timeline {
  readonly state: LiveState;
  clock: number;
  /** changes are read up to here */
  readUntil: number;
  unitsKept = true;
  private ahead: PastChanges['changes'] = [];
  private seq = 0;

  constructor(start: number) {
    this.clock = start;
    this.readUntil = start;
    this.state = new LiveState(() => this.clock);
  }

  begin(snapshot: PastSnapshot): void {
    this.clock = snapshot.at;
    this.readUntil = snapshot.at;
    this.ahead = [];
    this.unitsKept = snapshot.unitsKept;
    const result: SyncResult = {
      ok: true,
      mode: 'snapshot',
      snapshot: {
        at: snapshot.at,
        status: { ...PAST_STATUS },
        cases: snapshot.cases.map((view) => ({ ...view, seq: ++this.seq })),
        incidents: snapshot.incidents.map((view) => ({ ...view, seq: ++this.seq })),
        units: snapshot.units.map((view) => ({ ...view, seq: ++this.seq })),
        alarms: [],
        seq: this.seq,
      },
    };
    this.state.applySync(result);
  }

  receive(read: PastChanges): boolean {
    if (read.from !== this.readUntil) return false;
    this.ahead.push(...read.changes);
    this.readUntil = read.until;
    this.unitsKept = read.unitsKept;
    return true;
  }

  advance(to: number): Advance {
    const target = Math.min(to, this.readUntil);
    this.clock = Math.max(this.clock, target);
    let due = 0;
    while (due < this.ahead.length && this.ahead[due]!.at <= this.clock) due++;
    if (due > 0) this.apply(this.ahead.splice(0, due).map((past) => past.change));
    return to > this.readUntil ? 'waiting' : 'moved';
  }

  nextRead(aheadMs: number, limit: number): { from: number; to: number } | null {
    const wanted = Math.min(this.clock + aheadMs, limit);
    if (this.readUntil >= wanted) return null;
    return { from: this.readUntil, to: Math.min(wanted, this.readUntil + MAX_READ_MS) };
  }

  private apply(changes: Change[]): void {
    const renumbered = changes.map((change) => {
      const seq = ++this.seq;
      return { ...change, seq, value: { ...change.value, seq } } as Change;
    });
    this.state.applySync({ ok: true, mode: 'changes', seq: this.seq, changes: renumbered, units: [] });
  }
}
