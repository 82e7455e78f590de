import type { ObserverRole } from './requests.ts';

/*
 * The audit log's events: who viewed, saved, submitted, downloaded, reminded, revoked, reissued
 * and replaced (stored by store/audit.ts).
 */

/**
 * What happened, in Dutch as the log shows it. "link geopend" is a GET of a link page, which a
 * mail scanner makes as readily as a person; "bekeken" is a person's action on the page (the first
 * touch, click or key, posted by /static/bekeken.js) or a signed-in staff member's view.
 */
export const AUDIT_ACTIONS = [
  'link geopend',
  'bekeken',
  'concept opgeslagen',
  'ingediend',
  'gedownload',
  'bijlage verwijderd',
  'herinnerd',
  'link ingetrokken',
  'nieuwe link',
  'WPB vervangen',
  'aanvraag ingetrokken',
  'CSV gedownload',
  'Excel gedownload',
  'gepubliceerd',
  'afspraak gepland',
  'afspraak verplaatst',
  'afspraak geannuleerd',
  'verslag opgeslagen',
  'verslag verstuurd',
  'zorg gemeld',
  'zorgstap vastgelegd',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One stored event. */
export interface AuditEvent {
  /** ISO instant with milliseconds (UTC), fixed width so the sort keys sort by time. */
  at: string;
  id: string;
  /** A staff member's (lower-cased) email, or `link:<role>` for someone who came by an emailed link: never a token. */
  actor: string;
  action: AuditAction;
  requestId?: string;
  /** A short Dutch explanation (version, file name, old and new WPB); never a token. */
  detail?: string;
}

/** What a caller records; the store adds the instant and the id. */
export type AuditInput = Omit<AuditEvent, 'at' | 'id'>;

/**
 * Where an event goes: a student's placement, a period's CSV exports, or the publications of forms
 * and school years ("gepubliceerd", docs/year-content.md).
 */
export type AuditTarget = { schoolYear: string; studentNumber: string } | { schoolYear: string; exportPeriod: number } | { content: true };

/** The actor of someone who came by an emailed link: their role only. */
export function linkActor(role: ObserverRole | 'student'): string {
  return `link:${role}`;
}
