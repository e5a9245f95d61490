/**
 * The Xicheng feed simulator's core: pure and deterministic (no I/O, no clock, no
 * Math.random). It plays the district forward in simulated time and says what the real feeds
 * would have sent.
 *
 * - `new Simulation({ seed, startMs, subdistricts, teamsPerSubdistrict = 4, membersPerTeam })`
 *   builds the volunteer registry (see registry.ts) and schedules the first events.
 * - `registry()` returns the teams and volunteers to register before any position is sent.
 * - `advance(dtMs)` processes every event in [clock, clock + dtMs) in time order and returns
 *   the reports a feed would have sent meanwhile, in the order they happened and without `at`
 *   (the server stamps the receipt time; simulated time may run faster than real time):
 *   - cases from the hotline, grid patrols, the app, video and proactive governance, with a
 *     daily rhythm, each later walking reported → dispatched → in_progress → resolved → closed
 *     as further reports with the same sourceId; every report of an app case names its
 *     `reporter`, a pseudonymous resident from a bounded pool of the subdistrict (online
 *     participation), and the closing report of a hotline case carries the call-back's answer
 *     (`callback`, 回访: it is what closes the case), once, after the resolved report;
 *   - safety incidents, a few an hour, walking reported → confirmed → responding → contained
 *     → closed; at `responding` one or two available teams of the subdistrict with a fitting
 *     specialty are sent, at `contained` they are released;
 *   - positions of on-duty volunteers every 10–30 s, with `status` on the reports where it
 *     changes (and on the first one of a shift); none while off duty. About 0.5 % of positions
 *     and cases fall just outside the district, as GPS and geocoding errors do.
 *
 * Same options and the same sequence of advance() calls give byte-identical output. Because
 * events are processed in a fixed time order, the output concatenated over calls does not even
 * depend on how the time is sliced into calls.
 */
import type { CaseReport, IncidentReport, PositionReport, TeamRecord, VolunteerRecord } from '../server/contract/ingest.ts';
import {
  CASE_STATES,
  INCIDENT_STATES,
  type CaseCategory,
  type CaseSource,
  type CaseState,
  type IncidentKind,
  type IncidentState,
  type Severity,
  type VolunteerStatus,
} from '../server/domain/vocabulary.ts';
import {
  arrivalRate,
  CASE_DESCRIPTIONS,
  CASE_STREAMS,
  CASE_TIMING,
  CROWDING_HOTSPOTS,
  HOUR_MS,
  HUTONG_ADCODES,
  HUTONG_CASE_DENSITY,
  HUTONG_CATEGORY_BOOST,
  INCIDENT_DESCRIPTIONS,
  INCIDENT_HOURS,
  INCIDENT_TIMING,
  INCIDENTS_PER_DAY,
  incidentKindWeights,
  localMidnight,
  localMinuteOfDay,
  localMonth,
  MINUTE_MS,
  OFF_DISTRICT_RATE,
  peakArrivalRate,
  RESPONDING_SPECIALTIES,
  SEVERITY_WEIGHTS,
  VOLUNTEER_TIMING,
  type CallBackRates,
  type CaseStream,
  type HourlyProfile,
} from './catalog.ts';
import { EventQueue } from './event-queue.ts';
import { District, type Area, type LonLat, type SubdistrictCollection } from './geometry.ts';
import { Random, type Weighted } from './random.ts';
import { buildRegistry } from './registry.ts';
import { drawDuty, Walker } from './walker.ts';

export interface SimulationOptions {
  seed: number;
  /** epoch ms at which simulated time starts */
  startMs: number;
  subdistricts: SubdistrictCollection;
  teamsPerSubdistrict?: number;
  /** fixed team size; by default each team has 6 to 8 members */
  membersPerTeam?: number;
}

export interface Registry {
  teams: TeamRecord[];
  volunteers: VolunteerRecord[];
}

export interface Reports {
  cases: CaseReport[];
  incidents: IncidentReport[];
  positions: PositionReport[];
}

const DEFAULT_TEAMS_PER_SUBDISTRICT = 4;

interface OpenCase {
  sourceId: string;
  stream: CaseStream;
  category: CaseCategory;
  lon: number;
  lat: number;
  stage: number;
  /** the pseudonymous resident who reported it, for streams with reporters */
  reporter?: string;
}

