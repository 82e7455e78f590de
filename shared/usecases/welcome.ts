import { getSchoolYear } from '../calendar.ts';
import { DomainError } from '../errors.ts';
import { hashToken, newLinkId, tokenFor } from '../links.ts';
import { welcomeEmail } from '../mail/request-emails.ts';
import { linkValidUntil, periodForNewRequest, type PeriodChoice } from '../model/request-rules.ts';
import type { Placement } from '../roster/placement.ts';
import { linkOwnerKeys } from '../store/keys.ts';
import { ensureAutoRequests, type RequestDeps } from './observation.ts';

/**
 * Makes sure the student has a page link; on first creation emails them a welcome with it.
 * Returns the link id (new or existing).
 */
export async function ensureStudentLink(
  deps: Omit<RequestDeps, 'forms'>,
  placement: Placement,
): Promise<{ linkId: string; created: boolean }> {
  const existing = await deps.requests.getStudentLink(placement.schoolYear, placement.studentNumber);
  if (existing) return { linkId: existing.linkId, created: false };
  const year = getSchoolYear(placement.schoolYear, deps.calendar.years);
  if (!year) throw new DomainError(`Onbekend schooljaar ${placement.schoolYear}.`, 400);
  const linkId = newLinkId();
  const hash = hashToken(tokenFor(deps.linkSecret, linkId));
  const created = await deps.requests.createStudentLink(
    { schoolYear: placement.schoolYear, studentNumber: placement.studentNumber, school: placement.school, linkId, linkHash: hash },
    {
      hash,
      purpose: 'student',
      ...linkOwnerKeys.studentLink(placement.schoolYear, placement.studentNumber),
      recipient: placement.student.email.toLowerCase(),
      validUntil: linkValidUntil(year.end, deps.linkGraceDays),
    },
  );
  if (!created) {
    const raced = await deps.requests.getStudentLink(placement.schoolYear, placement.studentNumber);
    return { linkId: raced!.linkId, created: false };
  }
  await deps.mailer.send(welcomeEmail(deps, placement, linkId));
  return { linkId, created: true };
}

/**
 * Gives every student of the placements a page link, emailing a welcome to those who had none
 * yet. Idempotent: run after every import, it also finishes what an interrupted run left.
 */
export async function welcomeStudents(deps: Omit<RequestDeps, 'forms'>, placements: readonly Placement[]): Promise<number> {
  let welcomed = 0;
  for (const placement of placements) {
    if ((await ensureStudentLink(deps, placement)).created) welcomed++;
  }
  return welcomed;
}

/**
 * What follows an import: every student gets their page link (a welcome email the first time),
 * and the automatic requests of the period a new request would fall in are made.
 */
export async function afterImport(deps: RequestDeps, placements: readonly Placement[]): Promise<{ welcomed: number; autoRequests: number }> {
  const welcomed = await welcomeStudents(deps, placements);
  let choice: PeriodChoice | undefined;
  try {
    choice = periodForNewRequest(deps.clock.now(), deps.calendar.years);
  } catch {
    return { welcomed, autoRequests: 0 };
  }
  let autoRequests = 0;
  for (const placement of placements) autoRequests += (await ensureAutoRequests(deps, placement, choice)).length;
  return { welcomed, autoRequests };
}
