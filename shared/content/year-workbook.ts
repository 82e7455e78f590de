import { Temporal } from 'temporal-polyfill';
import type * as z from 'zod';
import {
  AutoRequestFormSchema,
  KijkwijzerTypeSchema,
  PlacementDaySchema,
  SchoolYearSchema,
  type Period as CalendarPeriod,
  type Provenance,
  type SchoolYear,
} from '../calendar.ts';
import {
  FORM_IDS,
  PERIODS,
  ROLES,
  SEED_IDS,
  tasksFor,
  YearSchema,
  type FormId,
  type Period,
  type Role,
  type SeedId,
  type Task,
  type TaskFile,
  type YearTasks,
} from '../tasks.ts';
import { unsafeLineMessage, unsafeTextMessage, visible } from '../text.ts';
import { MAX_PROBLEMS, readWorkbook, writeWorkbook, type Cell, type CellInput, type SheetProblem, type SheetRow, type WorkbookSpec } from '../xlsx/workbook.ts';

/**
 * One school year as a workbook (docs/year-content.md, "School years"): the calendar on the sheets
 * `schooljaar` and `periodes`, the tasks on `taken`, and a Dutch explanation on `uitleg` that the
 * reader skips. {@link yearToWorkbook} writes a year; {@link readYearWorkbook} reads one back, checks
 * it (dates, order, overlaps, the 1 August – 31 July frame, other years, every role in every period)
 * and returns exactly what SchoolYearSchema and the tasks' YearSchema accept, or every problem as a
 * Dutch message at its sheet, row and column. A round trip is exact. The `versie` cell carries the
 * version of the year a downloaded workbook starts from, so a publication can tell it is stale.
 */

/** The seed texts by their short id, as the `<field>_bron` column names them ("seed 001: …"). */
const SEED_FILES: Readonly<Record<SeedId, string>> = {
  '000': '000_7f2593751dbf3382.txt',
  '001': '001_8dd1f76f9eb2e0ab.txt',
};

const SHEET_YEAR = 'schooljaar';
const SHEET_PERIODS = 'periodes';
const SHEET_TASKS = 'taken';
const SHEET_EXPLANATION = 'uitleg';

/** A value with its provenance: the value's column, then `<column>_herkomst` and `<column>_bron`. */
const sourced = (column: string): string[] => [column, `${column}_herkomst`, `${column}_bron`];

/** The year's version the workbook starts from: written on download, optional on reading (empty for none). */
const VERSION_COLUMN = 'versie';

const YEAR_COLUMNS = [
  'schooljaar',
  VERSION_COLUMN,
  'status',
  'toelichting',
  'bron',
  'start',
  'einde',
  ...sourced('stage_start'),
  ...sourced('stagedagen'),
  ...sourced('kijkwijzertypes'),
  'verplichte_kijkwijzers',
  'verplicht_voor_einde_op',
  'verplichte_kijkwijzers_herkomst',
  'verplichte_kijkwijzers_bron',
] as const;

const PERIOD_COLUMNS = ['periode', ...sourced('start'), ...sourced('einde'), ...sourced('deadline'), ...sourced('automatisch')] as const;

const TASK_COLUMNS = ['rol', 'periode', 'code', 'tekst', 'bron', 'citaat', 'formulieren'] as const;

const SPEC: WorkbookSpec = {
  sheets: [
    { name: SHEET_YEAR, required: YEAR_COLUMNS.filter((column) => column !== VERSION_COLUMN), optional: [VERSION_COLUMN] },
    { name: SHEET_PERIODS, required: PERIOD_COLUMNS },
    { name: SHEET_TASKS, required: TASK_COLUMNS },
  ],
  ignoredSheets: [SHEET_EXPLANATION],
};

/** The year-level provenance keys and the column they describe. */
const YEAR_SOURCE_COLUMNS = {
  placementStart: 'stage_start',
  placementDays: 'stagedagen',
  kijkwijzerTypes: 'kijkwijzertypes',
  requiredKijkwijzers: 'verplichte_kijkwijzers',
} as const satisfies Record<keyof SchoolYear['sources'], string>;

/** The period-level provenance keys and the column they describe. */
const PERIOD_SOURCE_COLUMNS = {
  start: 'start',
  end: 'einde',
  deadline: 'deadline',
  autoRequests: 'automatisch',
} as const satisfies Record<keyof CalendarPeriod['sources'], string>;

const PUBLISHED = 'gepubliceerd';
const DERIVED = 'afgeleid';

/** The columns whose text may hold line breaks: the texts, the note and the sources; every other cell is one line. */
const isMultiline = (column: string): boolean => column === 'tekst' || column === 'citaat' || column === 'toelichting' || column.endsWith('_bron');

/** A cell's text between double quotes as a message may repeat it: refused characters written as `[U+202E]` (text.ts). */
const quoted = (value: string): string => `"${visible(value)}"`;

// ---------------------------------------------------------------------------------------------
// Writing

/**
 * The tasks of one school year with `sameAs` resolved: its five roles with their tasks per period,
 * ids prefixed by `yearId` (what {@link yearToWorkbook} takes and {@link readYearWorkbook} returns).
 * The file's `note`, `provisional` and `sameAs` are left out: a workbook's status is the year's.
 * A year the file does not have gets empty lists.
 */
export function resolvedYearTasks(file: TaskFile, yearId: string): YearTasks {
  const tasks: YearTasks = {};
  for (const role of ROLES) {
    tasks[role] = {
      OP1: tasksFor(yearId, role, 1, file),
      OP2: tasksFor(yearId, role, 2, file),
      OP3: tasksFor(yearId, role, 3, file),
      OP4: tasksFor(yearId, role, 4, file),
    };
  }
  return tasks;
}

