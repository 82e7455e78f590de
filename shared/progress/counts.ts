import { Temporal } from 'temporal-polyfill';
import { amsterdamDate, TIME_ZONE } from '../clock.ts';
import type { KijkwijzerType, SchoolYear } from '../calendar.ts';
import { kijkwijzerProgress } from '../digest/model.ts';
import { kijkwijzerTypeList } from '../dutch.ts';
import { TALK_RHYTHM, TALK_TYPES, type AppointmentRecord, type TalkType } from '../model/appointments.ts';
import type { RequestRecord } from '../model/requests.ts';

/*
 * Counts per student and school year (issue 14, docs/workflow.md "Counts per student and school
 * year"): lesbezoeken done by the WPB and the SO, driehoeksgesprekken held against the seeds'
 * rhythm, and kijkwijzer types in against the year's own rule. Pure: the student's page, the staff
 * overview and the digests pass a placement's requests and appointments and "now".
 *
 * Nothing here calls a student behind. A thing is "missing" only once the last period it belongs
 * in has ended (a talk type, the year's kijkwijzer rule) or the year's last period has ended (the
 * lesbezoeken); on the first day of a period nothing that belongs to that period is missing.
 */

/** The lesbezoeken the seeds ask per school year: the WPB at least two, the SO at least one. */
export const VISITS_REQUIRED = { wpb: 2, so: 1 } as const;
export type VisitRole = keyof typeof VISITS_REQUIRED;

const KIJKWIJZER_PREFIX = 'kijkwijzer-';

/** The lesbezoeken of one observer role. */
export interface VisitCount {
  /** Submitted kijkwijzers of this observer role: a visit counts once its form is in. */
  done: number;
  required: number;
  /** Lesbezoeken with this role still invited, not cancelled, whose end is still ahead. */
  planned: number;
  /** Fewer than required done and the year's last period has ended. */
  missing: boolean;
}

/** Where one driehoeksgesprek of the rhythm stands. */
export type TalkState =
  /** A planned talk of this type whose end has passed (the first such). */
  | 'gehouden'
  /** A planned talk of this type still ahead (the first such), and none held. */
  | 'gepland'
  /** None held or planned, and the last period it belongs in has ended. */
  | 'ontbreekt'
  /** None held or planned, and its first period has started: to be planned, not missing. */
  | 'te-plannen'
  /** None held or planned, and its first period has not started yet. */
  | 'later';

/** One talk type of the rhythm. */
export interface TalkCount {
  type: TalkType;
  /** The Dutch name ("kennismakingsgesprek"). */
  label: string;
  /** The periods it belongs in; the last one is its due period. */
  periods: readonly number[];
  state: TalkState;
  /** The talk's date (YYYY-MM-DD) and start (HH:MM) when held or planned. */
  date?: string;
  start?: string;
}

/** The kijkwijzer types in against the year's own rule. */
export interface KijkwijzerCount {
  /** The types submitted at least once, in the year's order. */
  submitted: string[];
  /** The types the year requires (empty when it requires none). */
  required: KijkwijzerType[];
  /** The required types not yet in. */
  missing: KijkwijzerType[];
  /** The period by whose end the required types are due; absent when the year requires none. */
  byEndOfPeriod?: number;
  /** Whether that period has ended: then `missing` is overdue, before that it is still to do. */
  due: boolean;
}

/** A student's counts for one school year at one instant. */
export interface ProgressCounts {
  visits: Record<VisitRole, VisitCount>;
  talks: TalkCount[];
  kijkwijzers: KijkwijzerCount;
}

/** The end of an appointment as an instant (its date and end time in Amsterdam). */
export function appointmentEnd(appointment: Pick<AppointmentRecord, 'date' | 'end'>): Temporal.Instant {
  return Temporal.PlainDateTime.from(`${appointment.date}T${appointment.end}`).toZonedDateTime(TIME_ZONE).toInstant();
}

/** Whether an appointment's end has passed at `now`. */
export function appointmentHeld(appointment: Pick<AppointmentRecord, 'date' | 'end'>, now: Temporal.Instant): boolean {
  return Temporal.Instant.compare(appointmentEnd(appointment), now) <= 0;
}

