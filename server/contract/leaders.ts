/**
 * The leaders' contract: areas coloured by a measure with their league-table counts, the plan's
 * indicators (measured and entered), the heat map's bins, reference figures (populations), and
 * the time machine's past snapshot and changes. TypeBox schemas: types, validation and the
 * OpenAPI document from one source. Nothing here carries personal data: units are opaque ids,
 * reporters are only ever counted.
 *
 * Times in queries are ISO 8601 (`from`, `to`, `at`); a window defaults to the 30 days to now.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { AREA_MEASURES, LIVE_INDICATORS, SURVEY_INDICATORS } from '../domain/indicators.ts';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const IsoTime = Type.String({ format: 'date-time', description: 'ISO 8601' });
const Time = Type.Number({ description: 'epoch milliseconds' });
const AreaCode = Type.String({ pattern: '^110102(\\d{3})?$', description: 'a subdistrict adcode, or 110102 for the district' });
const SubdistrictCode = Type.String({ pattern: '^110102\\d{3}$', description: 'a subdistrict adcode' });

export const WindowQuery = {
  from: Type.Optional(IsoTime),
  to: Type.Optional(IsoTime),
};

export const Figure = Type.Object({
  value: Nullable(Type.Number()),
  /** why there is no value: no population known, nothing to measure, history no longer kept */
  missing: Nullable(Type.Enum(['no_population', 'no_data', 'not_kept'])),
});
export type FigureBody = Static<typeof Figure>;

export const AreasQuery = Type.Object({
  measure: Type.Optional(Type.Enum(AREA_MEASURES, { description: 'what colours the map; default cases' })),
  level: Type.Optional(Type.Enum(['subdistrict', 'cell'], { description: 'default subdistrict' })),
  within: Type.Optional(SubdistrictCode),
  perCapita: Type.Optional(Type.Enum(['0', '1'], { description: '1: counts per 10,000 residents' })),
  ...WindowQuery,
});
export type AreasQuery = Static<typeof AreasQuery>;

export const AreaCountsBody = Type.Object({
  cases: Type.Integer(),
  open: Type.Integer(),
  overdue: Type.Integer(),
  due: Type.Integer(),
  onTime: Type.Integer(),
  incidents: Type.Tuple([Type.Integer(), Type.Integer(), Type.Integer(), Type.Integer()], { description: 'by severity I..IV' }),
  reached: Type.Integer(),
  responseSeconds: Nullable(Type.Number()),
  onDuty: Nullable(Type.Integer()),
});

const MeasureFigures = Type.Object(Object.fromEntries(AREA_MEASURES.map((m) => [m, Figure])) as Record<(typeof AREA_MEASURES)[number], typeof Figure>);

export const AreaRow = Type.Object({
  /** an adcode, or a grid cell id */
  key: Type.String(),
  subdistrict: Type.String(),
  population: Nullable(Type.Integer()),
  counts: AreaCountsBody,
  /** every measure, per 10,000 residents where asked and the measure is a count */
  figures: MeasureFigures,
});

export const Areas = Type.Object({
  from: Time,
  to: Time,
  level: Type.Enum(['subdistrict', 'cell']),
  within: Nullable(Type.String()),
  measure: Type.Enum(AREA_MEASURES),
  perCapita: Type.Boolean(),
  areas: Type.Array(AreaRow),
  total: AreaRow,
});
export type Areas = Static<typeof Areas>;

export const IndicatorsQuery = Type.Object({
  ...WindowQuery,
  buckets: Type.Optional(Type.String({ pattern: '^([1-9]|[1-4]\\d|5[0-2])$', description: 'trend points, 1–52, default 12' })),
});

const Target = Nullable(Type.Object({ op: Type.Enum(['<', '<=', '>', '>=']), value: Type.Number() }));
const Unit = Type.Enum(['percent', 'minutes', 'square_metres', 'count', 'ten_thousand_people']);

export const LiveIndicator = Type.Object({
  key: Type.Enum(LIVE_INDICATORS.map((i) => i.key)),
  plan: Nullable(Type.Integer()),
  unit: Unit,
  target: Target,
  district: Figure,
  meets: Nullable(Type.Boolean()),
  bySubdistrict: Type.Record(Type.String(), Figure),
  /** one figure per bucket of the window, oldest first */
  trend: Type.Array(Figure),
});

