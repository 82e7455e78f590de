import { stringify } from 'csv-stringify/sync';
import type { FormCatalog } from '../forms/catalog.ts';
import type { FormDefinition } from '../forms/definition.ts';
import { logger } from '../log.ts';
import { csvColumns, formatAnswer, type CsvColumn } from '../forms/answers.ts';
import { ForbiddenError, schoolsInScope, type StaffScope } from '../auth/scope.ts';
import { OBSERVER_LABELS_SHORT } from './labels.ts';
import type { RequestStore } from '../store/requests.ts';
import type { RequestRecord, SubmissionVersion } from '../model/requests.ts';
import { requestKeys } from '../store/keys.ts';
import { versionRef } from '../store/requests.ts';
import { amsterdamMinute, type PeriodChoice } from './period.ts';

/**
 * A period's submissions as CSV for Dutch Excel: one row per submitted request (its latest
 * version), fixed columns, then one column per item code of the period's forms (of every version of
 * each form in the catalog, so a code only an older or only a newer version has keeps its column,
 * empty in the rows of the other versions; notes have none), the free texts, and the attachments
 * as app links. UTF-8 with BOM, `;` by default, CRLF between records, quoting
 * by csv-stringify (RFC 4180: a cell with the delimiter, a quote, CR or LF is quoted), no `sep=`
 * line, and a formula guard on text cells.
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

/** Characters a spreadsheet reads as the start of a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Neutralises a text cell a spreadsheet would run as a formula (= + - @ tab CR at the start) by a
 * leading apostrophe, which Excel shows as text and hides. Numbers are written as numbers and
 * never pass through here.
 *
 * Only the start of a cell is guarded, not the start of each line in it: a cell with a line break
 * is always quoted, and a spreadsheet reads a quoted cell as one value, which is a formula only
 * when the cell itself starts with one of these characters. A second line "@SUM(1,2)" stays text,
 * as typed; guarding it too would change what the observer wrote.
 */
export function guardFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** What the export reads: one GSI2 prefix per query, and which students of it are in scope. */
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

/** The file name: `werkplekleren-2025-2026-OP2.csv`. */
export function exportFileName(choice: PeriodChoice): string {
  return `werkplekleren-${choice.year.id}-OP${choice.period.number}.csv`;
}

/** Options of {@link exportCsv}. */
export interface ExportOptions {
  delimiter: ';' | ',';
  /** The public origin attachment links are built from. */
  origin: string;
  /** Requests per GSI2 page (and per BatchGet of their versions). */
  pageSize?: number;
}

/** What an export reads: the submitted requests and their versions, and the form definitions. */
export interface ExportDeps {
  requests: Pick<RequestStore, 'submittedPages' | 'getVersions'>;
  forms: Pick<FormCatalog, 'all'>;
}

/** The rows of an export, as CSV text chunks: the header (with BOM), then one chunk per page. */
export async function* exportChunks(deps: ExportDeps, plan: ExportPlan, options: ExportOptions): AsyncGenerator<string> {
  const { requests } = deps;
  const { choice } = plan;
  const defs = periodForms(choice, deps.forms.all);
  const columns = csvColumns(defs);
  const answerColumns = [...columns.items, ...columns.texts];
  const known = new Set(answerColumns.map((c) => c.key));
  const titles = new Map(defs.map((def) => [def.id, def.title]));
  // `record_delimiter: 'windows'` alone quotes only cells holding CR LF; answers hold plain LF and
  // the links are joined by LF, so every cell with a CR or LF is quoted too, or a reader splits it.
  const format = { delimiter: options.delimiter, record_delimiter: 'windows' as const, quoted_match: /[\r\n]/ };
  yield stringify([[...FIXED_HEADERS, ...answerColumns.map((c) => c.header), OTHER_HEADER, ATTACHMENTS_HEADER]], { ...format, bom: true });
  for (const query of plan.queries) {
    for await (const page of requests.submittedPages(choice.year.id, choice.period.number, { ...(query.prefix ? { prefix: query.prefix } : {}), pageSize: options.pageSize ?? 100 })) {
      const rows = page.filter((r) => r.state === 'ingediend' && r.latestVersion > 0);
      if (rows.length === 0) continue;
      const versions = await requests.getVersions(rows.map((r) => ({ ...r, version: r.latestVersion })));
      const records = rows.flatMap((r) => {
        const version = versions.get(versionRef({ ...r, version: r.latestVersion }));
        return version ? [row(r, version, { answerColumns, known, titles, origin: options.origin, defs })] : [];
      });
      if (records.length > 0) yield stringify(records, format);
    }
  }
}

function row(
  request: RequestRecord,
  version: SubmissionVersion,
  ctx: { answerColumns: CsvColumn[]; known: ReadonlySet<string>; titles: ReadonlyMap<string, string>; origin: string; defs: FormDefinition[] },
): (string | number)[] {
  const def = ctx.defs.find((d) => d.id === version.formId && d.version === version.formVersion);
  const answer = (column: CsvColumn): string => {
    const value = version.answers[column.key];
    if (value === undefined) return '';
    // Dates stay ISO (Excel reads them as dates); scales and choices as their Dutch label, a multi
    // answer as its labels joined by ", ". Each row reads the labels of its own form version.
    return def && column.type !== 'date' ? formatAnswer(def, column.key, value) : value;
  };
  const other = Object.entries(version.answers)
    .filter(([code]) => !ctx.known.has(code))
    .map(([code, value]) => `${code}: ${value}`)
    .join('\n');
  const links = (version.attachments ?? [])
    .map((a) => `${ctx.origin}/overzicht/bijlage/${request.schoolYear}/${request.studentNumber}/${request.requestId}/${a.id}`)
    .join('\n');
  const text = (value: string) => guardFormula(value);
  return [
    text(request.schoolYear),
    request.period,
    text(request.studentNumber),
    text(request.student.name),
    text(request.school),
    text(request.vak),
    text(ctx.titles.get(version.formId) ?? version.formId),
    version.version,
    text(OBSERVER_LABELS_SHORT[request.observerRole]),
    text(request.observer.name),
    text(request.observer.email),
    text(request.lessonDate ?? ''),
    text(amsterdamMinute(version.savedAt)),
    ...ctx.answerColumns.map((column) => text(answer(column))),
    text(other),
    text(links),
  ];
}

/**
 * The export as a byte stream that reads the next page only when the reader wants more: memory
 * stays at about one page whatever the size of the period.
 */
export function exportCsv(deps: ExportDeps, plan: ExportPlan, options: ExportOptions): ReadableStream<Uint8Array> {
  const chunks = exportChunks(deps, plan, options);
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        logger.error('csv export failed', { error: String((error as Error).name) });
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}
