/**
 * The simulator's knowledge of Xicheng, as pure data: how many cases and incidents of which
 * kind a day brings and at what hours, how long each lifecycle step takes, what volunteers'
 * shifts look like, and the Chinese texts a real feed would carry. Rates are tuned to the
 * district's published orders of magnitude (about 750 hotline cases a day); everything else is
 * a plausible guess, kept here so it can be tuned without touching the mechanics.
 */
import type {
  CaseCategory,
  CaseSource,
  IncidentKind,
  Satisfaction,
  Severity,
  Specialty,
} from '../server/domain/vocabulary.ts';
import type { Weighted } from './random.ts';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
/** Beijing is UTC+8 all year (no daylight saving). */
const BEIJING_OFFSET_MS = 8 * HOUR_MS;

/** Minutes since local (Beijing) midnight. */
export function localMinuteOfDay(ms: number): number {
  return Math.floor(((((ms + BEIJING_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS) / MINUTE_MS);
}

/** Epoch ms of the local (Beijing) midnight that starts the day containing `ms`. */
export function localMidnight(ms: number): number {
  return Math.floor((ms + BEIJING_OFFSET_MS) / DAY_MS) * DAY_MS - BEIJING_OFFSET_MS;
}

/** 1 = January … 12 = December, local time. */
export function localMonth(ms: number): number {
  return new Date(ms + BEIJING_OFFSET_MS).getUTCMonth() + 1;
}

/** Relative activity per local hour 0…23; only the shape matters. */
export type HourlyProfile = readonly number[];

/** 12345 calls: quiet at night, a morning peak after 9:00, a lunch dip, an afternoon peak. */
const HOTLINE_HOURS: HourlyProfile = [
  0.15, 0.1, 0.07, 0.06, 0.06, 0.1, 0.3, 0.8, 1.5, 2.0, 2.0, 1.8, 1.3, 1.4, 1.8, 1.9, 1.8, 1.5, 1.1, 1.0, 0.9, 0.7,
  0.45, 0.25,
];
/** Grid workers patrol in office hours. */
const PATROL_HOURS: HourlyProfile = [
  0, 0, 0, 0, 0, 0, 0, 0.2, 1.2, 2.0, 2.0, 1.8, 0.8, 1.2, 2.0, 2.0, 1.8, 0.8, 0.2, 0.1, 0, 0, 0, 0,
];
/** Residents use the app mostly after work. */
const APP_HOURS: HourlyProfile = [
  0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 0.8, 1.2, 1.2, 1.1, 1.0, 1.2, 1.0, 1.0, 1.0, 1.1, 1.3, 1.6, 1.9, 1.9, 1.5,
  0.9, 0.4,
];
/** Cameras watch around the clock; operators flag more when there is more traffic. */
const VIDEO_HOURS: HourlyProfile = [
  0.3, 0.2, 0.2, 0.2, 0.2, 0.3, 0.6, 1.2, 1.5, 1.4, 1.3, 1.3, 1.2, 1.2, 1.3, 1.3, 1.4, 1.6, 1.5, 1.2, 1.0, 0.8,
  0.6, 0.4,
];
/** Proactive governance (未诉先办) is planned work in office hours. */
const OFFICE_HOURS: HourlyProfile = [
  0, 0, 0, 0, 0, 0, 0, 0, 1.2, 2.0, 2.0, 1.5, 0.5, 1.0, 2.0, 2.0, 1.5, 0.5, 0, 0, 0, 0, 0, 0,
];
/** Safety incidents follow people's activity but never stop. */
export const INCIDENT_HOURS: HourlyProfile = [
  0.5, 0.4, 0.3, 0.3, 0.3, 0.4, 0.6, 1.0, 1.3, 1.3, 1.3, 1.3, 1.2, 1.2, 1.3, 1.3, 1.4, 1.5, 1.4, 1.3, 1.1, 0.9,
  0.7, 0.6,
];

/** A safety incident every 20 minutes on average: "a few an hour" in the day, fewer at night. */
export const INCIDENTS_PER_DAY = 72;

/** Arrivals per millisecond at time `ms` for a stream of `perDay` events with this profile. */
export function arrivalRate(perDay: number, profile: HourlyProfile, ms: number): number {
  const hour = Math.floor(localMinuteOfDay(ms) / 60);
  return (perDay * (profile[hour] ?? 0)) / profileSum(profile) / HOUR_MS;
}

/** The highest rate the profile reaches: the envelope for sampling arrivals by thinning. */
export function peakArrivalRate(perDay: number, profile: HourlyProfile): number {
  return (perDay * Math.max(...profile)) / profileSum(profile) / HOUR_MS;
}

function profileSum(profile: HourlyProfile): number {
  return profile.reduce((sum, weight) => sum + weight, 0);
}

export interface CaseStream {
  source: CaseSource;
  /** short tag for the case's sourceId */
  code: string;
  perDay: number;
  hours: HourlyProfile;
  categories: Weighted<CaseCategory>;
  /** mean minutes from report to dispatch */
  dispatchMinutes: number;
  /** how the description starts, as the feed would phrase it */
  descriptionPrefix: string;
  /** the stream's cases carry the pseudonymous id of the resident who reported them */
  reporters?: ReporterPool;
  /** the stream's cases are called back (回访) when they close, with these answers */
  callBacks?: CallBackRates;
}

/**
 * Who reports through an online channel: each subdistrict has a pool of pseudonymous residents
 * (standing for the app's account hashes), sized to the subdistrict's share of the stream's cases so that a
 * resident of the pool reports `perResidentPerYear` times a year on average; every case of the
 * stream is reported by one of them, drawn uniformly. The ids are `<idPrefix>.<3-digit
 * subdistrict>.<4-digit number>`, the same in every run and for every seed, as the residents of
 * the district are the same people: a restart on a kept store finds the same reporters again
 * rather than inventing new participants.
 */
export interface ReporterPool {
  perResidentPerYear: number;
  idPrefix: string;
}

/**
 * The call-back's answers: the share of callers who say the problem is solved, by category
 * (`solvedByCategory`, else `solved`), and how satisfied they are, weighted, depending on it.
 */
export interface CallBackRates {
  solved: number;
  solvedByCategory: Partial<Record<CaseCategory, number>>;
  satisfactionIfSolved: Weighted<Satisfaction>;
  satisfactionIfUnsolved: Weighted<Satisfaction>;
}

/**
 * The 12345 hotline calls every caller back when a case is closed (回访结案): the call-back is
 * what closes it, so its answer comes on the closing report, after the resolved one (minutes to
 * hours later, in office hours: CASE_TIMING). About nine in ten callers say the problem is
 * solved: 94 % in most categories, fewer for property, illegal construction, noise and parking,
 * which need other parties (owners, builders, neighbours) to act; over the hotline's mix of
 * categories ≈ 88.5 %. Those helped mostly say satisfied, some basically satisfied, hardly any
 * unsatisfied; those not helped are half unsatisfied. Overall ≈ 79 % satisfied, 13 % basically
 * satisfied, 7.5 % unsatisfied: a 满意率 (satisfied or basically satisfied) of about 92.5 %, a
 * little below the mid-90s Beijing publishes, so a leader's view has differences to show.
 */
const HOTLINE_CALL_BACKS: CallBackRates = {
  solved: 0.94,
  solvedByCategory: { property: 0.8, illegal_construction: 0.8, noise: 0.85, parking: 0.88 },
  satisfactionIfSolved: [
    ['satisfied', 88],
    ['basically_satisfied', 10],
    ['unsatisfied', 2],
  ],
  satisfactionIfUnsolved: [
    ['satisfied', 10],
    ['basically_satisfied', 40],
    ['unsatisfied', 50],
  ],
};

/**
 * Xicheng Home (西城家园) reporters. The app stream's 80 cases a day make about 29,200 a year; at
 * four reports a year per reporting resident (one who reports through the app does so several
 * times a year) that is a pool of about 7,300 residents, from about 200 (椿树) to 1,100 (什刹海)
 * per subdistrict by its share of cases. So the online-participation indicator (#20: distinct
 * app reporters in a year over the population, 1.1 million) climbs by about 80 a day at first,
 * as nearly every report is a new reporter, and levels off after a year near 98 % of the pool
 * (the share who report at least once when four a year is the mean): about 7,150 residents,
 * 0.65 %. A plausible figure for case reports alone, far from both 100 % and the plan's 50 %
 * target (which counts every use of the app, not only reporting a case). A smaller pool would
 * saturate within weeks and pin the figure to the pool's size; a larger one would make repeat
 * reporters vanishingly rare.
 */
const APP_REPORTERS: ReporterPool = { perResidentPerYear: 4, idPrefix: 'xcjy' };

export const CASE_STREAMS: readonly CaseStream[] = [
  {
    source: 'hotline',
    code: 'hotline',
    perDay: 750,
    hours: HOTLINE_HOURS,
    categories: [
      ['property', 18],
      ['parking', 14],
      ['noise', 14],
      ['sanitation', 10],
      ['road_facility', 9],
      ['garbage_sorting', 8],
      ['back_alley', 8],
      ['public_order', 7],
      ['dogs', 6],
      ['illegal_construction', 6],
    ],
    dispatchMinutes: 8,
    descriptionPrefix: '市民来电反映：',
    callBacks: HOTLINE_CALL_BACKS,
  },
  {
    source: 'patrol',
    code: 'patrol',
    perDay: 300,
    hours: PATROL_HOURS,
    categories: [
      ['sanitation', 22],
      ['garbage_sorting', 18],
      ['parking', 16],
      ['back_alley', 14],
      ['road_facility', 12],
      ['illegal_construction', 10],
      ['public_order', 5],
      ['dogs', 3],
    ],
    dispatchMinutes: 5,
    descriptionPrefix: '网格员巡查发现：',
  },
  {
    source: 'app',
    code: 'app',
    perDay: 80,
    hours: APP_HOURS,
    categories: [
      ['parking', 20],
      ['sanitation', 15],
      ['road_facility', 15],
      ['garbage_sorting', 12],
      ['noise', 10],
      ['property', 10],
      ['back_alley', 10],
      ['dogs', 8],
    ],
    dispatchMinutes: 15,
    descriptionPrefix: '“西城家园”用户上报：',
    reporters: APP_REPORTERS,
  },
  {
    source: 'video',
    code: 'video',
    perDay: 50,
    hours: VIDEO_HOURS,
    categories: [
      ['parking', 45],
      ['public_order', 20],
      ['sanitation', 20],
      ['garbage_sorting', 10],
      ['road_facility', 5],
    ],
    dispatchMinutes: 6,
    descriptionPrefix: '视频巡查（雪亮工程）发现：',
  },
  {
    source: 'proactive',
    code: 'proactive',
    perDay: 40,
    hours: OFFICE_HOURS,
    categories: [
      ['back_alley', 25],
      ['property', 20],
      ['illegal_construction', 20],
      ['garbage_sorting', 15],
      ['sanitation', 10],
      ['road_facility', 10],
    ],
    dispatchMinutes: 20,
    descriptionPrefix: '主动治理（未诉先办）：',
  },
];

/**
 * Subdistricts dominated by old hutong courtyards (什刹海, 大栅栏, 椿树, 新街口, 西长安街, 牛街):
 * denser, so more cases, and more of the problems narrow lanes bring.
 */
export const HUTONG_ADCODES: ReadonlySet<string> = new Set([
  '110102001',
  '110102003',
  '110102012',
  '110102013',
  '110102015',
  '110102018',
]);
export const HUTONG_CASE_DENSITY = 1.6;
export const HUTONG_CATEGORY_BOOST: Partial<Record<CaseCategory, number>> = {
  back_alley: 2,
  illegal_construction: 1.5,
  parking: 1.4,
  sanitation: 1.3,
};

export const CASE_DESCRIPTIONS: Record<CaseCategory, readonly string[]> = {
  parking: ['胡同内机动车乱停放，堵塞消防通道', '共享单车占用盲道和人行道', '小区门口车辆违停，影响通行', '路口车辆长时间占道停放'],
  dogs: ['小区内遛狗不拴绳', '犬只夜间吠叫扰民', '楼道内犬只粪便无人清理', '疑似饲养大型犬未登记'],
  garbage_sorting: ['桶站垃圾混投，分类不规范', '垃圾桶满溢未及时清运', '厨余垃圾桶破损', '大件垃圾随意堆放'],
  illegal_construction: ['院内私搭乱建房屋', '屋顶违建彩钢板房', '临街违规搭建雨棚', '胡同内占道搭建棚屋'],
  sanitation: ['路面垃圾堆积，环境脏乱', '公厕卫生差，异味明显', '绿地内堆放杂物', '街巷有积存污水'],
  back_alley: ['背街小巷路面破损坑洼', '胡同墙面乱贴乱画', '小巷照明缺失，夜间不便', '胡同内架空线缆杂乱'],
  property: ['小区物业服务不到位', '电梯故障，物业迟迟不修', '楼道灯损坏无人维修', '楼顶漏水，物业推诿'],
  noise: ['夜间施工噪音扰民', '商户外放音响声音过大', '广场舞音量过大', '空调外机噪音扰民'],
  road_facility: ['井盖缺失存在安全隐患', '路灯不亮', '道路护栏损坏', '交通标志被树枝遮挡'],
  public_order: ['无照游商占道经营', '店外占道经营', '深夜聚集喧哗', '街头散发小广告'],
};

/** Lifecycle delays of a case, in minutes: shifted exponentials, so a few take much longer. */
export const CASE_TIMING = {
  inProgressMinutes: { min: 2, mean: 40 },
  resolvedMinutes: { min: 10, mean: 150 },
  closedMinutes: { min: 15, mean: 300, max: 20 * 60 },
  /** call-backs (回访) are made between these local hours */
  callBackHours: { from: 8, to: 21 },
} as const;

/** Seasonal weights: waterlogging in the rainy season, ice in winter; earthquakes very rare. */
export function incidentKindWeights(month: number): Weighted<IncidentKind> {
  const rainySeason = month >= 6 && month <= 9;
  const winter = month >= 11 || month <= 3;
  return [
    ['medical', 30],
    ['traffic', 22],
    ['public_order', 12],
    ['fire', 8],
    ['crowding', 8],
    ['gas_leak', 6],
    ['public_health', 3],
    ['waterlogging', rainySeason ? 6 : 0.5],
    ['snow_ice', winter ? 5 : 0],
    ['earthquake', 0.1],
  ];
}

/** Mostly IV (一般), some III, rare II, very rare I. */
export const SEVERITY_WEIGHTS: Weighted<Severity> = [
  [4, 85],
  [3, 12],
  [2, 2.7],
  [1, 0.3],
];

/** Where crowds gather: 什刹海 and 大栅栏/前门 for tourists, 西单 and the zoo/exhibition area. */
export const CROWDING_HOTSPOTS: Readonly<Record<string, number>> = {
  '110102012': 4,
  '110102013': 4,
  '110102001': 2,
  '110102009': 2,
};

export const INCIDENT_DESCRIPTIONS: Record<IncidentKind, readonly string[]> = {
  fire: ['居民楼厨房起火，有烟雾', '平房院内电动车充电起火', '商铺电气线路起火'],
  traffic: ['两车剐蹭，占用车道', '电动自行车与机动车相撞，有人受伤', '路口多车追尾'],
  medical: ['老人在胡同内晕倒', '行人突发心脏不适', '游客中暑', '居民摔伤需救助'],
  crowding: ['景区人流密集，需疏导', '地铁站口客流聚集', '商业街人流超限'],
  gas_leak: ['居民家中燃气泄漏', '餐馆燃气管道有异味', '施工挖断燃气管线'],
  waterlogging: ['下穿桥积水，车辆涉水', '胡同低洼院落积水', '路面积水较深'],
  snow_ice: ['人行道结冰湿滑', '积雪压断树枝', '坡道积雪结冰'],
  earthquake: ['有感地震，居民疏散至空地', '震后房屋墙体开裂'],
  public_health: ['社区出现聚集性发热病例', '疑似食物中毒，多人不适'],
  public_order: ['公共场所发生纠纷', '有人酒后滋事', '可疑人员徘徊'],
};

/** Which teams answer which incident, best first; the last resort is the neighbourhood patrol. */
export const RESPONDING_SPECIALTIES: Record<IncidentKind, readonly Specialty[]> = {
  fire: ['fire', 'patrol'],
  traffic: ['patrol', 'public_health'],
  medical: ['public_health', 'patrol'],
  crowding: ['patrol', 'public_health'],
  gas_leak: ['fire', 'patrol'],
  waterlogging: ['rain_snow', 'patrol'],
  snow_ice: ['rain_snow', 'patrol'],
  earthquake: ['earthquake', 'fire', 'patrol'],
  public_health: ['public_health', 'patrol'],
  public_order: ['patrol'],
};

/** Lifecycle delays of an incident, in minutes. */
export const INCIDENT_TIMING = {
  confirmMinutes: { min: 0.5, mean: 1.5 },
  respondMinutes: { min: 0.5, mean: 1.5 },
  /** from dispatch to containment when no volunteer team could be sent */
  unattendedMinutes: { min: 5, mean: 8 },
  /** work on scene until contained, by severity (index 1…4) */
  containMinutes: {
    1: { min: 60, mean: 90 },
    2: { min: 40, mean: 60 },
    3: { min: 20, mean: 40 },
    4: { min: 10, mean: 20 },
  } satisfies Record<Severity, { min: number; mean: number }>,
  closeMinutes: { min: 5, mean: 25 },
} as const;

/** How volunteers move and report. */
export const VOLUNTEER_TIMING = {
  fixSeconds: { min: 10, max: 30 },
  walkingSpeedMps: { min: 1.0, max: 1.4 },
  /** hurrying to an incident */
  hurryFactor: 1.6,
  /** from being assigned to setting off */
  prepareSeconds: { min: 15, mean: 30 },
  /** pause at each patrol waypoint */
  dwellMinutes: { mean: 3, max: 15 },
  /** patrols stay in their own neighbourhood */
  patrolRadiusM: 600,
} as const;

/**
 * Share of located reports (positions and cases) whose coordinates fall just outside the
 * district, as a GPS fix or a geocoder sometimes does: the server must keep and flag them.
 */
export const OFF_DISTRICT_RATE = 0.005;
