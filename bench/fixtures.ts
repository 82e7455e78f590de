/** Data the benchmarks share: placements, the clock they run at, the form they fill in. */
import { getForm } from '../forms/index.ts';
import { fixedClock, parseInstant, type Clock } from '../shared/clock.ts';
import { FIELD_PREFIX } from '../shared/forms/answers.ts';
import type { FormDefinition } from '../shared/forms/definition.ts';
import { hashToken, tokenFor } from '../shared/links.ts';
import type { Placement } from '../shared/roster/placement.ts';
import type { RequestRecord, SubmissionVersion } from '../shared/model/requests.ts';
import { completeFields } from '../test/support/forms.ts';

/** Monday 10 November 2025, 09:00 in Amsterdam: period 1 of 2025-2026, two days before its deadline. */
export const BENCH_NOW = '2025-11-10T09:00';

export const benchClock = (): Clock => fixedClock(parseInstant(BENCH_NOW));

/** The origin POSTs must carry (the app's PUBLIC_ORIGIN in the benchmarks). */
export const BENCH_ORIGIN = 'https://werkplekleren.bench';

export const BENCH_LINK_SECRET = 'bench-link-secret-of-at-least-32-characters';

/** The form every form benchmark fills in. */
export const KIJKWIJZER: FormDefinition = getForm('kijkwijzer-pedagogiek')!;

/** A complete, valid set of answers to the kijkwijzer, as posted fields (`a.<code>`). */
export const KIJKWIJZER_FIELDS: Record<string, string> = completeFields(KIJKWIJZER);

/** The urlencoded body of a save: complete answers, the action and the basis version. */
export function formBody(actie: 'concept' | 'versturen', basis: number): string {
  return new URLSearchParams({ ...KIJKWIJZER_FIELDS, actie, basis: String(basis) }).toString();
}

const SCHOOLS = 100;
const STUDENTS_PER_IO = 30;

/**
 * Placement `n` of a roster shaped like the real one: 100 schools (each with one SO and one SCO),
 * an IO per 30 students, and a WPB per placement (every fifth WPB mentors a duo).
 */
export function benchPlacement(n: number, domain = 'bench.example.org'): Placement {
  const school = n % SCHOOLS;
  const wpb = n % 5 === 1 ? n - 1 : n;
  return {
    schoolYear: '2025-2026',
    studentNumber: String(1_000_000 + n),
    student: { name: `Student ${n}`, email: `student${n}@${domain}` },
    vak: ['Nederlands', 'Engels', 'Wiskunde', 'Geschiedenis'][n % 4]!,
    school: `School ${String(school).padStart(3, '0')}`,
    wpb: { name: `Mentor ${wpb}`, email: `mentor${wpb}@${domain}` },
    so: { name: `Schoolopleider ${school}`, email: `so${school}@${domain}` },
    io: { name: `Instituutsopleider ${Math.floor(n / STUDENTS_PER_IO)}`, email: `io${Math.floor(n / STUDENTS_PER_IO)}@${domain}` },
    sco: { name: `Coördinator ${school}`, email: `sco${school}@${domain}` },
  };
}

/**
 * A request record of a bench placement, as the request code would store it: the placement's
 * people and school, a link derived with the bench secret, asked by the student on 1 October 2025
 * for a lesson of 8 October, in a period with deadline 12 November. `fields` sets the rest.
 */
export function benchRequest(
  p: Placement,
  fields: Pick<RequestRecord, 'requestId' | 'formId' | 'observerRole' | 'period' | 'state' | 'latestVersion' | 'linkId'> & Partial<RequestRecord>,
): RequestRecord {
  return {
    schoolYear: p.schoolYear,
    studentNumber: p.studentNumber,
    observer: p[fields.observerRole],
    lessonDate: '2025-10-08',
    deadline: '2025-11-12',
    linkHash: hashToken(tokenFor(BENCH_LINK_SECRET, fields.linkId)),
    createdAt: '2025-10-01T08:00:00Z',
    origin: 'student',
    student: p.student,
    school: p.school,
    vak: p.vak,
    ...fields,
  };
}

/** The kijkwijzers the export benchmarks (3 and 8) spread their submissions over. */
const EXPORT_FORM_IDS = ['kijkwijzer-pedagogiek', 'kijkwijzer-didactiek', 'kijkwijzer-vakdidactiek'] as const;

/**
 * Submission `n` for the export benchmarks (3 and 8): the WPB's request of placement `n` for one
 * of three kijkwijzers in `period`, submitted on 20 October 2025, and its latest version with every
 * item answered (the free texts `text`, numbered by item). Every tenth has an attachment, so the
 * export's link column has something to do.
 */
export function benchSubmission(n: number, options: { idPrefix: string; period: number; text: string }): { request: RequestRecord; version: SubmissionVersion } {
  const p = benchPlacement(n);
  const def = getForm(EXPORT_FORM_IDS[n % EXPORT_FORM_IDS.length]!)!;
  const requestId = `20251001T080000-${options.idPrefix}${n}`;
  const savedAt = '2025-10-20T12:00:00Z';
  const request = benchRequest(p, {
    requestId,
    formId: def.id,
    observerRole: 'wpb',
    className: 'H2b',
    period: options.period,
    state: 'ingediend',
    latestVersion: 1,
    submittedAt: savedAt,
    linkId: `${options.idPrefix}-link-${n}`,
  });
  const fields = completeFields(def, options.text);
  const version: SubmissionVersion = {
    requestId,
    version: 1,
    formId: def.id,
    formVersion: def.version,
    answers: Object.fromEntries(Object.entries(fields).map(([name, value]) => [name.slice(FIELD_PREFIX.length), value])),
    status: 'ingediend',
    savedAt,
    savedBy: p.wpb.email,
    attachments:
      n % 10 === 0
        ? [{ id: `att${String(n).padStart(19, '0')}`, key: `attachments/${requestId}/lesplan.pdf`, name: 'lesplan.pdf', size: 123_456, type: 'application/pdf', addedAt: savedAt }]
        : [],
  };
  return { request, version };
}
