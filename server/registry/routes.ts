/**
 * The volunteer registry console's API, for coordinators and admins (access/rules.ts):
 *
 * - `GET /registry`: teams (member and available counts, derived status) and volunteers (skills,
 *   community, status, current and upcoming shifts, active personal link).
 * - `PUT /registry/teams/:id`, `PUT /registry/volunteers/:id`: a whole record of the ingest
 *   contract (its `id` is the one in the address), registered through the ingest service like
 *   any batch (audited, one transaction); the answer is the entry as it now reads.
 * - `PUT /registry/volunteers/:id/shifts`: replaces the current and upcoming shifts.
 * - `POST /registry/volunteers/:id/duty`: on or off duty, through the dispatch service.
 * - `POST|DELETE /registry/volunteers/:id/link`: a new personal link (revoking the one before;
 *   its address is in this answer only) or none.
 * - `POST /registry/import?kind=teams|volunteers`: a `text/csv` file (registry/csv.ts), one
 *   batch, all or nothing; every problem is named `/rows/<line>/<column>`.
 *
 * Scope: an account scoped to a subdistrict reads and changes only the teams of that
 * subdistrict and their volunteers, and may not move either into another (403 OUT_OF_SCOPE).
 * An id the registry does not hold is 404 NOT_FOUND.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { DutyChange, ImportQuery, Registry, ShiftsChange, TeamEntry, VolunteerEntry, VolunteerLinkCreated, type Shift } from '../contract/dispatch.ts';
import { BatchAccepted, ErrorBody, TeamRecord, VolunteerRecord } from '../contract/ingest.ts';
import { actorOf } from '../domain/access.ts';
import { volunteerLinkUrl } from '../domain/tokens.ts';
import { AppError, type ErrorDetail } from '../errors.ts';
import { refuseUnstorableText } from '../ingest/routes.ts';
import type { IngestResult } from '../ingest/service.ts';
import { audit } from '../store/audit.ts';
import {
  replaceShifts,
  teamEntries,
  teamSubdistricts,
  volunteerEntries,
  volunteerSubdistricts,
} from '../store/registry.ts';
import { createVolunteerLink, revokeVolunteerLinks } from '../store/volunteer-links.ts';
import { acceptCsvBodies } from './csv-body.ts';
import { parseTeamsCsv, parseVolunteersCsv, type CsvRows } from './csv.ts';

const tags = ['registry'];
const errors = { '4xx': ErrorBody, '5xx': ErrorBody };
const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });

/** A registry file of MAX_BATCH_ITEMS volunteers with long names fits well within this. */
const CSV_BODY_LIMIT = 2 * 1024 * 1024;

