/**
 * The square lattice under the generated grid and the fast locator. Squares are aligned in
 * lon/lat degrees from a fixed origin, so a square's (col, row) never changes when the data
 * does, and any point reaches its square by O(1) arithmetic.
 *
 * `classifySquares` says, per square, which subdistricts can contain its points: a square that
 * no boundary edge touches lies wholly inside one subdistrict ("interior") or outside them
 * all; every other square keeps a short candidate list. `refineBoundarySquares` splits each of
 * those into sub-squares the same way, so most points in them need no polygon test either.
 * Pure: no I/O, inputs are not changed.
 */
import type { FeatureCollection, Polygon, Position } from 'geojson';
import pointInPolygon from 'point-in-polygon-hao';

/** Side of a square in metres: 150 m gives 2,423 cells, close to the real grid's 2,432. */
export const SQUARE_SIDE_M = 150;

const METRES_PER_DEGREE_LAT = 111_320;
/** Mid-latitude of Xicheng: the lon step is set here so squares are square in metres. */
const REFERENCE_LAT_DEG = 39.92;
const E7 = 1e7;

/**
 * Origin and steps are whole multiples of 1e-7°, the 7 decimals the grid file is rounded to:
 * lattice lines then survive the rounding exactly, so a square edge in the file is the same
 * number the locator computes.
 */
const ORIGIN_LON_E7 = 1_163_100_000;
const ORIGIN_LAT_E7 = 398_600_000;
const STEP_LAT_E7 = Math.round((SQUARE_SIDE_M / METRES_PER_DEGREE_LAT) * E7);
const STEP_LON_E7 = Math.round(
  (SQUARE_SIDE_M / (METRES_PER_DEGREE_LAT * Math.cos((REFERENCE_LAT_DEG * Math.PI) / 180))) * E7,
);

/**
 * Squares are tested against boundary edges with this margin, so a point whose floor()
 * arithmetic lands it in a neighbouring square (rounding at a lattice line) still falls in
 * the tested area of the square it was assigned to. 1e-9° is about 0.1 mm.
 */
const EDGE_MARGIN_DEG = 1e-9;

export interface Lattice {
  lon0: number;
  lat0: number;
  dlon: number;
  dlat: number;
  /** squares east of the origin, enough to cover the data's bounding box */
  cols: number;
  /** squares north of the origin */
  rows: number;
}

/** The lattice over the bounding box of `subdistricts`, columns and rows counted from the origin. */
export function latticeFor(subdistricts: FeatureCollection<Polygon>): Lattice {
  const lon0 = ORIGIN_LON_E7 / E7;
  const lat0 = ORIGIN_LAT_E7 / E7;
  const dlon = STEP_LON_E7 / E7;
  const dlat = STEP_LAT_E7 / E7;
  const [minLon, minLat, maxLon, maxLat] = boundsOf(subdistricts);
  if (minLon < lon0 || minLat < lat0) {
    throw new Error(`lattice origin ${lon0},${lat0} is not south-west of the data (${minLon},${minLat})`);
  }
  // floor + 1 keeps the data's east/north extreme inside the last square, not on its far edge.
  return {
    lon0,
    lat0,
    dlon,
    dlat,
    cols: Math.floor((maxLon - lon0) / dlon) + 1,
    rows: Math.floor((maxLat - lat0) / dlat) + 1,
  };
}

/** Longitude of the western edge of column `col`, exactly the 7-decimal value. */
export function columnLon(col: number): number {
  return (ORIGIN_LON_E7 + col * STEP_LON_E7) / E7;
}

/** Latitude of the southern edge of row `row`, exactly the 7-decimal value. */
export function rowLat(row: number): number {
  return (ORIGIN_LAT_E7 + row * STEP_LAT_E7) / E7;
}

/** The square as a closed counter-clockwise ring (RFC 7946 exterior orientation). */
export function squarePolygon(col: number, row: number): Polygon {
  const west = columnLon(col);
  const east = columnLon(col + 1);
  const south = rowLat(row);
  const north = rowLat(row + 1);
  return {
    type: 'Polygon',
    coordinates: [[[west, south], [east, south], [east, north], [west, north], [west, south]]],
  };
}

export const NO_SUBDISTRICT = -1;

