/**
 * The wire form of a position frame: its units packed into one binary attachment, so a unit
 * update costs 14 bytes plus its id's length instead of ~60 bytes of JSON. Shared, and pure
 * but for a bounded memo of the ids it has decoded: the hub encodes, the wall (and the test
 * clients) decode; both sides import this module.
 *
 * One unit, little-endian: u8 id length, the id (ASCII: SourceId allows nothing else), i32 lon
 * and i32 lat in 1e-7 degrees (about 1 cm), the report time as a u32 of milliseconds after
 * the frame's `baseAt` (the earliest time in it), u8 subdistrict (0: none, n: `places[n - 1]`).
 * A frame whose times span more than a u32 of milliseconds (49 days: a unit's first report
 * after weeks of silence) writes every time as an f64 of epoch ms instead (`wideTimes`).
 */
import type { PackedPosition, PositionFrame, WirePositionFrame } from './live.ts';

const DEGREE_STEPS = 1e7;
const MAX_OFFSET_MS = 0xffff_ffff;
/** id length byte, lon, lat, place: everything but the id and the time */
const FIXED_BYTES = 1 + 4 + 4 + 1;

/** Bytes one unit takes in the attachment. */
export function unitBytes(id: string, wideTimes = false): number {
  return FIXED_BYTES + id.length + (wideTimes ? 8 : 4);
}

export function encodeFrame(frame: PositionFrame): WirePositionFrame & { positions: Uint8Array } {
  const { units, ...rest } = frame;
  const { baseAt, wideTimes, placeIndex, idBytes } = survey(units);
  const places = [...placeIndex.keys()];
  const bytes = new Uint8Array(idBytes + units.length * unitBytes('', wideTimes));
  const view = new DataView(bytes.buffer);
  let offset = 0;
  for (const [id, lon, lat, at, place] of units) {
    bytes[offset++] = id.length;
    for (let i = 0; i < id.length; i++) bytes[offset++] = id.charCodeAt(i);
    view.setInt32(offset, Math.round(lon * DEGREE_STEPS), true);
    view.setInt32(offset + 4, Math.round(lat * DEGREE_STEPS), true);
    offset += 8;
    if (wideTimes) view.setFloat64(offset, at, true);
    else view.setUint32(offset, at - baseAt, true);
    offset += wideTimes ? 8 : 4;
    bytes[offset++] = place === null ? 0 : placeIndex.get(place)!;
  }
  return { ...rest, count: units.length, baseAt, places, ...(wideTimes ? { wideTimes } : {}), positions: bytes };
}

/** What encoding needs to know before it writes, in one pass: the time base, the places, the ids' bytes. */
function survey(units: PackedPosition[]) {
  let baseAt = units[0]?.[3] ?? 0;
  let lastAt = baseAt;
  let idBytes = 0;
  const placeIndex = new Map<string, number>();
  for (const [id, , , at, place] of units) {
    baseAt = Math.min(baseAt, at);
    lastAt = Math.max(lastAt, at);
    idBytes += id.length;
    if (place !== null && !placeIndex.has(place)) placeIndex.set(place, placeIndex.size + 1);
  }
  return { baseAt, wideTimes: lastAt - baseAt > MAX_OFFSET_MS, placeIndex, idBytes };
}

export function decodeFrame(wire: WirePositionFrame): PositionFrame {
  const { count, baseAt, places, wideTimes, positions, ...rest } = wire;
  const bytes = positions instanceof Uint8Array ? positions : new Uint8Array(positions);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const units: PackedPosition[] = new Array(count);
  let offset = 0;
  for (let n = 0; n < count; n++) {
    const length = bytes[offset++]!;
    const id = readId(bytes, offset, length);
    offset += length;
    const lon = view.getInt32(offset, true) / DEGREE_STEPS;
    const lat = view.getInt32(offset + 4, true) / DEGREE_STEPS;
    offset += 8;
    const at = wideTimes ? view.getFloat64(offset, true) : baseAt + view.getUint32(offset, true);
    offset += wideTimes ? 8 : 4;
    const place = bytes[offset++]!;
    units[n] = [id, lon, lat, at, place === 0 ? null : places[place - 1]!];
  }
  return { ...rest, units };
}

/**
 * Ids seen before, by a hash of their bytes: a wall decodes the same units' ids frame after
 * frame, and building each string from its bytes again was most of what decoding cost. A
 * hash shared by two ids keeps the first; the other is built each time. Bounded: past
 * ID_CACHE_LIMIT ids it starts again.
 */
const idCache = new Map<number, string>();
const ID_CACHE_LIMIT = 1 << 18;

function readId(bytes: Uint8Array, start: number, length: number): string {
  let hash = 0x811c9dc5 ^ length;
  for (let i = start; i < start + length; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  const cached = idCache.get(hash);
  if (cached !== undefined && spells(cached, bytes, start, length)) return cached;
  const id = String.fromCharCode(...bytes.subarray(start, start + length));
  if (cached === undefined) {
    if (idCache.size >= ID_CACHE_LIMIT) idCache.clear();
    idCache.set(hash, id);
  }
  return id;
}

function spells(id: string, bytes: Uint8Array, start: number, length: number): boolean {
  if (id.length !== length) return false;
  for (let i = 0; i < length; i++) if (id.charCodeAt(i) !== bytes[start + i]) return false;
  return true;
}
