import { Temporal } from 'temporal-polyfill';
import * as z from 'zod';
import { DomainError } from '../errors.ts';
import { StoredPerson } from '../roster/placement.ts';

/*
 * Concerns about a student's progress (issue 14, docs/workflow.md; seed 001, "Wat te doen bij
 * onvoldoende voortgang?"): raised by the WPB, SO, IO or SCO, followed by the seed's steps with
 * date and who, until closed. At most one open concern per student.
 */

/** Who can raise a concern or record a step: the WPB (from a form link) or the SO, IO or SCO (signed in). */
export const CONCERN_ROLES = ['wpb', 'so', 'io', 'sco'] as const;
export type ConcernRole = (typeof CONCERN_ROLES)[number];

/** The seed's steps, in its order; `gesloten` closes the concern. */
export const CONCERN_STEPS = ['contact', 'vervolgacties', 'verbetertraject', 'regiocoordinator', 'gesloten'] as const;
export type ConcernStep = (typeof CONCERN_STEPS)[number];

/** Each step as pages, emails and digests name it (Dutch). */
export const CONCERN_STEP_LABELS: Readonly<Record<ConcernStep, string>> = {
  contact: 'De SO heeft contact opgenomen met de IO en de SCO',
  vervolgacties: 'Vervolgacties besproken met de WPB',
  verbetertraject: 'Verbetertraject gestart',
  regiocoordinator: 'Overleg met de regiocoördinator OSR',
  gesloten: 'Afgesloten',
};

/**
 * What happens after a concern is raised, in plain Dutch (seed 001, "Wat te doen bij onvoldoende
 * voortgang?"): the WPB's page and the emails say it.
 */
export const CONCERN_NEXT_STEPS = [
  'De schoolopleider (SO) neemt contact op met de instituutsopleider (IO) en de schoolcoördinator (SCO).',
  'Samen met de werkplekbegeleider (WPB) worden vervolgacties besproken, bijvoorbeeld een verbetertraject.',
  'Blijft de voortgang na een verbetertraject onvoldoende, dan volgt overleg met de regiocoördinator van de Opleidingsschool Rotterdam (OSR).',
] as const;

/** The longest reason or step note accepted. */
export const CONCERN_TEXT_MAX = 500;

/** A person acting on a concern, with the role they act in. */
export const ConcernActor = StoredPerson.extend({ role: z.enum(CONCERN_ROLES) });
export type ConcernActor = z.infer<typeof ConcernActor>;

/** One recorded step. */
export const StoredConcernStep = z.object({
  step: z.enum(CONCERN_STEPS),
  at: z.string(),
  by: ConcernActor,
  note: z.string().optional(),
});
export type ConcernStepRecord = z.infer<typeof StoredConcernStep>;

/** A stored concern (keys and `entity` dropped). */
export const StoredConcern = z.object({
  schoolYear: z.string().min(1),
  studentNumber: z.string().min(1),
  concernId: z.string().min(1),
  reason: z.string(),
  raisedBy: ConcernActor,
  raisedAt: z.string(),
  state: z.enum(['open', 'gesloten']),
  steps: z.array(StoredConcernStep),
  rev: z.number().int().nonnegative(),
  student: StoredPerson,
  school: z.string().min(1),
  vak: z.string().min(1),
});
export type ConcernRecord = z.infer<typeof StoredConcern>;

/** Each role as a concern names its actor, short (pages, emails, digests). */
export const CONCERN_ROLE_LABELS: Readonly<Record<ConcernRole, string>> = { wpb: 'WPB', so: 'SO', io: 'IO', sco: 'SCO' };

/** A day of an instant in Amsterdam, short: "3 maart". */
const SHORT_DAY = new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'long', timeZone: 'Europe/Amsterdam' });

/** The last recorded step of a concern, if any. */
export function lastConcernStep(concern: Pick<ConcernRecord, 'steps'>): ConcernStepRecord | undefined {
  return concern.steps.at(-1);
}

/**
 * A concern in one Dutch line, for the overview and the digests: "zorg gemeld op 3 maart door Jan
 * (WPB); laatste stap: Verbetertraject gestart (12 maart)", "...; nog geen stap vastgelegd", or
 * "...; afgesloten op 20 maart". Pure: the dates are the stored instants' days in Amsterdam.
 */
export function concernSummary(concern: Pick<ConcernRecord, 'raisedAt' | 'raisedBy' | 'steps' | 'state'>): string {
  const day = (at: string) => SHORT_DAY.format(new Date(Temporal.Instant.from(at).epochMilliseconds));
  const raised = `zorg gemeld op ${day(concern.raisedAt)} door ${concern.raisedBy.name} (${CONCERN_ROLE_LABELS[concern.raisedBy.role]})`;
  const last = lastConcernStep(concern);
  if (concern.state === 'gesloten') {
    const closed = [...concern.steps].reverse().find((s) => s.step === 'gesloten');
    return `${raised}; afgesloten${closed ? ` op ${day(closed.at)}` : ''}`;
  }
  return last ? `${raised}; laatste stap: ${CONCERN_STEP_LABELS[last.step]} (${day(last.at)})` : `${raised}; nog geen stap vastgelegd`;
}

/** A concern is already open for the student, or the step cannot be recorded on a closed one. */
export class ConcernStateError extends DomainError {
  constructor(message: string) {
    super(message, 409);
  }
}