export interface SquareClass {
  /** index of the subdistrict holding the whole square, else NO_SUBDISTRICT */
  interior: number;
  /** for a square some edge touches: every subdistrict that may contain one of its points, in feature order */
  candidates: number[];
  /** the boundary edges meeting the (margin-widened) square, of any subdistrict */
  edges: Edge[];
}

export interface Edge {
  sub: number;
  a: Position;
  b: Position;
}

/** One entry per square, index row * cols + col. */
export function classifySquares(subdistricts: FeatureCollection<Polygon>, lattice: Lattice): SquareClass[] {
  return edgesBySquare(subdistricts, lattice).map((edges, square) => {
    const holders = subdistrictsHoldingCentre(subdistricts, lattice, square);
    if (edges.length === 0) return { interior: holders[0] ?? NO_SUBDISTRICT, candidates: [], edges };
    // A subdistrict that holds the centre without touching holds the whole square: also a candidate.
    const candidates = [...new Set([...edges.map((edge) => edge.sub), ...holders])].sort((a, b) => a - b);
    return { interior: NO_SUBDISTRICT, candidates, edges };
  });
}

/** Per square, the boundary edges meeting the (margin-widened) square. */
function edgesBySquare(subdistricts: FeatureCollection<Polygon>, lattice: Lattice): Edge[][] {
  const bySquare = Array.from({ length: lattice.cols * lattice.rows }, (): Edge[] => []);
  subdistricts.features.forEach((feature, sub) => {
    for (const ring of feature.geometry.coordinates) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const edge = { sub, a: ring[i]!, b: ring[i + 1]! };
        for (const square of squaresMetBySegment(edge.a, edge.b, lattice)) bySquare[square]!.push(edge);
      }
    }
  });
  return bySquare;
}

function squaresMetBySegment(a: Position, b: Position, lattice: Lattice): number[] {
  const [ax, ay] = a as [number, number];
  const [bx, by] = b as [number, number];
  const firstCol = clampedIndex((Math.min(ax, bx) - EDGE_MARGIN_DEG - lattice.lon0) / lattice.dlon, lattice.cols);
  const lastCol = clampedIndex((Math.max(ax, bx) + EDGE_MARGIN_DEG - lattice.lon0) / lattice.dlon, lattice.cols);
  const firstRow = clampedIndex((Math.min(ay, by) - EDGE_MARGIN_DEG - lattice.lat0) / lattice.dlat, lattice.rows);
  const lastRow = clampedIndex((Math.max(ay, by) + EDGE_MARGIN_DEG - lattice.lat0) / lattice.dlat, lattice.rows);
  const met: number[] = [];
  for (let row = firstRow; row <= lastRow; row++) {
    for (let col = firstCol; col <= lastCol; col++) {
      const rect = widenedSquare(col, row);
      if (segmentMeetsRect(ax, ay, bx, by, rect)) met.push(row * lattice.cols + col);
    }
  }
  return met;
}

function clampedIndex(position: number, count: number): number {
  return Math.min(count - 1, Math.max(0, Math.floor(position)));
}

interface Rect {
  west: number;
  south: number;
  east: number;
  north: number;
}

function widenedSquare(col: number, row: number): Rect {
  return {
    west: columnLon(col) - EDGE_MARGIN_DEG,
    south: rowLat(row) - EDGE_MARGIN_DEG,
    east: columnLon(col + 1) + EDGE_MARGIN_DEG,
    north: rowLat(row + 1) + EDGE_MARGIN_DEG,
  };
}

/**
 * Exact test of segment a→b against a closed rectangle (Liang–Barsky clipping): true when
 * some point of the segment lies in the rectangle, edges and corners included.
 */
export function segmentMeetsRect(ax: number, ay: number, bx: number, by: number, rect: Rect): boolean {
  const dx = bx - ax;
  const dy = by - ay;
  const span = { enter: 0, leave: 1 };
  return (
    clipSlab(-dx, ax - rect.west, span) &&
    clipSlab(dx, rect.east - ax, span) &&
    clipSlab(-dy, ay - rect.south, span) &&
    clipSlab(dy, rect.north - ay, span)
  );
}

/** Narrows the segment's parameter span to one half-plane p·t <= q; false when nothing is left. */
function clipSlab(p: number, q: number, span: { enter: number; leave: number }): boolean {
  if (p === 0) return q >= 0;
  const t = q / p;
  if (p < 0) {
    if (t > span.leave) return false;
    span.enter = Math.max(span.enter, t);
  } else {
    if (t < span.enter) return false;
    span.leave = Math.min(span.leave, t);
  }
  return true;
}

