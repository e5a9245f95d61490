/**
 * The alarm service: every tick it judges the conditions (domain/alarms.ts) on the stored
 * facts, raises the alarms that start to hold and clears those that stopped, and streams each
 * as a change; an operator's acknowledgement is a change too, so every screen stops flashing
 * at once and a screen that was away learns it on resync. Runs in the store's writer queue,
 * like every change.
 */
import type { AlarmView, Change } from '../contract/live.ts';
import { canAcknowledge, holdingConditions, reconcile } from '../domain/alarms.ts';
import { AppError } from '../errors.ts';
import type { Committed } from '../ingest/service.ts';
import { acknowledgeAlarm, alarmFacts, clearAlarms, findAlarm, openAlarms, raiseAlarms } from '../store/alarms.ts';
import { audit } from '../store/audit.ts';
import { appendChanges, takeSeqs } from '../store/changes.ts';
import type { Queryable, Store } from '../store/store.ts';

export interface AlarmOptions {
  /** a volunteer on scene whose position has not come for this long raises an alarm */
  silentMs: number;
  now?: () => number;
}

export class AlarmService {
  readonly #store: Store;
  readonly #publish: (committed: Committed) => void;
  readonly #silentMs: number;
  readonly #now: () => number;

  constructor(store: Store, publish: (committed: Committed) => void, options: AlarmOptions) {
    this.#store = store;
    this.#publish = publish;
    this.#silentMs = options.silentMs;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Raises and clears alarms as the conditions now stand. Judged first from outside the writer
   * queue, so a quiet tick costs the busy queue nothing; only a tick with something to change
   * takes a transaction, where it judges again on what it holds.
   */
  async tick(): Promise<void> {
    const preview = await this.#judge(this.#store.pool, this.#now());
    if (preview.raise.length + preview.clear.length === 0) return;
    await this.#commit(async (tx, at) => {
      const { raise, clear } = await this.#judge(tx, at);
      const seqs = await takeSeqs(tx, raise.length + clear.length);
      const raised = await raiseAlarms(tx, raise.map((condition, i) => ({ condition, seq: seqs[i]! })), at);
      const cleared = await clearAlarms(tx, clear.map((alarm, i) => ({ id: alarm.id, seq: seqs[raise.length + i]! })), at);
      return [...raised.map((value) => change(value, true)), ...cleared.map((value) => change(value, false))];
    });
  }

  /** Which alarms to raise and clear; on one connection, its queries one after another. */
  async #judge(q: Queryable, at: number) {
    const facts = await alarmFacts(q);
    const open = await openAlarms(q);
    return reconcile(open, holdingConditions(facts, at, this.#silentMs));
  }

  /** An operator acknowledges an alarm; one already acknowledged or cleared is answered as it is. */
  async acknowledge(id: string, actor: string): Promise<AlarmView> {
    let result: AlarmView | undefined;
    await this.#commit(async (tx, at) => {
      const alarm = await findAlarm(tx, id);
      if (!alarm) throw new AppError('NOT_FOUND', [{ path: '/alarm', message: `alarm "${id}" is not known` }]);
      if (!canAcknowledge(alarm)) {
        result = alarm;
        return [];
      }
      const [seq] = await takeSeqs(tx, 1);
      result = await acknowledgeAlarm(tx, id, actor, seq!, at);
      await audit(tx, actor, 'alarm.acknowledged', id, { kind: alarm.kind, subject: alarm.subject });
      return [change(result, false)];
    });
    return result!;
  }

  /** One transaction in the writer queue; its changes go live after the commit, in seq order. */
  #commit(work: (tx: Queryable, at: number) => Promise<Change[]>): Promise<void> {
    return this.#store.serial(async () => {
      const at = this.#now();
      const changes = await this.#store.transaction(async (tx) => {
        const made = (await work(tx, at)).sort((a, b) => a.seq - b.seq);
        await appendChanges(tx, made);
        return made;
      });
      this.#publish({ frame: null, changes });
    });
  }
}

function change(value: AlarmView, created: boolean): Change {
  return { kind: 'alarm', seq: value.seq, created, value };
}
