import * as z from 'zod';
import { safeLine } from '../text.ts';

/** Characters a spreadsheet reads as the start of a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A person's name as stored before the character rules of `shared/text.ts`: trimmed, diacritics
 * kept, never something a spreadsheet runs as a formula. Only for reading stored items back, so an
 * old name with a line break still shows (every output neutralises it); new input uses
 * {@link PersonName}.
 */
export const StoredPersonName = z
  .string()
  .trim()
  .min(1, 'is leeg')
  .max(200, 'is langer dan 200 tekens')
  .refine((name) => !FORMULA_START.test(name), 'begint met een formuleteken (= + - @): dat is geen naam');

/**
 * A person's name as entered (roster, "WPB vervangen"): {@link StoredPersonName} on one line of
 * visible text, with no control, line-separator, bidi or other invisible format character.
 */
export const PersonName = safeLine(StoredPersonName);

/** An email as written; compare with `emailKey`. zod's address rule allows ASCII only, so no control character. */
export const EmailAddress = safeLine(z.string().trim().min(1, 'is leeg')).pipe(z.email('is geen geldig e-mailadres'));

/** A person on a placement, as entered. */
export const Person = z.object({ name: PersonName, email: EmailAddress });
export type Person = z.infer<typeof Person>;

/** A person as stored (see {@link StoredPersonName}). */
export const StoredPerson = z.object({ name: StoredPersonName, email: EmailAddress });

/** The roles on a placement besides the student. */
export const STAFF_ROLES = ['wpb', 'so', 'io', 'sco'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Every role a person can have on a placement. */
export const PLACEMENT_ROLES = ['student', ...STAFF_ROLES] as const;
export type PlacementRole = (typeof PLACEMENT_ROLES)[number];

const storedFields = {
  schoolYear: z.string().regex(/^\d{4}-\d{4}$/),
  studentNumber: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{3,20}$/, 'is geen geldig studentnummer (3 tot 20 letters en cijfers)'),
  student: StoredPerson,
  vak: z.string().trim().min(1, 'is leeg').max(100, 'is langer dan 100 tekens'),
  school: z
    .string()
    .trim()
    .min(1, 'is leeg')
    .max(200, 'is langer dan 200 tekens')
    .refine((name) => !FORMULA_START.test(name), 'begint met een formuleteken (= + - @)')
    .refine((name) => !name.includes('#'), 'mag geen # bevatten'),
  wpb: StoredPerson,
  so: StoredPerson,
  io: StoredPerson,
  sco: StoredPerson,
};

/**
 * A placement as stored, read back leniently: without the character rules of `shared/text.ts`,
 * which came later. Never for input.
 */
export const StoredPlacement = z.object(storedFields);

/**
 * A student's placement at a school for one school year, with everyone who guides them, as entered
 * (roster import, admin upload): every name, the subject and the school one line of visible text.
 */
export const Placement = z.object({
  ...storedFields,
  student: Person,
  vak: safeLine(storedFields.vak),
  school: safeLine(storedFields.school),
  wpb: Person,
  so: Person,
  io: Person,
  sco: Person,
});
export type Placement = z.infer<typeof Placement>;

/** The key an email is compared and indexed by: trimmed and lower-cased. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/** Whether two placements say the same thing (emails compared case-insensitively). */
export function samePlacement(a: Placement, b: Placement): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(p: Placement): unknown {
  const person = (x: Person) => [x.name, emailKey(x.email)];
  return [p.schoolYear, p.studentNumber, person(p.student), p.vak, p.school, ...STAFF_ROLES.map((r) => person(p[r]))];
}