export const SurveyValue = Type.Object({
  indicator: Type.Enum(SURVEY_INDICATORS.map((i) => i.key)),
  adcode: AreaCode,
  period: Type.String({ pattern: '^\\d{4}(-(Q[1-4]|\\d{2}))?$', description: 'a year (2025), quarter (2025-Q3) or month (2025-07)' }),
  value: Type.Number(),
});
export type SurveyValue = Static<typeof SurveyValue>;

export const SurveyIndicator = Type.Object({
  key: Type.Enum(SURVEY_INDICATORS.map((i) => i.key)),
  plan: Type.Integer(),
  unit: Unit,
  target: Target,
  /** the district's latest entered value and whether it meets the target */
  latest: Nullable(Type.Object({ period: Type.String(), value: Type.Number(), meets: Nullable(Type.Boolean()) })),
  values: Type.Array(Type.Intersect([SurveyValue, Type.Object({ enteredAt: Time, enteredBy: Type.String() })])),
});

export const Indicators = Type.Object({
  from: Time,
  to: Time,
  buckets: Type.Array(Type.Object({ from: Time, to: Time })),
  live: Type.Array(LiveIndicator),
  survey: Type.Array(SurveyIndicator),
});
export type Indicators = Static<typeof Indicators>;

export const SurveyEntry = Type.Object({ items: Type.Array(SurveyValue, { minItems: 1, maxItems: 500 }) }, { additionalProperties: false });

export const HeatQuery = Type.Object({ layer: Type.Optional(Type.Enum(['cases', 'incidents'])), ...WindowQuery });
export const Heat = Type.Object({
  from: Time,
  to: Time,
  layer: Type.Enum(['cases', 'incidents']),
  /** [lon, lat, count] in bins of about 100 m */
  bins: Type.Array(Type.Tuple([Type.Number(), Type.Number(), Type.Integer()])),
});
export type Heat = Static<typeof Heat>;

const Count = Nullable(Type.Integer({ minimum: 1, maximum: 100_000_000 }));

export const ReferenceEntry = Type.Object(
  {
    population: Count,
    households: Count,
    communities: Count,
    sourceNote: Type.String({ maxLength: 1000 }),
  },
  { additionalProperties: false },
);
export const AreaReference = Type.Intersect([
  ReferenceEntry,
  Type.Object({ adcode: AreaCode, updatedAt: Time, updatedBy: Type.String() }),
]);
export type AreaReferenceBody = Static<typeof AreaReference>;
export const AreaReferences = Type.Object({ areas: Type.Array(AreaReference) });

/** One row of a population import (the census file's own columns are taken as they are). */
export const ReferenceCsvRow = Type.Object(
  {
    adcode: AreaCode,
    name: Type.Optional(Type.String()),
    population: Type.Optional(Type.Integer({ minimum: 1 })),
    population_2020: Type.Optional(Type.Integer({ minimum: 1 })),
    households: Type.Optional(Type.Integer({ minimum: 1 })),
    communities: Type.Optional(Type.Integer({ minimum: 1 })),
    source_note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type ReferenceCsvRow = Static<typeof ReferenceCsvRow>;

export const SnapshotQuery = Type.Object({ at: IsoTime });
export const ChangesQuery = Type.Object({ from: IsoTime, to: IsoTime });

/** Views as the live contract streams them (CaseView, IncidentView, UnitView in live.ts). */
const Views = Type.Array(Type.Unknown());

export const PastSnapshot = Type.Object({
  at: Time,
  cases: Views,
  incidents: Views,
  units: Views,
  /** false when the moment is older than the positions kept (RETENTION_DAYS): no units then */
  unitsKept: Type.Boolean(),
});

export const PastChanges = Type.Object({
  from: Time,
  /** the changes reach this far (less than `to` when there were many): ask again from here */
  until: Time,
  changes: Type.Array(Type.Object({ at: Time, change: Type.Unknown() })),
  unitsKept: Type.Boolean(),
});
