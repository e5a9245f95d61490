/**
 * The registry console's logic: whole records from edits, skill toggles, Beijing-time shift
 * inputs, the duty button, and the import's problems by line; and the CSV upload's request.
 */
import { describe, expect, it } from 'vitest';
import { Api, ApiError, type Me } from '../api.ts';
import {
  dutyAction,
  fromBeijingInput,
  rowProblems,
  shiftFromInputs,
  shiftsToSave,
  toBeijingInput,
  volunteerRecord,
  withSkill,
  type VolunteerEntry,
} from './model.ts';
import { importCsv } from './upload.ts';

const entry: VolunteerEntry = {
  id: 'V1',
  teamId: 'T1',
  name: '张三',
  phone: '138-0000-0001',
  deviceId: 'phone-1',
  community: '前海社区',
  skills: ['fire'],
  status: 'off_duty',
  statusAt: '2026-01-05T00:00:00.000Z',
  shifts: [],
  link: null,
};

describe('volunteer edits', () => {
  it('send the whole record, keeping the phone and device the console does not edit', () => {
    expect(volunteerRecord(entry, { skills: ['first_aid'], community: ' 后海社区 ' })).toEqual({
      id: 'V1',
      teamId: 'T1',
      name: '张三',
      phone: '138-0000-0001',
      deviceId: 'phone-1',
      skills: ['first_aid'],
      community: '后海社区',
    });
  });

  it('leave out what is empty, so the server clears it', () => {
    const bare = { ...entry, phone: null, deviceId: null };
    expect(volunteerRecord(bare, { skills: [], community: '  ' })).toEqual({ id: 'V1', teamId: 'T1', name: '张三', skills: [] });
  });

  it('toggle a skill, keeping the vocabulary order', () => {
    expect(withSkill(['first_aid'], 'fire', true)).toEqual(['fire', 'first_aid']);
    expect(withSkill(['fire', 'first_aid'], 'fire', false)).toEqual(['first_aid']);
    expect(withSkill(['fire'], 'fire', true)).toEqual(['fire']);
  });

  it('offer duty on when off, off when available, and nothing on an assignment', () => {
    expect(dutyAction('off_duty')).toBe('on');
    expect(dutyAction('available')).toBe('off');
    expect(['assigned', 'en_route', 'on_scene'].map((s) => dutyAction(s as 'assigned'))).toEqual([null, null, null]);
  });
});

describe('shift times', () => {
  it('read and show datetime-local values in Beijing time', () => {
    expect(fromBeijingInput('2026-01-05T08:30')).toBe('2026-01-05T00:30:00.000Z');
    expect(fromBeijingInput('2026-01-01T03:00:15')).toBe('2025-12-31T19:00:15.000Z');
    expect(toBeijingInput('2025-12-31T19:00:00.000Z')).toBe('2026-01-01T03:00');
    expect(toBeijingInput('2026-01-05T08:30:00+08:00')).toBe('2026-01-05T08:30');
    expect(fromBeijingInput('')).toBeNull();
  });

  it('make a shift only from two times, the end after the start and after now', () => {
    const now = Date.UTC(2026, 0, 5, 4);
    expect(shiftFromInputs('2026-01-05T08:00', '2026-01-05T16:00', now)).toEqual({
      shift: { startsAt: '2026-01-05T00:00:00.000Z', endsAt: '2026-01-05T08:00:00.000Z' },
    });
    expect(shiftFromInputs('2026-01-05T08:00', '', now)).toEqual({ problem: 'missing' });
    expect(shiftFromInputs('2026-01-05T08:00', '2026-01-05T08:00', now)).toEqual({ problem: 'backwards' });
    expect(shiftFromInputs('2026-01-05T08:00', '2026-01-05T12:00', now)).toEqual({ problem: 'ended' });
  });

  it('save those not yet ended, by start', () => {
    const at = (h: number) => new Date(Date.UTC(2026, 0, 5, h)).toISOString();
    const now = Date.UTC(2026, 0, 5, 10);
    const ended = { startsAt: at(1), endsAt: at(9) };
    const current = { startsAt: at(8), endsAt: at(12) };
    const later = { startsAt: at(20), endsAt: at(23) };
    expect(shiftsToSave([later, ended, current], now)).toEqual([current, later]);
  });
});

describe('import problems', () => {
  it('are read by line and column, the file as a whole without a line', () => {
    const error = new ApiError(400, 'VALIDATION_FAILED', 'bad', [
      { path: '/rows/3/skills', message: '"cooking" is not one of …' },
      { path: '/rows/5', message: 'a quoted cell starting in this row is never closed' },
      { path: '/rows', message: 'there are no rows below the header' },
      { path: '/other', message: 'not about a row' },
    ]);
    expect(rowProblems(error)).toEqual([
      { line: 3, column: 'skills', message: '"cooking" is not one of …' },
      { line: 5, column: null, message: 'a quoted cell starting in this row is never closed' },
      { line: null, column: null, message: 'there are no rows below the header' },
    ]);
    expect(rowProblems(new Error('x'))).toEqual([]);
  });
});

describe('CSV upload', () => {
  const me: Me = { kind: 'user', name: 'zhou', role: 'coordinator', subdistrict: null, mustChangePassword: false, csrfToken: 'tok-2' };
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });

  /** An Api whose GET answers the session and whose POST answers `answer`, recording what was sent. */
  function server(answer: Response) {
    const sent: Array<{ path: string; init: RequestInit }> = [];
    const api = new Api(async (path, init = {}) => {
      sent.push({ path, init });
      return init.method === 'GET' ? json(200, me) : answer;
    });
    return { api, sent };
  }

  it("posts the file's bytes as text/csv with the session's CSRF token", async () => {
    const { api, sent } = server(json(200, { accepted: 2, changed: 2, ignored: 0, seq: 7 }));
    const file = new Blob(['id,name\n']);
    await expect(importCsv(api, 'teams', file)).resolves.toEqual({ accepted: 2, changed: 2, ignored: 0, seq: 7 });
    expect(sent[1]!.path).toBe('/api/v1/registry/import?kind=teams');
    expect(sent[1]!.init).toMatchObject({ method: 'POST', body: file, headers: { 'content-type': 'text/csv', 'x-csrf-token': 'tok-2' } });
  });

  it("rejects with the server's code and the file's problems", async () => {
    const details = [{ path: '/rows/2/id', message: 'is empty, and it is required' }];
    const { api } = server(json(400, { statusCode: 400, code: 'VALIDATION_FAILED', error: 'VALIDATION_FAILED', message: 'bad', details }));
    await expect(importCsv(api, 'volunteers', new Blob([]))).rejects.toMatchObject({ status: 400, code: 'VALIDATION_FAILED', details });
    const gateway = server(new Response('<html>', { status: 502 }));
    await expect(importCsv(gateway.api, 'teams', new Blob([]))).rejects.toMatchObject({ code: 'HTTP_502' });
  });
});
