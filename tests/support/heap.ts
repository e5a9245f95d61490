/**
 * A page's memory over time, for the wall's memory test and bench: the JS heap in use after a
 * forced garbage collection (so what is counted is what is still reachable), and the DOM's node
 * and listener counts, sampled over CDP; and the trend of a series by least squares, also with
 * the wall's load taken out.
 *
 * Listeners are the fewest of a few readings a moment apart: work still in flight (a map busy
 * parsing its sources on a slow machine) holds hundreds for a moment, and a leaked listener
 * never goes, so the floor is what shows a leak.
 */
import type { CDPSession, Page } from 'playwright-core';

export interface HeapSample {
  /** seconds since sampling started */
  atS: number;
  heapBytes: number;
  domNodes: number;
  listeners: number;
}

const LISTENER_READINGS = 5;
const LISTENER_READING_GAP_MS = 1000;

export async function memoryOf(cdp: CDPSession): Promise<Omit<HeapSample, 'atS'>> {
  await collectGarbage(cdp);
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const { nodes, jsEventListeners } = await cdp.send('Memory.getDOMCounters');
  return { heapBytes: usedSize, domNodes: nodes, listeners: await listenerFloor(cdp, jsEventListeners) };
}

async function collectGarbage(cdp: CDPSession): Promise<void> {
  // Twice: a first pass may leave objects that only a second finds unreachable (weak maps, finalizers).
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
}

/** The fewest listeners of `first` and LISTENER_READINGS - 1 more readings, each after a GC. */
async function listenerFloor(cdp: CDPSession, first: number): Promise<number> {
  let floor = first;
  for (let i = 1; i < LISTENER_READINGS; i++) {
    await new Promise((resolve) => setTimeout(resolve, LISTENER_READING_GAP_MS));
    await collectGarbage(cdp);
    floor = Math.min(floor, (await cdp.send('Memory.getDOMCounters')).jsEventListeners);
  }
  return floor;
}

/**
 * Samples every `everyMs` for `durationMs`, the first sample at once, each with what `probe`
 * reads from the page beside the memory; `onSample` hears each.
 */
export async function sampleMemory<T extends object>(
  page: Page,
  durationMs: number,
  everyMs: number,
  probe: () => Promise<T>,
  onSample: (sample: HeapSample & T) => void = () => undefined,
): Promise<Array<HeapSample & T>> {
  const cdp = await page.context().newCDPSession(page);
  const samples: Array<HeapSample & T> = [];
  const start = Date.now();
  for (;;) {
    const sample = { atS: (Date.now() - start) / 1000, ...(await memoryOf(cdp)), ...(await probe()) };
    samples.push(sample);
    onSample(sample);
    const next = start + samples.length * everyMs;
    if (next > start + durationMs) break;
    await page.waitForTimeout(Math.max(0, next - Date.now()));
  }
  await cdp.detach();
  return samples;
}

/** Least-squares slope of `y` over `x`. */
export function slope(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return 0;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const [x, y] of points) {
    covariance += (x - meanX) * (y - meanY);
    variance += (x - meanX) ** 2;
  }
  return variance === 0 ? 0 : covariance / variance;
}

/**
 * The slope of `y` over `x` with `load` taken out: `b` of the least-squares fit
 * y = a + b·x + c·load. Memory that follows how much the wall holds (a busier hour) is not a
 * leak; what grows with time beside it is. With a constant load, the plain slope.
 */
export function slopeBeside(points: Array<[x: number, load: number, y: number]>): number {
  const n = points.length;
  if (n < 3) return slope(points.map(([x, , y]) => [x, y]));
  const mean = (i: 0 | 1 | 2) => points.reduce((sum, p) => sum + p[i], 0) / n;
  const [mx, ml, my] = [mean(0), mean(1), mean(2)];
  let sxx = 0;
  let sxl = 0;
  let sll = 0;
  let sxy = 0;
  let sly = 0;
  for (const [x, l, y] of points) {
    sxx += (x - mx) ** 2;
    sxl += (x - mx) * (l - ml);
    sll += (l - ml) ** 2;
    sxy += (x - mx) * (y - my);
    sly += (l - ml) * (y - my);
  }
  const determinant = sxx * sll - sxl ** 2;
  if (sll === 0 || determinant === 0) return slope(points.map(([x, , y]) => [x, y]));
  return (sxy * sll - sly * sxl) / determinant;
}

export const MB = 1024 * 1024;
