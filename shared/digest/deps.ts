import { clockFromConfig } from '../clock.ts';
import type { Config } from '../config.ts';
import { ConfigError } from '../errors.ts';
import { logger } from '../log.ts';
import { SesMailer } from '../mail/mailer.ts';
import { renderEmail } from '../mail/templates.ts';
import type { CalendarCatalog } from '../content/calendar-catalog.ts';
import type { FormCatalog } from '../forms/catalog.ts';
import { ensureAutoRequests, type RequestDeps } from '../usecases/observation.ts';
import { RequestStore } from '../store/requests.ts';
import type { AwsClients } from '../store/clients.ts';
import { PlacementStore } from '../store/placements.ts';
import { deadlineReminderDue, digestFor, digestPeriod, runKey } from './content.ts';
import { recipients, yearModel } from './model.ts';
import type { DigestContent, PlannerDeps } from './planner.ts';
import type { DigestQueue } from './queue.ts';
import { SuppressionStore } from '../store/suppressions.ts';

/**
 * Wiring of the digest: the planner's content port over the real content (content.ts, model.ts),
 * and the planner's and sender's dependencies from configuration. The CLI and the three functions
 * build theirs here, once per process.
 */

/**
 * The planner's content port over content.ts and model.ts, with the school years and tasks of
 * `calendar` as they are at each call. Suppressed people are composed too and left out by the
 * planner, which counts them ("onbestelbaar").
 */
export function createDigestContent(options: {
  publicOrigin: string;
  linkSecret: string;
  forms: Pick<FormCatalog, 'title'>;
  calendar: CalendarCatalog;
}): DigestContent {
  const { calendar } = options;
  return {
    period(now) {
      const found = digestPeriod(now, calendar.years);
      return found ? { schoolYear: found.year, period: found.period, between: found.between } : null;
    },
    runKey: (kind, schoolYear, period, now) => runKey(kind, schoolYear, period, now),
    deadlineReminderDue(now) {
      const due = deadlineReminderDue(now, calendar.years);
      return due ? { schoolYear: due.year, period: due.period } : null;
    },
    compose(items, run) {
      const model = yearModel(items);
      for (const bad of model.invalid) {
        logger.warn('digest skipped an unreadable item', { runKey: run.runKey, entity: bad.entity, pk: withoutAddress(bad.pk), sk: withoutAddress(bad.sk), reason: bad.reason });
      }
      const suppressed = new Set(run.undeliverable.keys());
      return recipients(model).flatMap((person) => {
        const digest = digestFor(person, {
          kind: run.kind,
          now: run.now,
          year: run.schoolYear,
          period: run.period,
          between: run.between,
          model,
          origin: options.publicOrigin,
          linkSecret: options.linkSecret,
          formTitle: (id) => options.forms.title(id),
          calendar,
          suppressed,
        });
        if (!digest) return [];
        const email = renderEmail(digest.content);
        return [
          {
            to: person.address,
            name: person.name,
            roles: person.roles.map(({ role }) => role),
            subject: email.subject,
            text: email.text,
            html: email.html,
          },
        ];
      });
    },
  };
}

/**
 * The planner's `prepare` step: in a weekly run inside a period, makes the automatic requests the
 * calendar data names for that period (the WPB advice, experiment feedback) for every placement that
 * lacks them, each emailed to its WPB once. Placements that have them cost nothing: the year model
 * already holds their requests, so the run's requests grow with what is new, not with people.
 */
export function autoRequestStep(deps: RequestDeps): NonNullable<PlannerDeps['prepare']> {
  return async (items, run) => {
    if (run.kind !== 'weekly' || run.between || run.period.autoRequests.length === 0) return [];
    const model = yearModel(items);
    const added: Record<string, unknown>[] = [];
    for (const placement of model.placements.values()) {
      const existing = new Set((model.requests.get(placement.studentNumber) ?? []).map((request) => request.requestId));
      const missing = run.period.autoRequests.some((formId) => !existing.has(`auto-${formId}-op${run.period.number}`));
      if (!missing) continue;
      const created = await ensureAutoRequests(deps, placement, { year: run.schoolYear, period: run.period });
      added.push(...created.map((request) => ({ entity: 'request', ...request })));
    }
    return added;
  };
}

/** The planner's dependencies; the queue is SQS on AWS and in-process locally. */
export function plannerDeps(
  config: Pick<
    Config,
    'TABLE_NAME' | 'PUBLIC_ORIGIN' | 'LINK_SECRET' | 'LINK_GRACE_DAYS' | 'MAIL_FROM' | 'MAIL_REPLY_TO' | 'SES_CONFIGURATION_SET' | 'NOW'
  >,
  clients: Pick<AwsClients, 'doc' | 'ses'>,
  queue: DigestQueue,
  options: { forms: FormCatalog; calendar: CalendarCatalog },
): PlannerDeps {
  if (!config.LINK_SECRET) {
    throw new ConfigError('Invalid configuration: LINK_SECRET: is required for the links in digests (or LINK_SECRET_ARN on AWS)');
  }
  const requestDeps: RequestDeps = {
    requests: new RequestStore(clients.doc, config.TABLE_NAME),
    mailer: new SesMailer(clients.ses, config.MAIL_FROM, config.MAIL_REPLY_TO, config.SES_CONFIGURATION_SET),
    clock: clockFromConfig(config.NOW),
    linkSecret: config.LINK_SECRET,
    publicOrigin: config.PUBLIC_ORIGIN,
    linkGraceDays: config.LINK_GRACE_DAYS,
    forms: options.forms,
    calendar: options.calendar,
  };
  return {
    prepare: autoRequestStep(requestDeps),
    placements: new PlacementStore(clients.doc, config.TABLE_NAME),
    suppressions: new SuppressionStore(clients.doc, config.TABLE_NAME),
    queue,
    calendar: options.calendar,
    content: createDigestContent({
      publicOrigin: config.PUBLIC_ORIGIN,
      linkSecret: config.LINK_SECRET,
      forms: options.forms,
      calendar: options.calendar,
    }),
  };
}

/** A key with any email address in it (a person's partition) masked: keys are logged, addresses never. */
function withoutAddress(key: string): string {
  return key.replace(/[^#\s]+@[^#\s]+/g, '[address]');
}