/** An ISO calendar date as an Excel date cell. */
const excelDate = (iso: string | null): CellInput => (iso === null ? null : Temporal.PlainDate.from(iso));
/** Text, or an empty cell for ''. */
const text = (value: string | null | undefined): CellInput => (value === undefined || value === null || value === '' ? null : value);
const list = (values: readonly string[]): CellInput => text(values.join(', '));

/** `seed 001` for a known seed file, else the file name itself. */
function seedLabel(file: string): string {
  const id = SEED_IDS.find((seed) => SEED_FILES[seed] === file);
  return `seed ${id ?? file}`;
}

/** The `_herkomst` and `_bron` cells of a provenance. Several seed quotes go on lines of their own. */
function provenanceCells(source: Provenance | undefined): [CellInput, CellInput] {
  if (source === undefined) return [null, null];
  switch (source.from) {
    case 'seed':
      return [PUBLISHED, `${seedLabel(source.seed)}: ${source.quotes.join('\n')}`];
    case 'published':
      return [PUBLISHED, source.quote === undefined ? source.document : `${source.document}: ${source.quote}`];
    case 'derived':
      return [DERIVED, source.reason];
  }
}

/** The code of a task: its id without `<year>.<role>.op<n>.`. */
function taskCode(task: Task, yearId: string, role: Role, period: Period): string {
  const prefix = `${yearId}.${role}.op${period}.`;
  return task.id.startsWith(prefix) ? task.id.slice(prefix.length) : (task.id.split('.').at(-1) ?? task.id);
}

function explanation(): string[] {
  return [
    'Deze werkmap beschrijft één schooljaar van werkplekleren N2. Vul de bladen schooljaar (één rij), periodes (vier rijen) en taken (één rij per taak) in. Dit blad (uitleg) wordt niet ingelezen; verander de bladnamen en de kolomkoppen niet.',
    `${VERSION_COLUMN}: de versie waar deze werkmap van uitgaat; laat staan.`,
    'Tekst bevat geen onzichtbare tekens of stuurtekens. Alleen tekst, citaat, toelichting en de kolommen die op _bron eindigen mogen over meer regels gaan.',
    'Datums: een Excel-datum, of tekst als 12-11-2025 (dag-maand-jaar) of 2025-11-12. Een datum die niet bestaat, zoals 31-02-2026, wordt geweigerd.',
    'Een schooljaar (bijvoorbeeld 2027-2028) loopt hoogstens van 1 augustus tot en met 31 juli: van 01-08-2027 tot en met 31-07-2028. Het mag geen ander schooljaar overlappen.',
    'status: voorlopig of definitief. Een voorlopig schooljaar heeft een toelichting; die staat op de pagina\'s en in de e-mails. bron: waar de gegevens van dit schooljaar vandaan komen.',
    'Periodes: start, einde en deadline (de uiterste inleverdatum voor de student; die geldt tot en met die dag). De deadline valt binnen de periode. De periodes liggen binnen het schooljaar, in volgorde en zonder overlap.',
    `Herkomst: bij een waarde zegt <kolom>_herkomst of die ${PUBLISHED} of ${DERIVED} is. <kolom>_bron geeft bij ${PUBLISHED} het document en het citaat, gescheiden door een dubbele punt ("Studiehandleiding N2 2027-2028: Periode 1 start op maandag 6 september"); bij ${DERIVED} de reden. Afgeleide datums worden op de kalender en in de e-mails als afgeleid gemarkeerd.`,
    'Een bron "seed 000: …" of "seed 001: …" citeert de handleiding van 2025-2026 (000) of de informatie van 2024-2025 (001). Meerdere citaten staan elk op een eigen regel in de cel (Alt+Enter).',
    `stagedagen: ${PlacementDaySchema.options.join(', ')}, gescheiden door komma's. stage_start mag leeg blijven als de startdatum nog niet bekend is.`,
    `kijkwijzertypes: ${KijkwijzerTypeSchema.options.join(', ')}. verplichte_kijkwijzers: de types die voor het einde van periode verplicht_voor_einde_op (1 tot en met 4) ingevuld moeten zijn; laat beide leeg als er geen verplichting is.`,
    `automatisch: de formulieren die in die periode automatisch bij de werkplekbegeleider worden opgevraagd (${AutoRequestFormSchema.options.join(', ')}), met automatisch_herkomst en automatisch_bron.`,
    `taken: rol (${ROLES.join(', ')}), periode (1 tot en met 4), code (een korte naam van kleine letters, cijfers en streepjes, uniek per rol en periode; verander de code van een bestaande taak niet), tekst (wat de e-mail zegt), bron (000 of 001 voor de handleidingen, of de titel van een document), citaat (de woorden in de bron waar de taak op rust), formulieren (mag leeg: ${FORM_IDS.join(', ')}).`,
    'Elke rol heeft in elke periode minstens één taak.',
  ];
}

/**
 * Writes a school year and its resolved tasks ({@link resolvedYearTasks}) as a workbook; `version`,
 * the year's current version, goes in the `versie` cell (empty when not given).
 */
