/**
 * Measures the locator against the naive classification (turf.booleanPointInPolygon over the
 * 15 subdistricts in feature order) on the same seeded random points in the same run. Reads
 * the real data through loadGeo. Not a test: timings depend on the machine.
 */
import { booleanPointInPolygon } from '@turf/turf';
import { loadGeo } from './index.ts';
import { randomPointsIn } from './random-points.ts';

export interface ClassificationBench {
  locateNsPerPoint: number;
  turfNsPerPoint: number;
  speedup: number;
  /** points where the two name different subdistricts (or one says outside) */
  disagreements: number;
}

/** Points fall in the subdistricts' bounding box widened by this, so some lie outside. */
const MARGIN_DEG = 0.005;
const WARM_UP_POINTS = 20_000;

export function benchClassification(n: number, seed = 20_250_101): ClassificationBench {
  const { subdistricts, locator, bbox } = loadGeo();
  const points = randomPointsIn(bbox, n, seed, MARGIN_DEG);
  const byLocator = (lon: number, lat: number) => locator.locate(lon, lat).subdistrict;
  const byTurf = (lon: number, lat: number) =>
    subdistricts.features.find((f) => booleanPointInPolygon([lon, lat], f))?.properties?.adcode ?? null;

  // Warm both up first so neither is timed while the JIT is still compiling it.
  classifyAll(points.slice(0, WARM_UP_POINTS), byLocator);
  classifyAll(points.slice(0, WARM_UP_POINTS), byTurf);
  const located = timed(() => classifyAll(points, byLocator));
  const naive = timed(() => classifyAll(points, byTurf));

  const locateNsPerPoint = (located.ms * 1e6) / n;
  const turfNsPerPoint = (naive.ms * 1e6) / n;
  return {
    locateNsPerPoint,
    turfNsPerPoint,
    speedup: turfNsPerPoint / locateNsPerPoint,
    disagreements: located.result.filter((adcode, i) => adcode !== naive.result[i]).length,
  };
}

function classifyAll(points: [number, number][], classify: (lon: number, lat: number) => string | null): (string | null)[] {
  return points.map(([lon, lat]) => classify(lon, lat));
}

function timed<T>(run: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = run();
  return { result, ms: performance.now() - start };
}
