/**
 * A small popup saying what a point on the map is, for staff at a screen with a mouse or a
 * touch screen: shown while the pointer is over a point of `layers`, or where a tap hit one,
 * and gone when the pointer leaves or a tap hits nothing. Its lines come from `describe` and
 * are renewed every REFRESH_MS while it is open, because what they say (an age) changes with
 * time and the point may move. A kiosk without a pointer never shows it.
 */
import * as maplibregl from 'maplibre-gl';
import type { Map as MapLibreMap, MapGeoJSONFeature, PointLike, Subscription } from 'maplibre-gl';

export type LngLat = [number, number];

export interface Description {
  lines: string[];
  /** where the popup points: the point as it is now */
  at: LngLat;
}

/** What to say about a point, from its rendered properties; null when it is gone. */
type Describe = (properties: Record<string, unknown>, at: LngLat) => Description | null;

const REFRESH_MS = 1_000;

interface Target {
  key: string;
  properties: Record<string, unknown>;
  at: LngLat;
}

export class HoverPopup {
  private readonly popup = new maplibregl.Popup({ closeButton: false, closeOnClick: false, className: 'wall-popup', offset: 14 });
  private target: Target | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly map: MapLibreMap,
    private readonly layers: string[],
    private readonly describe: Describe,
  ) {}

  /** Listens to the pointer until the returned function is called. */
  start(): () => void {
    const subscriptions: Subscription[] = [
      this.map.on('mousemove', this.layers, (event) => this.show(event.features?.[0])),
      this.map.on('mouseleave', this.layers, () => this.hide()),
      this.map.on('click', (event) => this.show(this.featureAt(event.point))),
    ];
    return () => {
      for (const subscription of subscriptions) subscription.unsubscribe();
      this.hide();
    };
  }

  /** Says it again now (the language changed). */
  refresh(): void {
    if (this.target) this.render(this.target);
  }

  private featureAt(point: PointLike): MapGeoJSONFeature | undefined {
    const layers = this.layers.filter((id) => this.map.getLayer(id));
    return layers.length === 0 ? undefined : this.map.queryRenderedFeatures(point, { layers })[0];
  }

  private show(feature: MapGeoJSONFeature | undefined): void {
    if (!feature || feature.geometry.type !== 'Point') return this.hide();
    const key = `${feature.layer.id}:${String(feature.id ?? feature.properties.cluster_id)}`;
    if (this.target?.key === key) return;
    const [lon, lat] = feature.geometry.coordinates;
    this.target = { key, properties: feature.properties, at: [lon ?? 0, lat ?? 0] };
    this.render(this.target);
    this.timer ??= setInterval(() => this.refresh(), REFRESH_MS);
  }

  private render(target: Target): void {
    const description = this.describe(target.properties, target.at);
    if (!description) return this.hide();
    const content = document.createElement('div');
    for (const line of description.lines) content.appendChild(document.createElement('div')).textContent = line;
    this.popup.setLngLat(description.at).setDOMContent(content);
    if (!this.popup.isOpen()) this.popup.addTo(this.map);
  }

  private hide(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.target = null;
    this.popup.remove();
  }
}