interface OpenIncident {
  sourceId: string;
  kind: IncidentKind;
  severity: Severity;
  area: Area;
  scene: LonLat;
  stage: number;
  responders: Walker[];
  /** a responder has arrived */
  onScene: boolean;
}

interface Team {
  record: TeamRecord;
  area: Area;
  members: Walker[];
}

type SimEvent =
  | { type: 'case-arrival'; stream: CaseStream }
  | { type: 'incident-arrival' }
  | { type: 'case-step'; item: OpenCase }
  | { type: 'incident-step'; item: OpenIncident }
  | { type: 'fix'; walker: Walker; chain: number }
  | { type: 'shift-change'; walker: Walker }
  | { type: 'set-off'; walker: Walker; assignment: number; route: LonLat[] }
  | { type: 'arrive'; walker: Walker; assignment: number; item: OpenIncident };

export class Simulation {
  private clock: number;
  private readonly district: District;
  private readonly teams: Team[];
  private readonly records: Registry;
  private readonly random: Random;
  /** what residents do: who reports an app case, what a caller says when called back */
  private readonly residents: Random;
  private readonly events = new EventQueue<SimEvent>();
  /** makes sourceIds unique across runs of the same seed against one server */
  private readonly idPrefix: string;
  private readonly caseAreas: Weighted<Area>;
  private readonly crowdingAreas: Weighted<Area>;
  /** reporters per subdistrict (adcode) of each stream that has them */
  private readonly reporterPools: Map<CaseStream, Map<string, number>>;
  private serial = 0;
  private output: Reports = emptyReports();

  constructor(options: SimulationOptions) {
    const root = Random.fromSeed(options.seed);
    // Separate streams: the registry stays the same whatever the dynamics draw, and vice versa.
    const registryRandom = root.split();
    const crewRandom = root.split();
    this.random = root.split();
    // Split last: the residents' draws never shift those of the registry, crews or dynamics.
    this.residents = root.split();
    this.clock = options.startMs;
    this.idPrefix = `sim.${options.seed}.${options.startMs.toString(36)}`;
    this.district = new District(options.subdistricts);
    const registered = buildRegistry(this.district.areas, registryRandom, {
      teamsPerSubdistrict: options.teamsPerSubdistrict ?? DEFAULT_TEAMS_PER_SUBDISTRICT,
      membersPerTeam: options.membersPerTeam,
    });
    this.records = {
      teams: registered.map((team) => team.record),
      volunteers: registered.flatMap((team) => team.members),
    };
    this.teams = registered.map(({ record, area, members }) => ({
      record,
      area,
      members: members.map((member) => newWalker(member, area, record, crewRandom)),
    }));
    const areas = this.district.areas;
    this.caseAreas = areas.map((area) => [area, area.areaKm2 * (HUTONG_ADCODES.has(area.adcode) ? HUTONG_CASE_DENSITY : 1)]);
    this.crowdingAreas = areas.map((area) => [area, area.areaKm2 * (CROWDING_HOTSPOTS[area.adcode] ?? 1)]);
    this.reporterPools = new Map(CASE_STREAMS.flatMap((stream) => (stream.reporters ? [[stream, reporterPools(stream, this.caseAreas)]] : [])));
    this.scheduleFirstEvents(options.startMs);
  }

  /**
   * How many pseudonymous residents report through each online stream, per subdistrict
   * (adcode): every reporter a case of that source names is one of them.
   */
  reporterPoolSizes(): Map<CaseSource, Map<string, number>> {
    return new Map([...this.reporterPools].map(([stream, pools]) => [stream.source, new Map(pools)]));
  }

  /** Current simulated time, epoch ms. */
  get now(): number {
    return this.clock;
  }

  registry(): Registry {
    return {
      teams: this.records.teams.map((team) => ({ ...team })),
      volunteers: this.records.volunteers.map((volunteer) => ({ ...volunteer })),
    };
  }

