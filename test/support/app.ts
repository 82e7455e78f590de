import { formCatalog } from '../../forms/index.ts';
import type { AppDeps } from '../../functions/http/env.ts';
import { AttachmentStore } from '../../shared/attachments/store.ts';
import { ScanStatusReader } from '../../shared/attachments/scan.ts';
import type { Clock } from '../../shared/clock.ts';
import { LinkStore } from '../../shared/links.ts';
import { MemoryMailer, SesMailer, type Mailer } from '../../shared/mail/mailer.ts';
import type { AwsClients } from '../../shared/store/clients.ts';
import { createAwsClients } from '../../shared/store/clients.ts';
import { PlacementStore } from '../../shared/store/placements.ts';
import { RequestStore } from '../../shared/store/requests.ts';
import { AuditStore } from '../../shared/store/audit.ts';
import { RosterUploadStore } from '../../shared/roster/upload-store.ts';
import { SessionStore } from '../../shared/auth/session-store.ts';
import { SignInStore } from '../../shared/auth/sign-in-store.ts';

/** The public origin tests use; POSTs must carry it as Origin. */
export const TEST_ORIGIN = 'https://werkplekleren.test';

/** A link secret for tests. */
export const TEST_LINK_SECRET = 'test-link-secret-of-at-least-32-characters';

/** App dependencies over the given clients; SES goes to the local inbox unless a mailer is given. */
export function appDeps(
  clients: AwsClients,
  names: { tableName: string; bucket: string },
  clock: Clock,
  options: { mailer?: Mailer; maxUploadBytes?: number; publicOrigin?: string; adminEmails?: string[] } = {},
): AppDeps {
  const maxUploadBytes = options.maxUploadBytes ?? 20 * 1024 * 1024;
  return {
    clock,
    publicOrigin: options.publicOrigin ?? TEST_ORIGIN,
    linkSecret: TEST_LINK_SECRET,
    linkGraceDays: 14,
    maxUploadBytes,
    uploadOrigin: 'http://127.0.0.1:4568',
    placements: new PlacementStore(clients.doc, names.tableName),
    requests: new RequestStore(clients.doc, names.tableName),
    links: new LinkStore(clients.doc, names.tableName),
    mailer: options.mailer ?? new SesMailer(clients.ses, 'werkplekleren@example.org'),
    attachments: new AttachmentStore(clients.s3, names.bucket, { maxBytes: maxUploadBytes }),
    scans: new ScanStatusReader(clients.s3, names.bucket),
    signIns: new SignInStore(clients.doc, names.tableName),
    sessions: new SessionStore(clients.doc, names.tableName, { idleMinutes: 120, absoluteHours: 12 }),
    adminEmails: options.adminEmails ?? [],
    // No answer floor: test/functions/http/sign-in.int.test.ts sets one where it is the subject.
    signInAnswerMs: 0,
    audit: new AuditStore(clients.doc, names.tableName),
    rosterUploads: new RosterUploadStore(clients.s3, names.bucket, clients.doc, names.tableName),
    forms: formCatalog,
  };
}

/** Dependencies for unit tests of pages that touch no store: clients point at a closed port. */
export function offlineDeps(clock: Clock): AppDeps {
  const clients = createAwsClients(
    {
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
      AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9',
      AWS_ENDPOINT_URL_SES: 'http://127.0.0.1:9',
    },
    { accessKeyId: 'x', secretAccessKey: 'x' },
  );
  return appDeps(clients, { tableName: 'none', bucket: 'none' }, clock, { mailer: new MemoryMailer() });
}