/** Subdistricts containing the square's centre, with turf's rule (boundary counts as inside). */
function subdistrictsHoldingCentre(
  subdistricts: FeatureCollection<Polygon>,
  lattice: Lattice,
  square: number,
): number[] {
  const col = square % lattice.cols;
  const row = Math.floor(square / lattice.cols);
  const centre = [(columnLon(col) + columnLon(col + 1)) / 2, (rowLat(row) + rowLat(row + 1)) / 2];
  const holders: number[] = [];
  subdistricts.features.forEach((feature, sub) => {
    if (pointInPolygon(centre, feature.geometry.coordinates) !== false) holders.push(sub);
  });
  return holders;
}

function boundsOf(subdistricts: FeatureCollection<Polygon>): [number, number, number, number] {
  const bounds: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const feature of subdistricts.features) {
    for (const [lon, lat] of feature.geometry.coordinates.flat() as [number, number][]) {
      bounds[0] = Math.min(bounds[0], lon);
      bounds[1] = Math.min(bounds[1], lat);
      bounds[2] = Math.max(bounds[2], lon);
      bounds[3] = Math.max(bounds[3], lat);
    }
  }
  return bounds;
}

/** A boundary square is split into SUB_SIDE × SUB_SIDE sub-squares, most of which no edge touches. */
export const SUB_SIDE = 8;
/** A sub-square some edge meets, or where the subdistrict holding it is not alone: test the polygons. */
export const SUB_BOUNDARY = -2;

/**
 * Per boundary square (one with candidates), its sub-squares row by row: the index of the one
 * candidate holding the whole sub-square, NO_SUBDISTRICT where no candidate holds any of it, or
 * SUB_BOUNDARY. Interior squares get no entry. A sub-square is only called whole when no edge of
 * any subdistrict meets it (margin-widened, as squares are) and exactly one candidate holds its
 * centre, so a lookup there gives what testing the polygons would.
 */
export function refineBoundarySquares(
  subdistricts: FeatureCollection<Polygon>,
  lattice: Lattice,
  classes: SquareClass[],
): Map<number, Int8Array> {
  const refined = new Map<number, Int8Array>();
  classes.forEach(({ candidates, edges }, square) => {
    if (candidates.length === 0) return;
    const col = square % lattice.cols;
    const row = (square - col) / lattice.cols;
    const subs = new Int8Array(SUB_SIDE * SUB_SIDE);
    for (let i = 0; i < subs.length; i++) {
      const rect = widenedSubSquare(col, row, i % SUB_SIDE, Math.floor(i / SUB_SIDE));
      const met = edges.some(({ a, b }) => segmentMeetsRect(a[0]!, a[1]!, b[0]!, b[1]!, rect));
      subs[i] = met ? SUB_BOUNDARY : soleHolder(subdistricts, candidates, rect);
    }
    refined.set(square, subs);
  });
  return refined;
}

function widenedSubSquare(col: number, row: number, subCol: number, subRow: number): Rect {
  const west = columnLon(col);
  const south = rowLat(row);
  const width = (columnLon(col + 1) - west) / SUB_SIDE;
  const height = (rowLat(row + 1) - south) / SUB_SIDE;
  return {
    west: west + subCol * width - EDGE_MARGIN_DEG,
    south: south + subRow * height - EDGE_MARGIN_DEG,
    east: west + (subCol + 1) * width + EDGE_MARGIN_DEG,
    north: south + (subRow + 1) * height + EDGE_MARGIN_DEG,
  };
}

/** The one candidate holding the rectangle's centre, NO_SUBDISTRICT for none, SUB_BOUNDARY for several. */
function soleHolder(subdistricts: FeatureCollection<Polygon>, candidates: number[], rect: Rect): number {
  const centre = [(rect.west + rect.east) / 2, (rect.south + rect.north) / 2];
  const holders = candidates.filter((sub) => pointInPolygon(centre, subdistricts.features[sub]!.geometry.coordinates) !== false);
  if (holders.length === 0) return NO_SUBDISTRICT;
  return holders.length === 1 ? holders[0]! : SUB_BOUNDARY;
}
