import { describe, expect, it } from 'vitest';
import type { PackedPosition, PositionFrame } from './live.ts';
import { decodeFrame, encodeFrame, unitBytes } from './position-codec.ts';

const T0 = Date.parse('2026-12-03T08:00:00Z');
const XICHENG_UNITS: PackedPosition[] = [
  ['V012-03', 116.3665432, 39.9123456, T0, '110102001'],
  ['V012-04', 116.4012345, 39.9500001, T0 + 1_500, '110102007'],
  ['u', -73.9855, 40.758, T0 + 900, null],
  ['V013-01', 116.35, 39.88, T0 + 2_000, '110102001'],
];

describe('position codec', () => {
  it('gives back every unit as it was, to 1e-7 degrees and to the millisecond', () => {
    const frame: PositionFrame = { fromSeq: 7, toSeq: 9, units: XICHENG_UNITS };
    const decoded = decodeFrame(encodeFrame(frame));
    expect(decoded.fromSeq).toBe(7);
    expect(decoded.toSeq).toBe(9);
    expect(decoded.units.map(([id, , , at, place]) => [id, at, place])).toEqual(XICHENG_UNITS.map(([id, , , at, place]) => [id, at, place]));
    decoded.units.forEach(([, lon, lat], i) => {
      expect(lon).toBeCloseTo(XICHENG_UNITS[i]![1], 7);
      expect(lat).toBeCloseTo(XICHENG_UNITS[i]![2], 7);
    });
  });

  it('packs a unit into 14 bytes and its id, and names each subdistrict once', () => {
    const wire = encodeFrame({ fromSeq: 1, toSeq: 1, units: XICHENG_UNITS });
    expect(wire.places).toEqual(['110102001', '110102007']);
    expect(wire.baseAt).toBe(T0);
    expect(wire.wideTimes).toBeUndefined();
    expect(unitBytes('V012-03')).toBe(21);
    expect((wire.positions as Uint8Array).byteLength).toBe(XICHENG_UNITS.reduce((sum, [id]) => sum + 14 + id.length, 0));
  });

  it('writes whole epoch times when a frame spans more than 49 days', () => {
    const months = 60 * 24 * 3600_000;
    const units: PackedPosition[] = [
      ['a', 116.3, 39.9, T0 - months, null],
      ['b', 116.31, 39.91, T0, '110102001'],
    ];
    const wire = encodeFrame({ fromSeq: 3, toSeq: 3, units });
    expect(wire.wideTimes).toBe(true);
    expect(decodeFrame(wire).units.map((unit) => unit[3])).toEqual([T0 - months, T0]);
  });

  it('decodes what a browser receives (an ArrayBuffer) and keeps a scoped frame’s arrivals and departures', () => {
    const wire = encodeFrame({ fromSeq: 4, toSeq: 5, units: XICHENG_UNITS.slice(0, 1), gone: [{ kind: 'case', id: 'c1' }] });
    const bytes = wire.positions as Uint8Array;
    const asBrowser = { ...wire, positions: (bytes.buffer as ArrayBuffer).slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) };
    const decoded = decodeFrame(asBrowser);
    expect(decoded.units.map((unit) => unit[0])).toEqual(['V012-03']);
    expect(decoded.gone).toEqual([{ kind: 'case', id: 'c1' }]);
  });

  it('sends an empty frame as an empty attachment', () => {
    const wire = encodeFrame({ fromSeq: 2, toSeq: 6, units: [] });
    expect(wire.count).toBe(0);
    expect(decodeFrame(wire).units).toEqual([]);
  });

  it('gives every id back as sent, frame after frame, among enough ids that some share a hash', () => {
    // 200,000 ids over a 32-bit hash: a handful of pairs are expected to share one.
    const ids = Array.from({ length: 200_000 }, (_, n) => `U${n.toString(36)}-${(n * 7919) % 1000}`);
    const frame = { fromSeq: 1, toSeq: 1, units: ids.map((id): PackedPosition => [id, 116.36, 39.91, 1_700_000_000_000, null]) };
    for (let round = 0; round < 2; round++) {
      const decoded = decodeFrame(encodeFrame(frame)).units.map(([id]) => id);
      expect(decoded.filter((id, n) => id !== ids[n])).toEqual([]);
    }
  });
});
