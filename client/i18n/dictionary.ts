/**
 * The shape every language of the wall fills in: all screen text, and a label for every word of
 * server/domain/vocabulary.ts. Typed with Records over the vocabulary so that a word added there
 * fails the build until each language names it.
 */
import type { AlarmKind } from '../../server/contract/live.ts';
import type {
  AssignmentState,
  CaseCategory,
  CaseSource,
  CaseState,
  IncidentKind,
  IncidentState,
  Severity,
  Skill,
  Specialty,
  VolunteerStatus,
} from '../../server/domain/vocabulary.ts';
import type { MemberAnswer } from '../../server/contract/dispatch.ts';
import type { IncidentStage } from '../../server/domain/clocks.ts';
import type { Role } from '../../server/domain/access.ts';
import type { ConnectionState } from '../live/connection.ts';
import type { AgeUnit } from '../map/freshness.ts';
import type { OpenStage } from '../ui/clocks.ts';
import type { AreaMeasure, IndicatorUnit, LiveIndicatorKey, Missing, SurveyIndicatorKey } from '../../server/domain/indicators.ts';
import type { WindowKey } from '../leaders/model.ts';

export type Lang = 'zh' | 'en';

/**
 * The server's error codes (server/errors.ts) a page explains in words, with NETWORK (no
 * answer at all) and UNKNOWN (any other code, shown with the server's own message).
 */
export type ShownError =
  | 'LOGIN_FAILED'
  | 'TOO_MANY_ATTEMPTS'
  | 'WALL_LINK_INVALID'
  | 'WEAK_PASSWORD'
  | 'UNAUTHORIZED'
  | 'PASSWORD_CHANGE_REQUIRED'
  | 'FORBIDDEN'
  | 'OUT_OF_SCOPE'
  | 'CSRF_FAILED'
  | 'CROSS_ORIGIN'
  | 'USERNAME_TAKEN'
  | 'NOT_FOUND'
  | 'VALIDATION_FAILED'
  | 'STORE_UNAVAILABLE'
  | 'NETWORK'
  | 'UNKNOWN';

