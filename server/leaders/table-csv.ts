/**
 * The league table as a CSV file for a report, pure: one row per area with its counts and the
 * measure the map was coloured by, then the total. Headers in Chinese and English; a figure
 * that cannot be given is left empty with the reason in the next column. UTF-8 with a byte
 * order mark, which Excel needs to read Chinese.
 */
import { stringify } from 'csv-stringify/sync';
import type { Areas } from '../contract/leaders.ts';
import { subdistrictName } from '../../geo/index.ts';
import { DISTRICT } from '../domain/indicators.ts';

const HEADER = [
  '区域 area', '街道 subdistrict', '常住人口 population', '新案件 cases', '在办 open', '超期 overdue',
  '应办结 due', '按期办结 on time', '事件 I', '事件 II', '事件 III', '事件 IV', '平均到场(分钟) response min',
  '在岗志愿者 on duty', '指标 measure', '数值 value', '缺失原因 missing',
];

export function areasCsv(table: Areas): string {
  const row = (area: Areas['areas'][number]) => {
    const c = area.counts;
    const shown = area.figures[table.measure];
    return [
      area.key,
      area.subdistrict === DISTRICT ? '西城区' : subdistrictName(area.subdistrict, 'zh'),
      area.population ?? '',
      c.cases, c.open, c.overdue, c.due, c.onTime, ...c.incidents,
      c.responseSeconds === null ? '' : (c.responseSeconds / 60).toFixed(1),
      c.onDuty ?? '',
      table.perCapita ? `${table.measure} /10000` : table.measure,
      shown.value ?? '',
      shown.missing ?? '',
    ];
  };
  return `\uFEFF${stringify([HEADER, ...table.areas.map(row), row(table.total)])}`;
}
