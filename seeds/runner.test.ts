/**
 * The runner against a recording stand-in for the server's HTTP transport (fake timers, no
 * network): registry first, batches in order with the simulated-feed header, ticks that never
 * overlap, a failed POST retried once on the next tick, statuses resynced after a dropped
 * batch, cases the server's rules take (call-backs only once resolved), and nothing thrown out
 * of the timer.
 */
import { Compile } from 'typebox/compile';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Batch, CaseReport, MAX_BATCH_ITEMS, type PositionReport } from '../server/contract/ingest.ts';
import { isLegalVolunteerMove } from '../server/domain/lifecycle.ts';
import { applyCaseReport, caseId, type CaseRecord } from '../server/domain/reports.ts';
import { VOLUNTEER_STATUSES, type VolunteerStatus } from '../server/domain/vocabulary.ts';
import type { SubdistrictCollection } from './geometry.ts';
import { startSimulator, statusResync, type RunningSimulator, type SimulatorOptions } from './runner.ts';
import { Simulation } from './simulation.ts';
import { loadSubdistricts } from './subdistricts.ts';

/** 2025-07-07 10:00 in Beijing: volunteers are on duty, cases come in. */
const BEIJING_MORNING = Date.UTC(2025, 6, 7, 2, 0);
const TICK_MS = 1000;
/** one simulated minute per tick */
const SPEED = 60;
const STREAM_ORDER = ['/api/v1/cases', '/api/v1/incidents', '/api/v1/positions'];

interface RecordedRequest {
  /** fake-clock time the request was sent */
  at: number;
  path: string;
  headers: Record<string, string>;
  body: string;
  items: unknown[];
}

type Responder = (request: RecordedRequest) => Promise<Response> | Response;

function accepted(request: RecordedRequest): Response {
  return new Response(JSON.stringify({ accepted: request.items.length, seq: 1 }), { status: 200 });
}

/** Records every request and answers with `respond` (default: accept everything). */
function recordingTransport(respond: Responder = accepted) {
  const requests: RecordedRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      const body = String(init?.body);
      const request: RecordedRequest = {
        at: Date.now(),
        path: new URL(String(input)).pathname,
        headers: Object.fromEntries(new Headers(init?.headers)),
        body,
        items: (JSON.parse(body) as { items: unknown[] }).items,
      };
      requests.push(request);
      return await respond(request);
    } finally {
      inFlight--;
    }
  }) as typeof fetch;
  return { fetchImpl, requests, maxInFlight: () => maxInFlight };
}

let subdistricts: SubdistrictCollection;
let running: RunningSimulator | null = null;
const logged: string[] = [];

function start(options: Partial<SimulatorOptions> & Pick<SimulatorOptions, 'fetchImpl'>): RunningSimulator {
  running = startSimulator({
    url: 'http://wall.test/',
    speed: SPEED,
    tickMs: TICK_MS,
    subdistricts,
    log: (message) => logged.push(message),
    ...options,
  });
  return running;
}

/** Requests grouped by the fake-clock time they were sent at: one group per tick. */
function byTime(requests: RecordedRequest[]): RecordedRequest[][] {
  const groups = new Map<number, RecordedRequest[]>();
  for (const request of requests) groups.set(request.at, [...(groups.get(request.at) ?? []), request]);
  return [...groups.values()];
}

function reportRequests(requests: RecordedRequest[]): RecordedRequest[] {
  return requests.filter((r) => STREAM_ORDER.includes(r.path));
}

beforeAll(async () => {
  subdistricts = await loadSubdistricts();
});

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(BEIJING_MORNING);
  logged.length = 0;
});

afterEach(async () => {
  await running?.stop();
  running = null;
  vi.useRealTimers();
});

describe('statusResync', () => {
  it('brings each volunteer to its last status along legal moves, from whatever the server holds', () => {
    const lost: PositionReport[] = [
      { volunteerId: 'V001-01-01', lon: 116.37, lat: 39.91, status: 'assigned' },
      { volunteerId: 'V001-01-01', lon: 116.37, lat: 39.91 },
      { volunteerId: 'V001-01-01', lon: 116.371, lat: 39.911, status: 'en_route' },
      { volunteerId: 'V001-01-02', lon: 116.36, lat: 39.9 },
      { volunteerId: 'V001-01-03', lon: 116.35, lat: 39.9, status: 'off_duty' },
    ];
    const resync = statusResync(lost);
    expect(resync).toEqual([
      { volunteerId: 'V001-01-01', lon: 116.371, lat: 39.911, status: 'available' },
      { volunteerId: 'V001-01-01', lon: 116.371, lat: 39.911, status: 'assigned' },
      { volunteerId: 'V001-01-01', lon: 116.371, lat: 39.911, status: 'en_route' },
      { volunteerId: 'V001-01-03', lon: 116.35, lat: 39.9, status: 'available' },
      { volunteerId: 'V001-01-03', lon: 116.35, lat: 39.9, status: 'off_duty' },
    ]);
    for (const start of VOLUNTEER_STATUSES) {
      let status: VolunteerStatus = start;
      for (const report of resync.filter((r) => r.volunteerId === 'V001-01-01')) {
        expect(isLegalVolunteerMove(status, report.status ?? status)).toBe(true);
        status = report.status ?? status;
      }
    }
  });
});

