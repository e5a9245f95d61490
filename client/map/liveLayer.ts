/**
 * What the three live layers share: a GeoJSON source keyed by the `id` property, the step that
 * drains a LiveState layer diff into `GeoJSONSource.updateData` (never a full setData), the same
 * for features a layer re-styles on its own (a case turning overdue with time), and the
 * colour-by-property expression their styles use.
 */
import type {
  ExpressionSpecification,
  GeoJSONSource,
  GeoJSONSourceDiff,
  GeoJSONSourceSpecification,
  Map as MapLibreMap,
} from 'maplibre-gl';
import type { LayerDiff, LayerName, LiveState } from '../live/LiveState.ts';
import { emptyCollection, isEmptyDiff, sourceDiff, type PointFeature } from './features.ts';

export function liveSource(): GeoJSONSourceSpecification {
  return { type: 'geojson', data: emptyCollection(), promoteId: 'id' };
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
  const source = map.getSource<GeoJSONSource>(sourceId);
  if (!source) return null;
  const diff = state.drain(layer);
  if (!isEmptyDiff(diff)) send(source, sourceId, sourceDiff(diff, featureOf));
  return diff;
}

/** Sends these features, already on the source, again: they changed without a new view. */
export function pushFeatureUpdates(
  map: MapLibreMap,
  sourceId: string,
  ids: string[],
  featureOf: (id: string) => PointFeature | undefined,
): void {
  const source = map.getSource<GeoJSONSource>(sourceId);
  if (!source || ids.length === 0) return;
  send(source, sourceId, sourceDiff({ add: [], update: ids, remove: [] }, featureOf));
}

function send(source: GeoJSONSource, sourceId: string, diff: GeoJSONSourceDiff): void {
  source.updateData(diff).catch((error: unknown) => {
    console.error(`updateData on ${sourceId} failed:`, error);
  });
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