export interface Dictionary {
  /** BCP 47 tag for <html lang> and date formatting */
  locale: string;
  title: string;
  /** what the 中 / EN switch does, for screen readers */
  switchLang: string;
  simulated: string;
  connection: Record<ConnectionState, string>;
  /** the header's connection state while connected but the server's store does not answer */
  storeDown: string;
  lastUpdate: string;
  panel: {
    ticker: string;
    tickerEmpty: string;
    table: string;
    subdistrict: string;
    openCases: string;
    activeIncidents: string;
    volunteersOnDuty: string;
    total: string;
    outside: string;
  };
  legend: {
    cases: string;
    incidents: string;
    volunteers: string;
    grid: string;
    newIncident: string;
    overdueCase: string;
    basemap: string;
    /** what a layer's switch does, for screen readers */
    toggle: string;
    /** beside a switched-off layer */
    hidden: string;
    /** `{time}`: the last change applied to a live layer */
    updated: string;
    /** how a cluster of dense points is drawn */
    cluster: string;
  };
  /** how old a volunteer's position is (map fading, its popup, the legend); `{x}` marks a value */
  freshness: {
    /** an age or a threshold, `{n}` of each unit */
    units: Record<AgeUnit, string>;
    /** `{t}`: an age */
    positionAge: string;
    team: string;
    /** the legend's line: `{stale}` and `{lost}` are the thresholds */
    fading: string;
    /** the grey share of a cluster's ring */
    lost: string;
  };
  /** the banner over a map whose live connection is down; `{time}` of the last update */
  banner: {
    lost: string;
    frozenAt: string;
    reconnecting: string;
    /** connected, but the server's store does not answer */
    storeDown: string;
    storeResumes: string;
  };
  /** the clocks panel: response clocks, 吹哨报到 countdowns, overdue cases, measured response */
  clocks: {
    heading: string;
    overdueCases: string;
    /** the measured medical response over 30 days, against its target */
    response: string;
    notMeasured: string;
    target: string;
    noIncidents: string;
    stages: Record<OpenStage, string>;
    /** `{n}`: teams working on an incident */
    teams: string;
    /** `{n}`: rows left out for room */
    more: string;
    whistles: string;
    /** `{t}`: the time left to a whistle's deadline */
    remaining: string;
    /** `{t}`: the time since a whistle's deadline passed */
    lateBy: string;
    /** `{list}`: the departments not yet on site */
    missing: string;
    /** between department names */
    listSeparator: string;
  };
  /** the wall's screens chosen by address: the KPI board, the playlist's state */
  screen: {
    /** the KPI board's heading */
    kpi: string;
    /** the whole district, beside the subdistricts of the KPI board */
    district: string;
    /** `{n}`: the step shown, of `{total}` */
    rotation: string;
    /** the rotation is held (an alarm) */
    held: string;
  };
  ticker: {
    newCase: string;
    case: Record<CaseState, string>;
    newIncident: string;
    incident: Record<IncidentState, string>;
    unit: Record<VolunteerStatus, string>;
  };
  /** the alarm bar over the map */
  alarms: {
    heading: string;
    kinds: Record<AlarmKind, string>;
    priority: Record<1 | 2 | 3, string>;
    acknowledge: string;
    acknowledged: string;
    ackFailed: string;
    armSound: string;
    /** with {n}: minutes */
    muteFor: string;
    mutedUntil: string;
    unmute: string;
    /** under the bar when more alarms are open than it shows */
    more: string;
  };
  caseSources: Record<CaseSource, string>;
  caseCategories: Record<CaseCategory, string>;
  caseStates: Record<CaseState, string>;
  incidentKinds: Record<IncidentKind, string>;
  incidentStates: Record<IncidentState, string>;
  severities: Record<Severity, string>;
  volunteerStatuses: Record<VolunteerStatus, string>;
  specialties: Record<Specialty, string>;
  skills: Record<Skill, string>;
  roles: Record<Role, string>;
  /** the wall's session: header, start-up and full-screen notices */
  session: {
    signOut: string;
    /** the header's links to the admin page and the dispatch console */
    admin: string;
    dispatch: string;
    leaders: string;
    wholeDistrict: string;
    starting: string;
    unavailable: string;
    revokedTitle: string;
    revokedBody: string;
    backToWall: string;
    notAllowedTitle: string;
    notAllowedBody: string;
    loadFailed: string;
  };
  login: {
    heading: string;
    username: string;
    password: string;
    submit: string;
    signedInAs: string;
    continue: string;
    changeHeading: string;
    changeIntro: string;
    current: string;
    next: string;
    repeat: string;
    change: string;
    passwordRule: string;
    mismatch: string;
    currentWrong: string;
  };
  admin: {
    title: string;
    busy: string;
    reload: string;
    cancel: string;
    copy: string;
    copied: string;
    copyFailed: string;
    /** dismisses a secret shown once */
    done: string;
    never: string;
    created: string;
    state: string;
    actions: string;
    states: { active: string; revoked: string; expired: string; disabled: string };
    users: {
      heading: string;
      username: string;
      role: string;
      scope: string;
      mustChange: string;
      you: string;
      create: string;
      save: string;
      reset: string;
      confirmReset: string;
      disable: string;
      confirmDisable: string;
      enable: string;
      passwordFor: string;
      passwordOnce: string;
      empty: string;
    };
    wallLinks: {
      heading: string;
      name: string;
      scope: string;
      expires: string;
      expiresInDays: string;
      createdBy: string;
      create: string;
      copyUrl: string;
      urlFor: string;
      urlOnce: string;
      revoke: string;
      confirmRevoke: string;
      empty: string;
    };
    feedKeys: {
      heading: string;
      name: string;
      coordinates: string;
      simulated: string;
      rate: string;
      create: string;
      tokenFor: string;
      tokenOnce: string;
      revoke: string;
      confirmRevoke: string;
      yes: string;
      no: string;
      empty: string;
    };
    audit: {
      heading: string;
      at: string;
      actor: string;
      action: string;
      target: string;
      details: string;
      older: string;
      newest: string;
      end: string;
      empty: string;
      /** names for the server's audit actions; an action not named here shows as it is */
      actions: Record<string, string>;
    };
  };
  /** the coordinators' dispatch console (`/dispatch`); `{x}` marks a value filled in */
  dispatch: {
    title: string;
    tabs: { dispatch: string; registry: string };
    notAllowedBody: string;
    incidents: string;
    noIncidents: string;
    pick: string;
    back: string;
    loading: string;
    reported: string;
    stages: Record<IncidentStage, string>;
    /** `{n}`: minutes */
    target: string;
    /** `{who}`: the other coordinators with the incident open */
    alsoOpen: string;
    onlyYou: string;
    assignments: string;
    noAssignments: string;
    assignmentStates: Record<AssignmentState, string>;
    answers: Record<MemberAnswer, string>;
    awaitingAnswer: string;
    times: { offered: string; answerBy: string; accepted: string; enRoute: string; onScene: string; ended: string };
    /** `{who}` */
    by: string;
    escalation: string;
    recommendations: string;
    noRecommendations: string;
    assign: string;
    cancel: string;
    release: string;
    /** parts of a recommendation's reason: `{n}` a number, `{x}` a specialty or skill, `{a}` available */
    reason: { m: string; km: string; eta: string; specialty: string; skill: string; noMatch: string; available: string; load: string };
    /** `{who}`: who changed the incident */
    conflict: string;
    someoneElse: string;
    refused: Record<'TEAM_BUSY' | 'TEAM_UNAVAILABLE' | 'INCIDENT_CLOSED' | 'NOT_FOUND' | 'FORBIDDEN', string>;
    noAnswer: string;
    /** an offer that ended unanswered (`declined`, `timed_out`), then `escalated` to `{next}` or
     * `no_team_left`; `{incident}`, `{team}`, `{next}` */
    alerts: { heading: string; declined: string; timed_out: string; escalated: string; no_team_left: string; dismiss: string };
  };
  /** a volunteer's own page (`/volunteer`), on a phone */
  volunteer: {
    title: string;
    noLinkTitle: string;
    noLinkBody: string;
    revokedTitle: string;
    revokedBody: string;
    team: string;
    status: string;
    onDuty: string;
    offDuty: string;
    dutySwitch: string;
    /** where sharing the phone's location stands; `{time}` of the last position sent */
    location: { off: string; waiting: string; sharing: string; denied: string; unavailable: string; failing: string };
    shifts: string;
    noShifts: string;
    offer: string;
    /** `{time}`: the countdown */
    answerWithin: string;
    timeUp: string;
    /** `{d}`: a distance */
    away: string;
    accept: string;
    decline: string;
    enRoute: string;
    onScene: string;
    accepted: string;
    declined: string;
    onTheWay: string;
    arrived: string;
    failed: string;
  };
  /** the registry tab of the dispatch console: teams, their volunteers, CSV import; `{x}` marks a value */
  registry: {
    heading: string;
    teams: string;
    noTeams: string;
    team: string;
    subdistrict: string;
    specialty: string;
    community: string;
    status: string;
    /** the column of available members out of all */
    availability: string;
    pickTeam: string;
    /** `{team}`: the selected team's name */
    membersOf: string;
    noMembers: string;
    phone: string;
    skills: string;
    save: string;
    putOnDuty: string;
    takeOffDuty: string;
    onAssignment: string;
    shifts: string;
    noShifts: string;
    shiftStart: string;
    shiftEnd: string;
    /** after the shift inputs: the zone their times are in */
    beijingTime: string;
    addShift: string;
    removeShift: string;
    saveShifts: string;
    shiftMissing: string;
    shiftBackwards: string;
    shiftEnded: string;
    link: string;
    noLink: string;
    /** `{time}`: when the active link was made */
    linkSince: string;
    createLink: string;
    replaceLink: string;
    confirmReplaceLink: string;
    revokeLink: string;
    confirmRevokeLink: string;
    linkFor: string;
    linkOnce: string;
    importHeading: string;
    importKind: string;
    importKinds: { teams: string; volunteers: string };
    importFile: string;
    importSubmit: string;
    /** what a file of each kind holds, column by column */
    importColumns: { teams: string; volunteers: string };
    /** `{n}` rows read, `{c}` of them changed something */
    imported: string;
    importRefused: string;
    line: string;
    column: string;
    problem: string;
    wholeFile: string;
  };
  /** the leaders' view (/leaders): areas, indicators, reference figures, the time machine */
  leaders: {
    title: string;
    notAllowedBody: string;
    tabs: { areas: string; indicators: string; references: string };
    measure: string;
    measures: Record<AreaMeasure, string>;
    /** after a measure's value: 件, 分钟, % … */
    measureUnits: Record<AreaMeasure, string>;
    perCapita: string;
    /** after a count per 10,000 residents */
    perCapitaUnit: string;
    window: string;
    windows: Record<WindowKey, string>;
    district: string;
    rank: string;
    area: string;
    population: string;
    total: string;
    /** `{id}`: a grid cell's id */
    cell: string;
    missing: Record<Missing, string>;
    exportCsv: string;
    exportPng: string;
    drillHint: string;
    layers: string;
    heat: string;
    heatLayers: { off: string; cases: string; incidents: string };
    pastLayers: { cases: string; incidents: string; units: string };
    time: {
      heading: string;
      now: string;
      play: string;
      pause: string;
      speed: string;
      moment: string;
      past: string;
      present: string;
      waiting: string;
      unitsNotKept: string;
      follow: string;
      followNone: string;
      /** `{time}`: the moment the areas and heat map end at */
      windowEnds: string;
    };
    indicators: {
      measured: string;
      surveyed: string;
      target: string;
      meets: string;
      misses: string;
      noTarget: string;
      trend: string;
      noTrend: string;
      bySubdistrict: string;
      /** `{n}`: the indicator's number in the plan's table */
      plan: string;
      hotline: string;
      names: Record<LiveIndicatorKey | SurveyIndicatorKey, string>;
      units: Record<IndicatorUnit, string>;
      latest: string;
      noValue: string;
      enter: string;
      indicator: string;
      period: string;
      periodHint: string;
      value: string;
      save: string;
      saved: string;
    };
    references: {
      heading: string;
      households: string;
      communities: string;
      source: string;
      updated: string;
      edit: string;
      save: string;
      cancel: string;
      unknown: string;
      importHeading: string;
      importHint: string;
      importSubmit: string;
      /** `{n}`: how many areas the file set */
      imported: string;
      saved: string;
    };
  };
  errors: Record<ShownError, string>;
}
