import { parse as parseCsv, CsvError } from 'csv-parse/sync';
import { Placement, samePlacement, emailKey } from './placement.ts';
import { visible } from '../text.ts';
import { dutchList } from '../dutch.ts';

/** The roster columns in the import format, Dutch, as coordinators write them. */
export const ROSTER_COLUMNS = [
  'schooljaar',
  'studentnummer',
  'student_naam',
  'student_email',
  'vak',
  'school',
  'wpb_naam',
  'wpb_email',
  'so_naam',
  'so_email',
  'io_naam',
  'io_email',
  'sco_naam',
  'sco_email',
] as const;
type Column = (typeof ROSTER_COLUMNS)[number];

/** One problem in a roster file: where (line, column) and what, in Dutch. */
export interface RosterProblem {
  line: number;
  column?: Column | undefined;
  message: string;
}

/** The outcome of reading a roster file: every placement, or every problem. */
export type RosterParseResult =
  | { ok: true; placements: Placement[]; notes: string[] }
  | { ok: false; problems: RosterProblem[]; notes: string[] };

/** Options: the school years that exist in the calendar data. */
export interface ParseRosterOptions {
  knownYears: readonly string[];
}

/** Formats a problem as one Dutch line: "Regel 4, kolom wpb_email: ...". */
export function formatProblem(problem: RosterProblem): string {
  const where = problem.column ? `Regel ${problem.line}, kolom ${problem.column}` : `Regel ${problem.line}`;
  return `${where}: ${problem.message}`;
}

/**
 * Reads a roster CSV (bytes as uploaded) into placements. Accepts `;` or `,`, columns in any
 * order, UTF-8 with or without BOM, and Windows-1252 (what Dutch Excel saves as "CSV").
 * Validates every row before returning; with any problem, returns all problems and no placements.
 */
