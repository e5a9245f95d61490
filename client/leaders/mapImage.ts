/**
 * The map as a PNG for a report: the map's canvas as drawn, with a title band above (what it
 * shows, for which window) and the legend and the OpenStreetMap attribution below, which the
 * ODbL asks of any picture made from the data.
 *
 * WebGL clears its drawing buffer after each frame, so the canvas is copied inside a 'render'
 * event, while the frame just drawn is still there; a repaint is asked for to get one.
 */
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { LegendClass } from './model.ts';

export interface ImageText {
  title: string;
  subtitle: string;
  legend: Array<Pick<LegendClass, 'colour'> & { label: string }>;
  attribution: string;
}

const BAND = 64;
const FOOT = 56;
const FONT = '"Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", sans-serif';

/** The map's current frame with its text, as a PNG blob. */
export function mapImage(map: MapLibreMap, text: ImageText): Promise<Blob> {
  return new Promise((resolve, reject) => {
    map.once('render', () => {
      try {
        compose(map.getCanvas(), text).toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the browser made no PNG'))), 'image/png');
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    map.triggerRepaint();
  });
}

function compose(source: HTMLCanvasElement, text: ImageText): HTMLCanvasElement {
  const out = document.createElement('canvas');
  out.width = source.width;
  out.height = source.height + BAND + FOOT;
  const g = out.getContext('2d');
  if (!g) throw new Error('no 2D canvas');
  g.fillStyle = '#0a1324';
  g.fillRect(0, 0, out.width, out.height);
  g.drawImage(source, 0, BAND);
  g.fillStyle = '#e8eef8';
  g.font = `700 26px ${FONT}`;
  g.fillText(text.title, 20, 34);
  g.fillStyle = '#9fb0cc';
  g.font = `16px ${FONT}`;
  g.fillText(text.subtitle, 20, 56);
  let x = 20;
  const y = BAND + source.height + 22;
  g.font = `15px ${FONT}`;
  for (const entry of text.legend) {
    g.fillStyle = entry.colour;
    g.fillRect(x, y - 12, 16, 16);
    g.fillStyle = '#e8eef8';
    g.fillText(entry.label, x + 22, y + 1);
    x += 22 + g.measureText(entry.label).width + 18;
  }
  g.fillStyle = '#9fb0cc';
  g.font = `13px ${FONT}`;
  g.fillText(text.attribution, 20, y + 26);
  return out;
}

/** Hands a blob to the browser as a download. */
export function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
