/**
 * Which grid cases the map rings as late, and which drawn ones changed since. A case turns
 * late with time alone (its deadline or its whistle's passes) and no message says so, so the
 * cases layer re-checks on a timer: `AlarmFlags` remembers the alarm each case was drawn with
 * and names only the cases whose alarm flipped, for an update through the layer's diff path.
 */
import type { CaseView } from '../../server/contract/live.ts';
import { isCaseOverdue, lateDepartments } from '../../server/domain/clocks.ts';

export interface CaseAlarm {
  /** unresolved past its deadline */
  overdue: boolean;
  /** a summoned department missed the 吹哨报到 deadline */
  whistleLate: boolean;
}

export function caseAlarm(view: CaseView, now: number): CaseAlarm {
  return {
    overdue: isCaseOverdue(view, now),
    whistleLate: view.whistle !== null && lateDepartments(view.whistle, now).length > 0,
  };
}

function code(alarm: CaseAlarm): number {
  return (alarm.overdue ? 1 : 0) | (alarm.whistleLate ? 2 : 0);
}

export class AlarmFlags {
  /** case id → the alarm it is drawn with */
  private readonly drawn = new Map<string, number>();

  /** The case was just sent to the source with this alarm. */
  drawnWith(id: string, alarm: CaseAlarm): void {
    this.drawn.set(id, code(alarm));
  }

  /** The case left the source. */
  forget(id: string): void {
    this.drawn.delete(id);
  }

  /**
   * Drawn cases whose alarm differs at `now` from the one drawn. A drawn case no longer among
   * `views` is left to the layer's next drain, which removes it.
   */
  flipped(views: ReadonlyMap<string, CaseView>, now: number): string[] {
    const ids: string[] = [];
    for (const [id, drawn] of this.drawn) {
      const view = views.get(id);
      if (view && code(caseAlarm(view, now)) !== drawn) ids.push(id);
    }
    return ids;
  }
}