describe('startSimulator', () => {
  it('registers teams and volunteers first, then posts each tick’s batches in order with the feed headers', async () => {
    const transport = recordingTransport();
    const simulator = start({ fetchImpl: transport.fetchImpl, headers: { authorization: 'Bearer feed-key' } });
    await vi.advanceTimersByTimeAsync(10 * TICK_MS);

    const [teams, volunteers] = transport.requests;
    const registry = new Simulation({ seed: 42, startMs: BEIJING_MORNING, subdistricts }).registry();
    expect(teams?.path).toBe('/api/v1/teams');
    expect(teams?.items).toEqual(registry.teams);
    expect(volunteers?.path).toBe('/api/v1/volunteers');
    expect(volunteers?.items).toEqual(registry.volunteers);

    const reports = transport.requests.slice(2);
    expect(reports.length).toBeGreaterThan(10);
    expect(reports.every((r) => STREAM_ORDER.includes(r.path) && r.items.length > 0)).toBe(true);
    for (const requestsOfOneTick of byTime(reports)) {
      const order = requestsOfOneTick.map((r) => STREAM_ORDER.indexOf(r.path));
      expect(order).toEqual([...order].sort());
      expect(new Set(order).size).toBe(order.length);
    }
    for (const request of transport.requests) {
      expect(request.headers).toMatchObject({
        'content-type': 'application/json',
        authorization: 'Bearer feed-key',
      });
    }
    const stats = simulator.stats();
    expect(stats.sent.teams).toBe(registry.teams.length);
    expect(stats.sent.volunteers).toBe(registry.volunteers.length);
    expect(stats.sent.positions).toBeGreaterThan(0);
    expect(stats.simulatedMs).toBe(10 * TICK_MS * SPEED);
    expect(stats).toMatchObject({ ticks: 10, failedRequests: 0, droppedBatches: 0, pendingBatches: 0 });
  });

  it('never overlaps ticks: while a slow POST is pending, later ticks are merged, not run beside it', async () => {
    const transport = recordingTransport(async (request) => {
      if (request.path === '/api/v1/positions') await new Promise((resolve) => setTimeout(resolve, 3.5 * TICK_MS));
      return accepted(request);
    });
    const simulator = start({ fetchImpl: transport.fetchImpl });
    await vi.advanceTimersByTimeAsync(30 * TICK_MS);
    const stopping = simulator.stop();
    await vi.advanceTimersByTimeAsync(5 * TICK_MS);
    await stopping;

    expect(transport.maxInFlight()).toBe(1);
    const stats = simulator.stats();
    expect(stats.mergedTicks).toBeGreaterThan(10);
    // Merged ticks still count: simulated time keeps pace with the ticks.
    expect(stats.simulatedMs).toBeGreaterThanOrEqual((stats.ticks - 4) * TICK_MS * SPEED);
    expect(stats.simulatedMs % (TICK_MS * SPEED)).toBe(0);
  });

  it('retries a failed POST once on the next tick, before anything queued after it', async () => {
    let failuresLeft = 1;
    const transport = recordingTransport((request) => {
      if (request.path === '/api/v1/cases' && failuresLeft-- > 0) return new Response('overloaded', { status: 503 });
      return accepted(request);
    });
    const simulator = start({ fetchImpl: transport.fetchImpl });
    await vi.advanceTimersByTimeAsync(10 * TICK_MS);

    const reports = reportRequests(transport.requests);
    const failed = reports.findIndex((r) => r.path === '/api/v1/cases');
    const retry = reports[failed + 1];
    expect(retry?.path).toBe('/api/v1/cases');
    expect(retry?.body).toBe(reports[failed]?.body);
    expect(retry?.at).toBe((reports[failed]?.at ?? 0) + TICK_MS);
    expect(logged.some((line) => line.includes('/api/v1/cases') && line.includes('503'))).toBe(true);
    expect(simulator.stats()).toMatchObject({ failedRequests: 1, droppedBatches: 0, pendingBatches: 0 });
  });

  it('drops a batch whose retry fails too, and carries on with the next', async () => {
    let failuresLeft = 2;
    let positionRequests = 0;
    const transport = recordingTransport((request) => {
      // The first positions request is the roll call; fail the two after it.
      const afterRollCall = request.path === '/api/v1/positions' && positionRequests++ > 0;
      if (afterRollCall && failuresLeft-- > 0) throw new TypeError('fetch failed');
      return accepted(request);
    });
    const simulator = start({ fetchImpl: transport.fetchImpl });
    await vi.advanceTimersByTimeAsync(8 * TICK_MS);

    const positions = transport.requests.filter((r) => r.path === '/api/v1/positions').slice(1);
    expect(positions[1]?.body).toBe(positions[0]?.body);
    expect(positions[2]?.body).not.toBe(positions[0]?.body);
    const stats = simulator.stats();
    expect(stats.droppedBatches).toBe(1);
    expect(stats.failedRequests).toBe(2);
    expect(stats.sent.positions).toBeGreaterThan(0);
    expect(logged.some((line) => line.includes('fetch failed') && line.includes('dropped'))).toBe(true);
  });

  it('resyncs the statuses a dropped batch carried, so the server never sees an illegal move', async () => {
    const held = new Map<string, VolunteerStatus>();
    let networkFailures = 2;
    let refusals = 0;
    const transport = recordingTransport((request) => {
      if (request.path !== '/api/v1/positions') return accepted(request);
      if (networkFailures-- > 0) throw new TypeError('fetch failed');
      // All or nothing, with the server's own lifecycle rule.
      const next = new Map(held);
      for (const report of request.items as PositionReport[]) {
        const before = next.get(report.volunteerId) ?? 'off_duty';
        if (!isLegalVolunteerMove(before, report.status ?? before)) {
          refusals++;
          return new Response('illegal transition', { status: 409 });
        }
        next.set(report.volunteerId, report.status ?? before);
      }
      for (const [id, status] of next) held.set(id, status);
      return accepted(request);
    });
    const simulator = start({ fetchImpl: transport.fetchImpl, speed: 600 });
    await vi.advanceTimersByTimeAsync(12 * TICK_MS);

    expect(simulator.stats().droppedBatches).toBe(1);
    expect(refusals).toBe(0);
    expect([...held.values()].filter((status) => status === 'available').length).toBeGreaterThan(100);
    const statuses = transport.requests.flatMap((r) => (r.path === '/api/v1/positions' ? (r.items as PositionReport[]) : []));
    expect(statuses.some((report) => report.status === 'on_scene')).toBe(true);
  });

  it('sends cases the server takes whole, with reporters and call-backs, even after a dropped batch', async () => {
    const validCases = Compile(Batch(CaseReport));
    const place = { subdistrict: null, cell: null, outside: false };
    const held = new Map<string, CaseRecord>();
    const refusals: string[] = [];
    let casesRequests = 0;
    const transport = recordingTransport((request) => {
      if (request.path !== '/api/v1/cases') return accepted(request);
      // The third cases batch fails twice, so it is dropped: later reports skip its steps.
      if (++casesRequests === 3 || casesRequests === 4) return new Response('unavailable', { status: 503 });
      if (!validCases.Check({ items: request.items })) {
        refusals.push(`400 ${JSON.stringify([...validCases.Errors({ items: request.items })].slice(0, 2))}`);
        return new Response('invalid', { status: 400 });
      }
      // All or nothing, with the server's own case rules, each report stamped on receipt.
      const next = new Map(held);
      for (const report of request.items as CaseReport[]) {
        const id = caseId(report.source, report.sourceId);
        const outcome = applyCaseReport(next.get(id), report, place, Date.now());
        if (outcome.kind === 'illegal') {
          refusals.push(`409 ${outcome.message}`);
          return new Response(JSON.stringify({ code: 'ILLEGAL_TRANSITION', message: outcome.message }), { status: 409 });
        }
        if (outcome.kind === 'created' || outcome.kind === 'updated') next.set(id, outcome.record);
      }
      for (const [id, record] of next) held.set(id, record);
      return accepted(request);
    });
    // An hour a tick, from 10:00 to 20:00.
    const simulator = start({ fetchImpl: transport.fetchImpl, speed: 3600 });
    await vi.advanceTimersByTimeAsync(10 * TICK_MS);

    expect(refusals).toEqual([]);
    expect(simulator.stats().droppedBatches).toBe(1);
    const records = [...held.values()];
    expect(records.filter((r) => r.source === 'app' && r.reporter !== null).length).toBeGreaterThan(10);
    const calledBack = records.filter((r) => r.satisfaction !== null);
    expect(calledBack.length).toBeGreaterThan(50);
    expect(calledBack.every((r) => r.source === 'hotline' && r.state === 'closed' && r.solved !== null)).toBe(true);
  });

  it('sends the positions again without the statuses the server says a dispatch owns', async () => {
    let refusedOnce: RecordedRequest | null = null;
    const transport = recordingTransport((request) => {
      const items = request.items as PositionReport[];
      const withStatus = items.findIndex((item) => item.status !== undefined);
      if (request.path !== '/api/v1/positions' || refusedOnce || withStatus < 0) return accepted(request);
      refusedOnce = request;
      const details = [{ path: `/items/${withStatus}/status`, message: 'on a dispatch assignment' }];
      return new Response(JSON.stringify({ code: 'ON_ASSIGNMENT', message: 'refused', details }), { status: 409 });
    });
    const simulator = start({ fetchImpl: transport.fetchImpl });
    await vi.advanceTimersByTimeAsync(2 * TICK_MS);

    const refused = refusedOnce as RecordedRequest | null;
    if (!refused) throw new Error('no positions with a status were sent');
    const again = transport.requests[transport.requests.indexOf(refused) + 1]!;
    const before = refused.items as PositionReport[];
    const after = again.items as PositionReport[];
    const named = before.findIndex((item) => item.status !== undefined);
    expect(after).toHaveLength(before.length);
    const { status: _owned, ...position } = before[named]!;
    expect(after[named]).toEqual(position);
    expect(after.filter((_, i) => i !== named)).toEqual(before.filter((_, i) => i !== named));
    expect(again.at).toBe(refused.at);
    expect(simulator.stats().droppedBatches).toBe(0);
  });

  it('after the registry, sets every volunteer off duty along legal moves from any status', async () => {
    const transport = recordingTransport();
    start({ fetchImpl: transport.fetchImpl });
    await vi.advanceTimersByTimeAsync(TICK_MS);
    const rollCall = transport.requests.find((r) => r.path === '/api/v1/positions')!.items as PositionReport[];
    const volunteers = transport.requests.find((r) => r.path === '/api/v1/volunteers')!.items as Array<{ id: string }>;
    expect(new Set(rollCall.map((r) => r.volunteerId))).toEqual(new Set(volunteers.map((v) => v.id)));
    for (const held of ['off_duty', 'available', 'assigned', 'en_route', 'on_scene'] as const) {
      const steps = rollCall.filter((r) => r.volunteerId === volunteers[0]!.id).map((r) => r.status!);
      const end = steps.reduce<VolunteerStatus | null>((from, to) => (from && isLegalVolunteerMove(from, to) ? to : null), held);
      expect(end).toBe('off_duty');
    }
  });

  it('keeps retrying the registry until the server takes it, and only then starts the clock', async () => {
    let refusals = 3;
    const transport = recordingTransport((request) => {
      if (request.path === '/api/v1/teams' && refusals-- > 0) throw new TypeError('connect ECONNREFUSED');
      return accepted(request);
    });
    const simulator = start({ fetchImpl: transport.fetchImpl });
    await vi.advanceTimersByTimeAsync(3 * TICK_MS);
    expect(transport.requests.map((r) => r.path)).toEqual(
      Array(4).fill('/api/v1/teams').concat('/api/v1/volunteers', '/api/v1/positions'),
    );
    expect(simulator.stats().simulatedMs).toBe(0);

    await vi.advanceTimersByTimeAsync(2 * TICK_MS);
    expect(reportRequests(transport.requests).length).toBeGreaterThan(0);
    expect(simulator.stats().simulatedMs).toBe(2 * TICK_MS * SPEED);
  });

  it('splits large batches into requests of at most MAX_BATCH_ITEMS items', async () => {
    const transport = recordingTransport();
    const simulator = start({ fetchImpl: transport.fetchImpl, speed: 3600 });
    await vi.advanceTimersByTimeAsync(TICK_MS);

    const positions = transport.requests.filter((r) => r.path === '/api/v1/positions');
    expect(positions.length).toBeGreaterThan(1);
    expect(positions.every((r) => r.items.length <= MAX_BATCH_ITEMS)).toBe(true);
    expect(simulator.stats().sent.positions).toBe(positions.reduce((sum, r) => sum + r.items.length, 0));
  });

  it('sends nothing after stop() has resolved', async () => {
    const transport = recordingTransport();
    const simulator = start({ fetchImpl: transport.fetchImpl });
    await vi.advanceTimersByTimeAsync(3 * TICK_MS);
    await simulator.stop();
    const sent = transport.requests.length;
    await vi.advanceTimersByTimeAsync(10 * TICK_MS);
    expect(transport.requests.length).toBe(sent);
  });

  it('refuses a speed or tick that is not positive', () => {
    const { fetchImpl } = recordingTransport();
    expect(() => start({ fetchImpl, speed: 0 })).toThrow(RangeError);
    expect(() => start({ fetchImpl, tickMs: -1 })).toThrow(RangeError);
  });
});
