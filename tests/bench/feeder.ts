/**
 * A position feed for the design-load bench, in a process of its own so building and sending
 * 50,000 reports a second costs the server nothing: each of `units` units reports once every
 * `everyMs`, sent each TICK_MS as batches of at most BATCH through POST /api/v1/positions, all
 * of a tick's batches in flight at once. A tick that is not done before the next one is due
 * makes the next one bigger, so what was offered is what it reports as sent. Answers over IPC
 * with `{ sent, seconds, refused }` when done.
 */
import { fileURLToPath } from 'node:url';
import type { PositionReport } from '../../server/contract/ingest.ts';

export interface FeederOptions {
  url: string;
  token: string;
  /** units `D0` … `D<units - 1>` (designUnitId) */
  units: number;
  everyMs: number;
  runMs: number;
}

export interface FeederReport {
  sent: number;
  seconds: number;
  /** answers other than 200 */
  refused: number;
}

const TICK_MS = 100;

export const designUnitId = (n: number) => `D${n}`;
const BATCH = 2_000;

async function send(options: FeederOptions, items: PositionReport[]): Promise<boolean> {
  const response = await fetch(`${options.url}/api/v1/positions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
    body: JSON.stringify({ items }),
  });
  await response.arrayBuffer();
  return response.status === 200;
}

async function feed(options: FeederOptions): Promise<FeederReport> {
  const perMs = options.units / options.everyMs;
  const start = Date.now();
  let sent = 0;
  let refused = 0;
  let next = 0;
  while (Date.now() - start < options.runMs) {
    const due = Math.floor((Date.now() - start + TICK_MS) * perMs) - sent;
    const at = new Date().toISOString();
    const batches: PositionReport[][] = [];
    for (let i = 0; i < due; i++, next++) {
      const n = next % options.units;
      if (i % BATCH === 0) batches.push([]);
      batches.at(-1)!.push({ volunteerId: designUnitId(n), lon: 116.34 + (n % 997) * 4e-5 + next * 1e-9, lat: 39.88 + (n % 991) * 7e-5, at });
    }
    const answers = await Promise.all(batches.map((items) => send(options, items)));
    refused += answers.filter((ok) => !ok).length;
    sent += due;
    const wait = start + Math.ceil((Date.now() - start) / TICK_MS) * TICK_MS - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  return { sent, seconds: (Date.now() - start) / 1000, refused };
}

// Run as the child (fork), not when imported for designUnitId.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.send!(await feed(JSON.parse(process.argv[2]!) as FeederOptions));
  process.exit(0);
}
