/**
 * Clusters of dense points that keep their counts right and show what they hold. A clustered
 * GeoJSON source counts, in each cluster, the points of every "share" (a status, a state, lost
 * units) with `clusterProperties`; the shares of a layer are exhaustive and exclusive, so they
 * always sum to the cluster's `point_count`. A cluster is drawn as a ring split by share with
 * the total inside: the ring is an image named by its shares (`ringImage`), drawn on demand
 * (ringImages.ts). Shares are rounded to RING_STEPS so a long-running wall needs few distinct
 * images, and any share above zero keeps at least one step so a single unit never vanishes
 * from its ring. The total is a layer of its own (`clusterLayers`), drawn above the layer's
 * pinned features, which are drawn above the rings: a late case in the middle of a crowd hides
 * neither the crowd's count nor itself.
 */
import type { ExpressionSpecification, FilterSpecification, SymbolLayerSpecification } from 'maplibre-gl';
import { GROUND } from '../theme.ts';

export interface RingShare {
  /** the cluster property counting it */
  key: string;
  colour: string;
  /** whether a point belongs to this share */
  when: ExpressionSpecification;
}

export const RING_STEPS = 24;

const IS_CLUSTER: FilterSpecification = ['has', 'point_count'];
export const NOT_CLUSTER: ExpressionSpecification = ['!', ['has', 'point_count']];

/** The source's `clusterProperties`: per share, 1 for each point in it, summed. */
export function clusterCounts(shares: readonly RingShare[]): Record<string, [string, ExpressionSpecification]> {
  return Object.fromEntries(shares.map((share) => [share.key, ['+', ['case', share.when, 1, 0]]]));
}

/** One share's part of the ring in steps, as an expression over a cluster's properties. */
function steps(key: string): ExpressionSpecification {
  const part: ExpressionSpecification = ['round', ['*', RING_STEPS, ['/', ['get', key], ['get', 'point_count']]]];
  return ['case', ['>', ['get', key], 0], ['max', 1, part], 0];
}

/** The ring's image id for a cluster: `prefix` then each share's steps, dot-separated. */
export function ringImage(prefix: string, shares: readonly RingShare[]): ExpressionSpecification {
  const parts = shares.flatMap((share, index) => [...(index === 0 ? [] : ['.']), ['to-string', steps(share.key)]]);
  // A concat over a computed list has no tuple type TypeScript can check against.
  return ['concat', prefix, ...parts] as unknown as ExpressionSpecification;
}

/** The steps an image id names, or null if it is not one of this ring's ids. */
export function parseRing(id: string, prefix: string, shareCount: number): number[] | null {
  if (!id.startsWith(prefix)) return null;
  const parts = id.slice(prefix.length).split('.').map(Number);
  const valid = parts.length === shareCount && parts.every((n) => Number.isInteger(n) && n >= 0) && parts.some((n) => n > 0);
  return valid ? parts : null;
}

export interface Arc {
  /** the share it draws */
  index: number;
  /** fractions of the full turn, clockwise from the top */
  from: number;
  to: number;
}

/** The ring's arcs, in share order; shares of zero steps draw nothing. */
export function ringArcs(parts: readonly number[]): Arc[] {
  const total = parts.reduce((sum, n) => sum + n, 0);
  const arcs: Arc[] = [];
  let start = 0;
  for (const [index, n] of parts.entries()) {
    if (n === 0) continue;
    arcs.push({ index, from: start / total, to: (start + n) / total });
    start += n;
  }
  return arcs;
}

/**
 * The symbol layers of `source`'s clusters: `<name>-clusters`, the rings (named `prefix`…, see
 * ringImages.ts), and `<name>-cluster-counts`, the totals, to be added above the pinned layers.
 * Both grow with the count; `scale` sets a layer's size against the other's.
 */
export function clusterLayers(
  name: string,
  source: string,
  prefix: string,
  shares: readonly RingShare[],
  scale: number,
): { rings: SymbolLayerSpecification; counts: SymbolLayerSpecification } {
  const bySize = (small: number, large: number): ExpressionSpecification =>
    ['interpolate', ['linear'], ['get', 'point_count'], 3, small * scale, 100, large * scale];
  return {
    rings: {
      id: `${name}-clusters`,
      type: 'symbol',
      source,
      filter: IS_CLUSTER,
      layout: { 'icon-image': ringImage(prefix, shares), 'icon-size': bySize(0.8, 1.3), 'icon-allow-overlap': true },
    },
    counts: {
      id: `${name}-cluster-counts`,
      type: 'symbol',
      source,
      filter: IS_CLUSTER,
      layout: { 'text-field': ['to-string', ['get', 'point_count']], 'text-size': bySize(13, 18), 'text-allow-overlap': true },
      paint: { 'text-color': GROUND.text, 'text-halo-color': GROUND.navy, 'text-halo-width': 1.5 },
    },
  };
}
