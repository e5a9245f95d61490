/**
 * Geometry of the subdistricts for the simulator, pure and precomputed once: random points
 * inside a subdistrict, walking routes that never leave it (shortest paths over the visibility
 * graph of the polygon's concave corners), and points "just outside" the district for
 * deliberate GPS errors.
 *
 * Coordinates are WGS-84 [lon, lat]. Routes are straight segments in lon/lat (the same lines
 * turf's planar point-in-polygon test sees), and distances use a local equirectangular frame,
 * which is exact to well under 1 % across a 10 km district.
 */
import { area as turfArea, bbox as turfBbox, booleanPointInPolygon } from '@turf/turf';
import type { Feature, FeatureCollection, Polygon, Position } from 'geojson';
import type { Random } from './random.ts';

export type LonLat = readonly [lon: number, lat: number];

export interface SubdistrictProperties {
  adcode: string;
  name?: string;
}
export type SubdistrictCollection = FeatureCollection<Polygon, SubdistrictProperties>;

/** Route corners sit this far inside a concave corner, so a route never grazes the boundary. */
const CORNER_INSET_M = 5;
/** Spacing and offset of the precomputed points just outside the district's outer boundary. */
const OUTSIDE_SAMPLE_SPACING_M = 100;
const OUTSIDE_OFFSET_M = 30;
const OUTSIDE_JITTER_M = 10;
const MAX_SAMPLING_TRIES = 10_000;
const NEAR_SAMPLING_TRIES = 30;

/** Metres per degree around one latitude. */
export class LocalFrame {
  readonly metresPerLon: number;
  readonly metresPerLat: number;

  constructor(latitude: number) {
    const phi = (latitude * Math.PI) / 180;
    this.metresPerLat = 111_132.954 - 559.822 * Math.cos(2 * phi) + 1.175 * Math.cos(4 * phi);
    this.metresPerLon = 111_412.84 * Math.cos(phi) - 93.5 * Math.cos(3 * phi);
  }

  /** [east, north] metres from a to b. */
  vector(a: LonLat, b: LonLat): [number, number] {
    return [(b[0] - a[0]) * this.metresPerLon, (b[1] - a[1]) * this.metresPerLat];
  }

  distance(a: LonLat, b: LonLat): number {
    const [east, north] = this.vector(a, b);
    return Math.hypot(east, north);
  }

  /** Metres walked from `from` through every waypoint in turn. */
  pathLength(from: LonLat, waypoints: readonly LonLat[]): number {
    let length = 0;
    let previous = from;
    for (const waypoint of waypoints) {
      length += this.distance(previous, waypoint);
      previous = waypoint;
    }
    return length;
  }

  offset(p: LonLat, eastM: number, northM: number): LonLat {
    return [p[0] + eastM / this.metresPerLon, p[1] + northM / this.metresPerLat];
  }
}

export function interpolate(a: LonLat, b: LonLat, fraction: number): LonLat {
  return [a[0] + (b[0] - a[0]) * fraction, a[1] + (b[1] - a[1]) * fraction];
}

interface Edge {
  a: LonLat;
  b: LonLat;
  /** unit normal in metres pointing out of the polygon */
  outward: [number, number];
  minLon: number;
  maxLon: number;
  minLat: number;
  maxLat: number;
}

/** One subdistrict polygon with what walking inside it needs. */
export class Area {
  readonly adcode: string;
  readonly name: string;
  readonly areaKm2: number;
  readonly outerEdges: readonly Edge[];
  private readonly feature: Feature<Polygon, SubdistrictProperties>;
  private readonly bounds: [minLon: number, minLat: number, maxLon: number, maxLat: number];
  private readonly edges: Edge[];
  /** inset concave corners: the only places a shortest route inside a polygon bends */
  private readonly corners: LonLat[];
  /** corner-to-corner distance where the two see each other, else Infinity */
  private readonly cornerLinks: number[][];

  constructor(
    feature: Feature<Polygon, SubdistrictProperties>,
    readonly frame: LocalFrame,
  ) {
    this.feature = feature;
    this.adcode = feature.properties.adcode;
    this.name = feature.properties.name ?? this.adcode;
    this.areaKm2 = turfArea(feature) / 1e6;
    const [minLon, minLat, maxLon, maxLat] = turfBbox(feature);
    this.bounds = [minLon, minLat, maxLon, maxLat];
    const rings = feature.geometry.coordinates.map((ring, index) => ringEdges(ring, index === 0, frame));
    this.edges = rings.flat();
    this.outerEdges = rings[0] ?? [];
    this.corners = rings.flatMap((ring) => insetConcaveCorners(ring, frame)).filter((p) => this.contains(p));
    this.cornerLinks = this.corners.map((a) =>
      this.corners.map((b) => (a !== b && this.sees(a, b) ? frame.distance(a, b) : Infinity)),
    );
  }

