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
import type { ConnectionState } from '../live/connection.ts';

export type Lang = 'zh' | 'en';

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
}
