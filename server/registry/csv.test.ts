/**
 * CSV imports: rows become contract records with their line numbers; every problem refuses the
 * file with a detail naming line and column.
 */
import { describe, expect, it } from 'vitest';
import { MAX_BATCH_ITEMS } from '../contract/ingest.ts';
import { AppError } from '../errors.ts';
import { decodeCsv, parseTeamsCsv, parseVolunteersCsv } from './csv.ts';

/** The details of the VALIDATION_FAILED the parse refuses with. */
function problems(parse: () => unknown): Array<{ path: string; message: string }> {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('VALIDATION_FAILED');
    return (error as AppError).details;
  }
  throw new Error('the parse was not refused');
}

const paths = (parse: () => unknown) => problems(parse).map((p) => p.path);

describe('team CSV', () => {
  it('reads rows in any column order, trimmed, with empty cells absent and empty lines skipped', () => {
    const text = [
      '\uFEFFspecialty, id ,name,subdistrict,community',
      'fire,T1,什刹海消防队,110102012,前海社区',
      '',
      '  patrol , T2 , "牛街巡逻队, 二组" ,110102018,',
      ',,,,',
    ].join('\r\n');
    expect(parseTeamsCsv(text)).toEqual({
      items: [
        { id: 'T1', name: '什刹海消防队', subdistrict: '110102012', specialty: 'fire', community: '前海社区' },
        { id: 'T2', name: '牛街巡逻队, 二组', subdistrict: '110102018', specialty: 'patrol' },
      ],
      lines: [2, 4],
    });
  });

  it('names every bad cell by line and column, with the allowed values', () => {
    const text = ['id,name,subdistrict,specialty', 'T1,,110102012,fire', 'T 2,队,999,cooking'].join('\n');
    const found = problems(() => parseTeamsCsv(text));
    expect(found.map((p) => p.path)).toEqual(['/rows/2/name', '/rows/3/id', '/rows/3/subdistrict', '/rows/3/specialty']);
    expect(found[0]!.message).toMatch(/required/);
    expect(found[3]!.message).toMatch(/"cooking" is not one of public_health, fire/);
  });

  it('refuses unknown, repeated and missing required columns on the header line', () => {
    expect(paths(() => parseTeamsCsv('\n\nid,name,leader,name\nT1,a,b,c'))).toEqual([
      '/rows/3/leader',
      '/rows/3/name',
      '/rows/3/subdistrict',
      '/rows/3/specialty',
    ]);
  });

  it('refuses a column without a name', () => {
    expect(problems(() => parseTeamsCsv('id,name,subdistrict,specialty,\nT1,a,110102012,fire,x'))).toEqual([
      { path: '/rows/1', message: expect.stringMatching(/column 5 has no name/) },
    ]);
  });

  it('refuses an empty file and a header without rows', () => {
    expect(paths(() => parseTeamsCsv(''))).toEqual(['/rows']);
    expect(paths(() => parseTeamsCsv('id,name,subdistrict,specialty\n\n'))).toEqual(['/rows']);
  });

  it('names the line where an unclosed quote opens, and a row with too many cells', () => {
    const unclosed = ['id,name,subdistrict,specialty', 'T1,a,110102012,fire', '', 'T2,"b,110102012,fire', 'T3,c,110102012,fire'].join('\n');
    expect(problems(() => parseTeamsCsv(unclosed))).toEqual([{ path: '/rows/4', message: expect.stringMatching(/never closed/) }]);
    expect(paths(() => parseTeamsCsv('id,name,subdistrict,specialty\nT1,a,110102012,fire,extra'))).toEqual(['/rows/2']);
  });

  it('numbers a row after a cell spanning lines by where it starts', () => {
    const text = ['id,name,subdistrict,specialty', 'T1,"two\r\nlines",110102012,fire', 'T 2,b,110102012,fire'].join('\r\n');
    expect(paths(() => parseTeamsCsv(text))).toEqual(['/rows/4/id']);
  });

  it('refuses U+0000, which the store cannot hold', () => {
    expect(paths(() => parseTeamsCsv('id,name,subdistrict,specialty\nT1,a\u0000b,110102012,fire'))).toEqual(['/rows/2/name']);
  });

  it(`takes at most ${MAX_BATCH_ITEMS} rows`, () => {
    const row = (i: number) => `T${i},队,110102012,fire`;
    const file = (n: number) => ['id,name,subdistrict,specialty', ...Array.from({ length: n }, (_, i) => row(i))].join('\n');
    expect(parseTeamsCsv(file(MAX_BATCH_ITEMS)).items).toHaveLength(MAX_BATCH_ITEMS);
    expect(problems(() => parseTeamsCsv(file(MAX_BATCH_ITEMS + 1)))).toEqual([{ path: '/rows', message: expect.stringMatching(/more than/) }]);
  });
});

describe('volunteer CSV', () => {
  const header = 'id,teamId,name,phone,deviceId,skills,community';

  it('splits skills on ; or |, counting a repeated one once, and leaves out empty ones', () => {
    const text = [header, 'V1,T1,张三,138-0000-0001,phone-1, first_aid ; fire|fire ,前海社区', 'V2,T1,李四,,,,'].join('\n');
    expect(parseVolunteersCsv(text).items).toEqual([
      { id: 'V1', teamId: 'T1', name: '张三', phone: '138-0000-0001', deviceId: 'phone-1', skills: ['first_aid', 'fire'], community: '前海社区' },
      { id: 'V2', teamId: 'T1', name: '李四' },
    ]);
  });

  it('names an unknown skill and a bad device id', () => {
    const found = problems(() => parseVolunteersCsv([header, 'V1,T1,张三,,a b,first_aid;cooking,'].join('\n')));
    expect(found.map((p) => p.path)).toEqual(['/rows/2/deviceId', '/rows/2/skills']);
    expect(found[1]!.message).toMatch(/"cooking" is not one of .*first_aid/);
  });
});

describe('decoding', () => {
  it('reads UTF-8 with or without a byte order mark, and GB18030 from Excel', () => {
    const utf8 = new TextEncoder().encode('\uFEFFid,name\n');
    expect(decodeCsv(utf8)).toBe('id,name\n');
    // 张三 in GB18030, as a Chinese Excel saves it
    expect(decodeCsv(new Uint8Array([0xd5, 0xc5, 0xc8, 0xfd]))).toBe('张三');
  });
});