const registry: FastifyPluginAsyncTypebox = async (app) => {
  const { store } = app;
  const actor = (request: FastifyRequest) => actorOf(request.principal!);
  const scopeOf = (request: FastifyRequest) => request.principal!.subdistrict;

  // Decoded here, so the route sees text whatever encoding the spreadsheet saved it in.
  acceptCsvBodies(app, CSV_BODY_LIMIT);

  /** Refuses a place outside the caller's subdistrict, naming the field that put it there. */
  function refuseOutside(request: FastifyRequest, subdistrict: string, path: string): void {
    const scope = scopeOf(request);
    if (scope !== null && subdistrict !== scope) {
      throw new AppError('OUT_OF_SCOPE', [{ path, message: `lies in subdistrict ${subdistrict}, outside ${scope}` }]);
    }
  }

  /** The subdistrict of a registered team or volunteer the caller may see; else 404 or 403. */
  async function placeOf(request: FastifyRequest, what: 'team' | 'volunteer', id: string): Promise<string> {
    const places = what === 'team' ? await teamSubdistricts(store.pool, [id]) : await volunteerSubdistricts(store.pool, [id]);
    const place = places.get(id);
    if (place === undefined) throw new AppError('NOT_FOUND', [{ path: '/id', message: `no ${what} "${id}"` }]);
    refuseOutside(request, place, '/id');
    return place;
  }

  async function volunteerEntry(id: string): Promise<VolunteerEntry> {
    const [entry] = await volunteerEntries(store.pool, { subdistrict: null, volunteerId: id });
    if (!entry) throw new AppError('NOT_FOUND', [{ path: '/id', message: `no volunteer "${id}"` }]);
    return entry;
  }

  app.get('/registry', { schema: { summary: 'Teams and volunteers, with status, skills, shifts and links', tags, response: { 200: Registry, ...errors } } }, async (request) => ({
    teams: await teamEntries(store.pool, { subdistrict: scopeOf(request) }),
    volunteers: await volunteerEntries(store.pool, { subdistrict: scopeOf(request) }),
  }));

  app.put(
    '/registry/teams/:id',
    {
      schema: { summary: 'Change a team (the whole record)', tags, params: IdParam, body: TeamRecord, response: { 200: TeamEntry, ...errors } },
      preHandler: refuseUnstorableText,
    },
    async (request) => {
      const { id } = request.params;
      refuseOtherId(request.body.id, id);
      await placeOf(request, 'team', id);
      refuseOutside(request, request.body.subdistrict, '/subdistrict');
      await located(app.ingest.teams([request.body], actor(request)), () => '');
      const [entry] = await teamEntries(store.pool, { subdistrict: null, teamId: id });
      return entry!;
    },
  );

  app.put(
    '/registry/volunteers/:id',
    {
      schema: {
        summary: 'Change a volunteer (the whole record: a field left out is cleared)',
        tags,
        params: IdParam,
        body: VolunteerRecord,
        response: { 200: VolunteerEntry, ...errors },
      },
      preHandler: refuseUnstorableText,
    },
    async (request) => {
      const { id } = request.params;
      refuseOtherId(request.body.id, id);
      await placeOf(request, 'volunteer', id);
      const teamPlace = (await teamSubdistricts(store.pool, [request.body.teamId])).get(request.body.teamId);
      if (teamPlace === undefined) throw new AppError('UNKNOWN_TEAM', [{ path: '/teamId', message: `team "${request.body.teamId}" is not registered` }]);
      refuseOutside(request, teamPlace, '/teamId');
      await located(app.ingest.volunteers([request.body], actor(request)), () => '');
      return volunteerEntry(id);
    },
  );

  app.put(
    '/registry/volunteers/:id/shifts',
    {
      schema: {
        summary: "Replace a volunteer's current and upcoming shifts",
        tags,
        params: IdParam,
        body: ShiftsChange,
        response: { 200: VolunteerEntry, ...errors },
      },
      preHandler: refuseUnstorableText,
    },
    async (request) => {
      const { id } = request.params;
      await placeOf(request, 'volunteer', id);
      refuseBadShifts(request.body.shifts, Date.now());
      await store.transaction(async (tx) => {
        await replaceShifts(tx, id, request.body.shifts);
        await audit(tx, actor(request), 'volunteer.shifts-replaced', id, { shifts: request.body.shifts.length });
      });
      return volunteerEntry(id);
    },
  );

  app.post(
    '/registry/volunteers/:id/duty',
    {
      schema: { summary: 'Put a volunteer on or off duty', tags, params: IdParam, body: DutyChange, response: { 200: VolunteerEntry, ...errors } },
      preHandler: refuseUnstorableText,
    },
    async (request) => {
      const { id } = request.params;
      await placeOf(request, 'volunteer', id);
      await app.dispatch.setDuty(id, request.body.onDuty, actor(request));
      return volunteerEntry(id);
    },
  );

  app.post(
    '/registry/volunteers/:id/link',
    {
      schema: {
        summary: "Create a volunteer's personal page link, revoking the one before (its address is shown once)",
        tags,
        params: IdParam,
        response: { 200: VolunteerLinkCreated, ...errors },
      },
    },
    async (request) => {
      const { id } = request.params;
      await placeOf(request, 'volunteer', id);
      const link = await store.transaction(async (tx) => {
        const created = await createVolunteerLink(tx, id, actor(request));
        if (!created) throw new AppError('NOT_FOUND', [{ path: '/id', message: `no volunteer "${id}"` }]);
        await audit(tx, actor(request), 'volunteer-link.created', id, { link: created.id });
        return created;
      });
      // The revoked link's sessions are gone; its open page goes dark now, not at its next request.
      app.live.disconnect((p) => p.kind === 'volunteer-link' && p.id === id);
      const base = app.config.publicUrl ?? `${request.protocol}://${request.host}`;
      return { url: volunteerLinkUrl(base, link.id, app.signingSecret), link: { id: link.id, createdAt: link.createdAt } };
    },
  );

  app.delete(
    '/registry/volunteers/:id/link',
    { schema: { summary: "Revoke a volunteer's personal page link", tags, params: IdParam, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      const { id } = request.params;
      await placeOf(request, 'volunteer', id);
      await store.transaction(async (tx) => {
        if (!(await revokeVolunteerLinks(tx, id))) throw new AppError('NOT_FOUND', [{ path: '/id', message: `volunteer "${id}" has no active link` }]);
        await audit(tx, actor(request), 'volunteer-link.revoked', id);
      });
      app.live.disconnect((p) => p.kind === 'volunteer-link' && p.id === id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/registry/import',
    {
      bodyLimit: CSV_BODY_LIMIT,
      schema: {
        summary: 'Import teams or volunteers from a CSV file (header row naming the columns), all or nothing',
        description:
          'Teams: id,name,subdistrict,specialty,community. Volunteers: id,teamId,name,phone,deviceId,skills,community ' +
          '(skills separated by ; or |). Empty cells are absent fields. UTF-8 or GB18030. Problems are named /rows/<line>/<column>.',
        tags,
        consumes: ['text/csv'],
        querystring: ImportQuery,
        body: Type.String({ description: 'the CSV file' }),
        response: { 200: BatchAccepted, ...errors },
      },
    },
    async (request) => {
      if (request.query.kind === 'teams') {
        const rows = parseTeamsCsv(request.body);
        await refuseTeamsOutside(request, rows);
        return located(app.ingest.teams(rows.items, actor(request)), (i) => `/rows/${rows.lines[i]}`);
      }
      const rows = parseVolunteersCsv(request.body);
      await refuseVolunteersOutside(request, rows);
      return located(app.ingest.volunteers(rows.items, actor(request)), (i) => `/rows/${rows.lines[i]}`);
    },
  );

  /** A scoped account imports teams of its subdistrict only, new or held. */
  async function refuseTeamsOutside(request: FastifyRequest, rows: CsvRows<TeamRecord>): Promise<void> {
    const scope = scopeOf(request);
    if (scope === null) return;
    const held = await teamSubdistricts(store.pool, rows.items.map((t) => t.id));
    const details = [
      ...outside(scope, rows, 'id', (t) => held.get(t.id)),
      ...outside(scope, rows, 'subdistrict', (t) => t.subdistrict),
    ];
    if (details.length > 0) throw new AppError('OUT_OF_SCOPE', details);
  }

  /** A scoped account imports volunteers into, and out of, its subdistrict's teams only. */
  async function refuseVolunteersOutside(request: FastifyRequest, rows: CsvRows<VolunteerRecord>): Promise<void> {
    const scope = scopeOf(request);
    if (scope === null) return;
    const held = await volunteerSubdistricts(store.pool, rows.items.map((v) => v.id));
    const teams = await teamSubdistricts(store.pool, rows.items.map((v) => v.teamId));
    const details = [
      ...outside(scope, rows, 'id', (v) => held.get(v.id)),
      ...outside(scope, rows, 'teamId', (v) => teams.get(v.teamId)),
    ];
    if (details.length > 0) throw new AppError('OUT_OF_SCOPE', details);
  }
};

/** The rows whose place (where known) lies outside `scope`, named by line and column. */
function outside<T>(scope: string, rows: CsvRows<T>, column: string, placeOf: (item: T) => string | undefined): ErrorDetail[] {
  return rows.items.flatMap((item, i) => {
    const place = placeOf(item);
    if (place === undefined || place === scope) return [];
    return [{ path: `/rows/${rows.lines[i]}/${column}`, message: `lies in subdistrict ${place}, outside ${scope}` }];
  });
}

function refuseOtherId(bodyId: string, pathId: string): void {
  if (bodyId !== pathId) throw new AppError('VALIDATION_FAILED', [{ path: '/id', message: `must be "${pathId}", the id in the address` }]);
}

/** Shifts must end after they start, and not lie in the past: ended shifts are history. */
function refuseBadShifts(shifts: Shift[], now: number): void {
  const details = shifts.flatMap((shift, i) => {
    const [starts, ends] = [Date.parse(shift.startsAt), Date.parse(shift.endsAt)];
    if (Number.isNaN(starts)) return [{ path: `/shifts/${i}/startsAt`, message: 'is not a readable time' }];
    if (Number.isNaN(ends)) return [{ path: `/shifts/${i}/endsAt`, message: 'is not a readable time' }];
    if (ends <= starts) return [{ path: `/shifts/${i}/endsAt`, message: 'must come after startsAt' }];
    return ends <= now ? [{ path: `/shifts/${i}/endsAt`, message: 'lies in the past; an ended shift cannot be changed' }] : [];
  });
  if (details.length > 0) throw new AppError('VALIDATION_FAILED', details);
}

/**
 * The ingest service names items `/items/<i>`; here they are a row of a file or the body
 * itself, so its refusals are told in those terms.
 */
async function located(work: Promise<IngestResult>, itemPath: (index: number) => string): Promise<IngestResult> {
  try {
    return await work;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const details = error.details.map((d) => ({ ...d, path: d.path.replace(/^\/items\/(\d+)/, (_, i: string) => itemPath(Number(i))) }));
    throw new AppError(error.code, details);
  }
}

export default registry;
