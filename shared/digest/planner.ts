import type { Temporal } from 'temporal-polyfill';
import { whereIs, type Period, type SchoolYear } from '../calendar.ts';
import type { CalendarCatalog } from '../content/calendar-catalog.ts';
import { emailKey } from '../roster/placement.ts';
import type { PlacementStore } from '../store/placements.ts';
import { DigestMessageSchema, type DigestMessage, type DigestQueue } from './queue.ts';
import type { Suppression } from '../model/suppressions.ts';
import type { SuppressionStore } from '../store/suppressions.ts';

/**
 * The digest planner (docs/digest.md): for an instant and a kind, finds the school year and
 * period, decides whether a run is due, reads the year's items a page at a time, leaves out
 * undeliverable addresses, has the content side compose one message per person, and enqueues them.
 */

/** The two scheduled runs. */
export type DigestKind = 'weekly' | 'deadline';

/** Why a run did nothing (Dutch: the CLI prints it). */
export type SkipReason = 'geen schooljaar' | 'geen volgende periode' | 'geen deadline-herinnering vandaag';

/** The run as the content side sees it. */
export interface DigestRun {
  kind: DigestKind;
  now: Temporal.Instant;
  runKey: string;
  schoolYear: SchoolYear;
  /** The period the digest is about: the current one, or between periods the next one. */
  period: Period;
  /** True between periods: the digest says what comes next. */
  between: boolean;
  /** Undeliverable addresses (bounces, complaints) by lower-cased address, for the IO's and SCO's lists. */
  undeliverable: ReadonlyMap<string, Suppression>;
}

/** One person's composed digest, before it gets its run key. */
export type ComposedDigest = Omit<DigestMessage, 'runKey'>;

/**
 * The content side (shared/digest/content.ts and model.ts), behind a port so the planner does not
 * depend on how messages are written.
 */
export interface DigestContent {
  /**
   * The period a weekly digest at `now` is about: the current one, or between periods the next one
   * (`between: true`); null when no period comes.
   */
  period(now: Temporal.Instant): { schoolYear: SchoolYear; period: Period; between: boolean } | null;
  /** The run key (docs/digest.md: `weekly#<year>#op<n>#<ISO week>`, `deadline#<year>#op<n>#d14|d3`). */
  runKey(kind: DigestKind, schoolYear: SchoolYear, period: Period, now: Temporal.Instant): string;
  /** For deadline runs: the period whose reminder is due at `now` (14 or 3 days before its deadline), or null. */
  deadlineReminderDue(now: Temporal.Instant): { schoolYear: SchoolYear; period: Period } | null;
  /** One message per person (all their roles together); people with nothing to say are left out. */
  compose(items: readonly Record<string, unknown>[], run: DigestRun): ComposedDigest[];
}

/** What the planner needs. */
export interface PlannerDeps {
  placements: Pick<PlacementStore, 'yearItems'>;
  suppressions: Pick<SuppressionStore, 'all'>;
  queue: DigestQueue;
  content: DigestContent;
  /** The school years (shipped and published), read at the start of each run. */
  calendar: Pick<CalendarCatalog, 'years'>;
  /** Items per DynamoDB page (default: DynamoDB's 1 MB pages). */
  pageSize?: number;
  /**
   * Runs after the year is read and before composing; returns items it added (the automatic
   * requests of a period that has just begun), so this run's digests already name them.
   */
  prepare?: (items: readonly Record<string, unknown>[], run: DigestRun) => Promise<Record<string, unknown>[]>;
}

/** The outcome of one planning run. */
export interface PlanResult {
  runKey?: string;
  schoolYear?: string;
  period?: number;
  /** People with a digest this run (before undeliverable addresses are left out). */
  recipients: number;
  enqueued: number;
  /** Left out: the address bounced or complained. */
  undeliverable: string[];
  /** Left out: no usable email address (or a message that fails the queue's schema). */
  invalid: { to: string; problem: string }[];
  /** DynamoDB requests of the run: pages of the year index plus pages of the suppression list. */
  dynamoRequests: number;
  /** Pages of the year index read (part of dynamoRequests). */
  yearPages: number;
  /** Set when nothing was due: the reason. */
  skipped?: SkipReason;
}

