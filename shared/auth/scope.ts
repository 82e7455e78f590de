import { DomainError, NotFoundError } from '../errors.ts';
import { emailKey } from '../roster/placement.ts';
import type { Membership } from '../model/placements.ts';

/** The staff roles that may sign in (besides admins from config). */
export const SIGN_IN_ROLES = ['io', 'so', 'sco'] as const;

/**
 * What a signed-in person may see: everything (admin), the students they are IO of, and the
 * schools they are SO or SCO at, each per school year.
 */
export interface StaffScope {
  admin: boolean;
  /** School year → the students (number and school) the person is IO of. */
  io: Record<string, { studentNumber: string; school: string }[]>;
  /** School year → schools the person is SO or SCO at. */
  schools: Record<string, string[]>;
}

/** A signed-in staff member. */
export interface Staff {
  email: string;
  /** The name as the roster writes it; the address when the roster does not know it (an admin). */
  name: string;
  scope: StaffScope;
}

/** Whether an address may sign in: an IO, SO or SCO on any placement, or an admin. */
export function maySignIn(email: string, memberships: readonly Membership[], adminEmails: readonly string[]): boolean {
  return isAdmin(email, adminEmails) || memberships.some((m) => (SIGN_IN_ROLES as readonly string[]).includes(m.role));
}

/** Whether an address is among the configured admins (compared case-insensitively). */
export function isAdmin(email: string, adminEmails: readonly string[]): boolean {
  const key = emailKey(email);
  return adminEmails.some((admin) => emailKey(admin) === key);
}

/** The scope of a person from their role memberships (of every year) and the admin list. */
export function scopeOf(email: string, memberships: readonly Membership[], adminEmails: readonly string[]): StaffScope {
  const io: StaffScope['io'] = {};
  const schools: Record<string, string[]> = {};
  const add = (map: Record<string, string[]>, year: string, value: string) => {
    const list = (map[year] ??= []);
    if (!list.includes(value)) list.push(value);
  };
  for (const m of memberships) {
    if (m.role === 'io') {
      const list = (io[m.schoolYear] ??= []);
      if (!list.some((s) => s.studentNumber === m.studentNumber)) list.push({ studentNumber: m.studentNumber, school: m.school });
    }
    else if (m.role === 'so' || m.role === 'sco') add(schools, m.schoolYear, m.school);
  }
  return { admin: isAdmin(email, adminEmails), io, schools };
}

/** Whether a scope covers one placement. */
export function covers(scope: StaffScope, placement: { schoolYear: string; studentNumber: string; school: string }): boolean {
  return (
    scope.admin ||
    (scope.io[placement.schoolYear] ?? []).some((s) => s.studentNumber === placement.studentNumber) ||
    (scope.schools[placement.schoolYear] ?? []).includes(placement.school)
  );
}

/**
 * The one scope check of every staff route: the placement a path names, when the signed-in person
 * may see it and act on it. Throws a 404 when the roster of that year does not hold the student
 * (`placement` undefined), a 403 when the student is outside the person's scope.
 */
export function placementInScope<P extends { schoolYear: string; studentNumber: string; school: string }>(staff: Pick<Staff, 'scope'>, placement: P | undefined): P {
  if (!placement) throw new NotFoundError('Deze student staat niet in het rooster van dit schooljaar.');
  if (!covers(staff.scope, placement)) throw new ForbiddenError('Deze student hoort niet bij uw studenten.');
  return placement;
}

/** The schools of a year where a scope sees at least one student; undefined for an admin (every school). */
export function schoolsInScope(scope: StaffScope, schoolYear: string): string[] | undefined {
  if (scope.admin) return undefined;
  return [...new Set([...(scope.schools[schoolYear] ?? []), ...(scope.io[schoolYear] ?? []).map((s) => s.school)])].sort((a, b) => a.localeCompare(b, 'nl'));
}

/** Signed in, but this is not yours to see (another IO's student, a school not yours). */
export class ForbiddenError extends DomainError {
  constructor(message = 'U heeft geen toegang tot deze gegevens.') {
    super(message, 403);
  }
}
