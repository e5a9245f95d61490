/**
 * The wall under moving units, for `npm run bench -- browser`: the built wall in headless
 * Chromium (software GL) against a real server on PostgreSQL, frames every 250 ms as in
 * production, each figure beside a run of the same page on the same units with no updates;
 * once composited in software (the tests' flags) and once by the GPU process (browser.ts).
 *
 * For 10,000 units reporting every second and 100,000 reporting every 2 s (feed in a process of
 * its own, feeder.ts):
 * - frame time: the page's requestAnimationFrame intervals over MEASURE_MS, p50 and p95, idle
 *   and under the feed;
 * - main-thread work per update: CDP's TaskDuration (all main-thread tasks) under the feed less
 *   idle, over the position frames the page received (binary WebSocket messages), and the
 *   JavaScript part of it (ScriptDuration). With software GL the rest is nearly all the
 *   compositor reading the map's canvas back (GLES2::ReadPixels) after each repaint, which a
 *   GPU-composited wall does not do;
 * - drawn: after the feed, on the wall's own units source, the time from a call to the map's
 *   next `idle` (the source rebuilt and drawn) for one frame's worth of moved units sent as an
 *   updateData diff, as the wall sends them, against the same sent by a plain setData of every
 *   unit; the median of DRAWN_ROUNDS each.
 */
import type { CDPSession, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { createTestStore, startServer } from '../support/server.ts';
import { createLink } from '../support/sessions.ts';
import { feederProcess, registerUnits } from './designLoad.ts';
import { percentile } from './percentile.ts';

const MEASURE_MS = 10_000;
const RAMP_MS = 3_000;
const FRAME_MS = 250;
const DRAWN_ROUNDS = 5;

interface Phase {
  p50: number;
  p95: number;
  taskMs: number;
  scriptMs: number;
  frames: number;
}


/** Main-thread seconds so far: all tasks, and the JavaScript among them. */
async function mainThread(cdp: CDPSession): Promise<{ task: number; script: number }> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name: string) => metrics.find((m) => m.name === name)!.value;
  return { task: metric('TaskDuration'), script: metric('ScriptDuration') };
}

// The in-page parts are plain JavaScript strings: tsx would wrap named functions in a helper
// (`__name`) that the page does not have.

