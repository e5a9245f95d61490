/**
 * The ring images of clusters (clusters.ts), drawn on a canvas the first time the map asks for
 * one. MapLibre has a single missing-image resolver per map, so this module keeps it and hands
 * each id to the ring whose prefix it starts with; a layer adds its ring on mount and removes
 * it, with its images, on destroy. Each ring keeps at most MAX_IMAGES: past that the oldest is
 * removed, and drawn again should a cluster still need it, so a wall running for weeks does
 * not pile images up.
 */
import type { Map as MapLibreMap } from 'maplibre-gl';
import { GROUND } from '../theme.ts';
import { parseRing, ringArcs } from './clusters.ts';

/** CSS pixels across; drawn at PIXEL_RATIO for sharp edges on a wall's large screens. */
const RING_SIZE = 44;
const PIXEL_RATIO = 2;
const RING_WIDTH = 7;
/** the gap between two arcs, in turns */
const GAP = 0.015;
const MAX_IMAGES = 400;

type Maker = (id: string) => void;

const makers = new WeakMap<MapLibreMap, Map<string, Maker>>();

function resolverFor(byPrefix: Map<string, Maker>): (id: string) => void {
  return (id) => {
    for (const [prefix, make] of byPrefix) if (id.startsWith(prefix)) return make(id);
  };
}

/** Draws the ring of `prefix` ids in `colours` (one per share, clusters.ts) until the returned stop. */
export function addRingImages(map: MapLibreMap, prefix: string, colours: readonly string[]): () => void {
  const made = new Set<string>();
  let byPrefix = makers.get(map);
  if (!byPrefix) {
    byPrefix = new Map();
    makers.set(map, byPrefix);
    map.setMissingStyleImageResolver(resolverFor(byPrefix));
  }
  byPrefix.set(prefix, (id) => {
    const parts = parseRing(id, prefix, colours.length);
    if (!parts || map.hasImage(id)) return;
    map.addImage(id, drawRing(parts, colours), { pixelRatio: PIXEL_RATIO });
    made.add(id);
    if (made.size > MAX_IMAGES) forget(map, made, made.values().next().value!);
  });
  return () => {
    byPrefix.delete(prefix);
    if (byPrefix.size === 0) {
      makers.delete(map);
      map.setMissingStyleImageResolver(null);
    }
    for (const id of made) forget(map, made, id);
  };
}

function forget(map: MapLibreMap, made: Set<string>, id: string): void {
  made.delete(id);
  if (map.hasImage(id)) map.removeImage(id);
}

/** A navy disc for the total to sit on, inside a ring of arcs clockwise from the top. */
function drawRing(parts: readonly number[], colours: readonly string[]): ImageData {
  const pixels = RING_SIZE * PIXEL_RATIO;
  const canvas = document.createElement('canvas');
  canvas.width = pixels;
  canvas.height = pixels;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2D canvas to draw a cluster ring');
  context.scale(PIXEL_RATIO, PIXEL_RATIO);
  const centre = RING_SIZE / 2;
  const radius = centre - RING_WIDTH / 2 - 1;
  context.beginPath();
  context.arc(centre, centre, radius, 0, 2 * Math.PI);
  context.fillStyle = GROUND.navy;
  context.fill();
  const arcs = ringArcs(parts);
  const gap = arcs.length > 1 ? GAP : 0;
  const angle = (turns: number) => -Math.PI / 2 + turns * 2 * Math.PI;
  context.lineWidth = RING_WIDTH;
  for (const arc of arcs) {
    context.beginPath();
    context.arc(centre, centre, radius, angle(arc.from + gap / 2), angle(arc.to - gap / 2));
    context.strokeStyle = colours[arc.index] ?? GROUND.dimText;
    context.stroke();
  }
  return context.getImageData(0, 0, pixels, pixels);
}