  /**
   * Every volunteer off duty at home, as this run begins. A server that kept volunteers on duty
   * from an earlier run (a persistent store) must learn that they are not, or they would stand
   * on the wall forever; the runner sends these along legal moves (see statusResync).
   */
  rollCall(): PositionReport[] {
    return this.teams.flatMap((team) =>
      team.members.map((walker) => ({ volunteerId: walker.record.id, lon: walker.home[0], lat: walker.home[1], status: 'off_duty' as const })),
    );
  }

  advance(dtMs: number): Reports {
    if (!Number.isFinite(dtMs) || dtMs < 0) throw new RangeError(`advance needs a finite dtMs >= 0, got ${dtMs}`);
    const end = this.clock + dtMs;
    while (this.events.nextAt() < end) {
      const next = this.events.pop();
      if (next) this.handle(next.value, next.at);
    }
    this.clock = end;
    const reports = this.output;
    this.output = emptyReports();
    return reports;
  }

  private scheduleFirstEvents(startMs: number): void {
    for (const stream of CASE_STREAMS) {
      this.scheduleArrival({ type: 'case-arrival', stream }, stream.perDay, stream.hours, startMs);
    }
    this.scheduleArrival({ type: 'incident-arrival' }, INCIDENTS_PER_DAY, INCIDENT_HOURS, startMs);
    // A shift check at the start puts the volunteers who are on shift right now on duty.
    for (const team of this.teams) for (const walker of team.members) this.events.push(startMs, { type: 'shift-change', walker });
  }

  private handle(event: SimEvent, t: number): void {
    switch (event.type) {
      case 'case-arrival':
        if (this.arrives(event.stream.perDay, event.stream.hours, t)) this.openCase(event.stream, t);
        this.scheduleArrival(event, event.stream.perDay, event.stream.hours, t);
        return;
      case 'incident-arrival':
        if (this.arrives(INCIDENTS_PER_DAY, INCIDENT_HOURS, t)) this.openIncident(t);
        this.scheduleArrival(event, INCIDENTS_PER_DAY, INCIDENT_HOURS, t);
        return;
      case 'case-step':
        return this.advanceCase(event.item, t);
      case 'incident-step':
        return this.advanceIncident(event.item, t);
      case 'fix':
        return this.periodicFix(event.walker, event.chain, t);
      case 'shift-change':
        return this.changeShift(event.walker, t);
      case 'set-off':
        return this.setOff(event.walker, event.assignment, event.route, t);
      case 'arrive':
        return this.arrive(event.walker, event.assignment, event.item, t);
    }
  }

  // Arrivals are a Poisson process whose rate follows the hour of day, sampled by thinning:
  // candidates come at the peak rate and each is kept with probability rate(t) / peak.
  private scheduleArrival(event: SimEvent, perDay: number, hours: HourlyProfile, after: number): void {
    this.events.push(after + this.random.exponential(1 / peakArrivalRate(perDay, hours)), event);
  }

  private arrives(perDay: number, hours: HourlyProfile, t: number): boolean {
    return this.random.float() * peakArrivalRate(perDay, hours) < arrivalRate(perDay, hours, t);
  }

  private openCase(stream: CaseStream, t: number): void {
    const area = this.random.weighted(this.caseAreas);
    const hutong = HUTONG_ADCODES.has(area.adcode);
    const category = this.random.weighted(
      stream.categories.map(([c, weight]) => [c, weight * (hutong ? (HUTONG_CATEGORY_BOOST[c] ?? 1) : 1)] as const),
    );
    const [lon, lat] = this.maybeOffDistrict(area.randomPoint(this.random));
    const item: OpenCase = { sourceId: this.nextId(stream.code), stream, category, lon, lat, stage: 0 };
    const pool = this.reporterPools.get(stream)?.get(area.adcode);
    if (stream.reporters && pool) item.reporter = reporterId(stream.reporters.idPrefix, area.adcode, this.residents.int(1, pool));
    const description = stream.descriptionPrefix + this.random.pick(CASE_DESCRIPTIONS[category]);
    this.output.cases.push({ ...caseReport(item), description });
    this.scheduleCaseStep(item, t);
  }

  private advanceCase(item: OpenCase, t: number): void {
    item.stage++;
    const report = caseReport(item);
    const rates = item.stream.callBacks;
    this.output.cases.push(rates && caseState(item) === 'closed' ? { ...report, callback: this.callBack(rates, item.category) } : report);
    this.scheduleCaseStep(item, t);
  }

