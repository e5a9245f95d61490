/**
 * Reference figures of areas from CSV, pure: the census file the product starts from
 * (geo/data/population.csv: adcode,name,population_2020,households,communities,source_note) or a
 * leader's own file with `population` instead of `population_2020`. Empty cells are unknown
 * figures, never zero; problems are named by line and column as in any import (registry/csv.ts).
 */
import { SUBDISTRICTS } from '../../geo/index.ts';
import { ReferenceCsvRow } from '../contract/leaders.ts';
import { DISTRICT } from '../domain/indicators.ts';
import { AppError } from '../errors.ts';
import { parseRecords, type Cells } from '../registry/csv.ts';
import type { ReferenceInput } from '../store/leaders.ts';

/** The areas reference figures are kept for: the district and its subdistricts. */
export const REFERENCE_AREAS: ReadonlySet<string> = new Set([DISTRICT, ...SUBDISTRICTS.map((s) => s.adcode)]);

const COUNT_COLUMNS = new Set(['population', 'population_2020', 'households', 'communities']);
/** The most any count may be, as an area's figures entered one by one (contract/leaders.ts). */
const MAX_COUNT = 100_000_000;

/** `areas`: the adcodes a row may name (the district's and its subdistricts'). */
export function parseReferenceCsv(text: string, areas: ReadonlySet<string>): ReferenceInput[] {
  const rows = parseRecords<ReferenceCsvRow>(text, ReferenceCsvRow, numbersRead);
  const firstLine = new Map<string, number>();
  const problems = rows.items.flatMap((row, i) => {
    const line = rows.lines[i]!;
    const earlier = firstLine.get(row.adcode);
    if (earlier === undefined) firstLine.set(row.adcode, line);
    return [
      ...(areas.has(row.adcode) ? [] : [{ path: `/rows/${line}/adcode`, message: `"${row.adcode}" is not the district or one of its subdistricts` }]),
      ...(earlier === undefined ? [] : [{ path: `/rows/${line}/adcode`, message: `"${row.adcode}" is on line ${earlier} already` }]),
      ...(row.population !== undefined && row.population_2020 !== undefined
        ? [{ path: `/rows/${line}/population`, message: 'give population or population_2020, not both' }]
        : []),
      ...[...COUNT_COLUMNS].flatMap((column) => {
        const count = (row as Record<string, unknown>)[column];
        return typeof count === 'number' && count > MAX_COUNT ? [{ path: `/rows/${line}/${column}`, message: `more than ${MAX_COUNT.toLocaleString('en')}` }] : [];
      }),
    ];
  });
  if (problems.length > 0) throw new AppError('VALIDATION_FAILED', problems);
  return rows.items.map((row) => ({
    adcode: row.adcode,
    population: row.population ?? row.population_2020 ?? null,
    households: row.households ?? null,
    communities: row.communities ?? null,
    sourceNote: row.source_note ?? '',
  }));
}

/** Count columns holding digits only are numbers; anything else stays text, for the schema to name. */
function numbersRead(cells: Cells): Record<string, unknown> {
  return Object.fromEntries(Object.entries(cells).map(([column, value]) => [column, COUNT_COLUMNS.has(column) && /^\d+$/.test(value) ? Number(value) : value]));
}
