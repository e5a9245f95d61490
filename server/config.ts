/**
 * Environment → one typed, validated configuration object. Read once at start by main.ts;
 * tests build their own objects with `configFrom({...})`. A bad value stops the start with a
 * message that names the variable.
 */
export interface Config {
  port: number;
  host: string;
  /** null → embedded PGlite under `dataDir` */
  databaseUrl: string | null;
  dataDir: string;
  /** set: one server of a cluster on one PostgreSQL, broadcasting through this Redis */
  redisUrl: string | null;
  /** the cluster's name: its Redis channels' prefix (several clusters may share one Redis) */
  clusterName: string;
  /** run the built-in simulator against this server */
  simulate: boolean;
  simSpeed: number;
  simSeed: number;
  /** how often coalesced position frames go out */
  frameIntervalMs: number;
  basemapStyle: string | null;
  basemapPmtiles: string | null;
  logLevel: string;
  /** how the wall links and the first start's lines name this server; null → http://localhost:<port> */
  publicUrl: string | null;
  /** behind a reverse proxy: trust X-Forwarded-* (HTTPS → secure cookies) */
  trustProxy: boolean;
  /** a signed-in user's session lasts this long (a shift) */
  sessionHours: number;
  /** positions history (tracks) and streamed views older than this are deleted */
  retentionDays: number;
  /** a team offered an incident has this long to accept before it escalates to the next team */
  dispatchAnswerSeconds: number;
  /** how often the dispatch clock looks for offers past their answer time */
  dispatchTickMs: number;
  /** a volunteer on scene whose position has not come for this long raises an alarm */
  alarmSilentSeconds: number;
  /** how often alarm conditions are judged */
  alarmTickMs: number;
  /** a unit whose last position is this old is drawn faded on the wall */
  staleAfterSeconds: number;
  /** …and this old, grey: its phone has likely stopped reporting */
  lostAfterSeconds: number;
}

type Env = Record<string, string | undefined>;

export function configFrom(env: Env): Config {
  const databaseUrl = nonEmpty(env.DATABASE_URL);
  return {
    port: integer(env, 'PORT', 8080, 0, 65535),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl,
    dataDir: env.DATA_DIR ?? 'data/pglite',
    redisUrl: clusterRedis(env, databaseUrl),
    clusterName: nonEmpty(env.CLUSTER_NAME) ?? 'xicheng-wall',
    simulate: flag(env, 'SIMULATE', databaseUrl === null),
    simSpeed: number(env, 'SIM_SPEED', 1, 0.01, 1000),
    simSeed: integer(env, 'SIM_SEED', 42, 0, 2 ** 31 - 1),
    frameIntervalMs: integer(env, 'FRAME_INTERVAL_MS', 250, 20, 10_000),
    basemapStyle: nonEmpty(env.BASEMAP_STYLE),
    basemapPmtiles: nonEmpty(env.BASEMAP_PMTILES),
    logLevel: env.LOG_LEVEL ?? 'info',
    publicUrl: nonEmpty(env.PUBLIC_URL)?.replace(/\/+$/, '') ?? null,
    trustProxy: flag(env, 'TRUST_PROXY', false),
    sessionHours: number(env, 'SESSION_HOURS', 12, 0.01, 24 * 30),
    retentionDays: number(env, 'RETENTION_DAYS', 7, 0.001, 3650),
    dispatchAnswerSeconds: number(env, 'DISPATCH_ANSWER_SECONDS', 120, 1, 3600),
    dispatchTickMs: integer(env, 'DISPATCH_TICK_MS', 2_000, 50, 60_000),
    alarmSilentSeconds: number(env, 'ALARM_SILENT_SECONDS', 300, 1, 86_400),
    alarmTickMs: integer(env, 'ALARM_TICK_MS', 2_000, 50, 60_000),
    ...freshness(env),
  };
}

/** The wall's freshness thresholds: lost must come after stale, or no unit would ever fade. */
function freshness(env: Env): Pick<Config, 'staleAfterSeconds' | 'lostAfterSeconds'> {
  const staleAfterSeconds = number(env, 'STALE_AFTER_SECONDS', 120, 1, 86_400);
  const lostAfterSeconds = number(env, 'LOST_AFTER_SECONDS', 600, 1, 7 * 86_400);
  if (lostAfterSeconds <= staleAfterSeconds) {
    throw new Error(`LOST_AFTER_SECONDS (${lostAfterSeconds}) must be more than STALE_AFTER_SECONDS (${staleAfterSeconds})`);
  }
  return { staleAfterSeconds, lostAfterSeconds };
}

/** A cluster shares one PostgreSQL: PGlite is one process's own. */
function clusterRedis(env: Env, databaseUrl: string | null): string | null {
  const url = nonEmpty(env.REDIS_URL);
  if (url !== null && databaseUrl === null) throw new Error('REDIS_URL runs a cluster of servers on one PostgreSQL: set DATABASE_URL too');
  return url;
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value.trim();
}

function number(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = nonEmpty(env[name]);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`${name} must be a number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = number(env, name, fallback, min, max);
  if (!Number.isInteger(value)) throw new Error(`${name} must be an integer, got "${env[name]}"`);
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = nonEmpty(env[name]);
  if (raw === null) return fallback;
  if (raw === '1' || raw === 'true') return true;
  if (raw === '0' || raw === 'false') return false;
  throw new Error(`${name} must be 0 or 1, got "${raw}"`);
}
