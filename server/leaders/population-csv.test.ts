/**
 * Reference figures from CSV: the census file as it is, a leader's file, and refusals that name
 * the line and column.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { parseReferenceCsv as parse, REFERENCE_AREAS } from './population-csv.ts';

const parseReferenceCsv = (text: string) => parse(text, REFERENCE_AREAS);

const CENSUS = readFileSync(new URL('../../geo/data/population.csv', import.meta.url), 'utf8');

function refusal(text: string): Array<{ path: string; message: string }> {
  try {
    parseReferenceCsv(text);
  } catch (error) {
    if (error instanceof AppError) return error.details;
    throw error;
  }
  throw new Error('not refused');
}

describe('parseReferenceCsv', () => {
  it('reads the census file: 15 subdistricts and the district, three subdistricts with a population', () => {
    const rows = parseReferenceCsv(CENSUS);
    expect(rows).toHaveLength(16);
    const known = rows.filter((r) => r.population !== null).map((r) => [r.adcode, r.population]);
    expect(known).toEqual([['110102010', 116338], ['110102012', 75447], ['110102018', 51410], ['110102', 1106214]]);
    expect(rows.find((r) => r.adcode === '110102014')).toMatchObject({ population: null, communities: 8 });
    expect(rows.every((r) => r.sourceNote.length > 0)).toBe(true);
  });

  it('takes a leader’s file with a population column', () => {
    expect(parseReferenceCsv('adcode,population\n110102001,60123\n110102,1106214\n')).toEqual([
      { adcode: '110102001', population: 60123, households: null, communities: null, sourceNote: '' },
      { adcode: '110102', population: 1106214, households: null, communities: null, sourceNote: '' },
    ]);
  });

  it('names each bad cell by line and column', () => {
    expect(refusal('adcode,population\n110102001,many\n110102999x,5\n')).toEqual([
      { path: '/rows/2/population', message: expect.any(String) },
      { path: '/rows/3/adcode', message: expect.any(String) },
    ]);
    expect(refusal('adcode,population\n\n110102999,5\n')).toEqual([
      { path: '/rows/3/adcode', message: '"110102999" is not the district or one of its subdistricts' },
    ]);
    expect(refusal('adcode,population,population_2020\n110102001,5,6\n')).toEqual([
      { path: '/rows/2/population', message: 'give population or population_2020, not both' },
    ]);
    expect(refusal('adcode,people\n110102001,5\n')[0]!.path).toBe('/rows/1/people');
    // What the store could not take: an area twice in one file, a count past any area's.
    expect(refusal('adcode,population\n110102001,5\n110102012,6\n110102001,7\n')).toEqual([
      { path: '/rows/4/adcode', message: '"110102001" is on line 2 already' },
    ]);
    expect(refusal('adcode,population,households\n110102001,100000001,99999999999\n')).toEqual([
      { path: '/rows/2/population', message: 'more than 100,000,000' },
      { path: '/rows/2/households', message: 'more than 100,000,000' },
    ]);
  });
});