  /** What the caller says when called back (回访). */
  private callBack(rates: CallBackRates, category: CaseCategory): NonNullable<CaseReport['callback']> {
    const solved = this.residents.chance(rates.solvedByCategory[category] ?? rates.solved);
    const satisfaction = this.residents.weighted(solved ? rates.satisfactionIfSolved : rates.satisfactionIfUnsolved);
    return { solved, satisfaction };
  }

  private scheduleCaseStep(item: OpenCase, t: number): void {
    const nextAt = this.nextCaseStepAt(item, t);
    if (nextAt !== null) this.events.push(nextAt, { type: 'case-step', item });
  }

  /** When the case leaves its current state; null once closed. */
  private nextCaseStepAt(item: OpenCase, t: number): number | null {
    switch (caseState(item)) {
      case 'reported':
        return t + this.delay({ min: 1, mean: item.stream.dispatchMinutes });
      case 'dispatched':
        return t + this.delay(CASE_TIMING.inProgressMinutes);
      case 'in_progress':
        return t + this.delay(CASE_TIMING.resolvedMinutes);
      case 'resolved':
        return this.callBackAt(t);
      case 'closed':
        return null;
    }
  }

  /** The call-back (回访) that closes a case comes within a day, and only in office hours. */
  private callBackAt(resolvedAt: number): number {
    const { closedMinutes, callBackHours } = CASE_TIMING;
    const at = resolvedAt + minutes(Math.min(closedMinutes.max, closedMinutes.min + this.random.exponential(closedMinutes.mean)));
    const hour = localMinuteOfDay(at) / 60;
    if (hour >= callBackHours.from && hour < callBackHours.to) return at;
    const nextMorning = localMidnight(at) + (hour >= callBackHours.to ? 24 : 0) * HOUR_MS + callBackHours.from * HOUR_MS;
    return nextMorning + this.random.between(0, 2 * HOUR_MS);
  }

  private openIncident(t: number): void {
    const kind = this.random.weighted(incidentKindWeights(localMonth(t)));
    const severity = this.random.weighted(SEVERITY_WEIGHTS);
    const area = this.random.weighted(kind === 'crowding' ? this.crowdingAreas : this.caseAreas);
    const scene = area.randomPoint(this.random);
    const item: OpenIncident = { sourceId: this.nextId('incident'), kind, severity, area, scene, stage: 0, responders: [], onScene: false };
    const description = this.random.pick(INCIDENT_DESCRIPTIONS[kind]);
    this.output.incidents.push({ ...incidentReport(item, 'reported'), description });
    this.events.push(t + this.delay(INCIDENT_TIMING.confirmMinutes), { type: 'incident-step', item });
  }

  private advanceIncident(item: OpenIncident, t: number): void {
    item.stage++;
    const state = INCIDENT_STATES[item.stage] as IncidentState;
    if (state === 'responding') return this.respond(item, t);
    this.output.incidents.push(incidentReport(item, state));
    switch (state) {
      case 'confirmed':
        this.events.push(t + this.delay(INCIDENT_TIMING.respondMinutes), { type: 'incident-step', item });
        return;
      case 'contained':
        this.releaseResponders(item, t);
        this.events.push(t + this.delay(INCIDENT_TIMING.closeMinutes), { type: 'incident-step', item });
        return;
      default:
        return;
    }
  }

  /** Teams are sent (the report says dispatched when someone could be); work starts on arrival. */
  private respond(item: OpenIncident, t: number): void {
    const report = incidentReport(item, 'responding');
    const firstOnScene = this.dispatchTeams(item, t);
    this.output.incidents.push(firstOnScene === null ? report : { ...report, milestone: 'dispatched' });
    const workStartsAt = firstOnScene ?? t + this.delay(INCIDENT_TIMING.unattendedMinutes);
    const containedAt = workStartsAt + this.delay(INCIDENT_TIMING.containMinutes[item.severity]);
    this.events.push(containedAt, { type: 'incident-step', item });
  }