/** Enqueue in slices, so a queue failure halfway loses at most a slice's worth of progress. */
const ENQUEUE_SLICE = 500;

/** Plans one run and enqueues its messages. Never throws for a date outside the calendar. */
export async function planRun(input: { now: Temporal.Instant; kind: DigestKind }, deps: PlannerDeps): Promise<PlanResult> {
  const empty = (skipped: SkipReason): PlanResult => ({
    recipients: 0,
    enqueued: 0,
    undeliverable: [],
    invalid: [],
    dynamoRequests: 0,
    yearPages: 0,
    skipped,
  });
  const target = decide(input, deps);
  if ('skipped' in target) return empty(target.skipped);
  const { schoolYear, period, between } = target;
  const runKey = deps.content.runKey(input.kind, schoolYear, period, input.now);

  let yearPages = 0;
  let suppressionPages = 0;
  const items: Record<string, unknown>[] = [];
  for await (const page of deps.placements.yearItems(schoolYear.id, deps.pageSize)) {
    yearPages++;
    items.push(...page);
  }
  const undeliverable = await deps.suppressions.all({ onRequest: () => suppressionPages++ });

  const run: DigestRun = { kind: input.kind, now: input.now, runKey, schoolYear, period, between, undeliverable };
  if (deps.prepare) items.push(...(await deps.prepare(items, run)));
  const composed = deps.content.compose(items, run);

  const messages: DigestMessage[] = [];
  const skippedUndeliverable: string[] = [];
  const invalid: PlanResult['invalid'] = [];
  const seen = new Set<string>();
  for (const digest of composed) {
    const parsed = DigestMessageSchema.safeParse({ ...digest, to: digest.to.trim(), runKey });
    if (!parsed.success) {
      invalid.push({ to: digest.to, problem: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') });
      continue;
    }
    const key = emailKey(parsed.data.to);
    if (undeliverable.has(key)) {
      skippedUndeliverable.push(parsed.data.to);
      continue;
    }
    // One email per person per run, even if the content side listed someone twice.
    if (seen.has(key)) continue;
    seen.add(key);
    messages.push(parsed.data);
  }
  for (let i = 0; i < messages.length; i += ENQUEUE_SLICE) await deps.queue.sendBatch(messages.slice(i, i + ENQUEUE_SLICE));

  return {
    runKey,
    schoolYear: schoolYear.id,
    period: period.number,
    recipients: composed.length,
    enqueued: messages.length,
    undeliverable: skippedUndeliverable,
    invalid,
    dynamoRequests: yearPages + suppressionPages,
    yearPages,
  };
}

/**
 * Which school year and period a run is about, or why there is none. A date outside every school
 * year (or in a year without periods) plans nothing; within a year, the content side says which
 * period (between periods: the next one) and whether a reminder is due, so that rule lives in one
 * place.
 */
function decide(
  input: { now: Temporal.Instant; kind: DigestKind },
  deps: Pick<PlannerDeps, 'calendar' | 'content'>,
): { schoolYear: SchoolYear; period: Period; between: boolean } | { skipped: SkipReason } {
  const where = whereIs(input.now, deps.calendar.years);
  if (where.kind === 'none' || where.year.periods.length === 0) return { skipped: 'geen schooljaar' };
  if (input.kind === 'deadline') {
    const due = deps.content.deadlineReminderDue(input.now);
    if (!due) return { skipped: 'geen deadline-herinnering vandaag' };
    const current = where.kind === 'period' && where.year.id === due.schoolYear.id && where.period.number === due.period.number;
    return { schoolYear: due.schoolYear, period: due.period, between: !current };
  }
  return deps.content.period(input.now) ?? { skipped: 'geen volgende periode' };
}
