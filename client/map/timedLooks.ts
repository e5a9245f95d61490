/**
 * Features whose look depends on the time as well as on their view: a case turning overdue, a
 * unit's position growing stale. No message says when that happens, so a layer re-checks on a
 * timer. `TimedLooks` remembers the look each feature was drawn with and names only the ones
 * whose look differs now, for an update through the layer's diff path: one feature flipping
 * costs one feature sent, never a redraw of the layer.
 */
export class TimedLooks<V, L> {
  /** feature id → the look it is drawn with */
  private readonly drawn = new Map<string, L>();

  constructor(
    private readonly lookOf: (view: V, now: number) => L,
    private readonly same: (a: L, b: L) => boolean = Object.is,
  ) {}

  /** The look of `view` at `now`, noted as the one feature `id` is being drawn with. */
  draw(id: string, view: V, now: number): L {
    const look = this.lookOf(view, now);
    this.drawn.set(id, look);
    return look;
  }

  /** The feature left the map. */
  forget(id: string): void {
    this.drawn.delete(id);
  }

  /**
   * Drawn features whose look at `now` differs from the one drawn. A drawn feature no longer
   * among `views` is left to the layer's next drain, which removes it.
   */
  flipped(views: ReadonlyMap<string, V>, now: number): string[] {
    const ids: string[] = [];
    for (const [id, drawn] of this.drawn) {
      const view = views.get(id);
      if (view && !this.same(this.lookOf(view, now), drawn)) ids.push(id);
    }
    return ids;
  }
}
