/**
 * The wall's memory over a long run, for the browser test (a couple of minutes) and the bench
 * (ten): a real server whose simulator runs at `simSpeed` (60 by default: an hour of the district
 * a minute; cases opened and closed, incidents, volunteers moving, frames every 250 ms), the wall opened
 * in Chromium with a wall link as a screen is, then the page's memory sampled after a forced
 * garbage collection (heap.ts) every `everyMs` once `warmUpMs` have passed, with how many cases,
 * incidents and units the wall holds then (a busier hour holds more, and that is no leak).
 * `search` picks the screen (wall/screen.ts), the full wall by default.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './browser.ts';
import { sampleMemory, type HeapSample } from './heap.ts';
import { createTestStore, startServer } from './server.ts';
import { createLink } from './sessions.ts';

const BUILT_CLIENT = fileURLToPath(new URL('../../dist/client/index.html', import.meta.url));

export interface WallMemoryRun {
  search?: string;
  simSpeed?: number;
  warmUpMs: number;
  durationMs: number;
  everyMs: number;
  onSample?: (sample: WallSample) => void;
}

/** `held`: cases, incidents and units the wall holds; `pending`: changes waiting for a map layer. */
export type WallSample = HeapSample & { held: number; pending: number };

export async function wallMemory({ search = '', simSpeed = 60, warmUpMs, durationMs, everyMs, onSample }: WallMemoryRun): Promise<WallSample[]> {
  if (!existsSync(BUILT_CLIENT)) throw new Error('dist/client is missing: build the wall first (vite build)');
  const server = await startServer(await createTestStore('pglite'), { SIMULATE: '1', SIM_SPEED: String(simSpeed), FRAME_INTERVAL_MS: '250' });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(`${server.url}/${search}#link=${(await createLink(server)).token}`);
    await page.waitForFunction(() => window.__wall?.connection === 'live', null, { timeout: 60_000 });
    await page.waitForTimeout(warmUpMs);
    const load = () =>
      page.evaluate(() => {
        const { counts, pending } = window.__wall!;
        return { held: counts.cases + counts.incidents + counts.units, pending: pending.cases + pending.incidents + pending.units };
      });
    const samples = await sampleMemory(page, durationMs, everyMs, load, onSample);
    // A run that stopped receiving would prove nothing about a busy wall.
    const live = await page.evaluate(() => ({ connection: window.__wall!.connection, seq: window.__wall!.seq }));
    if (live.connection !== 'live') throw new Error(`the wall was ${live.connection} at the end of the run`);
    return samples;
  } finally {
    await browser.close();
    await server.dispose();
  }
}