  /**
   * Sends the nearest one or two teams of the incident's subdistrict whose specialty fits (two
   * for severity III and worse, sometimes for IV); every available member goes. Returns when
   * the first of them will be on scene, or null when no one could be sent.
   */
  private dispatchTeams(item: OpenIncident, t: number): number | null {
    const wanted = item.severity <= 3 || this.random.chance(0.3) ? 2 : 1;
    let firstOnScene: number | null = null;
    for (const team of this.teamsFor(item, t).slice(0, wanted)) {
      for (const walker of team.members) {
        if (walker.status !== 'available') continue;
        const route = item.area.route(walker.where, item.scene);
        if (!route) continue;
        const onSceneAt = this.assign(walker, item, route, t);
        firstOnScene = Math.min(firstOnScene ?? Infinity, onSceneAt);
      }
    }
    return firstOnScene;
  }

  /** Teams of the incident's subdistrict with a fitting specialty and someone available, best first. */
  private teamsFor(item: OpenIncident, t: number): Team[] {
    const preferences = RESPONDING_SPECIALTIES[item.kind];
    return this.teams
      .filter((team) => team.area === item.area && preferences.includes(team.record.specialty))
      .map((team) => ({
        team,
        rank: preferences.indexOf(team.record.specialty),
        distance: this.distanceOfAvailable(team, item.scene, t),
      }))
      .filter((candidate) => candidate.distance < Infinity)
      .sort((a, b) => a.rank - b.rank || a.distance - b.distance)
      .map((candidate) => candidate.team);
  }

  /** Mean distance of the team's available members to a point; Infinity when none is available. */
  private distanceOfAvailable(team: Team, scene: LonLat, t: number): number {
    const available = team.members.filter((walker) => walker.status === 'available');
    if (available.length === 0) return Infinity;
    for (const walker of available) walker.walkTo(t, this.random);
    const total = available.reduce((sum, walker) => sum + this.district.frame.distance(walker.where, scene), 0);
    return total / available.length;
  }

  /** Assigns now, sets off after a short preparation, arrives at a hurried walk; returns the arrival time. */
  private assign(walker: Walker, item: OpenIncident, route: LonLat[], t: number): number {
    walker.walkTo(t, this.random);
    walker.assign(item.sourceId, t);
    item.responders.push(walker);
    this.emitFix(walker, 'assigned');
    const { prepareSeconds, hurryFactor } = VOLUNTEER_TIMING;
    const setOffAt = t + (prepareSeconds.min + this.random.exponential(prepareSeconds.mean)) * 1000;
    const walkMs = (this.district.frame.pathLength(walker.where, route) / (walker.speedMps * hurryFactor)) * 1000;
    const assignment = walker.assignment;
    this.events.push(setOffAt, { type: 'set-off', walker, assignment, route });
    this.events.push(setOffAt + walkMs, { type: 'arrive', walker, assignment, item });
    return setOffAt + walkMs;
  }

  private setOff(walker: Walker, assignment: number, route: LonLat[], t: number): void {
    if (walker.assignment !== assignment) return;
    walker.walkTo(t, this.random);
    walker.setOff(route);
    this.emitFix(walker, 'en_route');
  }

  /** The first responder on scene is also reported on the incident (its response time). */
  private arrive(walker: Walker, assignment: number, item: OpenIncident, t: number): void {
    if (walker.assignment !== assignment) return;
    walker.walkTo(t, this.random);
    walker.arrive(item.scene);
    this.emitFix(walker, 'on_scene');
    if (item.onScene) return;
    item.onScene = true;
    this.output.incidents.push({ ...incidentReport(item, INCIDENT_STATES[item.stage] as IncidentState), milestone: 'on_scene' });
  }


  /**
   * Released responders become available again; those whose shift ended meanwhile then go off
   * duty, in two reports, because duty ends only from `available` (server/domain/lifecycle.ts).
   */
  private releaseResponders(item: OpenIncident, t: number): void {
    for (const walker of item.responders) {
      if (walker.incidentId !== item.sourceId) continue;
      walker.walkTo(t, this.random);
      walker.release();
      this.emitFix(walker, 'available');
      if (!walker.isOnShift(t)) this.goOffDuty(walker);
    }
  }

