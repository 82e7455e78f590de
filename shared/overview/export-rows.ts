import type { FormCatalog } from '../forms/catalog.ts';
import type { FormDefinition } from '../forms/definition.ts';
import { csvColumns, formatAnswer, type CsvColumn } from '../forms/answers.ts';
import { ForbiddenError, schoolsInScope, type StaffScope } from '../auth/scope.ts';
import { OBSERVER_LABELS_SHORT } from './labels.ts';
import type { RequestStore } from '../store/requests.ts';
import type { RequestRecord, SubmissionVersion } from '../model/requests.ts';
import { requestKeys } from '../store/keys.ts';
import { versionRef } from '../store/requests.ts';
import { amsterdamMinute, type PeriodChoice } from './period.ts';

/**
 * What a period's export holds, whatever the file: which GSI2 ranges it reads in a scope, its
 * columns, and one row of typed cells per submitted request (its latest version). csv.ts writes
 * these rows as CSV text, xlsx.ts as a workbook; both read them a page at a time.
 *
 * Columns: the fixed ones, then one per item code of the period's forms (of every version of each
 * form in the catalog, so a code only an older or only a newer version has keeps its column, empty
 * in the rows of the other versions; notes have none), the free texts, the answers of any other
 * item, and the attachments as app links.
 */

/** The fixed columns, in order. */
export const FIXED_HEADERS = [
  'schooljaar',
  'periode',
  'studentnummer',
  'student',
  'school',
  'vak',
  'formulier',
  'versie',
  'observator rol',
  'observator naam',
  'observator e-mail',
  'lesdatum',
  'ingediend op',
] as const;

/** Answers of items that are not among the period's forms (should not happen; never dropped). */
export const OTHER_HEADER = 'overige antwoorden';
/** The attachment links, one per line. */
export const ATTACHMENTS_HEADER = 'bijlagen';

/** A calendar date, `YYYY-MM-DD` (the lesson date, a date answer). */
export interface ExportDate {
  date: string;
}

/** A wall-clock time in Amsterdam to the minute, `YYYY-MM-DD HH:mm` (the submission). */
export interface ExportDateTime {
  dateTime: string;
}

/**
 * One cell: text (as typed, never a formula), a number, a date or a date and time. A missing value
 * is ''. The dates stay strings: a Temporal object per cell made the CSV a third slower.
 */
export type ExportCell = string | number | ExportDate | ExportDateTime;

/** What a column holds, so a writer can format the whole column (a date column may still hold text: an old value that is no date). */
export type ColumnKind = 'text' | 'number' | 'date' | 'dateTime';

/** What an export reads: one GSI2 prefix per query, and which students of it are in scope. */
export interface ExportPlan {
  choice: PeriodChoice;
  queries: { prefix?: string }[];
}

/**
 * The queries of an export in a scope: the whole period (admin), a school's range for each school
 * the person is SO or SCO at, a student's range for each student they are IO of elsewhere.
 * `school` narrows it to one school, which must be in scope (else a 403).
 */
export function planExport(scope: StaffScope, choice: PeriodChoice, school?: string): ExportPlan {
  const yearId = choice.year.id;
  const allowed = schoolsInScope(scope, yearId);
  if (school !== undefined && allowed !== undefined && !allowed.includes(school)) {
    throw new ForbiddenError('U heeft geen studenten op deze school in dit schooljaar.');
  }
  if (scope.admin) return { choice, queries: [school !== undefined ? { prefix: requestKeys.periodPrefix(school) } : {}] };
  const wholeSchools = (scope.schools[yearId] ?? []).filter((s) => school === undefined || s === school);
  const queries: ExportPlan['queries'] = wholeSchools.map((s) => ({ prefix: requestKeys.periodPrefix(s) }));
  for (const student of scope.io[yearId] ?? []) {
    if (wholeSchools.includes(student.school) || (school !== undefined && student.school !== school)) continue;
    queries.push({ prefix: requestKeys.periodPrefix(student.school, student.studentNumber) });
  }
  return { choice, queries };
}

/** The forms a period can hold: the year's kijkwijzers and the period's automatic requests, every version (of `forms`). */
export function periodForms(choice: PeriodChoice, forms: readonly FormDefinition[]): FormDefinition[] {
  const ids = new Set<string>([...choice.year.kijkwijzerTypes.map((type) => `kijkwijzer-${type}`), ...choice.period.autoRequests]);
  return forms.filter((def) => ids.has(def.id));
}

/** The file name: `werkplekleren-2025-2026-OP2.csv` (or `.xlsx`). */
export function exportFileName(choice: PeriodChoice, extension: 'csv' | 'xlsx'): string {
  return `werkplekleren-${choice.year.id}-OP${choice.period.number}.${extension}`;
}

/** What an export reads: the submitted requests and their versions, and the form definitions. */
export interface ExportDeps {
  requests: Pick<RequestStore, 'submittedPages' | 'getVersions'>;
  forms: Pick<FormCatalog, 'all'>;
}

