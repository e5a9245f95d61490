/**
 * The default grid (网格): real city-management grids are not public, so this tessellates the
 * subdistricts with the lattice squares of `lattice.ts`, each square clipped to every
 * subdistrict it overlaps, so each cell lies inside exactly one subdistrict. Clipped pieces
 * smaller than a quarter of a square ("slivers") are merged into an edge-sharing neighbour
 * piece of the same subdistrict when there is one.
 *
 * Cell ids are `${adcode}-${col}-${row}` (3-digit col and row): stable while the data and
 * the lattice stay the same. `squares` lists every lattice square whose piece the cell holds
 * (its own first, then merged slivers); the locator indexes cells by it, so an imported real
 * grid works with the locator once its cells carry the same property.
 *
 * Pure and deterministic: same input, same output, byte for byte after `serializeGrid`.
 */
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { area, feature, featureCollection, intersect, length, polygonToLine, union } from '@turf/turf';
import { classifySquares, latticeFor, squarePolygon, SQUARE_SIDE_M, type Lattice } from './lattice.ts';

export type CellGeometry = Polygon | MultiPolygon;

/** What the locator needs from any grid, generated or imported. */
export interface CellIndexProperties {
  id: string;
  /** adcode of the subdistrict holding the cell */
  subdistrict: string;
  /** lattice squares [col, row] whose piece in `subdistrict` belongs to this cell */
  squares: [number, number][];
}

export interface GridCellProperties extends CellIndexProperties {
  col: number;
  row: number;
  areaM2: number;
  generated: true;
}

export interface GridCollectionProperties {
  generated: true;
  note: string;
  squareSideM: number;
  cellCount: number;
  source: string;
  license: string;
}

export type GridCell = Feature<CellGeometry, GridCellProperties>;

export interface Grid extends FeatureCollection<CellGeometry, GridCellProperties> {
  properties: GridCollectionProperties;
}

/** A piece smaller than this share of its full square is a sliver. */
const SLIVER_SHARE = 0.25;
/** Pieces that meet only at a corner, or along less than this, are not neighbours. */
const MIN_SHARED_EDGE_M = 1;
const COORDINATE_DECIMALS = 1e7;

interface Piece {
  sub: number;
  col: number;
  row: number;
  geometry: CellGeometry;
  isSliver: boolean;
}

interface CellDraft {
  root: Piece;
  geometry: CellGeometry;
  squares: [number, number][];
}

export function generateGrid(subdistricts: FeatureCollection<Polygon>): Grid {
  const lattice = latticeFor(subdistricts);
  const pieces = clipSquares(subdistricts, lattice);
  const drafts = mergeSlivers(pieces);
  const adcodes = subdistricts.features.map((f) => String(f.properties?.adcode));
  const cells = drafts.map((draft) => toCell(draft, adcodes)).sort((a, b) => compare(a.properties.id, b.properties.id));
  return {
    type: 'FeatureCollection',
    properties: {
      generated: true,
      note:
        `Generated default grid, not the official 网格: ${SQUARE_SIDE_M} m lattice squares clipped to the subdistricts, ` +
        'slivers merged into a neighbour. Replace by importing the real grid when a deployment has it.',
      squareSideM: SQUARE_SIDE_M,
      cellCount: cells.length,
      source: 'derived from xicheng_subdistricts_osm_wgs84.geojson by geo/build-grid.ts; © OpenStreetMap contributors',
      license: 'ODbL 1.0',
    },
    features: cells,
  };
}

/** Compact JSON, one cell per line, so the committed file diffs cell by cell. */
export function serializeGrid(grid: Grid): string {
  const head = JSON.stringify({ type: grid.type, properties: grid.properties });
  const lines = grid.features.map((cell) => JSON.stringify(cell));
  return `${head.slice(0, -1)},"features":[\n${lines.join(',\n')}\n]}\n`;
}

function clipSquares(subdistricts: FeatureCollection<Polygon>, lattice: Lattice): Piece[] {
  const pieces: Piece[] = [];
  classifySquares(subdistricts, lattice).forEach((squareClass, square) => {
    const col = square % lattice.cols;
    const row = Math.floor(square / lattice.cols);
    const full = squarePolygon(col, row);
    const fullArea = area(full);
    // An interior square is whole: clipping it would only cost time and add rounding.
    if (squareClass.interior >= 0) {
      pieces.push({ sub: squareClass.interior, col, row, geometry: full, isSliver: false });
    }
    for (const sub of squareClass.candidates) {
      const clipped = intersect(featureCollection([feature(full), subdistricts.features[sub]!]));
      const clippedArea = clipped ? area(clipped) : 0;
      if (!clipped || clippedArea === 0) continue;
      pieces.push({ sub, col, row, geometry: clipped.geometry, isSliver: clippedArea < SLIVER_SHARE * fullArea });
    }
  });
  return pieces;
}

