/**
 * Point → subdistrict and grid cell, fast enough for every position of every volunteer.
 *
 * Contract: `locate(lon, lat)` (WGS-84) names a subdistrict that contains the point by
 * turf.booleanPointInPolygon's rule (boundary counts as inside), and returns
 * `{ subdistrict: null, cell: null, outside: true }` exactly when no subdistrict does, or when
 * the input is not a finite coordinate. It never throws. On a shared boundary it names one
 * of the containing subdistricts: the first in feature order that has a grid cell there. `cell`
 * is the id of the grid cell holding the point; it is null only where the grid leaves
 * the point uncovered.
 *
 * How: the point reaches its lattice square by arithmetic. A square inside one subdistrict
 * answers at once; a square some boundary crosses is split into sub-squares (lattice.ts), and
 * one no edge meets answers at once too; only a point in a sub-square an edge meets tests the
 * square's few candidate subdistricts with
 * point-in-polygon-hao, the test turf itself runs, on the same raw coordinates. The cell is then
 * looked up by (square, subdistrict) from the cells' `squares` property, which also carries
 * merged slivers. Places are prebuilt and frozen, so a lookup allocates nothing.
 * Pure: no I/O; the inputs are read, never changed.
 */
import type { FeatureCollection, Polygon, Position } from 'geojson';
import pointInPolygon from 'point-in-polygon-hao';
import type { CellGeometry, CellIndexProperties } from './grid.ts';
import {
  NO_SUBDISTRICT,
  SUB_BOUNDARY,
  SUB_SIDE,
  classifySquares,
  latticeFor,
  refineBoundarySquares,
  type Lattice,
  type SquareClass,
} from './lattice.ts';

/** Where a point fell; the same shape as the live contract's `Place`. */
export interface Place {
  subdistrict: string | null;
  cell: string | null;
  outside: boolean;
}

export interface Locator {
  locate(lon: number, lat: number): Place;
}

const OUTSIDE: Place = Object.freeze({ subdistrict: null, cell: null, outside: true });

interface IndexedCell {
  place: Place;
  polygons: Position[][][];
}

export function buildLocator(
  subdistricts: FeatureCollection<Polygon>,
  grid: FeatureCollection<CellGeometry, CellIndexProperties>,
): Locator {
  const lattice = latticeFor(subdistricts);
  const { cols, rows, lon0, lat0, dlon, dlat } = lattice;
  const subCount = subdistricts.features.length;
  const adcodes = subdistricts.features.map((f) => String(f.properties?.adcode));
  const rings = subdistricts.features.map((f) => f.geometry.coordinates);
  const cellAt = indexCells(grid, lattice, adcodes);
  const classes = classifySquares(subdistricts, lattice);
  const uncovered = adcodes.map((adcode) => Object.freeze({ subdistrict: adcode, cell: null, outside: false }));
  const cellPlace = (square: number, sub: number): Place | undefined => cellAt.get(square * subCount + sub)?.place;
  const placeOf = (square: number, sub: number): Place => cellPlace(square, sub) ?? uncovered[sub]!;
  const interiorPlace = classes.map((c, square) => (c.interior >= 0 ? placeOf(square, c.interior) : undefined));
  const { firstCandidate, candidateSubs } = packCandidates(classes);
  const { boundaryIndex, subPlaces } = subSquarePlaces(refineBoundarySquares(subdistricts, lattice, classes), classes.length, cellPlace);
  const point = [0, 0];

  function locate(lon: number, lat: number): Place {
    const x = (lon - lon0) / dlon;
    const y = (lat - lat0) / dlat;
    // Written so that NaN and ±Infinity fail it too.
    if (!(x >= 0 && x < cols && y >= 0 && y < rows)) return OUTSIDE;
    const col = Math.floor(x);
    const row = Math.floor(y);
    const square = row * cols + col;
    return interiorPlace[square] ?? locateInSubSquare(square, x - col, y - row) ?? locateInBoundarySquare(square, lon, lat);
  }

  /** The place of a boundary square's sub-square that no edge meets; undefined where the polygons decide. */
  function locateInSubSquare(square: number, fractionX: number, fractionY: number): Place | undefined {
    const boundary = boundaryIndex[square]!;
    if (boundary < 0) return undefined;
    const subCol = Math.min(SUB_SIDE - 1, Math.floor(fractionX * SUB_SIDE));
    const subRow = Math.min(SUB_SIDE - 1, Math.floor(fractionY * SUB_SIDE));
    return subPlaces[boundary * SUB_SIDE * SUB_SIDE + subRow * SUB_SIDE + subCol];
  }

  function locateInBoundarySquare(square: number, lon: number, lat: number): Place {
    point[0] = lon;
    point[1] = lat;
    let containingWithoutCell = -1;
    for (let k = firstCandidate[square]!; k < firstCandidate[square + 1]!; k++) {
      const sub = candidateSubs[k]!;
      if (pointInPolygon(point, rings[sub]!) === false) continue;
      const place = cellPlace(square, sub);
      if (place) return place;
      if (containingWithoutCell < 0) containingWithoutCell = sub;
    }
    return containingWithoutCell < 0 ? OUTSIDE : placeAcrossSquareEdge(square, containingWithoutCell);
  }

  /**
   * A subdistrict contains the point but has no piece in its square: it only touches the
   * square's edge, and the point lies on that edge. The cell holding the point is in a
   * neighbouring square.
   */
  function placeAcrossSquareEdge(square: number, sub: number): Place {
    const col = square % cols;
    const row = (square - col) / cols;
    for (const [dc, dr] of NEIGHBOUR_OFFSETS) {
      if (col + dc < 0 || col + dc >= cols || row + dr < 0 || row + dr >= rows) continue;
      const cell = cellAt.get(((row + dr) * cols + col + dc) * subCount + sub);
      if (cell && cell.polygons.some((polygon) => pointInPolygon(point, polygon) !== false)) return cell.place;
    }
    return uncovered[sub]!;
  }

  return { locate };
}

