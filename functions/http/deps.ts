import { allForms } from '#forms/index.ts';
import { liveContent } from '#shared/content/live.ts';
import { loadConfig, type Config } from '#shared/config.ts';
import { clockFromConfig } from '#shared/clock.ts';
import { ConfigError } from '#shared/errors.ts';
import { LinkStore } from '#shared/store/links.ts';
import { SesMailer } from '#shared/mail/mailer.ts';
import { composeMime } from '#shared/mail/mime.ts';
import { AttachmentStore } from '#shared/store/attachments.ts';
import { AppointmentReportStore } from '#shared/store/appointment-reports.ts';
import { ScanStatusReader } from '#shared/store/scans.ts';
import { createAwsClients } from '#shared/store/clients.ts';
import { PlacementStore } from '#shared/store/placements.ts';
import { AuditStore } from '#shared/store/audit.ts';
import { AppointmentStore } from '#shared/store/appointments.ts';
import { ConcernStore } from '#shared/store/concerns.ts';
import { ContentStore } from '#shared/store/content.ts';
import { RosterUploadStore } from '#shared/store/roster-uploads.ts';
import { RequestStore } from '#shared/store/requests.ts';
import { SessionStore } from '#shared/store/sessions.ts';
import { SignInStore } from '#shared/store/sign-ins.ts';
import type { AppDeps } from './env.ts';

/**
 * Builds the app's dependencies from configuration, once per process. Credentials are passed
 * only by the local stack; on Lambda the SDK's default chain finds them.
 */
export function buildDeps(
  config: Config = loadConfig(),
  credentials?: { accessKeyId: string; secretAccessKey: string },
): AppDeps {
  if (!config.LINK_SECRET) throw new ConfigError('Invalid configuration: LINK_SECRET: is required (at least 32 characters), or LINK_SECRET_ARN naming a secret that holds it');
  const clients = createAwsClients(config, credentials);
  const maxUploadBytes = Math.round(config.MAX_UPLOAD_MB * 1024 * 1024);
  const contentStore = new ContentStore(clients.doc, config.TABLE_NAME, clients.s3, config.BUCKET_NAME);
  // One live content per process: the shipped forms and years plus what was published, reloaded after the expiry.
  const content = liveContent({ forms: allForms }, contentStore, { ttlMs: config.CONTENT_CACHE_SECONDS * 1000 });
  return {
    clock: clockFromConfig(config.NOW),
    publicOrigin: config.PUBLIC_ORIGIN,
    linkSecret: config.LINK_SECRET,
    linkGraceDays: config.LINK_GRACE_DAYS,
    maxUploadBytes,
    uploadOrigin: config.AWS_ENDPOINT_URL_S3
      ? new URL(config.AWS_ENDPOINT_URL_S3).origin
      : `https://${config.BUCKET_NAME}.s3.${config.AWS_REGION}.amazonaws.com`,
    placements: new PlacementStore(clients.doc, config.TABLE_NAME),
    requests: new RequestStore(clients.doc, config.TABLE_NAME),
    links: new LinkStore(clients.doc, config.TABLE_NAME),
    mailer: new SesMailer(clients.ses, config.MAIL_FROM, config.MAIL_REPLY_TO, config.SES_CONFIGURATION_SET, composeMime),
    attachments: new AttachmentStore(clients.s3, config.BUCKET_NAME, { maxBytes: maxUploadBytes }),
    scans: new ScanStatusReader(clients.s3, config.BUCKET_NAME),
    signIns: new SignInStore(clients.doc, config.TABLE_NAME),
    sessions: new SessionStore(clients.doc, config.TABLE_NAME, {
      idleMinutes: config.SESSION_IDLE_MINUTES,
      absoluteHours: config.SESSION_ABSOLUTE_HOURS,
    }),
    adminEmails: config.ADMIN_EMAILS,
    audit: new AuditStore(clients.doc, config.TABLE_NAME),
    rosterUploads: new RosterUploadStore(clients.s3, config.BUCKET_NAME, clients.doc, config.TABLE_NAME),
    forms: content.forms,
    calendar: content.calendar,
    content,
    contentStore,
    appointments: new AppointmentStore(clients.doc, config.TABLE_NAME),
    appointmentReports: new AppointmentReportStore(clients.doc, config.TABLE_NAME),
    concerns: new ConcernStore(clients.doc, config.TABLE_NAME),
  };
}
