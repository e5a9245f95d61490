/**
 * What the live layers share: a GeoJSON source keyed by the `id` property, the step that
 * drains a LiveState layer diff into `GeoJSONSource.updateData` (never a full setData), and the
 * colour-by-property expression their styles use.
 *
 * Layers whose dense points cluster (units, cases) use a `SplitLiveSource`: a clustered source
 * and an unclustered one for pinned features (pinnedSplit.ts), both fed by diffs. MapLibre
 * (6.17) takes `updateData` on a clustered source: only the diff crosses to the worker, which
 * applies it to the data it keeps and rebuilds its cluster index, and every tile of the source
 * reloads (a moved point can regroup clusters anywhere). Measured in headless Chromium (software
 * GL) with 2,000 clustered points, from the call to the source drawn: 100 points moved by
 * updateData ~280 ms, all 2,000 sent again by setData ~400 ms (unclustered: ~260 and ~280 ms).
 * So the diff path is kept for clustered sources too; nothing is gained by setData there.
 */
import type {
  ExpressionSpecification,
  GeoJSONSource,
  GeoJSONSourceDiff,
  GeoJSONSourceSpecification,
  Map as MapLibreMap,
} from 'maplibre-gl';
import type { LayerDiff, LayerName, LiveState } from '../live/LiveState.ts';
import { clusterCounts, type RingShare } from './clusters.ts';
import { emptyCollection, isEmptyDiff, SentProperties, sourceDiff, type PointFeature } from './features.ts';
import { PinnedSplit, type SplitDiff } from './pinnedSplit.ts';

export function liveSource(): GeoJSONSourceSpecification {
  return { type: 'geojson', data: emptyCollection(), promoteId: 'id' };
}

export interface ClusterOptions {
  /** points closer than this many pixels cluster */
  radius: number;
  /** from the zoom above this one every point stands alone */
  maxZoom: number;
  /** fewer points than this never cluster */
  minPoints: number;
}

/** A live source whose dense points cluster, counting each share (clusters.ts). */
export function clusteredSource(shares: readonly RingShare[], options: ClusterOptions): GeoJSONSourceSpecification {
  return {
    ...liveSource(),
    cluster: true,
    clusterRadius: options.radius,
    clusterMaxZoom: options.maxZoom,
    clusterMinPoints: options.minPoints,
    clusterProperties: clusterCounts(shares),
  };
}

/**
 * Sends what changed on `layer` since its last drain to the source. Returns the diff sent, or
 * null (and drains nothing) while the source is not in the style.
 */
export function pushLayerDiff(
  map: MapLibreMap,
  sourceId: string,
  state: LiveState,
  layer: LayerName,
  featureOf: (id: string) => PointFeature | undefined,
): LayerDiff | null {
  if (!map.getSource(sourceId)) return null;
  const diff = state.drain(layer);
  sendLayerDiff(map, sourceId, diff, featureOf);
  return diff;
}

/** Per source object: a source removed and added again starts with nothing sent. */
const sentTo = new WeakMap<GeoJSONSource, SentProperties>();

function sendLayerDiff(map: MapLibreMap, sourceId: string, diff: LayerDiff, featureOf: (id: string) => PointFeature | undefined): void {
  const source = map.getSource<GeoJSONSource>(sourceId);
  if (!source || isEmptyDiff(diff)) return;
  if (!sentTo.has(source)) sentTo.set(source, new SentProperties());
  send(source, sourceId, sourceDiff(diff, featureOf, sentTo.get(source)!));
}

function send(source: GeoJSONSource, sourceId: string, diff: GeoJSONSourceDiff): void {
  source.updateData(diff).catch((error: unknown) => {
    console.error(`updateData on ${sourceId} failed:`, error);
  });
}

export interface SplitSourceIds {
  clustered: string;
  pinned: string;
}

/**
 * One live layer drawn from a clustered source and an unclustered one for its pinned features.
 * `featureOf` and `isPinned` are asked with one server time per push, so a feature is pinned
 * by the same look it is drawn with.
 */
export class SplitLiveSource {
  private readonly split = new PinnedSplit();

  constructor(
    private readonly map: MapLibreMap,
    readonly ids: SplitSourceIds,
    private readonly serverNow: () => number,
    private readonly featureOf: (id: string, now: number) => PointFeature | undefined,
    private readonly isPinned: (id: string, now: number) => boolean,
  ) {}

  /** Like pushLayerDiff, for both sources: null (nothing drained) while they are not in the style. */
  drain(state: LiveState, layer: LayerName): LayerDiff | null {
    if (!this.map.getSource(this.ids.clustered) || !this.map.getSource(this.ids.pinned)) return null;
    const diff = state.drain(layer);
    const now = this.serverNow();
    this.send(this.split.route([...diff.add, ...diff.update], diff.remove, (id) => this.isPinned(id, now)), now);
    return diff;
  }

  /** Sends these features again, moving any whose pinning changed: their look or pin did, not their view. */
  redraw(ids: string[]): void {
    if (ids.length === 0) return;
    const now = this.serverNow();
    this.send(this.split.redraw(ids, (id) => this.isPinned(id, now)), now);
  }

  private send(split: SplitDiff, now: number): void {
    const featureOf = (id: string) => this.featureOf(id, now);
    sendLayerDiff(this.map, this.ids.clustered, split.clustered, featureOf);
    sendLayerDiff(this.map, this.ids.pinned, split.pinned, featureOf);
  }
}

export function colourBy(property: string, colours: Record<string | number, string>, fallback: string): ExpressionSpecification {
  const pairs = Object.entries(colours).flatMap(([value, colour]) => [matchLabel(value), colour]);
  // A match over a computed list has no tuple type TypeScript can check against.
  return ['match', ['get', property], ...pairs, fallback] as unknown as ExpressionSpecification;
}

/** Record keys are strings; severities are numbers in the features. */
function matchLabel(value: string): string | number {
  return /^\d+$/.test(value) ? Number(value) : value;
}