const START_INTERVALS = `(() => {
  const bench = (window.__bench = { intervals: [], stop: false });
  let last = performance.now();
  const tick = (now) => {
    bench.intervals.push(now - last);
    last = now;
    if (!bench.stop) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

const STOP_INTERVALS = `(() => {
  window.__bench.stop = true;
  return window.__bench.intervals.slice(1).sort((a, b) => a - b);
})()`;

/** rAF intervals and main-thread task time over MEASURE_MS, with how many position frames came. */
async function measure(page: Page, cdp: CDPSession, positionFrames: () => number): Promise<Phase> {
  await page.evaluate(START_INTERVALS);
  const [before, frames] = [await mainThread(cdp), positionFrames()];
  await page.waitForTimeout(MEASURE_MS);
  const after = await mainThread(cdp);
  const received = positionFrames() - frames;
  const intervals = (await page.evaluate(STOP_INTERVALS)) as number[];
  return {
    p50: percentile(intervals, 50),
    p95: percentile(intervals, 95),
    taskMs: (after.task - before.task) * 1000,
    scriptMs: (after.script - before.script) * 1000,
    frames: received,
  };
}

/**
 * Median ms from the call to the map's next idle: `share` of the wall's units moved by an
 * updateData diff shaped as the wall's for a move (features.ts sourceDiff: the new geometry
 * alone), then by a setData of all.
 */
const DRAWN_TIMES = (share: number, rounds: number) => `(async () => {
  const map = window.__wall.map;
  const source = map.getSource('units');
  const data = await source.getData();
  const picked = data.features.slice(0, Math.round(data.features.length * ${share}));
  const movedIds = new Set(picked.map((feature) => feature.properties.id));
  const moved = (feature, round) => {
    const [lon, lat] = feature.geometry.coordinates;
    return { type: 'Point', coordinates: [lon + (round % 2 ? 1e-4 : -1e-4), lat] };
  };
  const untilIdle = (send) => new Promise((resolve) => {
    const start = performance.now();
    map.once('idle', () => resolve(performance.now() - start));
    send();
  });
  const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const byDiff = [];
  const bySetData = [];
  for (let round = 0; round < ${rounds}; round++) {
    byDiff.push(await untilIdle(() => source.updateData({
      update: picked.map((feature) => ({ id: feature.properties.id, newGeometry: moved(feature, round) })),
    })));
    bySetData.push(await untilIdle(() => source.setData({
      type: 'FeatureCollection',
      features: data.features.map((feature) => (movedIds.has(feature.properties.id) ? { ...feature, geometry: moved(feature, round + 1) } : feature)),
    })));
  }
  return { updateData: median(byDiff), setData: median(bySetData) };
})()`;

function drawnTimes(page: Page, share: number, rounds: number): Promise<{ updateData: number; setData: number }> {
  return page.evaluate(DRAWN_TIMES(share, rounds)) as Promise<{ updateData: number; setData: number }>;
}

async function wallUnderLoad(units: number, everyMs: number, gpuCompositing: boolean): Promise<void> {
  const server = await startServer(await createTestStore('postgresql'), { FRAME_INTERVAL_MS: String(FRAME_MS) });
  const browser = await launchChromium({ gpuCompositing });
  try {
    const setup = Date.now();
    await registerUnits(server, units);
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await cdp.send('Network.enable');
    let positionFrames = 0;
    cdp.on('Network.webSocketFrameReceived', (event) => {
      if (event.response.opcode === 2) positionFrames++;
    });
    await page.goto(`${server.url}/#link=${(await createLink(server)).token}`);
    await page.waitForFunction((n) => window.__wall?.connection === 'live' && window.__wall.counts.units >= n && window.__wall.rendered, units, {
      timeout: 300_000,
      polling: 1_000,
    });
    await page.waitForTimeout(RAMP_MS);
    const compositing = gpuCompositing ? 'GPU-process compositing over SwiftShader' : 'software compositing, the tests\' flags';
    console.log(`\n${units.toLocaleString('en')} units, each every ${everyMs / 1000} s, ${compositing} (setup ${((Date.now() - setup) / 1000).toFixed(0)} s)`);
    const idle = await measure(page, cdp, () => positionFrames);
    const feeding = feederProcess({ url: server.url, token: server.token, units, everyMs, runMs: RAMP_MS + MEASURE_MS + RAMP_MS });
    await page.waitForTimeout(RAMP_MS);
    const loaded = await measure(page, cdp, () => positionFrames);
    const fed = await feeding;
    await page.waitForTimeout(RAMP_MS);
    const goal = units > 10_000 ? 1.5 : 1.15;
    const ratio = loaded.p95 / idle.p95;
    console.log(`fed        ${(fed.sent / fed.seconds).toFixed(0)}/s offered, ${fed.refused} batches refused; the page got ${loaded.frames} position frames in ${MEASURE_MS / 1000} s`);
    console.log(`frame time idle p50 ${idle.p50.toFixed(1)} ms p95 ${idle.p95.toFixed(1)} ms   fed p50 ${loaded.p50.toFixed(1)} ms p95 ${loaded.p95.toFixed(1)} ms   ${ratio.toFixed(2)}× idle   goal ≤ ${goal}× (${(ratio / goal).toFixed(2)} of it)`);
    const perUpdate = (fed: number, still: number) => (fed - still) / Math.max(1, loaded.frames);
    const tasks = perUpdate(loaded.taskMs, idle.taskMs);
    const script = perUpdate(loaded.scriptMs, idle.scriptMs);
    console.log(
      `main thread ${tasks.toFixed(1)} ms per update in all (${loaded.taskMs.toFixed(0)} ms fed, ${idle.taskMs.toFixed(0)} ms idle, per ${MEASURE_MS / 1000} s), ` +
        `${script.toFixed(1)} ms of it JavaScript   goal ≤ 4 ms (${(tasks / 4).toFixed(2)} of it; JavaScript alone ${(script / 4).toFixed(2)})`,
    );
    if (units > 10_000) return;
    const drawn = await drawnTimes(page, FRAME_MS / everyMs, DRAWN_ROUNDS);
    const speedUp = drawn.setData / drawn.updateData;
    console.log(
      `drawn      one frame's ${Math.round((units * FRAME_MS) / everyMs)} moved units: updateData ${drawn.updateData.toFixed(0)} ms, setData of all ${drawn.setData.toFixed(0)} ms   ` +
        `${speedUp.toFixed(2)}× faster   goal ≥ 5× (${(speedUp / 5).toFixed(2)} of it)`,
    );
  } finally {
    await browser.close();
    await server.dispose();
  }
}

export async function benchWallFrames(): Promise<void> {
  console.log('\n## The wall under moving units (Chromium, software GL, frames every 250 ms)');
  for (const gpuCompositing of [false, true]) {
    await wallUnderLoad(10_000, 1_000, gpuCompositing);
    await wallUnderLoad(100_000, 2_000, gpuCompositing);
  }
}
