/**
 * The HTTP app's dependencies and Hono environment: types only, imported by every route and
 * middleware, importing none of them (so no route depends on app.tsx).
 */
import type { AttachmentStore } from '#shared/store/attachments.ts';
import type { AppointmentReportStore } from '#shared/store/appointment-reports.ts';
import type { ScanStatusReader } from '#shared/store/scans.ts';
import type { AuditStore } from '#shared/store/audit.ts';
import type { AppointmentStore } from '#shared/store/appointments.ts';
import type { ConcernStore } from '#shared/store/concerns.ts';
import type { LinkStore } from '#shared/store/links.ts';
import type { RequestDeps } from '#shared/usecases/observation.ts';
import type { PlacementStore } from '#shared/store/placements.ts';
import type { SessionStore } from '#shared/store/sessions.ts';
import type { SignInStore } from '#shared/store/sign-ins.ts';
import type { Staff } from '#shared/auth/scope.ts';
import type { RosterUploadStore } from '#shared/store/roster-uploads.ts';
import type { FormCatalog } from '#shared/forms/catalog.ts';
import type { LiveContent } from '#shared/content/live.ts';
import type { ContentStore } from '#shared/store/content.ts';
import type { SignInEmailLimits } from '#shared/usecases/sign-in.ts';
import type { LinkRateLimits, SignInRateLimits } from './middleware/rate-limit.ts';

/** What the HTTP app needs from the outside world; built once per process (see deps.ts). */
export interface AppDeps extends RequestDeps {
  placements: PlacementStore;
  links: LinkStore;
  attachments: AttachmentStore;
  /** The malware scan verdicts of attachments (their S3 tag): only `clean` is ever served. */
  scans: ScanStatusReader;
  /** Largest attachment accepted, in bytes. */
  maxUploadBytes: number;
  /** The origin browsers upload attachments to (S3), allowed in the CSP's connect-src. */
  uploadOrigin: string;
  /** Overrides of the link pages' rate limits (tests); defaults in `LINK_RATE_LIMITS`. */
  rateLimits?: Partial<LinkRateLimits>;
  /** Staff sign-in tokens (emailed links). */
  signIns: SignInStore;
  /** Staff sessions, with their idle and absolute timeouts. */
  sessions: SessionStore;
  /** Coordinators from config, lower-cased: they may sign in and see everything. */
  adminEmails: readonly string[];
  /**
   * Overrides of the sign-in limits (tests): the per-client request limit of the HTTP layer
   * (defaults in `SIGN_IN_RATE_LIMITS`) and the per-address email budget of the use-case (defaults
   * in `SIGN_IN_EMAIL_LIMITS`); `now` is the clock of both.
   */
  signInRateLimits?: Partial<SignInRateLimits & SignInEmailLimits>;
  /** Override of the sign-in answer floor in ms (tests: 0); default `SIGN_IN_ANSWER_MS`. */
  signInAnswerMs?: number;
  /** The append-only audit log (written best-effort, see audit.ts). */
  audit: AuditStore;
  /** Roster files between their preview and their confirmation (bytes in S3, a pending item in the table). */
  rosterUploads: RosterUploadStore;
  /** The form definitions: `content.forms` (shipped plus published; see shared/forms/catalog.ts). */
  forms: FormCatalog;
  /** Shipped plus published content behind `forms` and `calendar`; the app refreshes it before each request. */
  content: LiveContent;
  /** Published forms and school years, concepts and their workbooks (the `CONTENT` items, S3 `content/`). */
  contentStore: ContentStore;
  /** Lesbezoeken and driehoeksgesprekken: planned, moved and cancelled by the student (issue 14). */
  appointments: AppointmentStore;
  /** The verslagen of driehoeksgesprekken on their appointment items (issue 14). */
  appointmentReports: AppointmentReportStore;
  /** Concerns about students' progress and their steps (issue 14). */
  concerns: ConcernStore;
}

/** Hono's context variables for this app. */
export type AppEnv = {
  Variables: {
    deps: AppDeps;
    /** The signed-in staff member, set by `loadSession` on staff routes. */
    staff: Staff | undefined;
  };
};