const periodEnd = (year: Pick<SchoolYear, 'periods'>, n: number): string | undefined => year.periods.find((p) => p.number === n)?.end;
const periodStart = (year: Pick<SchoolYear, 'periods'>, n: number): string | undefined =>
  year.periods.find((p) => p.number === n)?.start;

/** Whether period `n` has ended on `today` (its last day is over). */
function ended(year: Pick<SchoolYear, 'periods'>, n: number, today: Temporal.PlainDate): boolean {
  const end = periodEnd(year, n);
  return end !== undefined && Temporal.PlainDate.compare(today, Temporal.PlainDate.from(end)) > 0;
}

/** Whether period `n` has started on `today` (its first day counts). */
function started(year: Pick<SchoolYear, 'periods'>, n: number, today: Temporal.PlainDate): boolean {
  const start = periodStart(year, n);
  return start !== undefined && Temporal.PlainDate.compare(today, Temporal.PlainDate.from(start)) >= 0;
}

/**
 * A placement's counts for the school year at `now`: lesbezoeken (submitted kijkwijzers by the
 * WPB and the SO), driehoeksgesprekken per type of {@link TALK_RHYTHM}, and the kijkwijzer types
 * against the year's rule. Withdrawn requests and cancelled appointments never count.
 */
export function progressCounts(
  year: Pick<SchoolYear, 'periods' | 'requiredKijkwijzers' | 'kijkwijzerTypes'>,
  requests: readonly (Pick<RequestRecord, 'state' | 'formId' | 'observerRole'> & { requestId?: string })[],
  appointments: readonly Pick<AppointmentRecord, 'kind' | 'talkType' | 'state' | 'date' | 'start' | 'end' | 'participants'>[],
  now: Temporal.Instant,
): ProgressCounts {
  const today = amsterdamDate(now);
  const lastPeriod = Math.max(0, ...year.periods.map((p) => p.number));
  const ahead = appointments.filter((a) => a.state === 'gepland' && !appointmentHeld(a, now));
  // A visit whose kijkwijzer is already in counts as done, not also as planned.
  const submittedIds = new Set(requests.flatMap((r) => (r.state === 'ingediend' && r.requestId ? [r.requestId] : [])));

  const visit = (role: VisitRole): VisitCount => {
    const done = requests.filter(
      (r) => r.state === 'ingediend' && r.observerRole === role && r.formId.startsWith(KIJKWIJZER_PREFIX),
    ).length;
    const planned = ahead.filter(
      (a) => a.kind === 'lesbezoek' && a.participants.some((p) => p.role === role && p.state === 'uitgenodigd' && !(p.requestId && submittedIds.has(p.requestId))),
    ).length;
    const required = VISITS_REQUIRED[role];
    return { done, required, planned, missing: done < required && lastPeriod > 0 && ended(year, lastPeriod, today) };
  };

  const byTime = (a: { date: string; start: string }, b: { date: string; start: string }): number =>
    a.date.localeCompare(b.date) || a.start.localeCompare(b.start);
  const talks = TALK_TYPES.map((type): TalkCount => {
    const { label, periods } = TALK_RHYTHM[type];
    const ofType = appointments.filter((a) => a.kind === 'gesprek' && a.talkType === type && a.state === 'gepland').sort(byTime);
    const held = ofType.find((a) => appointmentHeld(a, now));
    if (held) return { type, label, periods, state: 'gehouden', date: held.date, start: held.start };
    const planned = ofType.find((a) => !appointmentHeld(a, now));
    if (planned) return { type, label, periods, state: 'gepland', date: planned.date, start: planned.start };
    const last = periods.at(-1)!;
    if (ended(year, last, today)) return { type, label, periods, state: 'ontbreekt' };
    return { type, label, periods, state: started(year, periods[0]!, today) ? 'te-plannen' : 'later' };
  });

  const progress = kijkwijzerProgress(year, requests);
  const rule = year.requiredKijkwijzers;
  const kijkwijzers: KijkwijzerCount = rule
    ? {
        submitted: progress.submitted,
        required: [...rule.types],
        missing: progress.missing,
        byEndOfPeriod: rule.byEndOfPeriod,
        due: ended(year, rule.byEndOfPeriod, today),
      }
    : { submitted: progress.submitted, required: [], missing: [], due: false };

  return { visits: { wpb: visit('wpb'), so: visit('so') }, talks, kijkwijzers };
}

