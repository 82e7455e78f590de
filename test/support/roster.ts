import { ROSTER_COLUMNS } from '../../shared/roster/parse.ts';
import type { Placement } from '../../shared/roster/placement.ts';

/** One roster row by column name; unspecified columns get plausible values. */
export type RosterRow = Partial<Record<(typeof ROSTER_COLUMNS)[number], string>>;

/** A plausible row for student number `n` in 2025-2026. */
export function row(n: number, overrides: RosterRow = {}): RosterRow {
  return {
    schooljaar: '2025-2026',
    studentnummer: String(1_000_000 + n),
    student_naam: `Student ${n}`,
    student_email: `student${n}@hr.nl`,
    vak: 'Nederlands',
    school: 'Wolfert van Borselen',
    wpb_naam: `Mentor ${n}`,
    wpb_email: `mentor${n}@wolfert.nl`,
    so_naam: 'Saskia Opleider',
    so_email: 'so@wolfert.nl',
    io_naam: 'Ivo Instituut',
    io_email: 'io@hr.nl',
    sco_naam: 'Sanne Coördinator',
    sco_email: 'sco@wolfert.nl',
    ...overrides,
  };
}

/** Writes rows as a roster CSV (quoting fields that need it), as bytes. */
export function rosterCsv(
  rows: RosterRow[],
  options: { delimiter?: string; bom?: boolean; columns?: readonly string[]; eol?: string } = {},
): Uint8Array {
  const delimiter = options.delimiter ?? ';';
  const columns = options.columns ?? ROSTER_COLUMNS;
  const quote = (value: string) =>
    value.includes(delimiter) || value.includes('"') || /[\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
  const lines = [columns.join(delimiter), ...rows.map((r) => columns.map((c) => quote(r[c as keyof RosterRow] ?? '')).join(delimiter))];
  const text = (options.bom ? '\uFEFF' : '') + lines.join(options.eol ?? '\r\n') + (options.eol ?? '\r\n');
  return new TextEncoder().encode(text);
}

/** The roster row that says exactly what a placement says (a re-import of it changes nothing). */
export function rowOf(p: Placement, overrides: RosterRow = {}): RosterRow {
  return {
    schooljaar: p.schoolYear,
    studentnummer: p.studentNumber,
    student_naam: p.student.name,
    student_email: p.student.email,
    vak: p.vak,
    school: p.school,
    wpb_naam: p.wpb.name,
    wpb_email: p.wpb.email,
    so_naam: p.so.name,
    so_email: p.so.email,
    io_naam: p.io.name,
    io_email: p.io.email,
    sco_naam: p.sco.name,
    sco_email: p.sco.email,
    ...overrides,
  };
}
