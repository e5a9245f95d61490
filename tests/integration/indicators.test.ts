/**
 * The measured indicators against a small data set computed by hand, on both stores, through
 * the HTTP API a leader reads.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { IncidentReport } from '../../server/contract/ingest.ts';
import { NIUJIE, OUTSIDE, SHICHAHAI } from '../support/fixtures.ts';
import { createTestStore, post, startServer, STORE_KINDS, type StoreKind, type TestServer } from '../support/server.ts';
import { signIn } from '../support/sessions.ts';

const MINUTE = 60_000;
const running: TestServer[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.dispose();
});

async function start(kind: StoreKind): Promise<TestServer> {
  const server = await startServer(await createTestStore(kind));
  running.push(server);
  return server;
}

/**
 * An incident reported `ago` minutes ago whose milestones come `dispatched` and `onScene`
 * minutes after its report (as another system's dispatch reports them); null: never.
 */
async function incident(
  server: TestServer,
  id: string,
  where: { lon: number; lat: number },
  kind: IncidentReport['kind'],
  minutes: { ago: number; dispatched: number | null; onScene: number | null },
): Promise<void> {
  const reportedAt = Date.now() - minutes.ago * MINUTE;
  const base = { sourceId: id, kind, severity: 3, lon: where.lon, lat: where.lat };
  const reports: IncidentReport[] = [{ ...base, at: new Date(reportedAt).toISOString() }];
  if (minutes.dispatched !== null) {
    reports.push({ ...base, state: 'responding', milestone: 'dispatched', at: new Date(reportedAt + minutes.dispatched * MINUTE).toISOString() });
  }
  if (minutes.onScene !== null) {
    reports.push({ ...base, state: 'responding', milestone: 'on_scene', at: new Date(reportedAt + minutes.onScene * MINUTE).toISOString() });
  }
  for (const report of reports) {
    const answer = await post(server, "/api/v1/incidents", { items: [report] });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  }
}

describe.each(STORE_KINDS)('measured response times on %s', (kind) => {
  it('averages report → on scene and → dispatch per kind and subdistrict, counting the unreached apart', async () => {
    const server = await start(kind);
    // 什刹海 medical: on scene after 6 and 10 minutes (average 8), dispatched after 1 and 2 (1.5).
    await incident(server, 'M-1', SHICHAHAI, 'medical', { ago: 60, dispatched: 1, onScene: 6 });
    await incident(server, 'M-2', SHICHAHAI, 'medical', { ago: 50, dispatched: 2, onScene: 10 });
    // 牛街 medical: one on scene after 12, one never reached (counted, not averaged).
    await incident(server, 'M-3', NIUJIE, 'medical', { ago: 40, dispatched: 3, onScene: 12 });
    await incident(server, 'M-4', NIUJIE, 'medical', { ago: 30, dispatched: null, onScene: null });
    // 什刹海 fire: on scene after 5.
    await incident(server, 'F-1', SHICHAHAI, 'fire', { ago: 20, dispatched: 1, onScene: 5 });
    // Outside the district: left out everywhere. Three days ago: outside a one-day window.
    await incident(server, 'X-1', OUTSIDE, 'medical', { ago: 45, dispatched: 1, onScene: 30 });
    await incident(server, 'OLD-1', SHICHAHAI, 'medical', { ago: 3 * 24 * 60, dispatched: 1, onScene: 40 });

    const leader = await signIn(server, 'leader');
    const answer = await leader.request('GET', '/api/v1/indicators/response-times?days=1');
    expect(answer.status).toBe(200);
    const rows = (answer.body.rows as Array<Record<string, unknown>>).map((r) => [
      r.kind, r.subdistrict, r.incidents, r.measured, r.averageSeconds, r.averageDispatchSeconds, r.targetSeconds,
    ]);
    expect(rows).toEqual([
      ['fire', null, 1, 1, 300, 60, 480],
      ['fire', SHICHAHAI.adcode, 1, 1, 300, 60, 480],
      // district medical: on scene (6 + 10 + 12) / 3 = 9.33 min = 560 s; dispatch (1 + 2 + 3) / 3 = 2 min
      ['medical', null, 4, 3, 560, 120, 480],
      ['medical', SHICHAHAI.adcode, 2, 2, 480, 90, 480],
      ['medical', NIUJIE.adcode, 2, 1, 720, 180, 480],
    ]);
    const all = await leader.request('GET', '/api/v1/indicators/response-times?days=7');
    const medical = (all.body.rows as Array<Record<string, unknown>>).find((r) => r.kind === 'medical' && r.subdistrict === null);
    // with the old one: (6 + 10 + 12 + 40) / 4 = 17 minutes
    expect(medical).toMatchObject({ incidents: 5, measured: 4, averageSeconds: 1020 });
  });
});
