/**
 * Command line for the feed simulator:
 *
 *   npx tsx seeds/cli.ts --url http://localhost:8080 --key <feed key> --speed 10 --seed 42
 *     [--tick 1000] [--header 'name: value' ...]
 *
 * The feed key (from `npm run feed-key -- create --name simulator --simulated`) is sent as
 * `authorization: Bearer <key>`. Each option falls back to the environment (SIM_URL, SIM_KEY,
 * SIM_SPEED, SIM_SEED, SIM_TICK_MS), then to http://localhost:8080, speed 1, seed 42, a 1000 ms
 * tick. Loads the subdistrict polygons
 * from geo/data, runs until SIGINT or SIGTERM, and prints a line of stats every 10 s.
 */
import { parseArgs } from 'node:util';
import { startSimulator, type SimulatorStats } from './runner.ts';
import { loadSubdistricts } from './subdistricts.ts';

const STATS_EVERY_MS = 10_000;

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    speed: { type: 'string' },
    seed: { type: 'string' },
    tick: { type: 'string' },
    key: { type: 'string' },
    header: { type: 'string', multiple: true },
  },
});

const url = values.url ?? process.env.SIM_URL ?? 'http://localhost:8080';
const speed = numberOption('speed', values.speed ?? process.env.SIM_SPEED ?? '1');
const seed = numberOption('seed', values.seed ?? process.env.SIM_SEED ?? '42');
const tickMs = numberOption('tick', values.tick ?? process.env.SIM_TICK_MS ?? '1000');
const key = values.key ?? process.env.SIM_KEY;
const headers = {
  ...(key ? { authorization: `Bearer ${key}` } : {}),
  ...Object.fromEntries((values.header ?? []).map(parseHeader)),
};
if (!key) console.warn('no --key / SIM_KEY: the server will answer 401 unless a header carries a feed key');

const simulator = startSimulator({ url, speed, seed, tickMs, headers, subdistricts: await loadSubdistricts() });
console.log(`simulating Xicheng into ${url} at ${speed}× real time, seed ${seed}; Ctrl-C to stop`);
const statsTimer = setInterval(() => console.log(statsLine(simulator.stats())), STATS_EVERY_MS);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    clearInterval(statsTimer);
    await simulator.stop();
    console.log(`stopped: ${statsLine(simulator.stats())}`);
    process.exit(0);
  });
}

function numberOption(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value)) {
    console.error(`--${name} must be a number, got "${text}"`);
    process.exit(2);
  }
  return value;
}

function parseHeader(text: string): [string, string] {
  const colon = text.indexOf(':');
  if (colon <= 0) {
    console.error(`--header must look like "name: value", got "${text}"`);
    process.exit(2);
  }
  return [text.slice(0, colon).trim(), text.slice(colon + 1).trim()];
}

function statsLine(stats: SimulatorStats): string {
  const { sent } = stats;
  const simulatedMinutes = Math.round(stats.simulatedMs / 60_000);
  return [
    `sim ${stats.simulatedTime} (+${simulatedMinutes} min)`,
    `sent ${sent.cases} cases, ${sent.incidents} incidents, ${sent.positions} positions`,
    `${stats.requests} requests, ${stats.failedRequests} failed`,
    `${stats.droppedBatches} batches dropped, ${stats.pendingBatches} pending`,
    `${stats.ticks} ticks (${stats.mergedTicks} merged)`,
  ].join(' | ');
}