  /** At every shift start or end (and once at the start): turn up, or go home if idle. */
  private changeShift(walker: Walker, t: number): void {
    if (walker.isOnShift(t)) {
      if (walker.status === 'off_duty' && this.random.chance(walker.duty.attendance)) {
        walker.beginShift(t);
        this.emitFix(walker, 'available');
        this.scheduleFix(walker, t);
      }
    } else if (walker.status === 'available') {
      walker.walkTo(t, this.random);
      this.goOffDuty(walker);
    }
    this.events.push(walker.nextShiftChange(t), { type: 'shift-change', walker });
  }

  private goOffDuty(walker: Walker): void {
    walker.endShift();
    this.emitFix(walker, 'off_duty');
  }

  private periodicFix(walker: Walker, chain: number, t: number): void {
    if (walker.fixChain !== chain) return;
    walker.walkTo(t, this.random);
    this.emitFix(walker);
    this.scheduleFix(walker, t);
  }

  private scheduleFix(walker: Walker, t: number): void {
    const { min, max } = VOLUNTEER_TIMING.fixSeconds;
    this.events.push(t + this.random.between(min, max) * 1000, { type: 'fix', walker, chain: walker.fixChain });
  }

  private emitFix(walker: Walker, status?: VolunteerStatus): void {
    const [lon, lat] = this.maybeOffDistrict(walker.where);
    const fix: PositionReport = { volunteerId: walker.record.id, lon, lat };
    this.output.positions.push(status ? { ...fix, status } : fix);
  }

  /** Now and then a fix or a geocoded address lands just outside the district. */
  private maybeOffDistrict(p: LonLat): LonLat {
    return this.random.chance(OFF_DISTRICT_RATE) ? this.district.gpsErrorNear(p, this.random) : p;
  }

  /** A shifted exponential delay, in ms. */
  private delay(spec: { min: number; mean: number }): number {
    return minutes(spec.min + this.random.exponential(spec.mean));
  }

  private nextId(kind: string): string {
    return `${this.idPrefix}.${kind}.${String(++this.serial).padStart(6, '0')}`;
  }
}

function newWalker(record: VolunteerRecord, area: Area, team: TeamRecord, random: Random): Walker {
  const home = area.randomPoint(random);
  const { min, max } = VOLUNTEER_TIMING.walkingSpeedMps;
  return new Walker(record, area, home, random.between(min, max), drawDuty(team.specialty, random));
}

function caseState(item: OpenCase): CaseState {
  return CASE_STATES[item.stage] as CaseState;
}

/**
 * A report of the case as it stands. The reporter comes on every report, as the case's other
 * facts do: the server keeps the first it gets, so a dropped first report does not lose it.
 */
function caseReport(item: OpenCase): CaseReport {
  const { sourceId, stream, category, lon, lat, reporter } = item;
  const report: CaseReport = { sourceId, source: stream.source, category, state: caseState(item), lon, lat };
  return reporter === undefined ? report : { ...report, reporter };
}

/**
 * Each subdistrict's number of reporters for an online stream: its expected cases of the
 * stream in a year (by the same weights the cases are placed with) over the reports a resident
 * makes in a year (see ReporterPool in catalog.ts); at least one.
 */
function reporterPools(stream: CaseStream, areas: Weighted<Area>): Map<string, number> {
  const perResident = stream.reporters?.perResidentPerYear ?? 1;
  const total = areas.reduce((sum, [, weight]) => sum + weight, 0);
  return new Map(
    areas.map(([area, weight]) => [area.adcode, Math.max(1, Math.round((stream.perDay * 365 * weight) / total / perResident))]),
  );
}

/** `xcjy.012.0417`: the prefix, the subdistrict's last three digits, the resident's number. */
function reporterId(prefix: string, adcode: string, n: number): string {
  return `${prefix}.${adcode.slice(-3)}.${String(n).padStart(4, '0')}`;
}

function incidentReport(item: OpenIncident, state: IncidentState): IncidentReport {
  return { sourceId: item.sourceId, kind: item.kind, severity: item.severity, state, lon: item.scene[0], lat: item.scene[1] };
}

function minutes(n: number): number {
  return n * MINUTE_MS;
}

function emptyReports(): Reports {
  return { cases: [], incidents: [], positions: [] };
}