/** A day without weekday or year, as the one-line counts say it: "12 maart". */
const SHORT_DATE = new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'long', timeZone: 'UTC' });

/** "2026-03-12" gives "12 maart". */
export function shortDutchDate(day: string): string {
  const { year, month, day: dayOfMonth } = Temporal.PlainDate.from(day);
  const midnight = new Date(0);
  midnight.setUTCFullYear(year, month - 1, dayOfMonth);
  return SHORT_DATE.format(midnight);
}

/** "OP2 of OP3". */
const periodsText = (periods: readonly number[]): string => periods.map((n) => `OP${n}`).join(' of ');

/** One visit count in Dutch: "WPB 1 van 2", with "(1 gepland)" or, once the year is over, "(1 ontbreekt)". */
export function visitText(label: string, count: VisitCount): string {
  const extra = count.planned > 0 ? ` (${count.planned} gepland)` : count.missing ? ` (${count.required - count.done} ontbreekt)` : '';
  return `${label} ${count.done} van ${count.required}${extra}`;
}

/** One talk in Dutch, or undefined for a talk whose periods have not started ("later"). */
export function talkText(talk: TalkCount): string | undefined {
  switch (talk.state) {
    case 'gehouden':
      return `${talk.label} gehouden op ${shortDutchDate(talk.date!)}`;
    case 'gepland':
      return `${talk.label} gepland op ${shortDutchDate(talk.date!)}`;
    case 'ontbreekt':
      return `${talk.label} ontbreekt (hoorde in ${periodsText(talk.periods)})`;
    case 'te-plannen':
      return `${talk.label} nog te plannen (${periodsText(talk.periods)})`;
    case 'later':
      return undefined;
  }
}

/** The kijkwijzer part in Dutch: what is still needed and by when, or that all are in. */
export function kijkwijzerText(count: KijkwijzerCount): string {
  if (count.required.length === 0) {
    return count.submitted.length > 0
      ? `kijkwijzers binnen: ${kijkwijzerTypeList(count.submitted)} (dit jaar geen verplichte typen)`
      : 'kijkwijzers: dit jaar geen verplichte typen';
  }
  if (count.missing.length === 0) return 'kijkwijzers: alle verplichte typen zijn binnen';
  return count.due
    ? `kijkwijzers ontbreken: ${kijkwijzerTypeList(count.missing)} (hoorden binnen te zijn vóór het einde van OP${count.byEndOfPeriod})`
    : `kijkwijzers nog nodig: ${kijkwijzerTypeList(count.missing)} (vóór het einde van OP${count.byEndOfPeriod})`;
}

/** The driehoeksgesprekken part in Dutch. */
export function talksText(talks: readonly TalkCount[]): string {
  const parts = talks.map(talkText).filter((text): text is string => text !== undefined);
  return `driehoeksgesprekken: ${parts.length > 0 ? parts.join(', ') : 'nog geen'}`;
}

/**
 * The counts as one Dutch line for emails: "lesbezoeken WPB 1 van 2, SO 0 van 1;
 * driehoeksgesprekken: kennismakingsgesprek gehouden op 3 oktober, tussentijds gesprek gepland op
 * 12 maart; kijkwijzers nog nodig: didactiek (voor het einde van OP3)".
 */
export function countsLine(counts: ProgressCounts): string {
  const visits = `lesbezoeken ${visitText('WPB', counts.visits.wpb)}, ${visitText('SO', counts.visits.so)}`;
  return `${visits}; ${talksText(counts.talks)}; ${kijkwijzerText(counts.kijkwijzers)}`;
}

/** Whether anything in the counts is missing now (overdue against the year's rules). */
export function anythingMissing(counts: ProgressCounts): boolean {
  return (
    counts.visits.wpb.missing ||
    counts.visits.so.missing ||
    counts.talks.some((t) => t.state === 'ontbreekt') ||
    (counts.kijkwijzers.due && counts.kijkwijzers.missing.length > 0)
  );
}