/** How rows are built and read. */
export interface RowOptions {
  /** The public origin attachment links are built from. */
  origin: string;
  /** Requests per GSI2 page (and per BatchGet of their versions). */
  pageSize?: number;
}

/** The columns of an export, and its rows a page at a time (read on demand: nothing is read before the first page is asked for). */
export interface ExportTable {
  headers: string[];
  kinds: ColumnKind[];
  pages: AsyncGenerator<ExportCell[][], void, undefined>;
}

const FIXED_KINDS: Readonly<Record<(typeof FIXED_HEADERS)[number], ColumnKind>> = {
  schooljaar: 'text',
  periode: 'number',
  studentnummer: 'text',
  student: 'text',
  school: 'text',
  vak: 'text',
  formulier: 'text',
  versie: 'number',
  'observator rol': 'text',
  'observator naam': 'text',
  'observator e-mail': 'text',
  lesdatum: 'date',
  'ingediend op': 'dateTime',
};

/** The export of a plan: its columns at once, its rows as the reader asks for them. */
export function exportTable(deps: ExportDeps, plan: ExportPlan, options: RowOptions): ExportTable {
  const defs = periodForms(plan.choice, deps.forms.all);
  const columns = csvColumns(defs);
  const answerColumns = [...columns.items, ...columns.texts];
  return {
    headers: [...FIXED_HEADERS, ...answerColumns.map((c) => c.header), OTHER_HEADER, ATTACHMENTS_HEADER],
    kinds: [...FIXED_HEADERS.map((h) => FIXED_KINDS[h]), ...answerColumns.map((c): ColumnKind => (c.type === 'date' ? 'date' : 'text')), 'text', 'text'],
    pages: exportPages(deps, plan, options, { answerColumns, defs }),
  };
}

async function* exportPages(
  deps: ExportDeps,
  plan: ExportPlan,
  options: RowOptions,
  columns: { answerColumns: CsvColumn[]; defs: FormDefinition[] },
): AsyncGenerator<ExportCell[][], void, undefined> {
  const { requests } = deps;
  const { choice } = plan;
  const ctx = {
    ...columns,
    known: new Set(columns.answerColumns.map((c) => c.key)),
    titles: new Map(columns.defs.map((def) => [def.id, def.title])),
    origin: options.origin,
  };
  for (const query of plan.queries) {
    for await (const page of requests.submittedPages(choice.year.id, choice.period.number, { ...(query.prefix ? { prefix: query.prefix } : {}), pageSize: options.pageSize ?? 100 })) {
      const rows = page.filter((r) => r.state === 'ingediend' && r.latestVersion > 0);
      if (rows.length === 0) continue;
      const versions = await requests.getVersions(rows.map((r) => ({ ...r, version: r.latestVersion })));
      const records = rows.flatMap((r) => {
        const version = versions.get(versionRef({ ...r, version: r.latestVersion }));
        return version ? [row(r, version, ctx)] : [];
      });
      if (records.length > 0) yield records;
    }
  }
}

/** A real calendar date written as YYYY-MM-DD, or undefined when the text is none (31 February). */
function isoDate(value: string): ExportDate | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const [year, month, day] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? { date: value } : undefined;
}

function row(
  request: RequestRecord,
  version: SubmissionVersion,
  ctx: { answerColumns: CsvColumn[]; known: ReadonlySet<string>; titles: ReadonlyMap<string, string>; origin: string; defs: FormDefinition[] },
): ExportCell[] {
  const def = ctx.defs.find((d) => d.id === version.formId && d.version === version.formVersion);
  const answer = (column: CsvColumn): ExportCell => {
    const value = version.answers[column.key];
    if (value === undefined) return '';
    // A date is a date (a value that is none stays text, as stored); scales and choices as their
    // Dutch label, a multi answer as its labels joined by ", ". Each row reads the labels of its
    // own form version.
    if (column.type === 'date') return isoDate(value) ?? value;
    return def ? formatAnswer(def, column.key, value) : value;
  };
  const other = Object.entries(version.answers)
    .filter(([code]) => !ctx.known.has(code))
    .map(([code, value]) => `${code}: ${value}`)
    .join('\n');
  const links = (version.attachments ?? [])
    .map((a) => `${ctx.origin}/overzicht/bijlage/${request.schoolYear}/${request.studentNumber}/${request.requestId}/${a.id}`)
    .join('\n');
  const lessonDate = request.lessonDate ?? '';
  return [
    request.schoolYear,
    request.period,
    request.studentNumber,
    request.student.name,
    request.school,
    request.vak,
    ctx.titles.get(version.formId) ?? version.formId,
    version.version,
    OBSERVER_LABELS_SHORT[request.observerRole],
    request.observer.name,
    request.observer.email,
    isoDate(lessonDate) ?? lessonDate,
    { dateTime: amsterdamMinute(version.savedAt) },
    ...ctx.answerColumns.map(answer),
    other,
    links,
  ];
}