export async function yearToWorkbook(year: SchoolYear, tasks: YearTasks, version?: number): Promise<Uint8Array> {
  const yearRow: CellInput[] = [
    year.id,
    version ?? null,
    year.provisional ? 'voorlopig' : 'definitief',
    text(year.note),
    year.source,
    excelDate(year.start),
    excelDate(year.end),
    excelDate(year.placementStart),
    ...provenanceCells(year.sources.placementStart),
    list(year.placementDays),
    ...provenanceCells(year.sources.placementDays),
    list(year.kijkwijzerTypes),
    ...provenanceCells(year.sources.kijkwijzerTypes),
    list(year.requiredKijkwijzers?.types ?? []),
    year.requiredKijkwijzers?.byEndOfPeriod ?? null,
    ...provenanceCells(year.sources.requiredKijkwijzers),
  ];
  const periodRows = year.periods.map((period): CellInput[] => [
    period.number,
    excelDate(period.start),
    ...provenanceCells(period.sources.start),
    excelDate(period.end),
    ...provenanceCells(period.sources.end),
    excelDate(period.deadline),
    ...provenanceCells(period.sources.deadline),
    list(period.autoRequests),
    ...provenanceCells(period.sources.autoRequests),
  ]);
  const taskRows = ROLES.flatMap((role) =>
    PERIODS.flatMap((period) =>
      (tasks[role]?.[`OP${period}`] ?? []).map((task): CellInput[] => [
        role,
        period,
        taskCode(task, year.id, role, period),
        task.text,
        'seed' in task.source ? task.source.seed : task.source.document,
        task.source.quote,
        list(task.forms ?? []),
      ]),
    ),
  );
  const widths: Record<string, number> = { toelichting: 40, bron: 40, tekst: 60, citaat: 60, formulieren: 28 };
  const columns = (names: readonly string[]) =>
    names.map((header) => ({ header, width: widths[header] ?? (header.endsWith('_bron') ? 48 : header.endsWith('_herkomst') ? 14 : 16) }));
  return writeWorkbook([
    { name: SHEET_YEAR, columns: columns(YEAR_COLUMNS), rows: [yearRow] },
    { name: SHEET_PERIODS, columns: columns(PERIOD_COLUMNS), rows: periodRows },
    { name: SHEET_TASKS, columns: columns(TASK_COLUMNS), rows: taskRows },
    { name: SHEET_EXPLANATION, columns: [{ header: 'uitleg', width: 120 }], rows: explanation().map((line) => [line]) },
  ]);
}

// ---------------------------------------------------------------------------------------------
// Reading

/**
 * A read and checked school year with its tasks and the version the workbook starts from (the
 * `versie` cell; undefined when empty), or every problem found.
 */
export type YearWorkbookResult = { ok: true; year: SchoolYear; tasks: YearTasks; version?: number } | { ok: false; problems: SheetProblem[] };

const pad = (n: number): string => String(n).padStart(2, '0');
/** An ISO date as the workbook shows it: 2025-11-12 gives 12-11-2025. */
const shown = (iso: string): string => {
  const day = Temporal.PlainDate.from(iso);
  return `${pad(day.day)}-${pad(day.month)}-${day.year}`;
};
const compare = (a: string, b: string): number => Temporal.PlainDate.compare(Temporal.PlainDate.from(a), Temporal.PlainDate.from(b));

const DATE_EXAMPLE = 'Schrijf een datum als 12-11-2025 (dag-maand-jaar) of 2025-11-12, of gebruik een Excel-datum.';

/** A cell as an ISO date; `null` for an empty cell, or a Dutch reason it is no date. */
function cellDate(cell: Cell): { ok: true; date: string | null } | { ok: false; message: string } {
  switch (cell.kind) {
    case 'empty':
      return { ok: true, date: null };
    case 'date':
      return { ok: true, date: cell.date.toString() };
    case 'text': {
      const value = cell.text.trim();
      const dayFirst = /^(\d{1,2})-(\d{1,2})-(\d{4})$/.exec(value);
      const yearFirst = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
      const parts = dayFirst ? [dayFirst[3], dayFirst[2], dayFirst[1]] : yearFirst ? [yearFirst[1], yearFirst[2], yearFirst[3]] : undefined;
      if (parts === undefined) return { ok: false, message: `${quoted(value)} is geen datum. ${DATE_EXAMPLE}` };
      const [year, month, day] = parts.map(Number) as [number, number, number];
      try {
        return { ok: true, date: Temporal.PlainDate.from({ year, month, day }, { overflow: 'reject' }).toString() };
      } catch {
        return { ok: false, message: `De datum ${value} bestaat niet.` };
      }
    }
    case 'number':
    case 'boolean':
      return { ok: false, message: `"${cell.kind === 'number' ? cell.value : cell.value ? 'WAAR' : 'ONWAAR'}" is geen datum. ${DATE_EXAMPLE}` };
  }
}

/** A period number written as 1-4 (or OP1-OP4), or undefined. */
function periodNumber(value: string): Period | undefined {
  const match = /^(?:op\s*)?([1-4])$/i.exec(value.trim());
  return match ? (Number(match[1]) as Period) : undefined;
}

