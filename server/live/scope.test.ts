import { describe, expect, it } from 'vitest';
import type { CaseView, Change, PackedPosition, UnitView } from '../contract/live.ts';
import { ScopedStream } from './scope.ts';

const HERE = '110102012';
const THERE = '110102013';

function caseChange(seq: number, subdistrict: string | null, id = 'hotline:1'): Change {
  const value: CaseView = {
    id, source: 'hotline', category: 'parking', state: 'reported', urgency: 'normal', lon: 116.38, lat: 39.94,
    subdistrict, cell: null, outside: subdistrict === null, reportedAt: 0, updatedAt: 0,
    deadlineAt: 24 * 3_600_000, resolvedAt: null, whistle: null, seq,
  };
  return { kind: 'case', seq, created: true, value };
}

function unit(id: string, subdistrict: string | null, seq: number): UnitView {
  return { id, team: 'T1', specialty: 'fire', status: 'available', lon: 116.38, lat: 39.94, subdistrict, cell: null, outside: false, at: 1, seq };
}

const fix = (id: string, subdistrict: string | null): PackedPosition => [id, 116.38, 39.94, 1, subdistrict];

describe('a subdistrict-scoped stream', () => {
  it('passes changes in its subdistrict and covers the others with a frame, so it sees no gap', () => {
    const stream = new ScopedStream(HERE);
    expect(stream.change(caseChange(1, THERE, 'a'), null)).toEqual([]);
    expect(stream.change(caseChange(2, THERE, 'b'), null)).toEqual([]);
    const out = stream.change(caseChange(3, HERE, 'c'), null);
    expect(out).toEqual([
      { type: 'frame', frame: { fromSeq: 1, toSeq: 2, units: [] } },
      { type: 'change', change: caseChange(3, HERE, 'c') },
    ]);
    expect(stream.flush()).toBeNull();
  });

  it('names what moved out as gone, without its new place', () => {
    const stream = new ScopedStream(HERE);
    stream.change(caseChange(5, THERE), HERE);
    expect(stream.flush()).toEqual({ type: 'frame', frame: { fromSeq: 5, toSeq: 5, units: [], gone: [{ kind: 'case', id: 'hotline:1' }] } });
  });

  it('sends positions inside only, a walked-in unit with its whole view, a walked-out one as gone', () => {
    const stream = new ScopedStream(HERE);
    const was = new Map([['U1', HERE], ['U2', THERE], ['U3', HERE], ['U4', THERE]]);
    const views = new Map([['U2', unit('U2', HERE, 7)]]);
    stream.positions(7, [fix('U1', HERE), fix('U2', HERE), fix('U3', THERE), fix('U4', THERE)], (id) => was.get(id) ?? null, (id) => views.get(id));
    expect(stream.flush()).toEqual({
      type: 'frame',
      frame: { fromSeq: 7, toSeq: 7, units: [fix('U1', HERE)], arrived: [unit('U2', HERE, 7)], gone: [{ kind: 'unit', id: 'U3' }] },
    });
  });

  it('forgets a pending position of a unit that then leaves', () => {
    const stream = new ScopedStream(HERE);
    stream.positions(8, [fix('U1', HERE)], () => HERE, () => undefined);
    stream.positions(9, [fix('U1', THERE)], () => HERE, () => undefined);
    expect(stream.flush()).toEqual({ type: 'frame', frame: { fromSeq: 8, toSeq: 9, units: [], gone: [{ kind: 'unit', id: 'U1' }] } });
  });
});