export function parseRoster(bytes: Uint8Array, options: ParseRosterOptions): RosterParseResult {
  const notes: string[] = [];
  const fail = (problems: RosterProblem[]): RosterParseResult => ({ ok: false, problems, notes });

  const text = decode(bytes, notes);
  if (text.trim() === '') return fail([{ line: 1, message: 'Het bestand is leeg.' }]);

  const firstLine = text.split(/\r\n|\n|\r/, 1)[0] ?? '';
  const delimiter = chooseDelimiter(firstLine);
  if (!delimiter) {
    const hint = firstLine.includes('\t') ? ' (het bestand gebruikt tabs)' : '';
    return fail([
      {
        line: 1,
        message: `De kopregel is niet gescheiden door ; of ,${hint}. Sla het bestand op als CSV met ; of , als scheidingsteken.`,
      },
    ]);
  }

  let records: { record: string[]; line: number }[];
  try {
    // Empty lines are kept here (and dropped below) so that every record's first line can be
    // counted: a quoted cell may span lines, and csv-parse's own count is off after one.
    const parsed = parseCsv(text, { delimiter, relax_column_count: true }) as string[][];
    let line = 1;
    records = parsed.map((record) => {
      const start = line;
      line += 1 + record.reduce((breaks, cell) => breaks + (cell.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
      return { record, line: start };
    });
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines ?? 1;
      return fail([{ line, message: `Het bestand is geen geldige CSV (${csvErrorInDutch(error.code)}).` }]);
    }
    throw error;
  }

  const [header, ...rows] = records.filter(({ record }) => !record.every((cell) => cell.trim() === ''));
  if (!header) return fail([{ line: 1, message: 'Het bestand is leeg.' }]);
  const names = header.record.map((name) => name.trim().toLowerCase().replace(/\s+/g, '_'));
  const missing = ROSTER_COLUMNS.filter((column) => !names.includes(column));
  if (missing.length > 0) {
    return fail(
      missing.map((column) => ({
        line: header.line,
        column,
        message: `kolom "${column}" ontbreekt in de kopregel.`,
      })),
    );
  }
  const unknown = names.filter((name) => name !== '' && !(ROSTER_COLUMNS as readonly string[]).includes(name));
  if (unknown.length > 0) notes.push(`Onbekende kolommen genegeerd: ${unknown.map(visible).join(', ')}.`);
  if (rows.length === 0) return fail([{ line: 2, message: 'Het bestand bevat alleen een kopregel en geen plaatsingen.' }]);

  const index = Object.fromEntries(ROSTER_COLUMNS.map((column) => [column, names.indexOf(column)])) as Record<Column, number>;
  const problems: RosterProblem[] = [];
  const placements: Placement[] = [];
  const byStudent = new Map<string, { line: number; placement: Placement }>();
  const byStudentEmail = new Map<string, { line: number; studentNumber: string }>();

  for (const { record, line } of rows) {
    if (record.length !== names.length) {
      problems.push({
        line,
        message: `de regel heeft ${record.length} velden, de kopregel ${names.length}. Controleer het scheidingsteken en de aanhalingstekens.`,
      });
      continue;
    }
    const cell = (column: Column) => record[index[column]] ?? '';
    const schoolYear = cell('schooljaar').trim();
    if (!options.knownYears.includes(schoolYear)) {
      problems.push({
        line,
        column: 'schooljaar',
        message: schoolYear
          ? `onbekend schooljaar "${visible(schoolYear)}"; bekend zijn ${dutchList(options.knownYears)}.`
          : 'is leeg.',
      });
    }
    const candidate = {
      schoolYear,
      studentNumber: cell('studentnummer'),
      student: { name: cell('student_naam'), email: cell('student_email') },
      vak: cell('vak'),
      school: cell('school'),
      wpb: { name: cell('wpb_naam'), email: cell('wpb_email') },
      so: { name: cell('so_naam'), email: cell('so_email') },
      io: { name: cell('io_naam'), email: cell('io_email') },
      sco: { name: cell('sco_naam'), email: cell('sco_email') },
    };
    const parsed = Placement.safeParse(candidate);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const column = columnOf(issue.path);
        if (column === 'schooljaar') continue; // reported above, against the calendar data
        // The value as a person can read it: a line break or bidi override shown as [U+000A].
        const value = column ? visible(cell(column).trim()) : '';
        const shown = value && issue.message !== 'is leeg' ? `"${value}" ` : '';
        problems.push({ line, column, message: `${shown}${issue.message}.` });
      }
      continue;
    }
    const placement = parsed.data;
    const key = `${placement.schoolYear}#${placement.studentNumber}`;
    const earlier = byStudent.get(key);
    if (earlier) {
      if (samePlacement(earlier.placement, placement)) {
        notes.push(`Regel ${line} is gelijk aan regel ${earlier.line} en wordt één keer geïmporteerd.`);
      } else {
        problems.push({
          line,
          column: 'studentnummer',
          message: `student ${placement.studentNumber} staat al op regel ${earlier.line} voor ${placement.schoolYear}, met andere gegevens.`,
        });
      }
      continue;
    }
    const emailId = `${placement.schoolYear}#${emailKey(placement.student.email)}`;
    const sameEmail = byStudentEmail.get(emailId);
    if (sameEmail) {
      problems.push({
        line,
        column: 'student_email',
        message: `dit e-mailadres hoort op regel ${sameEmail.line} al bij student ${sameEmail.studentNumber}.`,
      });
      continue;
    }
    byStudent.set(key, { line, placement });
    byStudentEmail.set(emailId, { line, studentNumber: placement.studentNumber });
    placements.push(placement);
  }
  return problems.length > 0 ? fail(problems) : { ok: true, placements, notes };
}

const PATH_COLUMNS: Record<string, Column> = {
  schoolYear: 'schooljaar',
  studentNumber: 'studentnummer',
  'student.name': 'student_naam',
  'student.email': 'student_email',
  vak: 'vak',
  school: 'school',
  'wpb.name': 'wpb_naam',
  'wpb.email': 'wpb_email',
  'so.name': 'so_naam',
  'so.email': 'so_email',
  'io.name': 'io_naam',
  'io.email': 'io_email',
  'sco.name': 'sco_naam',
  'sco.email': 'sco_email',
};

function columnOf(path: readonly PropertyKey[]): Column | undefined {
  return PATH_COLUMNS[path.map(String).join('.')];
}

function decode(bytes: Uint8Array, notes: string[]): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  try {
    // The UTF-8 decoder drops a leading BOM by default.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    notes.push('Het bestand is geen UTF-8; het is gelezen als Windows-1252 (ANSI), zoals Excel dat opslaat.');
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

function chooseDelimiter(headerLine: string): ';' | ',' | undefined {
  const known = (parts: string[]) =>
    parts.filter((part) => (ROSTER_COLUMNS as readonly string[]).includes(part.trim().toLowerCase())).length;
  const semicolons = known(headerLine.split(';'));
  const commas = known(headerLine.split(','));
  if (semicolons < 2 && commas < 2) return undefined;
  return semicolons >= commas ? ';' : ',';
}

function csvErrorInDutch(code: string): string {
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'een aanhalingsteken wordt niet gesloten';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'een aanhalingsteken staat midden in een veld';
    default:
      return code;
  }
}
