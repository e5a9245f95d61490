/**
 * What a subdistrict-scoped stream receives, decided one committed message at a time. Pure:
 * the hub hands it every change and position frame in seq order with where each entity was
 * before, and sends on what it returns.
 *
 * A change in the scope goes out as it is, after any pending frame. Anything else only moves
 * the pending frame's seq range on, so the stream shows no gap; an entity that leaves the
 * scope is named in the frame's `gone`, and a unit that walks in arrives with its whole view.
 */
import type { Change, Gone, PackedPosition, PositionFrame, UnitView } from '../contract/live.ts';

export type Outgoing = { type: 'change'; change: Change } | { type: 'frame'; frame: PositionFrame };

interface Pending {
  fromSeq: number;
  toSeq: number;
  units: Map<string, PackedPosition>;
  arrived: Map<string, UnitView>;
  gone: Map<string, Gone>;
}

export class ScopedStream {
  #pending: Pending | null = null;

  constructor(readonly subdistrict: string) {}

  /** A change; `was` is the subdistrict its entity was in before (null: nowhere, or new). */
  change(change: Change, was: string | null): Outgoing[] {
    const key = `${change.kind}:${change.value.id}`;
    if (change.value.subdistrict === this.subdistrict) {
      const flushed = this.flush();
      return [...(flushed ? [flushed] : []), { type: 'change', change }];
    }
    const pending = this.#cover(change.seq);
    if (was === this.subdistrict) {
      pending.gone.set(key, { kind: change.kind, id: change.value.id });
      if (change.kind === 'unit') this.#forgetUnit(pending, change.value.id);
    }
    return [];
  }

  /**
   * A frame's positions at `seq`. `was` tells where each unit was before; `viewOf` gives a
   * unit's whole view (with the new position) for one that walks in.
   */
  positions(seq: number, units: PackedPosition[], was: (id: string) => string | null, viewOf: (id: string) => UnitView | undefined): void {
    const pending = this.#cover(seq);
    for (const unit of units) {
      const [id, , , , now] = unit;
      const before = was(id);
      if (now === this.subdistrict && before !== this.subdistrict) {
        const view = viewOf(id);
        if (view) pending.arrived.set(id, view);
        pending.gone.delete(`unit:${id}`);
      } else if (now === this.subdistrict) {
        if (pending.arrived.has(id)) pending.arrived.set(id, viewOf(id)!);
        else pending.units.set(id, unit);
      } else if (before === this.subdistrict) {
        this.#forgetUnit(pending, id);
        pending.gone.set(`unit:${id}`, { kind: 'unit', id });
      }
    }
  }

  /** The pending frame, if any, to send now. */
  flush(): Outgoing | null {
    const pending = this.#pending;
    this.#pending = null;
    if (!pending) return null;
    const frame: PositionFrame = { fromSeq: pending.fromSeq, toSeq: pending.toSeq, units: [...pending.units.values()] };
    if (pending.arrived.size > 0) frame.arrived = [...pending.arrived.values()];
    if (pending.gone.size > 0) frame.gone = [...pending.gone.values()];
    return { type: 'frame', frame };
  }

  #cover(seq: number): Pending {
    this.#pending ??= { fromSeq: seq, toSeq: seq, units: new Map(), arrived: new Map(), gone: new Map() };
    this.#pending.toSeq = Math.max(this.#pending.toSeq, seq);
    return this.#pending;
  }

  #forgetUnit(pending: Pending, id: string): void {
    pending.units.delete(id);
    pending.arrived.delete(id);
  }
}