const NEIGHBOUR_OFFSETS = [[-1, 0], [1, 0], [0, -1], [0, 1], [-1, -1], [1, -1], [-1, 1], [1, 1]] as const;

/** (square * subdistrict count + subdistrict index) → cell, for every square a cell claims. */
function indexCells(
  grid: FeatureCollection<CellGeometry, CellIndexProperties>,
  lattice: Lattice,
  adcodes: string[],
): Map<number, IndexedCell> {
  const cellAt = new Map<number, IndexedCell>();
  for (const { properties, geometry } of grid.features) {
    const sub = adcodes.indexOf(properties.subdistrict);
    if (sub < 0) throw new Error(`grid cell ${properties.id}: unknown subdistrict ${properties.subdistrict}`);
    const indexed: IndexedCell = {
      place: Object.freeze({ subdistrict: properties.subdistrict, cell: properties.id, outside: false }),
      polygons: geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates,
    };
    for (const [col, row] of properties.squares) {
      if (!(col >= 0 && col < lattice.cols && row >= 0 && row < lattice.rows)) {
        throw new Error(`grid cell ${properties.id}: square ${col},${row} is outside the lattice`);
      }
      const key = (row * lattice.cols + col) * adcodes.length + sub;
      if (cellAt.has(key)) throw new Error(`grid cell ${properties.id}: square ${col},${row} already belongs to another cell`);
      cellAt.set(key, indexed);
    }
  }
  return cellAt;
}

/**
 * The refined boundary squares flattened: square s's sub-squares start at
 * boundaryIndex[s] * SUB_SIDE² (-1: not refined). A sub-square answers at once outside every
 * subdistrict, or inside one where that subdistrict has a cell in the square; anywhere else
 * (an edge, or no cell to name) it is left to the polygons.
 */
function subSquarePlaces(
  refined: Map<number, Int8Array>,
  squares: number,
  cellPlace: (square: number, sub: number) => Place | undefined,
): { boundaryIndex: Int32Array; subPlaces: Array<Place | undefined> } {
  const boundaryIndex = new Int32Array(squares).fill(-1);
  const subPlaces: Array<Place | undefined> = [];
  for (const [square, subs] of refined) {
    boundaryIndex[square] = subPlaces.length / (SUB_SIDE * SUB_SIDE);
    for (const sub of subs) {
      subPlaces.push(sub === NO_SUBDISTRICT ? OUTSIDE : sub === SUB_BOUNDARY ? undefined : cellPlace(square, sub));
    }
  }
  return { boundaryIndex, subPlaces };
}

/** Candidate lists flattened: square s's candidates are candidateSubs[firstCandidate[s] .. firstCandidate[s+1]). */
function packCandidates(classes: SquareClass[]): { firstCandidate: Int32Array; candidateSubs: Int32Array } {
  const firstCandidate = new Int32Array(classes.length + 1);
  classes.forEach((c, square) => {
    firstCandidate[square + 1] = firstCandidate[square]! + c.candidates.length;
  });
  return { firstCandidate, candidateSubs: Int32Array.from(classes.flatMap((c) => c.candidates)) };
}
