/**
 * The shape every language of the wall fills in: all screen text, and a label for every word of
 * server/domain/vocabulary.ts. Typed with Records over the vocabulary so that a word added there
 * fails the build until each language names it.
 */
import type {
  CaseCategory,
  CaseSource,
  CaseState,
  IncidentKind,
  IncidentState,
  Severity,
  Specialty,
  VolunteerStatus,
} from '../../server/domain/vocabulary.ts';
import type { Role } from '../../server/domain/access.ts';
import type { ConnectionState } from '../live/connection.ts';

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
  };
  ticker: {
    newCase: string;
    case: Record<CaseState, string>;
    newIncident: string;
    incident: Record<IncidentState, string>;
    unit: Record<VolunteerStatus, string>;
  };
  caseSources: Record<CaseSource, string>;
  caseCategories: Record<CaseCategory, string>;
  caseStates: Record<CaseState, string>;
  incidentKinds: Record<IncidentKind, string>;
  incidentStates: Record<IncidentState, string>;
  severities: Record<Severity, string>;
  volunteerStatuses: Record<VolunteerStatus, string>;
  specialties: Record<Specialty, string>;
  roles: Record<Role, string>;
  /** the wall's session: header, start-up and full-screen notices */
  session: {
    signOut: string;
    /** the header's link to the admin page */
    admin: string;
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
  errors: Record<ShownError, string>;
}
