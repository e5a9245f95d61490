/**
 * A live layer whose dense points cluster is drawn from two GeoJSON sources: a clustered one
 * for most features and an unclustered one for the pinned, the features that must never hide
 * inside a cluster (a selected unit, a late case, whatever an alarm names). `PinnedSplit`
 * routes a layer's changes to the side each feature belongs on now: a feature whose pinning
 * changed leaves one source (remove) and joins the other (add); one that stays is updated in
 * place. Each side's diff then goes to its source through updateData, like any live layer's.
 */
import type { LayerDiff } from '../live/LiveState.ts';

type Side = 'clustered' | 'pinned';

export type SplitDiff = Record<Side, LayerDiff>;

function emptyDiff(): LayerDiff {
  return { add: [], update: [], remove: [] };
}

export class PinnedSplit {
  /** feature id → the source it is on */
  private readonly sides = new Map<string, Side>();

  /** `changed` features are on the map (new or changed), `removed` ones left it. */
  route(changed: Iterable<string>, removed: Iterable<string>, isPinned: (id: string) => boolean): SplitDiff {
    const split: SplitDiff = { clustered: emptyDiff(), pinned: emptyDiff() };
    for (const id of removed) {
      const side = this.sides.get(id);
      if (!side) continue;
      split[side].remove.push(id);
      this.sides.delete(id);
    }
    for (const id of changed) {
      const to: Side = isPinned(id) ? 'pinned' : 'clustered';
      const from = this.sides.get(id);
      if (from === to) {
        split[to].update.push(id);
        continue;
      }
      if (from) split[from].remove.push(id);
      split[to].add.push(id);
      this.sides.set(id, to);
    }
    return split;
  }

  /**
   * Sends again those of `ids` that are on the map: their look changed with time, or their
   * pinning did. Ids not on the map are left alone: the layer's drain brings them when they come.
   */
  redraw(ids: Iterable<string>, isPinned: (id: string) => boolean): SplitDiff {
    return this.route([...ids].filter((id) => this.sides.has(id)), [], isPinned);
  }

  /** Both sources start empty again. */
  clear(): void {
    this.sides.clear();
  }
}

/** Ids in one set and not the other: whose pinning a change from `before` to `after` flips. */
export function pinningChanged(before: ReadonlySet<string>, after: ReadonlySet<string>): string[] {
  return [...[...before].filter((id) => !after.has(id)), ...[...after].filter((id) => !before.has(id))];
}