  contains(p: LonLat): boolean {
    const [minLon, minLat, maxLon, maxLat] = this.bounds;
    if (p[0] < minLon || p[0] > maxLon || p[1] < minLat || p[1] > maxLat) return false;
    return booleanPointInPolygon([p[0], p[1]], this.feature);
  }

  /** Uniform over the polygon (rejection sampling in its bounding box). */
  randomPoint(random: Random): LonLat {
    const [minLon, minLat, maxLon, maxLat] = this.bounds;
    for (let i = 0; i < MAX_SAMPLING_TRIES; i++) {
      const p: LonLat = [random.between(minLon, maxLon), random.between(minLat, maxLat)];
      if (this.contains(p)) return p;
    }
    throw new Error(`no point found inside subdistrict ${this.adcode}`);
  }

  /** Uniform over the part of a disc that lies inside; the whole polygon if that part is tiny. */
  randomPointNear(random: Random, centre: LonLat, radiusM: number): LonLat {
    for (let i = 0; i < NEAR_SAMPLING_TRIES; i++) {
      const r = radiusM * Math.sqrt(random.float());
      const angle = random.between(0, 2 * Math.PI);
      const p = this.frame.offset(centre, r * Math.cos(angle), r * Math.sin(angle));
      if (this.contains(p)) return p;
    }
    return this.randomPoint(random);
  }

  /** True when the straight segment a–b crosses no boundary edge. */
  sees(a: LonLat, b: LonLat): boolean {
    const minLon = Math.min(a[0], b[0]);
    const maxLon = Math.max(a[0], b[0]);
    const minLat = Math.min(a[1], b[1]);
    const maxLat = Math.max(a[1], b[1]);
    for (const edge of this.edges) {
      if (edge.maxLon < minLon || edge.minLon > maxLon || edge.maxLat < minLat || edge.minLat > maxLat) continue;
      if (segmentsCross(a, b, edge.a, edge.b)) return false;
    }
    return true;
  }

  /**
   * The shortest walk from one inside point to another that stays inside: the waypoints after
   * `from`, ending with `to`. Null when no such walk exists (only in slivers narrower than the
   * corner inset).
   */
  route(from: LonLat, to: LonLat): LonLat[] | null {
    if (this.sees(from, to)) return [to];
    const reach = (a: LonLat, b: LonLat) => (this.sees(a, b) ? this.frame.distance(a, b) : Infinity);
    const path = shortestPath(
      this.corners.map((corner) => reach(from, corner)),
      this.cornerLinks,
      this.corners.map((corner) => reach(corner, to)),
    );
    return path && [...path.map((index) => this.corners[index] as LonLat), to];
  }
}

/** All subdistricts, and where a GPS error would put a point just outside the district. */
export class District {
  readonly frame: LocalFrame;
  readonly areas: readonly Area[];
  private readonly outsidePoints: LonLat[];

  constructor(subdistricts: SubdistrictCollection) {
    const features = [...subdistricts.features].sort((a, b) => a.properties.adcode.localeCompare(b.properties.adcode));
    if (features.length === 0) throw new Error('no subdistrict polygons given');
    const lats = features.flatMap((f) => {
      const [, minLat, , maxLat] = turfBbox(f);
      return [minLat, maxLat];
    });
    this.frame = new LocalFrame((Math.min(...lats) + Math.max(...lats)) / 2);
    this.areas = features.map((feature) => new Area(feature, this.frame));
    this.outsidePoints = this.areas
      .flatMap((area) => area.outerEdges.flatMap((edge) => pointsAlongOutside(edge, this.frame)))
      .filter((p) => !this.contains(p));
  }

  contains(p: LonLat): boolean {
    return this.areas.some((area) => area.contains(p));
  }

  /**
   * A point just outside the district near `p`: what a phone's GPS reports when its fix jumps
   * across the district line.
   */
  gpsErrorNear(p: LonLat, random: Random): LonLat {
    let nearest = this.outsidePoints[0];
    if (!nearest) throw new Error('the district has no outside boundary');
    let best = Infinity;
    for (const candidate of this.outsidePoints) {
      const d = this.frame.distance(p, candidate);
      if (d < best) [best, nearest] = [d, candidate];
    }
    const jittered = this.frame.offset(
      nearest,
      random.between(-OUTSIDE_JITTER_M, OUTSIDE_JITTER_M),
      random.between(-OUTSIDE_JITTER_M, OUTSIDE_JITTER_M),
    );
    return this.contains(jittered) ? nearest : jittered;
  }
}

