import * as z from 'zod';

/** Characters a spreadsheet reads as the start of a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A person's name: trimmed, diacritics kept, never something a spreadsheet runs as a formula. */
export const PersonName = z
  .string()
  .trim()
  .min(1, 'is leeg')
  .max(200, 'is langer dan 200 tekens')
  .refine((name) => !FORMULA_START.test(name), 'begint met een formuleteken (= + - @): dat is geen naam');

/** An email address as written; compare with `emailKey`. */
export const EmailAddress = z.string().trim().min(1, 'is leeg').pipe(z.email('is geen geldig e-mailadres'));

/** A person on a placement. */
export const Person = z.object({ name: PersonName, email: EmailAddress });
export type Person = z.infer<typeof Person>;

/** The roles on a placement besides the student. */
export const STAFF_ROLES = ['wpb', 'so', 'io', 'sco'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Every role a person can have on a placement. */
export const PLACEMENT_ROLES = ['student', ...STAFF_ROLES] as const;
export type PlacementRole = (typeof PLACEMENT_ROLES)[number];

/** A student's placement at a school for one school year, with everyone who guides them. */
export const Placement = z.object({
  schoolYear: z.string().regex(/^\d{4}-\d{4}$/),
  studentNumber: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{3,20}$/, 'is geen geldig studentnummer (3 tot 20 letters en cijfers)'),
  student: Person,
  vak: z.string().trim().min(1, 'is leeg').max(100, 'is langer dan 100 tekens'),
  school: z
    .string()
    .trim()
    .min(1, 'is leeg')
    .max(200, 'is langer dan 200 tekens')
    .refine((name) => !FORMULA_START.test(name), 'begint met een formuleteken (= + - @)')
    .refine((name) => !name.includes('#'), 'mag geen # bevatten'),
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
