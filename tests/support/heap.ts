/**
 * A page's memory over time, for the wall's memory test and bench: the JS heap in use after a
 * forced garbage collection (so what is counted is what is still reachable), and the DOM's node
 * and listener counts, sampled over CDP; and the trend of a series by least squares.
 */
import type { CDPSession, Page } from 'playwright-core';

export interface HeapSample {
  /** seconds since sampling started */
  atS: number;
  heapBytes: number;
  domNodes: number;
  listeners: number;
}

export async function memoryOf(cdp: CDPSession): Promise<Omit<HeapSample, 'atS'>> {
  // Twice: a first pass may leave objects that only a second finds unreachable (weak maps, finalizers).
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const { nodes, jsEventListeners } = await cdp.send('Memory.getDOMCounters');
  return { heapBytes: usedSize, domNodes: nodes, listeners: jsEventListeners };
}

/** Samples every `everyMs` for `durationMs`, the first sample at once; `onSample` hears each. */
export async function sampleMemory(
  page: Page,
  durationMs: number,
  everyMs: number,
  onSample: (sample: HeapSample) => void = () => undefined,
): Promise<HeapSample[]> {
  const cdp = await page.context().newCDPSession(page);
  const samples: HeapSample[] = [];
  const start = Date.now();
  for (;;) {
    const sample = { atS: (Date.now() - start) / 1000, ...(await memoryOf(cdp)) };
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

export const MB = 1024 * 1024;