/** Splits a list cell ("maandag, woensdag") on commas and semicolons (a line break is refused before). */
const items = (value: string): string[] =>
  value
    .split(/[,;]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');

/** The problems found so far, and where each belongs. */
class Problems {
  readonly list: SheetProblem[] = [];

  add(sheet: string, row: number | undefined, column: string | undefined, message: string): void {
    this.list.push({ sheet, ...(row === undefined ? {} : { row }), ...(column === undefined ? {} : { column }), message });
  }

  get count(): number {
    return this.list.length;
  }
}

/** Reads the cells of one row, reporting each problem at its cell. */
class RowReader {
  /** Cells with a refused character: that is their one problem, so the checks after it stay silent. */
  private readonly refused = new Set<string>();

  constructor(
    private readonly problems: Problems,
    readonly sheet: string,
    readonly source: SheetRow,
  ) {}

  get row(): number {
    return this.source.row;
  }

  problem(column: string | undefined, message: string): void {
    if (column !== undefined && this.refused.has(column)) return;
    this.problems.add(this.sheet, this.row, column, message);
  }

  /**
   * Refuses the characters text.ts refuses (controls, bidi overrides, invisible characters) in every
   * cell of the row, as the form reader does: line breaks only in the {@link isMultiline} columns.
   */
  checkText(columns: readonly string[]): void {
    for (const column of columns) {
      const text = this.text(column);
      const message = isMultiline(column) ? unsafeTextMessage(text) : unsafeLineMessage(text);
      if (message === '') continue;
      this.problem(column, `De tekst ${message}.`);
      this.refused.add(column);
    }
  }

  text(column: string): string {
    return this.source.text(column);
  }

  /** A date; `null` when empty and allowed, undefined after a problem. */
  date(column: string, what: string, options: { optional?: boolean } = {}): string | null | undefined {
    if (this.refused.has(column)) return undefined;
    const result = cellDate(this.source.cell(column));
    if (!result.ok) {
      this.problem(column, result.message);
      return undefined;
    }
    if (result.date === null && options.optional !== true) {
      this.problem(column, `${what} ontbreekt. ${DATE_EXAMPLE}`);
      return undefined;
    }
    return result.date;
  }

  /** A list of known ids, each once; undefined after a problem. */
  list<T extends string>(column: string, known: readonly T[], what: string, options: { min?: number; example?: string } = {}): T[] | undefined {
    if (this.refused.has(column)) return undefined;
    const values = items(this.text(column));
    const start = this.problems.count;
    const seen = new Set<string>();
    for (const value of values) {
      const id = value.toLowerCase();
      if (!(known as readonly string[]).includes(id)) {
        this.problem(column, `${quoted(value)} is geen ${what}. Kies uit: ${known.join(', ')}.`);
      } else if (seen.has(id)) {
        this.problem(column, `${quoted(value)} staat er twee keer.`);
      }
      seen.add(id);
    }
    if (values.length < (options.min ?? 0)) {
      this.problem(column, `Vul minstens één ${what} in${options.example ? `, bijvoorbeeld "${options.example}"` : ''}. Kies uit: ${known.join(', ')}.`);
    }
    return this.problems.count > start ? undefined : (values.map((value) => value.toLowerCase()) as T[]);
  }

  /**
   * The provenance in `<column>_herkomst` and `<column>_bron`. `optional`: both may be empty
   * (undefined is then the answer). Returns null after a problem.
   */
  provenance(column: string, options: { optional?: boolean } = {}): Provenance | undefined | null {
    const originColumn = `${column}_herkomst`;
    const sourceColumn = `${column}_bron`;
    if (this.refused.has(originColumn) || this.refused.has(sourceColumn)) return null;
    const origin = this.text(originColumn).toLowerCase();
    const source = this.text(sourceColumn);
    if (origin === '' && source === '' && options.optional === true) return undefined;
    if (origin !== PUBLISHED && origin !== DERIVED) {
      this.problem(
        originColumn,
        origin === '' ? `Vul ${PUBLISHED} of ${DERIVED} in.` : `${quoted(this.text(originColumn))} kan hier niet; vul ${PUBLISHED} of ${DERIVED} in.`,
      );
      return null;
    }
    if (origin === DERIVED) {
      if (source === '') {
        this.problem(sourceColumn, 'Leg uit hoe deze waarde is afgeleid.');
        return null;
      }
      return { from: 'derived', reason: source };
    }
    if (source === '') {
      this.problem(sourceColumn, 'Noem het document waarin deze waarde gepubliceerd is, bijvoorbeeld "Studiehandleiding N2 2027-2028: Periode 1 start op maandag 6 september".');
      return null;
    }
    const seed = /^seed\s+([^:\s]+)\s*:\s*([\s\S]*)$/i.exec(source);
    if (seed) {
      const name = seed[1]!;
      const file = (SEED_IDS as readonly string[]).includes(name) ? SEED_FILES[name as SeedId] : Object.values(SEED_FILES).find((known) => known === name);
      const quotes = seed[2]!
        .split('\n')
        .map((quote) => quote.trim())
        .filter((quote) => quote !== '');
      if (file === undefined) {
        this.problem(sourceColumn, `Onbekende brontekst ${quoted(`seed ${name}`)}. De bronteksten zijn ${SEED_IDS.map((id) => `seed ${id}`).join(' en ')}.`);
        return null;
      }
      if (quotes.length === 0) {
        this.problem(sourceColumn, `Zet na ${quoted(`seed ${name}:`)} het citaat uit die tekst.`);
        return null;
      }
      return { from: 'seed', seed: file, quotes };
    }
    const colon = source.indexOf(': ');
    if (colon > 0 && source.slice(colon + 2).trim() !== '') {
      return { from: 'published', document: source.slice(0, colon).trim(), quote: source.slice(colon + 2).trim() };
    }
    return { from: 'published', document: source };
  }
}

/** The rows of a sheet as readers. */
function rowsOf(sheets: Map<string, { rows: SheetRow[] }>, name: string, problems: Problems): RowReader[] {
  return (sheets.get(name)?.rows ?? []).map((row) => new RowReader(problems, name, row));
}

/** A parsed period with the sheet row it came from. */
interface PeriodRead {
  row: number;
  period: CalendarPeriod;
}

/** Where in the workbook each value of the year and the tasks stands, to place a schema issue. */
interface Places {
  yearRow: number;
  periodRows: number[];
  /** The row of each task, by {@link taskPlace}. */
  taskRows: Map<string, number>;
}

/** The key of a task's place: its path in YearTasks. */
const taskPlace = (role: unknown, periodKey: unknown, index: unknown): string => `${String(role)}.${String(periodKey)}.${String(index)}`;

/**
 * Reads a school-year workbook and checks it against itself and the other school years (`others`;
 * a year with the same id is the one this workbook replaces and is skipped). Never throws on bad
 * input: every problem comes back as a Dutch message at its sheet, row and column.
 */
export async function readYearWorkbook(bytes: Uint8Array, others: readonly SchoolYear[]): Promise<YearWorkbookResult> {
  const read = await readWorkbook(bytes, SPEC);
  if (!read.ok) return read;
  const problems = new Problems();

  const yearRows = rowsOf(read.sheets, SHEET_YEAR, problems);
  const first = yearRows[0];
  if (first === undefined) {
    problems.add(SHEET_YEAR, undefined, undefined, 'Dit blad heeft geen rij met het schooljaar. Vul rij 2 in.');
    return { ok: false, problems: problems.list.slice(0, MAX_PROBLEMS) };
  }
  for (const extra of yearRows.slice(1)) extra.problem(undefined, 'Dit blad heeft één rij: het schooljaar. Verwijder deze rij.');

  const periodRows = rowsOf(read.sheets, SHEET_PERIODS, problems);
  const header = readYearRow(first, problems);
  const periods = readPeriods(periodRows, problems);
  const tasks = readTasks(rowsOf(read.sheets, SHEET_TASKS, problems), header.id, problems);

  checkYear(first, header, others);
  if (periods !== undefined && header.start !== undefined && header.end !== undefined) {
    checkPeriods(periodRows, periods, { start: header.start, end: header.end });
  }
  if (problems.count > 0 || header.year === undefined || periods === undefined || tasks === undefined) {
    return { ok: false, problems: problems.list.slice(0, MAX_PROBLEMS) };
  }

  const candidate: SchoolYear = { ...header.year, periods: periods.map(({ period }) => period) };
  const places: Places = { yearRow: first.row, periodRows: periods.map(({ row }) => row), taskRows: tasks.rows };
  const year = SchoolYearSchema.safeParse(candidate);
  const yearTasks = YearSchema.safeParse(tasks.tasks);
  const issues = [
    ...(year.success ? [] : year.error.issues.map((issue) => yearIssue(issue, places))),
    ...(yearTasks.success ? [] : yearTasks.error.issues.map((issue) => taskIssue(issue, places))),
  ];
  if (!year.success || !yearTasks.success) return { ok: false, problems: issues.slice(0, MAX_PROBLEMS) };
  return { ok: true, year: year.data, tasks: yearTasks.data, ...(header.version === undefined ? {} : { version: header.version }) };
}

/** What the `schooljaar` row gives: the year without periods, when every cell was right. */
interface YearRead {
  id: string | undefined;
  start: string | undefined;
  end: string | undefined;
  placementStart: string | null | undefined;
  /** The `versie` cell: undefined when empty (or refused). */
  version: number | undefined;
  year: Omit<SchoolYear, 'periods'> | undefined;
}

function readYearRow(row: RowReader, problems: Problems): YearRead {
  const start = problems.count;
  row.checkText(YEAR_COLUMNS);
  const version = readVersion(row);
  const idText = row.text('schooljaar');
  const idMatch = /^(\d{4})-(\d{4})$/.exec(idText);
  let id: string | undefined;
  if (idMatch && Number(idMatch[2]) === Number(idMatch[1]) + 1) id = idText;
  else if (idText === '') row.problem('schooljaar', 'Het schooljaar ontbreekt. Schrijf het als twee opeenvolgende jaren, bijvoorbeeld 2027-2028.');
  else row.problem('schooljaar', `${quoted(idText)} is geen schooljaar. Schrijf het als twee opeenvolgende jaren, bijvoorbeeld 2027-2028.`);

  const statusText = row.text('status').toLowerCase();
  const provisional = statusText === 'voorlopig' ? true : statusText === 'definitief' ? false : undefined;
  if (provisional === undefined) {
    row.problem('status', statusText === '' ? 'Vul voorlopig of definitief in.' : `${quoted(row.text('status'))} kan hier niet; vul voorlopig of definitief in.`);
  }
  const note = row.text('toelichting');
  if (provisional === true && note === '') {
    row.problem('toelichting', "Een voorlopig schooljaar heeft een toelichting nodig; die staat op de pagina's en in de e-mails.");
  }
  const source = row.text('bron');
  if (source === '') row.problem('bron', 'Zeg waar de gegevens van dit schooljaar vandaan komen, bijvoorbeeld "Studiehandleiding N2 2027-2028".');

  const yearStart = row.date('start', 'De startdatum van het schooljaar');
  const yearEnd = row.date('einde', 'De einddatum van het schooljaar');
  const placementStart = row.date('stage_start', 'De startdatum van de stage', { optional: true });
  const placementStartSource = row.provenance('stage_start');
  const placementDays = row.list('stagedagen', PlacementDaySchema.options, 'stagedag', { min: 1, example: 'maandag, woensdag' });
  const placementDaysSource = row.provenance('stagedagen');
  const kijkwijzerTypes = row.list('kijkwijzertypes', KijkwijzerTypeSchema.options, 'kijkwijzertype', { min: 1, example: 'pedagogiek, didactiek' });
  const kijkwijzerTypesSource = row.provenance('kijkwijzertypes');
  const requiredTypes = row.list('verplichte_kijkwijzers', KijkwijzerTypeSchema.options, 'kijkwijzertype');
  const byEndText = row.text('verplicht_voor_einde_op');
  const byEnd = periodNumber(byEndText);
  if (byEndText !== '' && byEnd === undefined) {
    row.problem('verplicht_voor_einde_op', `${quoted(byEndText)} is geen periode; vul 1, 2, 3 of 4 in.`);
  } else if (requiredTypes !== undefined && (requiredTypes.length > 0) !== (byEnd !== undefined)) {
    row.problem(
      requiredTypes.length > 0 ? 'verplicht_voor_einde_op' : 'verplichte_kijkwijzers',
      'Vul verplichte_kijkwijzers en verplicht_voor_einde_op allebei in, of laat ze allebei leeg als er geen verplichting is.',
    );
  }
  for (const type of requiredTypes ?? []) {
    if (kijkwijzerTypes !== undefined && !kijkwijzerTypes.includes(type)) {
      row.problem('verplichte_kijkwijzers', `"${type}" is verplicht, maar staat niet bij de kijkwijzertypes van dit schooljaar.`);
    }
  }
  const requiredSource = row.provenance('verplichte_kijkwijzers');

  const read: YearRead = {
    id,
    start: yearStart ?? undefined,
    end: yearEnd ?? undefined,
    placementStart,
    version,
    year: undefined,
  };
  if (
    problems.count > start ||
    id === undefined ||
    provisional === undefined ||
    !yearStart ||
    !yearEnd ||
    placementStart === undefined ||
    !placementStartSource ||
    !placementDays ||
    !placementDaysSource ||
    !kijkwijzerTypes ||
    !kijkwijzerTypesSource ||
    !requiredTypes ||
    !requiredSource
  ) {
    return read;
  }
  read.year = {
    id,
    provisional,
    note: note === '' ? null : note,
    source,
    start: yearStart,
    end: yearEnd,
    placementStart,
    placementDays,
    kijkwijzerTypes,
    requiredKijkwijzers: byEnd === undefined ? null : { byEndOfPeriod: byEnd, types: requiredTypes },
    sources: {
      placementStart: placementStartSource,
      placementDays: placementDaysSource,
      kijkwijzerTypes: kijkwijzerTypesSource,
      requiredKijkwijzers: requiredSource,
    },
  };
  return read;
}

/** The `versie` cell: a positive whole number, or undefined when empty (a problem otherwise). */
function readVersion(row: RowReader): number | undefined {
  const cell = row.source.cell(VERSION_COLUMN);
  const text = row.text(VERSION_COLUMN);
  if (cell.kind === 'empty') return undefined;
  const version = cell.kind === 'number' ? cell.value : /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (Number.isSafeInteger(version) && version >= 1) return version;
  row.problem(
    VERSION_COLUMN,
    `De versie ${quoted(text)} klopt niet: de versie is een positief geheel getal (1, 2, 3, ...), de versie waar deze werkmap van uitgaat. Zet terug wat er bij het downloaden stond.`,
  );
  return undefined;
}

/** The four periods in number order, or undefined when a row had a problem. */
function readPeriods(rows: RowReader[], problems: Problems): PeriodRead[] | undefined {
  const start = problems.count;
  const byNumber = new Map<Period, PeriodRead | undefined>();
  const rowOf = new Map<Period, number>();
  for (const row of rows) {
    row.checkText(PERIOD_COLUMNS);
    const number = periodNumber(row.text('periode'));
    if (number === undefined) {
      row.problem('periode', row.text('periode') === '' ? 'Vul het nummer van de periode in: 1, 2, 3 of 4.' : `${quoted(row.text('periode'))} is geen periode; vul 1, 2, 3 of 4 in.`);
      continue;
    }
    const earlier = rowOf.get(number);
    if (earlier !== undefined) {
      row.problem('periode', `Periode ${number} staat er twee keer (ook in rij ${earlier}).`);
      continue;
    }
    rowOf.set(number, row.row);
    byNumber.set(number, readPeriod(row, number));
  }
  for (const number of PERIODS) {
    if (!rowOf.has(number)) {
      problems.add(SHEET_PERIODS, undefined, undefined, `Periode ${number} ontbreekt. Dit blad heeft vier rijen: periode 1, 2, 3 en 4.`);
    }
  }
  if (problems.count > start) return undefined;
  return PERIODS.map((number) => byNumber.get(number)!);
}

function readPeriod(row: RowReader, number: Period): PeriodRead | undefined {
  const label = `van periode ${number}`;
  const start = row.date('start', `De start ${label}`);
  const startSource = row.provenance('start');
  const end = row.date('einde', `Het einde ${label}`);
  const endSource = row.provenance('einde');
  const deadline = row.date('deadline', `De deadline ${label}`);
  const deadlineSource = row.provenance('deadline');
  const autoRequests = row.list('automatisch', AutoRequestFormSchema.options, 'formulier dat automatisch wordt opgevraagd');
  const autoSource = row.provenance('automatisch', { optional: autoRequests === undefined || autoRequests.length === 0 });
  if (!start || !end || !deadline || !startSource || !endSource || !deadlineSource || !autoRequests || autoSource === null) return undefined;
  return {
    row: row.row,
    period: {
      number,
      start,
      end,
      deadline,
      autoRequests,
      sources: { start: startSource, end: endSource, deadline: deadlineSource, ...(autoSource === undefined ? {} : { autoRequests: autoSource }) },
    },
  };
}

/** The year within 1 August – 31 July, and clear of the other school years. */
function checkYear(row: RowReader, header: YearRead, others: readonly SchoolYear[]): void {
  const { id, start, end } = header;
  const frame = 'Een schooljaar loopt hoogstens van 1 augustus tot en met 31 juli.';
  if (id !== undefined) {
    const [first, second] = id.split('-').map(Number) as [number, number];
    if (start !== undefined) {
      if (compare(start, `${first}-08-01`) < 0) row.problem('start', `Het schooljaar ${id} begint op ${shown(start)}, voor 1 augustus ${first}. ${frame}`);
      else if (compare(start, `${first}-12-31`) > 0) row.problem('start', `Het schooljaar ${id} begint op ${shown(start)}; dat moet in ${first} zijn, vanaf 1 augustus.`);
    }
    if (end !== undefined) {
      if (compare(end, `${second}-07-31`) > 0) row.problem('einde', `Het schooljaar ${id} eindigt op ${shown(end)}, na 31 juli ${second}. ${frame}`);
      else if (compare(end, `${second}-01-01`) < 0) row.problem('einde', `Het schooljaar ${id} eindigt op ${shown(end)}; dat moet in ${second} zijn, tot en met 31 juli.`);
    }
  }
  if (start === undefined || end === undefined) return;
  if (id === undefined && compare(end, start) <= 0) row.problem('einde', `Het schooljaar eindigt op ${shown(end)}, niet na de start op ${shown(start)}.`);
  // Without a readable id this workbook may be the year it replaces: only a named year is compared.
  for (const other of id === undefined ? [] : others) {
    if (other.id === id || compare(start, other.end) > 0 || compare(other.start, end) > 0) continue;
    row.problem(
      'start',
      `Dit schooljaar (${shown(start)} tot en met ${shown(end)}) overlapt met schooljaar ${other.id} (${shown(other.start)} tot en met ${shown(other.end)}). Schooljaren mogen niet overlappen.`,
    );
  }
  if (header.placementStart && (compare(header.placementStart, start) < 0 || compare(end, header.placementStart) < 0)) {
    row.problem('stage_start', `De stage begint op ${shown(header.placementStart)}, buiten het schooljaar (${shown(start)} tot en met ${shown(end)}).`);
  }
}

/** Each period in order, its deadline inside it, inside the school year, without overlap. */
function checkPeriods(rows: RowReader[], periods: PeriodRead[], year: { start: string; end: string }): void {
  const readerAt = (row: number): RowReader => rows.find((candidate) => candidate.row === row)!;
  periods.forEach(({ row, period }, index) => {
    const at = readerAt(row);
    const name = `Periode ${period.number}`;
    if (compare(period.end, period.start) < 0) {
      at.problem('einde', `${name} eindigt op ${shown(period.end)}, voor de start op ${shown(period.start)}.`);
    } else if (compare(period.deadline, period.start) < 0 || compare(period.end, period.deadline) < 0) {
      at.problem(
        'deadline',
        `De deadline ${shown(period.deadline)} valt buiten periode ${period.number} (${shown(period.start)} tot en met ${shown(period.end)}).`,
      );
    }
    if (compare(period.start, year.start) < 0) {
      at.problem('start', `${name} begint op ${shown(period.start)}, voor de start van het schooljaar op ${shown(year.start)}.`);
    }
    if (compare(year.end, period.end) < 0) {
      at.problem('einde', `${name} eindigt op ${shown(period.end)}, na het einde van het schooljaar op ${shown(year.end)}.`);
    }
    const previous = periods[index - 1]?.period;
    if (previous !== undefined && compare(period.start, previous.end) <= 0) {
      at.problem(
        'start',
        `${name} begint op ${shown(period.start)}, maar periode ${previous.number} loopt tot en met ${shown(previous.end)}. Periodes volgen op elkaar zonder overlap.`,
      );
    }
  });
}

const CODE = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** The tasks per role and period, with the row of each task id; undefined when a row had a problem. */
function readTasks(
  rows: RowReader[],
  yearId: string | undefined,
  problems: Problems,
): { tasks: YearTasks; rows: Map<string, number> } | undefined {
  const start = problems.count;
  const lists = new Map<string, { code: string; row: number; task: Omit<Task, 'id'> }[]>();
  // Role and period pairs some row names, even a row with a problem: those are not missing.
  const claimed = new Set<string>();
  const key = (role: Role, period: Period): string => `${role}.op${period}`;
  for (const row of rows) {
    const rowStart = problems.count;
    row.checkText(TASK_COLUMNS);
    const roleText = row.text('rol');
    const role = ROLES.find((candidate) => candidate === roleText.toLowerCase());
    if (role === undefined) {
      row.problem('rol', roleText === '' ? `Vul de rol in: ${ROLES.join(', ')}.` : `${quoted(roleText)} is geen rol; kies uit ${ROLES.join(', ')}.`);
    }
    const periodText = row.text('periode');
    const period = periodNumber(periodText);
    if (period === undefined) {
      row.problem('periode', periodText === '' ? 'Vul het nummer van de periode in: 1, 2, 3 of 4.' : `${quoted(periodText)} is geen periode; vul 1, 2, 3 of 4 in.`);
    }
    const code = row.text('code');
    if (code === '') row.problem('code', 'Geef de taak een code: een korte naam van kleine letters, cijfers en streepjes, bijvoorbeeld kennismaken.');
    else if (!CODE.test(code)) {
      row.problem('code', `De code ${quoted(code)} kan niet: gebruik kleine letters, cijfers en streepjes (zonder spaties), bijvoorbeeld kennismaken of les-2.`);
    }
    const taskText = row.text('tekst');
    if (taskText === '') row.problem('tekst', 'De tekst van de taak ontbreekt.');
    const sourceCell = row.source.cell('bron');
    // Excel turns a typed 000 or 001 into the number 0 or 1.
    const sourceText = sourceCell.kind === 'number' ? String(sourceCell.value).padStart(3, '0') : row.text('bron');
    if (sourceText === '') row.problem('bron', 'Noem de bron van de taak: 000 of 001 (de handleidingen), of de titel van een document.');
    const quote = row.text('citaat');
    if (quote === '') row.problem('citaat', 'Het citaat ontbreekt: de woorden in de bron waar de taak op rust.');
    const forms = row.list<FormId>('formulieren', FORM_IDS, 'formulier');
    if (role !== undefined && period !== undefined) claimed.add(key(role, period));
    if (role === undefined || period === undefined || problems.count > rowStart || forms === undefined) continue;

    const entries = lists.get(key(role, period)) ?? [];
    const same = entries.find((entry) => entry.code === code);
    if (same !== undefined) {
      row.problem('code', `De code "${code}" staat al in rij ${same.row} voor rol ${role} in periode ${period}. Een code is uniek per rol en periode.`);
      continue;
    }
    const seed = SEED_IDS.find((id) => id === sourceText);
    entries.push({
      code,
      row: row.row,
      task: {
        text: taskText,
        source: seed !== undefined ? { seed, quote } : { document: sourceText, quote },
        ...(forms.length > 0 ? { forms } : {}),
      },
    });
    lists.set(key(role, period), entries);
  }
  for (const role of ROLES) {
    for (const period of PERIODS) {
      if (!claimed.has(key(role, period))) {
        problems.add(
          SHEET_TASKS,
          undefined,
          undefined,
          `Rol ${role} heeft geen taak in periode ${period}. Elke rol (${ROLES.join(', ')}) heeft in elke periode minstens één taak.`,
        );
      }
    }
  }
  if (problems.count > start || yearId === undefined) return undefined;

  const taskRows = new Map<string, number>();
  const tasks: YearTasks = {};
  for (const role of ROLES) {
    const perPeriod = (period: Period): Task[] =>
      (lists.get(key(role, period)) ?? []).map(({ code, row, task }, index) => {
        taskRows.set(taskPlace(role, `OP${period}`, index), row);
        return { id: `${yearId}.${role}.op${period}.${code}`, ...task };
      });
    tasks[role] = { OP1: perPeriod(1), OP2: perPeriod(2), OP3: perPeriod(3), OP4: perPeriod(4) };
  }
  return { tasks, rows: taskRows };
}

// ---------------------------------------------------------------------------------------------
// Schema issues: the checks above come first and say more; these catch what they might miss.

/** A Dutch message for a schema issue the checks above did not catch. */
function issueMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return 'Deze waarde ontbreekt of heeft niet de goede vorm.';
    case 'too_small':
      return 'Deze waarde is te kort of ontbreekt.';
    case 'invalid_value':
    case 'invalid_format':
      return 'Deze waarde kan hier niet.';
    default:
      return 'Deze waarde klopt niet met de rest van de werkmap.';
  }
}

