import { inject } from 'vitest';
import type { AppDeps } from '../../functions/http/env.ts';
import { buildDeps } from '../../functions/http/deps.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, type LocalEndpoints } from '../../infra/local/stack.ts';
import { allForms } from '../../forms/index.ts';
import type { Clock } from '../../shared/clock.ts';
import { liveContent, NOTHING_PUBLISHED } from '../../shared/content/live.ts';
import type { CalendarCatalog } from '../../shared/content/calendar-catalog.ts';
import { loadConfig, type Config } from '../../shared/config.ts';
import { MemoryMailer, type Mailer } from '../../shared/mail/mailer.ts';
import type { AwsClients } from '../../shared/store/clients.ts';

/** The public origin tests use; POSTs must carry it as Origin. */
export const TEST_ORIGIN = 'https://werkplekleren.test';

/** A link secret for tests. */
export const TEST_LINK_SECRET = 'test-link-secret-of-at-least-32-characters';

/** What a test may set of the app's configuration (the rest keeps the defaults of shared/config.ts). */
export interface TestAppOptions {
  /** Replaces the SES mailer (e.g. a MemoryMailer); SES goes to the local inbox otherwise. */
  mailer?: Mailer;
  /** Overrides the largest upload in bytes (MAX_UPLOAD_MB can only say whole megabytes and more). */
  maxUploadBytes?: number;
  publicOrigin?: string;
  adminEmails?: string[];
  /** The stand-ins to use, where vitest's are not there to inject (the benchmarks). */
  endpoints?: Pick<LocalEndpoints, 'dynamodb' | 's3' | 'ses'>;
  /** Replaces the shipped school years and tasks (buildDeps: `shippedCalendar`). */
  calendar?: CalendarCatalog;
}

/** The configuration of the app against the local stand-ins, as `loadConfig` parses it from the environment. */
export function localConfig(endpoints: Pick<LocalEndpoints, 'dynamodb' | 's3' | 'ses'>, names: { tableName: string; bucket: string }, options: TestAppOptions = {}): Config {
  return loadConfig({
    AWS_REGION: LOCAL_REGION,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    AWS_ENDPOINT_URL_SES: endpoints.ses,
    TABLE_NAME: names.tableName,
    BUCKET_NAME: names.bucket,
    PUBLIC_ORIGIN: options.publicOrigin ?? TEST_ORIGIN,
    LINK_SECRET: TEST_LINK_SECRET,
    ADMIN_EMAILS: (options.adminEmails ?? []).join(','),
  });
}

/**
 * The app's dependencies as production builds them (`buildDeps`, functions/http/deps.ts), from a
 * configuration for the local stand-ins at `endpoints`: every store, the SES mailer and the
 * scalars come from there. On top, only what a test must control: the clock, no sign-in answer
 * floor (test/functions/http/sign-in.int.test.ts sets one where it is the subject), and the
 * options' mailer, upload limit and calendar.
 */
export function localDeps(
  endpoints: Pick<LocalEndpoints, 'dynamodb' | 's3' | 'ses'>,
  names: { tableName: string; bucket: string },
  clock: Clock,
  options: TestAppOptions = {},
): AppDeps {
  const deps = buildDeps(localConfig(endpoints, names, options), LOCAL_CREDENTIALS);
  return {
    ...deps,
    clock,
    signInAnswerMs: 0,
    ...(options.mailer ? { mailer: options.mailer } : {}),
    ...(options.maxUploadBytes !== undefined ? { maxUploadBytes: options.maxUploadBytes } : {}),
    ...(options.calendar ? { calendar: options.calendar } : {}),
  };
}

/**
 * {@link localDeps} over the stand-ins the integration project's global setup started (or
 * `options.endpoints`, where vitest is not there to inject them: the benchmarks). `_clients` are
 * the test's own SDK clients over the same stand-ins, for looking into the table; the app builds
 * its own, as production does.
 */
export function appDeps(_clients: AwsClients, names: { tableName: string; bucket: string }, clock: Clock, options: TestAppOptions = {}): AppDeps {
  return localDeps(options.endpoints ?? inject('endpoints'), names, clock, options);
}

/**
 * Dependencies for unit tests of pages that touch no store: every endpoint is a closed port, and
 * the content is the shipped content with nothing published (no load is tried).
 */
export function offlineDeps(clock: Clock): AppDeps {
  const closed = 'http://127.0.0.1:9';
  const deps = localDeps({ dynamodb: closed, s3: closed, ses: closed }, { tableName: 'none', bucket: 'none' }, clock, { mailer: new MemoryMailer() });
  const content = liveContent({ forms: allForms }, NOTHING_PUBLISHED);
  return { ...deps, content, forms: content.forms, calendar: content.calendar };
}
