/**
 * Live views as GeoJSON features for the map's sources, and the updateData diff that carries
 * a LiveState layer diff to a source. Feature ids are the view ids, promoted from the `id`
 * property (`promoteId: 'id'`), so updateData can find them. Only what the layers style by goes
 * into the properties.
 */
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { GeoJSONSourceDiff } from 'maplibre-gl';
import type { CaseView, IncidentView, UnitView } from '../../server/contract/live.ts';
import type { LayerDiff } from '../live/LiveState.ts';
import type { CaseAlarm } from './caseAlarm.ts';
import type { UnitLook } from './freshness.ts';

export type PointFeature = Feature<Point, Record<string, string | number>>;

export function emptyCollection(): FeatureCollection {
  return { type: 'FeatureCollection', features: [] };
}

function point(lon: number, lat: number, properties: Record<string, string | number>): PointFeature {
  return { type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties };
}

/** The alarm depends on the time as well as the view: the caller says which it drew. */
export function caseFeature(view: CaseView, alarm: CaseAlarm): PointFeature {
  return point(view.lon, view.lat, {
    id: view.id,
    state: view.state,
    category: view.category,
    overdue: alarm.overdue ? 1 : 0,
    whistleLate: alarm.whistleLate ? 1 : 0,
  });
}

export function incidentFeature(view: IncidentView): PointFeature {
  return point(view.lon, view.lat, {
    id: view.id,
    state: view.state,
    kind: view.kind,
    severity: view.severity,
    reportedAt: view.reportedAt,
  });
}

/**
 * Only units with a position reach the map (see unitIsOnMap), so lon/lat are numbers here. The
 * freshness and the age shown depend on the time as well as the view: the caller says which it
 * drew. A unit showing no age has `ageN` -1.
 */
export function unitFeature(view: UnitView, look: UnitLook): PointFeature {
  return point(view.lon ?? 0, view.lat ?? 0, {
    id: view.id,
    status: view.status,
    specialty: view.specialty,
    freshness: look.freshness,
    ageN: look.age?.n ?? -1,
    ageUnit: look.age?.unit ?? '',
  });
}

/**
 * What a source was last sent of each feature's properties, so that a feature that only moved
 * (a position frame, by far the most common update) crosses to the worker as its new geometry
 * alone: a tenth of the bytes to clone, and nothing for the worker to merge.
 */
export class SentProperties {
  readonly #sent = new Map<string, PointFeature['properties']>();

  /** Records what is sent now; true when it is what was sent before. */
  unchanged(feature: PointFeature): boolean {
    const id = feature.properties.id as string;
    const before = this.#sent.get(id);
    this.#sent.set(id, feature.properties);
    return before !== undefined && sameProperties(before, feature.properties);
  }

  forget(id: string): void {
    this.#sent.delete(id);
  }
}

/** Key by key, without building anything: this runs for every unit of every position frame. */
function sameProperties(before: PointFeature['properties'], now: PointFeature['properties']): boolean {
  let keys = 0;
  for (const key in now) {
    if (before[key] !== now[key]) return false;
    keys++;
  }
  for (const key in before) keys--;
  return keys === 0;
}

/**
 * Turns a layer diff into an updateData diff. An update replaces the geometry, and every
 * property where any changed since `sent` last saw the feature.
 */
export function sourceDiff(diff: LayerDiff, featureOf: (id: string) => PointFeature | undefined, sent: SentProperties): GeoJSONSourceDiff {
  const features = (ids: string[]) => ids.flatMap((id) => featureOf(id) ?? []);
  for (const id of diff.remove) sent.forget(id);
  const added = features(diff.add);
  for (const feature of added) sent.unchanged(feature);
  return {
    remove: diff.remove,
    add: added,
    update: features(diff.update).map((feature) => {
      const id = feature.properties.id as string;
      if (sent.unchanged(feature)) return { id, newGeometry: feature.geometry };
      return { id, newGeometry: feature.geometry, addOrUpdateProperties: Object.entries(feature.properties).map(([key, value]) => ({ key, value })) };
    }),
  };
}

export function isEmptyDiff(diff: LayerDiff): boolean {
  return diff.add.length + diff.update.length + diff.remove.length === 0;
}
