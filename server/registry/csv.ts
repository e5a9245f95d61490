/**
 * Registry imports from CSV, pure: the text of a file in, records of the ingest contract out
 * (TeamRecord or VolunteerRecord, one per row), each with the CSV line it starts on.
 *
 * - Columns are named by the header row, in any order: the record's own fields
 *   (teams: id,name,subdistrict,specialty,community; volunteers:
 *   id,teamId,name,phone,deviceId,skills,community). An unknown, repeated or missing required
 *   column refuses the file.
 * - Cells are trimmed; an empty cell is an absent field. Skills are separated by `;` or `|`
 *   (a skill named twice counts once).
 *   Empty lines, and rows of empty cells only (spreadsheets write them), are skipped.
 * - A byte order mark is dropped; bytes that are not UTF-8 are read as GB18030, which Excel
 *   on a Chinese system writes by default.
 * - Anything wrong refuses the whole file with AppError VALIDATION_FAILED, whose details name
 *   each problem as `/rows/<line>/<column>` (`/rows/<line>` for a malformed row, `/rows` for
 *   the file as a whole): every bad cell at once, so one round of fixes suffices.
 * - At most MAX_BATCH_ITEMS rows, like any batch.
 */
import { CsvError, parse } from 'csv-parse/sync';
import type { TObject } from 'typebox';
import { Value } from 'typebox/value';
import { MAX_BATCH_ITEMS, TeamRecord, VolunteerRecord } from '../contract/ingest.ts';
import { AppError, type ErrorDetail } from '../errors.ts';

export interface CsvRows<T> {
  items: T[];
  /** the line of the file each item starts on, 1 for the first */
  lines: number[];
}

export type Cells = Record<string, string>;

const SKILL_SEPARATOR = /[;|]/;

/** The file's bytes as text: UTF-8 (with or without a byte order mark), else GB18030. */
export function decodeCsv(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

export function parseTeamsCsv(text: string): CsvRows<TeamRecord> {
  return parseRecords<TeamRecord>(text, TeamRecord, (cells) => cells);
}

export function parseVolunteersCsv(text: string): CsvRows<VolunteerRecord> {
  return parseRecords<VolunteerRecord>(text, VolunteerRecord, ({ skills, ...cells }) => {
    const list = skills?.split(SKILL_SEPARATOR).map((s) => s.trim()).filter((s) => s !== '') ?? [];
    return list.length === 0 ? cells : { ...cells, skills: [...new Set(list)] };
  });
}

/** Rows of any record schema, each shaped from its cells first (a number column read as a number, say). */
export function parseRecords<T>(text: string, schema: TObject, shape: (cells: Cells) => Record<string, unknown>): CsvRows<T> {
  // csv-parse counts a CRLF inside a quoted cell as two lines; with LF only its count is exact.
  const normalised = text.replace(/\r\n?/g, '\n');
  const { header, rows } = readRows(normalised);
  if (header === null) throw refused([{ path: '/rows', message: 'the file is empty: the first row must name the columns' }]);
  refuseBadHeader(header, schema, firstLineWithText(normalised));
  if (rows.length === 0) throw refused([{ path: '/rows', message: 'there are no rows below the header' }]);
  if (rows.length > MAX_BATCH_ITEMS) throw refused([{ path: '/rows', message: `more than ${MAX_BATCH_ITEMS} rows; split the file` }]);

  const problems: ErrorDetail[] = [];
  const items = rows.map(({ cells, line }) => {
    const record = shape(presentCells(cells));
    problems.push(...unstorableCells(cells, line), ...recordProblems(schema, record, line));
    return record as T;
  });
  if (problems.length > 0) throw refused(problems);
  return { items, lines: rows.map((row) => row.line) };
}

interface Rows {
  /** the header row's names, null when the file has no rows at all */
  header: string[] | null;
  /** the rows after the header, each with its start line; one more than allowed at most */
  rows: Array<{ cells: Cells; line: number }>;
}

function readRows(text: string): Rows {
  let header: string[] | null = null;
  try {
    // With `raw`, each record reaches on_record as { record, raw }.
    const rows = parse<Rows['rows'][number], { record: Cells }>(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      raw: true,
      to: MAX_BATCH_ITEMS + 1,
      columns: (names: string[]) => (header = names),
      on_record: ({ record }, context) => ({ cells: record, line: startLine(context.lines, context.raw) }),
    });
    return { header, rows };
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = startLine(Number(error.lines), typeof error.raw === 'string' ? error.raw : undefined);
    throw refused([{ path: `/rows/${line}`, message: csvProblem(error) }]);
  }
}