const YEAR_FIELD_COLUMNS: Record<string, string> = {
  id: 'schooljaar',
  provisional: 'status',
  note: 'toelichting',
  source: 'bron',
  start: 'start',
  end: 'einde',
  placementStart: 'stage_start',
  placementDays: 'stagedagen',
  kijkwijzerTypes: 'kijkwijzertypes',
  requiredKijkwijzers: 'verplichte_kijkwijzers',
};

const PERIOD_FIELD_COLUMNS: Record<string, string> = {
  number: 'periode',
  start: 'start',
  end: 'einde',
  deadline: 'deadline',
  autoRequests: 'automatisch',
};

function yearIssue(issue: z.core.$ZodIssue, places: Places): SheetProblem {
  const [field, index, periodField, sourceKey] = issue.path;
  const message = issueMessage(issue);
  if (field === 'periods' && typeof index === 'number') {
    const row = places.periodRows[index];
    const column =
      periodField === 'sources'
        ? `${PERIOD_SOURCE_COLUMNS[sourceKey as keyof typeof PERIOD_SOURCE_COLUMNS] ?? 'start'}_bron`
        : PERIOD_FIELD_COLUMNS[String(periodField)];
    return { sheet: SHEET_PERIODS, ...(row === undefined ? {} : { row }), ...(column === undefined ? {} : { column }), message };
  }
  if (field === 'periods') return { sheet: SHEET_PERIODS, message };
  if (field === 'sources') {
    const column = YEAR_SOURCE_COLUMNS[index as keyof typeof YEAR_SOURCE_COLUMNS];
    return { sheet: SHEET_YEAR, row: places.yearRow, ...(column === undefined ? {} : { column: `${column}_bron` }), message };
  }
  const column = field === 'requiredKijkwijzers' && index === 'byEndOfPeriod' ? 'verplicht_voor_einde_op' : YEAR_FIELD_COLUMNS[String(field)];
  return { sheet: SHEET_YEAR, row: places.yearRow, ...(column === undefined ? {} : { column }), message };
}

function taskIssue(issue: z.core.$ZodIssue, places: Places): SheetProblem {
  const [role, periodKey, index, field, sourceField] = issue.path;
  const message = issueMessage(issue);
  const row = places.taskRows.get(taskPlace(role, periodKey, index));
  const column =
    field === 'text' ? 'tekst' : field === 'forms' ? 'formulieren' : field === 'id' ? 'code' : field === 'source' ? (sourceField === 'quote' ? 'citaat' : 'bron') : undefined;
  return { sheet: SHEET_TASKS, ...(row === undefined ? {} : { row }), ...(column === undefined ? {} : { column }), message };
}