/**
 * Each sliver joins the cell, among those holding a piece of the same subdistrict in a
 * 4-neighbour square, that it shares the longest edge with. First pass: only cells of whole
 * enough pieces, so slivers do not clump into sliver-sized cells. Second pass: whatever holds
 * a neighbour piece by then (often a sliver merged in the first pass); a sliver still alone
 * stays a cell of its own. The fixed visiting order keeps the result deterministic.
 */
function mergeSlivers(pieces: Piece[]): CellDraft[] {
  const pieceAt = new Map(pieces.map((p) => [pieceKey(p.sub, p.col, p.row), p]));
  const ownerOf = new Map<Piece, CellDraft>();
  for (const piece of pieces) if (!piece.isSliver) ownerOf.set(piece, newDraft(piece));
  const unmerged = pieces.filter((p) => p.isSliver && !mergeIntoNeighbour(p, pieceAt, ownerOf));
  for (const sliver of unmerged) {
    if (!mergeIntoNeighbour(sliver, pieceAt, ownerOf)) ownerOf.set(sliver, newDraft(sliver));
  }
  return [...new Set(ownerOf.values())];
}

function newDraft(piece: Piece): CellDraft {
  return { root: piece, geometry: piece.geometry, squares: [[piece.col, piece.row]] };
}

function mergeIntoNeighbour(sliver: Piece, pieceAt: Map<string, Piece>, ownerOf: Map<Piece, CellDraft>): boolean {
  const best = bestMerge(sliver, neighbourDrafts(sliver, pieceAt, ownerOf));
  if (!best) return false;
  best.draft.geometry = best.merged;
  best.draft.squares.push([sliver.col, sliver.row]);
  ownerOf.set(sliver, best.draft);
  return true;
}

function neighbourDrafts(sliver: Piece, pieceAt: Map<string, Piece>, ownerOf: Map<Piece, CellDraft>): CellDraft[] {
  const offsets = [[1, 0], [-1, 0], [0, 1], [0, -1]] as const;
  const drafts = offsets.flatMap(([dc, dr]) => {
    const neighbour = pieceAt.get(pieceKey(sliver.sub, sliver.col + dc, sliver.row + dr));
    const draft = neighbour && ownerOf.get(neighbour);
    return draft ? [draft] : [];
  });
  return [...new Set(drafts)];
}

function bestMerge(sliver: Piece, candidates: CellDraft[]): { draft: CellDraft; merged: CellGeometry } | null {
  let best: { draft: CellDraft; merged: CellGeometry; sharedM: number } | null = null;
  for (const draft of candidates) {
    const merged = union(featureCollection([feature(draft.geometry), feature(sliver.geometry)]));
    if (!merged) continue;
    // Shared boundary length: what the two perimeters lose by being joined.
    const sharedM = (perimeterM(draft.geometry) + perimeterM(sliver.geometry) - perimeterM(merged.geometry)) / 2;
    if (sharedM >= MIN_SHARED_EDGE_M && (!best || sharedM > best.sharedM)) best = { draft, merged: merged.geometry, sharedM };
  }
  return best;
}

function perimeterM(geometry: CellGeometry): number {
  return length(polygonToLine(geometry), { units: 'meters' });
}

function pieceKey(sub: number, col: number, row: number): string {
  return `${sub}:${col}:${row}`;
}

function toCell(draft: CellDraft, adcodes: string[]): GridCell {
  const { sub, col, row } = draft.root;
  const adcode = adcodes[sub]!;
  const geometry = roundedGeometry(draft.geometry);
  return {
    type: 'Feature',
    properties: {
      id: cellId(adcode, col, row),
      subdistrict: adcode,
      col,
      row,
      squares: draft.squares,
      areaM2: Math.round(area(geometry)),
      generated: true,
    },
    geometry,
  };
}

export function cellId(adcode: string, col: number, row: number): string {
  return `${adcode}-${String(col).padStart(3, '0')}-${String(row).padStart(3, '0')}`;
}

/** Rounds to 7 decimals (OSM's precision), dropping the repeated and degenerate rings that can leave. */
function roundedGeometry(geometry: CellGeometry): CellGeometry {
  const polygons = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates)
    .map((rings) => rings.map(roundedRing))
    .filter((rings) => isRing(rings[0]!))
    .map((rings) => rings.filter(isRing));
  return polygons.length === 1
    ? { type: 'Polygon', coordinates: polygons[0]! }
    : { type: 'MultiPolygon', coordinates: polygons };
}

function isRing(ring: Position[]): boolean {
  return ring.length >= 4;
}

function roundedRing(ring: Position[]): Position[] {
  const rounded: Position[] = [];
  for (const [lon, lat] of ring as [number, number][]) {
    const point = [roundCoordinate(lon), roundCoordinate(lat)];
    const previous = rounded[rounded.length - 1];
    if (!previous || previous[0] !== point[0] || previous[1] !== point[1]) rounded.push(point);
  }
  return rounded;
}

function roundCoordinate(value: number): number {
  return Math.round(value * COORDINATE_DECIMALS) / COORDINATE_DECIMALS;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