/**
 * csv-parse tells the line a row ends on; a quoted cell may span lines, and the raw text it
 * read for the row (skipped blank lines first, its line break last) tells how many.
 */
function startLine(endLine: number, raw: string | undefined): number {
  if (raw === undefined) return endLine;
  const own = raw.replace(/^(?:[ \t]*\n)+/, '').replace(/\n$/, '');
  return endLine - (own.match(/\n/g)?.length ?? 0);
}

function csvProblem(error: CsvError): string {
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') return 'a quoted cell starting in this row is never closed';
  if (error.code === 'CSV_RECORD_INCONSISTENT_COLUMNS') return 'the row has more or fewer cells than the header has columns';
  return `the row is not well-formed CSV (${error.code})`;
}

function firstLineWithText(text: string): number {
  return text.split('\n').findIndex((line) => line.trim() !== '') + 1;
}

function refuseBadHeader(header: string[], schema: TObject, line: number): void {
  const known = Object.keys(schema.properties);
  const required: string[] = schema.required ?? [];
  const problems = [
    ...header.flatMap((name, i) => {
      if (name === '') return [{ path: `/rows/${line}`, message: `column ${i + 1} has no name; the columns are ${known.join(', ')}` }];
      if (!known.includes(name)) return [{ path: `/rows/${line}/${name}`, message: `unknown column "${name}"; the columns are ${known.join(', ')}` }];
      return header.indexOf(name) < i ? [{ path: `/rows/${line}/${name}`, message: `column "${name}" appears twice` }] : [];
    }),
    ...required.filter((name) => !header.includes(name)).map((name) => ({ path: `/rows/${line}/${name}`, message: `required column "${name}" is missing` })),
  ];
  if (problems.length > 0) throw refused(problems);
}

/** The cells that hold something: an empty cell is an absent field. */
function presentCells(cells: Cells): Cells {
  return Object.fromEntries(Object.entries(cells).filter(([, value]) => value !== ''));
}

/** PostgreSQL stores no U+0000 (decoded text holds no unpaired surrogates: they become U+FFFD). */
function unstorableCells(cells: Cells, line: number): ErrorDetail[] {
  return Object.entries(cells).flatMap(([column, value]) =>
    value.includes('\u0000') ? [{ path: `/rows/${line}/${column}`, message: 'contains U+0000, which cannot be stored' }] : [],
  );
}

function recordProblems(schema: TObject, record: Record<string, unknown>, line: number): ErrorDetail[] {
  return Value.Errors(schema, record).flatMap((error) => {
    if (error.keyword === 'required') {
      return error.params.requiredProperties.map((column) => ({ path: `/rows/${line}/${column}`, message: 'is empty, and it is required' }));
    }
    const [column = '', ...inside] = error.instancePath.split('/').slice(1);
    const message = error.keyword === 'enum'
      ? `"${String(valueAt(record[column], inside))}" is not one of ${error.params.allowedValues.join(', ')}`
      : error.message;
    return [{ path: `/rows/${line}/${column}`, message }];
  });
}

/** The value at a path inside a field (a skill inside the list of skills). */
function valueAt(value: unknown, path: string[]): unknown {
  return path.reduce((inner, key) => (inner as Record<string, unknown>)[key], value);
}

function refused(details: ErrorDetail[]): AppError {
  return new AppError('VALIDATION_FAILED', details);
}