function ringEdges(ring: Position[], isOuter: boolean, frame: LocalFrame): Edge[] {
  // Which side the interior lies on follows from the ring's winding, whatever the file's convention.
  const interiorOnLeft = isOuter === signedAreaM2(ring, frame) > 0;
  const edges: Edge[] = [];
  for (let i = 0; i + 1 < ring.length; i++) {
    const a = toLonLat(ring[i]);
    const b = toLonLat(ring[i + 1]);
    const [east, north] = frame.vector(a, b);
    const length = Math.hypot(east, north);
    if (length === 0) continue;
    const side = interiorOnLeft ? 1 : -1;
    edges.push({
      a,
      b,
      outward: [(side * north) / length, (-side * east) / length],
      minLon: Math.min(a[0], b[0]),
      maxLon: Math.max(a[0], b[0]),
      minLat: Math.min(a[1], b[1]),
      maxLat: Math.max(a[1], b[1]),
    });
  }
  return edges;
}

/** Concave corners (the interior angle exceeds 180°), each moved a few metres into the interior. */
function insetConcaveCorners(edges: Edge[], frame: LocalFrame): LonLat[] {
  const corners: LonLat[] = [];
  edges.forEach((incoming, i) => {
    const outgoing = edges[(i + 1) % edges.length];
    if (!outgoing || outgoing === incoming) return;
    // The corner is concave when the next edge turns toward the outside of the previous one.
    const [outEast, outNorth] = frame.vector(outgoing.a, outgoing.b);
    if (incoming.outward[0] * outEast + incoming.outward[1] * outNorth <= 0) return;
    const inwardEast = -(incoming.outward[0] + outgoing.outward[0]);
    const inwardNorth = -(incoming.outward[1] + outgoing.outward[1]);
    const norm = Math.hypot(inwardEast, inwardNorth);
    if (norm === 0) return;
    corners.push(frame.offset(incoming.b, (CORNER_INSET_M * inwardEast) / norm, (CORNER_INSET_M * inwardNorth) / norm));
  });
  return corners;
}

function pointsAlongOutside(edge: Edge, frame: LocalFrame): LonLat[] {
  const count = Math.max(1, Math.ceil(frame.distance(edge.a, edge.b) / OUTSIDE_SAMPLE_SPACING_M));
  return Array.from({ length: count }, (_, i) => {
    const onEdge = interpolate(edge.a, edge.b, (i + 0.5) / count);
    return frame.offset(onEdge, edge.outward[0] * OUTSIDE_OFFSET_M, edge.outward[1] * OUTSIDE_OFFSET_M);
  });
}

function signedAreaM2(ring: Position[], frame: LocalFrame): number {
  const origin = toLonLat(ring[0]);
  let twice = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x1, y1] = frame.vector(origin, toLonLat(ring[i]));
    const [x2, y2] = frame.vector(origin, toLonLat(ring[i + 1]));
    twice += x1 * y2 - x2 * y1;
  }
  return twice / 2;
}

/** Proper crossing only: touching at an end point does not count (it happens only on exact ties). */
function segmentsCross(p: LonLat, q: LonLat, r: LonLat, s: LonLat): boolean {
  return orientation(p, q, r) * orientation(p, q, s) < 0 && orientation(r, s, p) * orientation(r, s, q) < 0;
}

function orientation(a: LonLat, b: LonLat, c: LonLat): number {
  return Math.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]));
}

/**
 * Dijkstra over a small dense graph between a virtual start and end: `fromStart[i]` and
 * `toEnd[i]` are the costs of reaching node i from the start and the end from node i, `links`
 * the costs between nodes (Infinity where there is no edge). Returns the node indices in
 * order, or null when the end cannot be reached.
 */
function shortestPath(fromStart: number[], links: number[][], toEnd: number[]): number[] | null {
  const cost = [...fromStart];
  const previous = cost.map(() => -1);
  const settled = cost.map(() => false);
  for (let node = nearestUnsettled(cost, settled); node !== -1; node = nearestUnsettled(cost, settled)) {
    settled[node] = true;
    links[node]?.forEach((step, next) => {
      const via = (cost[node] ?? Infinity) + step;
      if (via < (cost[next] ?? Infinity)) [cost[next], previous[next]] = [via, node];
    });
  }
  let last = -1;
  let best = Infinity;
  cost.forEach((c, node) => {
    if (c + (toEnd[node] ?? Infinity) < best) [best, last] = [c + (toEnd[node] ?? Infinity), node];
  });
  if (last === -1) return null;
  const path: number[] = [];
  for (let node = last; node !== -1; node = previous[node] ?? -1) path.unshift(node);
  return path;
}

function nearestUnsettled(cost: number[], settled: boolean[]): number {
  let nearest = -1;
  let nearestCost = Infinity;
  cost.forEach((c, node) => {
    if (!settled[node] && c < nearestCost) [nearest, nearestCost] = [node, c];
  });
  return nearest;
}

function toLonLat(position: Position | undefined): LonLat {
  if (!position || position.length < 2) throw new Error('malformed polygon ring');
  return [position[0] as number, position[1] as number];
}
