import type * as z from 'zod';
import { withoutUndefined } from '../objects.ts';
import { FORM_IDS } from '../tasks.ts';
import { unsafeLineMessage, unsafeTextMessage, visible } from '../text.ts';
import { MAX_PROBLEMS, readWorkbook, writeWorkbook } from '../xlsx/workbook.ts';
import type { Cell, CellInput, Sheet, SheetProblem, SheetRow, WorkbookSpec } from '../xlsx/workbook.ts';
import {
  DEFAULT_SCALE_OPTIONS,
  FORMATIVE_CODES,
  FORM_KINDS,
  FormDefinition,
  SCALE_POSITIONS,
  isStaffOnly,
  kindOfId,
  misplacedFormativeCodes,
  spansScale,
  staffOnlyFormativeCodes,
} from './definition.ts';
import type { FormItem, FormKind, FormOption, ItemType, ScalePosition, SectionReaders } from './definition.ts';

/**
 * A form definition as an XLSForm workbook and back: the `survey`, `choices` and `settings` sheets
 * of the field's convention (ODK, KoboToolbox), plus our own columns (`lezers` on survey, on a
 * `begin_group` row; `schaal` on choices; `soort`, `kijkwijzer_type`, `intro`, `lidwoord`,
 * `naam_in_zin`, `concept`, `basis` on settings) and an
 * `uitleg` sheet for the coordinator that the reader skips. Reading refuses a workbook with every
 * problem at once, each in Dutch with its sheet, row and column; the `FormDefinition` schema has
 * the last word, and its issues are mapped back to the cell they came from.
 */

/** The sheets, in the order they are written. */
const SURVEY = 'survey';
const CHOICES = 'choices';
const SETTINGS = 'settings';
const EXPLANATION = 'uitleg';

const SURVEY_COLUMNS = ['type', 'name', 'label', 'hint', 'required', 'lezers'] as const;
const CHOICES_COLUMNS = ['list_name', 'name', 'label', 'schaal'] as const;
const SETTINGS_COLUMNS = [
  'form_id',
  'version',
  'form_title',
  'soort',
  'kijkwijzer_type',
  'intro',
  'lidwoord',
  'naam_in_zin',
  'concept',
  'basis',
] as const;

/** What the reader expects: `hint`, `required`, `lezers`, `schaal` and `kijkwijzer_type` may be left out. */
const SPEC: WorkbookSpec = {
  sheets: [
    { name: SURVEY, required: ['type', 'name', 'label'], optional: ['hint', 'required', 'lezers'] },
    { name: CHOICES, required: ['list_name', 'name', 'label'], optional: ['schaal'] },
    { name: SETTINGS, required: SETTINGS_COLUMNS.filter((column) => column !== 'kijkwijzer_type'), optional: ['kijkwijzer_type'] },
  ],
  ignoredSheets: [EXPLANATION],
};

/** The `lezers` value of a group for the SO and IO only (a section's `readers: 'staff'`); an empty cell is everyone. */
const STAFF_READERS = 'so-io';

/** The `lezers` cell of a section: `so-io` for the SO and IO only, else empty. */
const readersCell = (readers: SectionReaders | undefined): string | null => (isStaffOnly({ readers }) ? STAFF_READERS : null);

/** The list every scale item without options of its own uses. */
const DEFAULT_SCALE_LIST = 'schaal';

/** The survey types we read, as the messages name them. */
const SUPPORTED_TYPES = 'text, date, note, select_one <lijst>, select_multiple <lijst>, begin_group en end_group';

/** XLSForm types we know but do not support: named as such, so nobody thinks it is a typo. */
const XLSFORM_ONLY_TYPES = new Set([
  'integer', 'decimal', 'range', 'time', 'datetime', 'geopoint', 'geotrace', 'geoshape', 'start-geopoint',
  'image', 'audio', 'background-audio', 'video', 'file', 'barcode', 'calculate', 'acknowledge', 'trigger',
  'hidden', 'xml-external', 'csv-external', 'rank', 'start', 'end', 'today', 'deviceid', 'phonenumber',
  'username', 'email', 'audit', 'simserial', 'subscriberid', 'begin_repeat', 'end_repeat', 'begin repeat',
  'end repeat', 'select_one_from_file', 'select_multiple_from_file', 'select_one_external',
]);

const KIND_NAMES: Readonly<Record<FormKind, string>> = { kijkwijzer: 'kijkwijzer', advies: 'advies', experiment: 'experiment' };

/**
 * A cell's text as a message may repeat it: every refused character (a bidi override, a line break)
 * written as `[U+202E]` (text.ts), so the page and the command line's one line per problem show it
 * harmlessly. Every message that echoes what a coordinator typed goes through this or {@link quoted}.
 */
const shown = (text: string): string => visible(text);
/** {@link shown}, between double quotes. */
const quoted = (text: string): string => `"${visible(text)}"`;

// ---------------------------------------------------------------------------------------------
// Writing

/**
 * The workbook of a form definition: `survey` (one group per section), `choices` (one list per
 * distinct option set; the default scale once, as `schaal`), `settings` (one row) and `uitleg`.
 */
export async function formToWorkbook(def: FormDefinition): Promise<Uint8Array> {
  const lists = new ListWriter();
  const survey: CellInput[][] = [];
  for (const section of def.sections) {
    survey.push(['begin_group', section.code, section.title, section.help, null, readersCell(section.readers)]);
    for (const item of section.items) {
      survey.push([surveyType(item, lists), item.code, item.label, item.help, item.type === 'note' ? null : yesNo(item.required), null]);
    }
    survey.push(['end_group', null, null, null, null, null]);
  }
  const settings: CellInput[] = [
    def.id,
    def.version,
    def.title,
    def.kind,
    def.kijkwijzerType,
    def.intro,
    def.article,
    def.nameInSentence,
    yesNo(def.draftContent),
    def.basis,
  ];
  return writeWorkbook([
    { name: SURVEY, columns: columns(SURVEY_COLUMNS, { type: 30, name: 18, label: 60, hint: 60, required: 10, lezers: 10 }), rows: survey },
    { name: CHOICES, columns: columns(CHOICES_COLUMNS, { list_name: 20, name: 18, label: 60, schaal: 14 }), rows: lists.rows },
    { name: SETTINGS, columns: columns(SETTINGS_COLUMNS, { form_title: 30, intro: 60, naam_in_zin: 30, basis: 60 }), rows: [settings] },
    { name: EXPLANATION, columns: [{ header: 'blad', width: 10 }, { header: 'kolom', width: 16 }, { header: 'uitleg', width: 100 }], rows: EXPLANATION_ROWS },
  ]);
}

function columns(headers: readonly string[], widths: Readonly<Record<string, number>>): { header: string; width?: number }[] {
  return headers.map((header) => ({ header, width: widths[header] }));
}

const yesNo = (value: boolean): string => (value ? 'ja' : 'nee');

function surveyType(item: FormItem, lists: ListWriter): string {
  switch (item.type) {
    case 'scale':
      return `select_one ${item.options === undefined ? lists.defaultScale() : lists.listFor(item.code, item.options)}`;
    case 'choice':
      return `select_one ${lists.listFor(item.code, item.options ?? [])}`;
    case 'multi':
      return `select_multiple ${lists.listFor(item.code, item.options ?? [])}`;
    case 'text':
    case 'date':
    case 'note':
      return item.type;
  }
}

/** The choices sheet as it is written: one list per distinct option set, named after its first item. */
class ListWriter {
  readonly rows: CellInput[][] = [];
  private readonly byOptions = new Map<string, string>();
  /** Names given out; `schaal` is kept for the default scale, whatever the item codes are. */
  private readonly names = new Set<string>([DEFAULT_SCALE_LIST]);

  defaultScale(): string {
    return this.add(DEFAULT_SCALE_LIST, DEFAULT_SCALE_OPTIONS, true);
  }

  /** The list of an item's options: `adv_advies` for ADV-ADVIES, shared with items that have the same options. */
  listFor(code: string, options: readonly FormOption[]): string {
    return this.add(code.toLowerCase().replaceAll('-', '_'), options, false);
  }

  private add(wanted: string, options: readonly FormOption[], isDefault: boolean): string {
    const key = JSON.stringify(options.map((option) => [option.value, option.label, option.scale ?? null]));
    const known = this.byOptions.get(key);
    if (known !== undefined) return known;
    let name = wanted;
    if (!isDefault) for (let n = 2; this.names.has(name); n++) name = `${wanted}_${n}`;
    this.names.add(name);
    this.byOptions.set(key, name);
    for (const option of options) this.rows.push([name, option.value, option.label, option.scale ?? null]);
    return name;
  }
}

/** The `uitleg` sheet: what each column holds, for whoever edits the workbook. */
const EXPLANATION_ROWS: CellInput[][] = [
  [null, null, 'Dit is een formulier in de XLSForm-opmaak. Pas de bladen survey, choices en settings aan en upload de werkmap op /beheer/formulieren; u ziet eerst een voorbeeld, daarna publiceert u. Dit blad (uitleg) wordt bij het inlezen overgeslagen. Verberg geen bladen, voeg geen cellen samen en gebruik geen formules.'],
  [SURVEY, 'type', `Het soort regel: ${SUPPORTED_TYPES}. begin_group en end_group omsluiten een onderdeel; elke vraag staat in een onderdeel. text is een open vraag, date een datum, note een tekst zonder antwoord. select_one <lijst> is één keuze uit een lijst van het blad choices; heeft elke keuze van die lijst een schaal, dan is het een schaalvraag. select_multiple <lijst> laat meer keuzes toe.`],
  [SURVEY, 'name', 'De vaste code van de vraag of het onderdeel: hoofdletters en cijfers met streepjes, zoals PED-1. Een code houdt in elke versie dezelfde betekenis en hetzelfde soort vraag; geef een nieuwe vraag een nieuwe code. Verander alleen de woorden (label), niet de code.'],
  [SURVEY, 'label', 'De vraag zoals de invuller hem leest; bij begin_group de titel van het onderdeel; bij een note de tekst.'],
  [SURVEY, 'hint', 'Een korte toelichting onder de vraag of boven het onderdeel (mag leeg blijven).'],
  [SURVEY, 'required', 'ja of nee: moet de vraag beantwoord worden voordat het formulier verstuurd kan worden? Leeg bij begin_group, end_group en note.'],
  [SURVEY, 'lezers', `Alleen bij begin_group: wie de antwoorden van het onderdeel leest. Leeg: iedereen die het formulier leest, ook de student. ${STAFF_READERS}: alleen de schoolopleider (SO) en de instituutsopleider (IO); de student ziet dit onderdeel niet, en de invuller ziet boven het onderdeel dat de student het niet leest. Leeg bij vragen, notes en end_group.`],
  [CHOICES, 'list_name', 'De naam van de lijst, zoals die achter select_one of select_multiple staat (letters, cijfers en liggende streepjes). De lijst schaal is de gewone schaal van de kijkwijzers.'],
  [CHOICES, 'name', 'De waarde die wordt opgeslagen: kleine letters, cijfers en streepjes, zoals op-koers. Elke keuze in een lijst heeft een eigen waarde.'],
  [CHOICES, 'label', 'De tekst van de keuze zoals de invuller hem leest.'],
  [CHOICES, 'schaal', 'Alleen bij een schaal: onder (onder voldoende), voldoende, boven (boven voldoende) of niet-gezien. De signalen in het overzicht tellen antwoorden op deze plek op de schaal, niet op hun woorden. Een schaal heeft minstens één keuze onder en één voldoende of boven.'],
  [SETTINGS, 'form_id', `Welk formulier dit is: ${FORM_IDS.join(', ')}. Niet veranderen.`],
  [SETTINGS, 'version', 'Het versienummer van de inhoud waar deze werkmap van uitgaat. Publiceren maakt er de volgende versie van het formulier van.'],
  [SETTINGS, 'form_title', 'De titel boven het formulier en in e-mails, zoals Kijkwijzer didactiek.'],
  [SETTINGS, 'soort', 'kijkwijzer, advies of experiment; hoort bij het form_id.'],
  [SETTINGS, 'kijkwijzer_type', 'Alleen bij een kijkwijzer: het deel van form_id na kijkwijzer-, zoals didactiek.'],
  [SETTINGS, 'intro', 'De inleiding boven de vragen.'],
  [SETTINGS, 'lidwoord', 'de of het: het lidwoord waarmee een zin het formulier noemt (de kijkwijzer, het advies).'],
  [SETTINGS, 'naam_in_zin', 'Hoe een zin in een e-mail het formulier noemt, na het lidwoord, met een kleine letter: kijkwijzer didactiek.'],
  [SETTINGS, 'concept', 'ja zolang de vragen voorlopige eigen woorden zijn; nee voor de vastgestelde tekst van de Hogeschool.'],
  [SETTINGS, 'basis', 'Waarop de vragen gebaseerd zijn (een kader of document).'],
];

// ---------------------------------------------------------------------------------------------
// Reading

/** A read form workbook: its definition and the survey row of each item (and section) code, or every problem. */
export type FormWorkbookResult =
  | { ok: true; definition: FormDefinition; rowOf(code: string): number | undefined }
  | { ok: false; problems: SheetProblem[] };

/** One choice as read, with its row. */
interface ChoiceRow {
  row: number;
  value: string;
  label: string;
  /** The `schaal` cell as written ('' when empty). */
  scaleText: string;
  scale?: ScalePosition;
}

/** One list of the choices sheet. */
interface ChoiceList {
  name: string;
  rows: ChoiceRow[];
  /** Every choice has a schaal value (a scale); none has (a choice list); or some have (a problem, reported). */
  kind: 'scale' | 'choice' | 'mixed';
}

/** Where each part of the draft definition came from, to point a schema issue at its cell. */
interface Origins {
  settingsRow: number | undefined;
  /** `refused`: a row in the group was refused, so an empty group is no news. */
  sections: { row: number; refused: boolean; items: { row: number; optionRows: number[]; list?: string }[] }[];
}

/** The definition as read, before the schema: the shape of a definition, with values as written. */
interface Draft {
  [key: string]: unknown;
  sections: DraftSection[];
}
interface DraftSection {
  code: string;
  title: string;
  help?: string;
  readers?: SectionReaders;
  items: DraftItem[];
}
interface DraftItem {
  code: string;
  label: string;
  help?: string;
  type: ItemType;
  required: boolean;
  options?: FormOption[];
}

/** Reads, checks and converts the problems of one workbook. */
class Reader {
  readonly problems: SheetProblem[] = [];
  /** Settings fields whose problem is reported already (the schema's issue on them is left out). */
  readonly reported = new Set<string>();
  readonly origins: Origins = { settingsRow: undefined, sections: [] };

  problem(sheet: string, row: number | undefined, column: string | undefined, message: string): void {
    this.problems.push({ sheet, row, column, message });
  }

  /** Refuses refused characters (text.ts): line breaks only where `multiline`. */
  checkText(sheet: string, row: SheetRow, column: string, multiline: boolean): void {
    const message = multiline ? unsafeTextMessage(row.text(column)) : unsafeLineMessage(row.text(column));
    if (message !== '') this.problem(sheet, row.row, column, `De tekst ${message}.`);
  }
}

/**
 * Reads a form workbook: the sheets through the safe reader, then the survey, choices and settings
 * into a definition, validated with the `FormDefinition` schema. Every problem comes back at once,
 * in Dutch, with its sheet, row and column.
 */
export async function readFormWorkbook(bytes: Uint8Array): Promise<FormWorkbookResult> {
  const read = await readWorkbook(bytes, SPEC);
  if (!read.ok) return read;
  const reader = new Reader();
  const settings = readSettings(read.sheets.get(SETTINGS)!, reader);
  const lists = readChoices(read.sheets.get(CHOICES)!, reader);
  const sections = readSurvey(read.sheets.get(SURVEY)!, lists, reader);
  const draft: Draft = { ...settings, sections };
  checkHasSections(draft, reader);
  checkFormative(draft, reader);

  const parsed = FormDefinition.safeParse(draft);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const problem = translate(issue, draft, reader);
      if (problem) reader.problems.push(problem);
    }
    // A schema rule this reader does not know yet: refuse at the cell, in Dutch (the schema's words are English).
    if (reader.problems.length === 0) {
      for (const issue of parsed.error.issues) reader.problems.push({ ...locate(issue.path, reader.origins), message: schemaIssueMessage(issue) });
    }
  }
  if (reader.problems.length > 0 || !parsed.success) return { ok: false, problems: ordered(reader.problems) };

  const rows = new Map<string, number>();
  draft.sections.forEach((section, s) => {
    const origin = reader.origins.sections[s]!;
    section.items.forEach((item, i) => rows.set(item.code, origin.items[i]!.row));
  });
  draft.sections.forEach((section, s) => {
    if (!rows.has(section.code)) rows.set(section.code, reader.origins.sections[s]!.row);
  });
  return { ok: true, definition: parsed.data, rowOf: (code) => rows.get(code) };
}

/** Problems in sheet order (survey, choices, settings), then by row; duplicates once; at most {@link MAX_PROBLEMS}. */
function ordered(problems: SheetProblem[]): SheetProblem[] {
  const sheetOrder = [SURVEY, CHOICES, SETTINGS];
  const seen = new Set<string>();
  return problems
    .filter((problem) => {
      const key = JSON.stringify([problem.sheet, problem.row, problem.column, problem.message]);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((problem, index) => ({ problem, index }))
    .sort(
      (a, b) =>
        sheetOrder.indexOf(a.problem.sheet ?? '') - sheetOrder.indexOf(b.problem.sheet ?? '') ||
        (a.problem.row ?? 0) - (b.problem.row ?? 0) ||
        a.index - b.index,
    )
    .slice(0, MAX_PROBLEMS)
    .map(({ problem }) => withoutUndefined(problem) as SheetProblem);
}

/** A yes/no cell: ja/nee, yes/no, true/false (also XLSForm's true()), or an Excel TRUE/FALSE. */
function yesNoCell(cell: Cell): boolean | undefined {
  if (cell.kind === 'boolean') return cell.value;
  if (cell.kind !== 'text') return undefined;
  const text = cell.text.trim().toLowerCase();
  if (['ja', 'yes', 'true', 'true()', 'waar'].includes(text)) return true;
  if (['nee', 'no', 'false', 'false()', 'onwaar'].includes(text)) return false;
  return undefined;
}

const isFormId = (id: string): boolean => (FORM_IDS as readonly string[]).includes(id);

function readSettings(sheet: Sheet, reader: Reader): Record<string, unknown> {
  const [row, ...extra] = sheet.rows;
  for (const more of extra) {
    reader.problem(SETTINGS, more.row, undefined, 'Het blad settings heeft precies één rij onder de kop; deze rij is er te veel.');
  }
  if (row === undefined) {
    reader.problem(SETTINGS, 2, undefined, 'Het blad settings is leeg: vul rij 2 in onder de kop (form_id, version, form_title, ...).');
    for (const field of ['id', 'version', 'kind', 'kijkwijzerType', 'article', 'draftContent', 'title', 'intro', 'nameInSentence', 'basis']) reader.reported.add(field);
    return {};
  }
  reader.origins.settingsRow = row.row;
  const at = (column: string, field: string, message: string): void => {
    reader.problem(SETTINGS, row.row, column, message);
    reader.reported.add(field);
  };
  for (const column of ['form_id', 'form_title', 'soort', 'kijkwijzer_type', 'lidwoord', 'naam_in_zin']) reader.checkText(SETTINGS, row, column, false);
  for (const column of ['intro', 'basis']) reader.checkText(SETTINGS, row, column, true);

  const id = row.text('form_id');
  if (!isFormId(id)) {
    at('form_id', 'id', `${id === '' ? 'form_id is leeg' : `Onbekend formulier ${quoted(id)}`}. form_id is een van: ${FORM_IDS.join(', ')}.`);
  }

  const versionCell = row.cell('version');
  const versionText = row.text('version');
  const version = versionCell.kind === 'number' ? versionCell.value : /^\d+$/.test(versionText) ? Number(versionText) : Number.NaN;
  if (!Number.isSafeInteger(version) || version < 1) {
    at('version', 'version', `${versionText === '' ? 'version is leeg' : `De versie ${quoted(versionText)} klopt niet`}: de versie is een positief geheel getal (1, 2, 3, ...).`);
  }

  const kind = row.text('soort').toLowerCase();
  if (!(FORM_KINDS as readonly string[]).includes(kind)) {
    at('soort', 'kind', `${kind === '' ? 'soort is leeg' : `Onbekende soort ${quoted(row.text('soort'))}`}. Kies kijkwijzer, advies of experiment.`);
  } else if (isFormId(id) && kindOfId(id) !== kind) {
    at('soort', 'kind', `Bij form_id ${id} hoort soort ${KIND_NAMES[kindOfId(id)]}, niet ${kind}.`);
  }

  const kijkwijzerType = row.text('kijkwijzer_type');
  if (isFormId(id)) {
    if (kindOfId(id) === 'kijkwijzer') {
      const expected = id.slice('kijkwijzer-'.length);
      if (kijkwijzerType !== expected) {
        at('kijkwijzer_type', 'kijkwijzerType', `Bij form_id ${id} hoort kijkwijzer_type ${expected}${kijkwijzerType === '' ? '' : `, niet ${shown(kijkwijzerType)}`}.`);
      }
    } else if (kijkwijzerType !== '') {
      at('kijkwijzer_type', 'kijkwijzerType', `Alleen een kijkwijzer heeft een kijkwijzer_type; laat deze cel leeg bij ${id}.`);
    }
  } else {
    reader.reported.add('kijkwijzerType');
  }

  const article = row.text('lidwoord').toLowerCase();
  if (article !== 'de' && article !== 'het') at('lidwoord', 'article', `Het lidwoord is de of het, niet ${quoted(row.text('lidwoord'))}.`);

  const draftContent = yesNoCell(row.cell('concept'));
  if (draftContent === undefined) at('concept', 'draftContent', `concept is ja of nee, niet ${quoted(row.text('concept'))}.`);

  const settings: Record<string, unknown> = {
    id,
    version,
    kind,
    title: row.text('form_title'),
    article,
    nameInSentence: row.text('naam_in_zin'),
    intro: row.text('intro'),
    draftContent,
    basis: row.text('basis'),
  };
  if (kijkwijzerType !== '') settings.kijkwijzerType = kijkwijzerType;
  return settings;
}

function readChoices(sheet: Sheet, reader: Reader): Map<string, ChoiceList> {
  const lists = new Map<string, ChoiceList>();
  const firstRow = new Map<string, number>();
  for (const row of sheet.rows) {
    reader.checkText(CHOICES, row, 'list_name', false);
    reader.checkText(CHOICES, row, 'name', false);
    reader.checkText(CHOICES, row, 'label', false);
    const name = row.text('list_name');
    if (name === '') {
      reader.problem(CHOICES, row.row, 'list_name', 'list_name is leeg: zet hier de naam van de lijst waar deze keuze bij hoort.');
      continue;
    }
    const value = row.text('name');
    if (value !== '') {
      const key = `${name}\u0000${value}`;
      const first = firstRow.get(key);
      if (first !== undefined) {
        reader.problem(CHOICES, row.row, 'name', `De keuze ${shown(value)} staat al in lijst ${shown(name)} (rij ${first}); elke keuze in een lijst heeft een eigen naam.`);
        continue;
      }
      firstRow.set(key, row.row);
    }
    const scaleText = row.text('schaal').toLowerCase();
    const choice: ChoiceRow = { row: row.row, value, label: row.text('label'), scaleText };
    if ((SCALE_POSITIONS as readonly string[]).includes(scaleText)) choice.scale = scaleText as ScalePosition;
    else if (scaleText !== '') {
      reader.problem(CHOICES, row.row, 'schaal', `Onbekende schaal ${quoted(row.text('schaal'))}. Kies onder, voldoende, boven of niet-gezien.`);
    }
    const list = lists.get(name) ?? { name, rows: [], kind: 'choice' };
    list.rows.push(choice);
    lists.set(name, list);
  }
  for (const list of lists.values()) {
    const placed = list.rows.filter((choice) => choice.scaleText !== '');
    if (placed.length === 0) continue;
    if (placed.length === list.rows.length) {
      list.kind = 'scale';
      if (!spansScale(list.rows.map((choice) => choice.scale))) {
        reader.problem(CHOICES, list.rows[0]!.row, 'schaal', `Lijst ${shown(list.name)} is een schaal, maar een schaal heeft minstens één keuze onder voldoende (onder) en één op of boven voldoende (voldoende of boven).`);
      }
      continue;
    }
    list.kind = 'mixed';
    for (const choice of list.rows.filter((candidate) => candidate.scaleText === '')) {
      reader.problem(CHOICES, choice.row, 'schaal', `Geef elke keuze van lijst ${shown(list.name)} een schaal (onder, voldoende, boven of niet-gezien), of geen enkele: dan is het een gewone keuzelijst.`);
    }
  }
  return lists;
}

/** A survey type as written: `select_one adv_advies`, `begin group`, `text`. */
type ParsedType =
  | { kind: 'begin' }
  | { kind: 'end' }
  | { kind: 'item'; type: 'text' | 'date' | 'note' }
  | { kind: 'select'; multiple: boolean; list: string }
  | { kind: 'refused'; message: string };

function parseType(raw: string): ParsedType {
  const words = raw.trim().split(/\s+/);
  const first = (words[0] ?? '').toLowerCase();
  const joined = words.join(' ').toLowerCase();
  if (joined === 'begin_group' || joined === 'begin group') return { kind: 'begin' };
  if (joined === 'end_group' || joined === 'end group') return { kind: 'end' };
  if (words.length === 1 && (first === 'text' || first === 'date' || first === 'note')) return { kind: 'item', type: first };
  const select = first === 'select_one' || first === 'select_multiple' ? first : joined.startsWith('select one ') ? 'select_one' : joined.startsWith('select multiple ') ? 'select_multiple' : undefined;
  if (select !== undefined) {
    const rest = first === select ? words.slice(1) : words.slice(2);
    if (rest.length === 1) return { kind: 'select', multiple: select === 'select_multiple', list: rest[0]! };
    return { kind: 'refused', message: `Na ${select} hoort precies één lijstnaam: ${select} <lijst>, met die lijst op het blad choices.` };
  }
  if (XLSFORM_ONLY_TYPES.has(joined) || XLSFORM_ONLY_TYPES.has(first)) {
    const repeat = first.includes('repeat') ? ' Herhaalde groepen kent dit formulier niet.' : '';
    return { kind: 'refused', message: `Het vraagtype ${quoted(raw.trim())} bestaat in XLSForm, maar dit formulier kent het niet.${repeat} Gebruik ${SUPPORTED_TYPES}.` };
  }
  return { kind: 'refused', message: `Onbekend vraagtype ${quoted(raw.trim())}. Gebruik ${SUPPORTED_TYPES}.` };
}

function readSurvey(sheet: Sheet, lists: Map<string, ChoiceList>, reader: Reader): DraftSection[] {
  const sections: DraftSection[] = [];
  /** The open group, as its index in `sections` (at most one: groups do not nest). */
  const open: number[] = [];
  const itemRows = new Map<string, number>();
  const sectionRows = new Map<string, number>();
  const refuse = (): void => {
    const current = open.at(-1);
    if (current !== undefined) reader.origins.sections[current]!.refused = true;
  };
  for (const row of sheet.rows) {
    reader.checkText(SURVEY, row, 'type', false);
    reader.checkText(SURVEY, row, 'name', false);
    reader.checkText(SURVEY, row, 'lezers', false);
    const raw = row.text('type');
    if (raw === '') {
      reader.problem(SURVEY, row.row, 'type', `Het type ontbreekt. Gebruik ${SUPPORTED_TYPES}.`);
      refuse();
      continue;
    }
    const type = parseType(raw);
    if (type.kind === 'refused') {
      reader.problem(SURVEY, row.row, 'type', type.message);
      refuse();
      continue;
    }
    if (type.kind !== 'begin' && row.text('lezers') !== '') {
      reader.problem(SURVEY, row.row, 'lezers', `lezers geldt voor een heel onderdeel: zet ${STAFF_READERS} op de rij van de begin_group, en laat deze cel leeg.`);
    }
    if (type.kind === 'end') {
      if (open.pop() === undefined) reader.problem(SURVEY, row.row, 'type', 'Deze end_group sluit geen groep: er staat geen open begin_group boven.');
      continue;
    }
    const code = row.text('name');
    reader.checkText(SURVEY, row, 'label', type.kind !== 'begin');
    reader.checkText(SURVEY, row, 'hint', true);
    const label = row.text('label');
    const help = row.text('hint');
    if (type.kind === 'begin') {
      // Sections are flat: the open group counts as closed here, so one missing end_group is one problem.
      const outer = open.pop();
      if (outer !== undefined) {
        reader.problem(SURVEY, row.row, 'type', `Een groep binnen een groep kan niet: sluit de groep ${shown(sections[outer]!.code)} (rij ${reader.origins.sections[outer]!.row}) eerst met end_group.`);
      }
      const first = sectionRows.get(code);
      if (code !== '' && first !== undefined) {
        reader.problem(SURVEY, row.row, 'name', `De naam ${shown(code)} staat al in rij ${first}; elke groep heeft een eigen naam.`);
      } else sectionRows.set(code, row.row);
      const readers = readReaders(row, reader);
      sections.push({ code, title: label, ...(help === '' ? {} : { help }), ...(readers === undefined ? {} : { readers }), items: [] });
      reader.origins.sections.push({ row: row.row, refused: false, items: [] });
      open.push(sections.length - 1);
      continue;
    }

    const item = readItem(row, type, lists, reader);
    const first = itemRows.get(code);
    if (code !== '' && first !== undefined) {
      reader.problem(SURVEY, row.row, 'name', `De naam ${shown(code)} staat al in rij ${first}; elke vraag heeft een eigen naam.`);
    } else itemRows.set(code, row.row);
    const current = open.at(-1);
    if (current === undefined) {
      reader.problem(SURVEY, row.row, 'type', 'Deze vraag staat buiten een groep. Zet elke vraag tussen een begin_group en een end_group.');
      continue;
    }
    if (item === undefined) {
      refuse();
      continue;
    }
    sections[current]!.items.push(item.item);
    reader.origins.sections[current]!.items.push({ row: row.row, optionRows: item.optionRows, list: item.list });
  }
  for (const index of open) {
    reader.problem(SURVEY, reader.origins.sections[index]!.row, 'type', `De groep ${shown(sections[index]!.code)} wordt niet gesloten: zet een end_group na de laatste vraag van de groep.`);
  }
  return sections;
}

/** The `lezers` cell of a begin_group row: empty (everyone, the student too) or `so-io` (the SO and IO only). */
function readReaders(row: SheetRow, reader: Reader): SectionReaders | undefined {
  const text = row.text('lezers');
  if (text === '') return undefined;
  if (text.toLowerCase() === STAFF_READERS) return 'staff';
  reader.problem(
    SURVEY,
    row.row,
    'lezers',
    `Onbekende lezers ${quoted(text)}. Laat de cel leeg als iedereen het onderdeel leest, ook de student, of kies ${STAFF_READERS} als alleen de schoolopleider en de instituutsopleider het lezen.`,
  );
  return undefined;
}

function readItem(
  row: SheetRow,
  type: Extract<ParsedType, { kind: 'item' | 'select' }>,
  lists: Map<string, ChoiceList>,
  reader: Reader,
): { item: DraftItem; optionRows: number[]; list?: string } | undefined {
  const requiredCell = row.cell('required');
  let required = requiredCell.kind === 'empty' ? false : yesNoCell(requiredCell);
  if (required === undefined) {
    reader.problem(SURVEY, row.row, 'required', `required is ja of nee, niet ${quoted(row.text('required'))}.`);
    required = false;
  }
  const base = { code: row.text('name'), label: row.text('label'), ...(row.text('hint') === '' ? {} : { help: row.text('hint') }) };
  if (type.kind === 'item') {
    if (type.type === 'note' && required) {
      reader.problem(SURVEY, row.row, 'required', 'Een note is tekst zonder antwoord en kan niet verplicht zijn: zet required op nee of laat de cel leeg.');
      required = false;
    }
    return { item: { ...base, type: type.type, required }, optionRows: [] };
  }

  const list = lists.get(type.list);
  const select = type.multiple ? 'select_multiple' : 'select_one';
  if (list === undefined) {
    const known = [...lists.keys()].map(shown);
    const name = shown(type.list);
    reader.problem(SURVEY, row.row, 'type', `De lijst ${name} bestaat niet op het blad choices${known.length > 0 ? ` (daar staan: ${known.join(', ')})` : ''}. Zet de keuzes van ${select} ${name} op het blad choices, met list_name ${name}.`);
    return undefined;
  }
  if (list.kind === 'mixed') return undefined;
  if (type.multiple && list.kind === 'scale') {
    reader.problem(SURVEY, row.row, 'type', `select_multiple kan geen schaal zijn, maar de keuzes van lijst ${shown(list.name)} hebben een schaal. Maak de kolom schaal van die lijst leeg, of gebruik select_one.`);
    return undefined;
  }
  const options: FormOption[] = list.rows.map((choice) =>
    list.kind === 'scale' ? { value: choice.value, label: choice.label, scale: choice.scale! } : { value: choice.value, label: choice.label },
  );
  const itemType: ItemType = type.multiple ? 'multi' : list.kind === 'scale' ? 'scale' : 'choice';
  if (itemType === 'scale' && isDefaultScale(options)) {
    return { item: { ...base, type: itemType, required }, optionRows: [], list: list.name };
  }
  return { item: { ...base, type: itemType, required, options }, optionRows: list.rows.map((choice) => choice.row), list: list.name };
}

/** Whether options are the default scale exactly (values, labels, positions, order): then the item leaves them out. */
function isDefaultScale(options: readonly FormOption[]): boolean {
  return (
    options.length === DEFAULT_SCALE_OPTIONS.length &&
    options.every((option, index) => {
      const standard = DEFAULT_SCALE_OPTIONS[index]!;
      return option.value === standard.value && option.label === standard.label && option.scale === standard.scale;
    })
  );
}

/** A form without any group, when nothing else on the survey sheet explains why. */
function checkHasSections(draft: Draft, reader: Reader): void {
  if (draft.sections.length === 0 && reader.problems.every((problem) => problem.sheet !== SURVEY)) {
    reader.problem(SURVEY, undefined, undefined, 'Het blad survey heeft geen groepen met vragen: begin met begin_group, dan de vragen, dan end_group.');
  }
}

/** A kijkwijzer or experiment ends with the required text items FEEDBACK, FEEDUP, FEEDFORWARD (the schema's rule, {@link misplacedFormativeCodes}), said at the row. */
function checkFormative(draft: Draft, reader: Reader): void {
  const id = typeof draft.id === 'string' ? draft.id : '';
  if (!isFormId(id)) return;
  const kind = kindOfId(id);
  const located = draft.sections.flatMap((section, s) => section.items.map((item, i) => ({ item, row: reader.origins.sections[s]!.items[i]!.row })));
  const rule = `Een ${KIND_NAMES[kind]} eindigt met de open vragen ${FORMATIVE_CODES.join(', ')}, in die volgorde, elk met type text en required ja`;
  for (const code of misplacedFormativeCodes(kind, located.map(({ item }) => item))) {
    const own = located.find(({ item }) => item.code === code);
    if (own === undefined) reader.problem(SURVEY, undefined, undefined, `${rule}; ${code} ontbreekt.`);
    else reader.problem(SURVEY, own.row, 'name', `${rule}; ${code} staat niet op zijn plaats, is geen text of is niet verplicht.`);
  }
  draft.sections.forEach((section, s) => {
    const codes = staffOnlyFormativeCodes(kind, section);
    if (codes.length === 0) return;
    reader.problem(
      SURVEY,
      reader.origins.sections[s]!.row,
      'lezers',
      `De groep ${shown(section.code)} is alleen voor de schoolopleider en de instituutsopleider (lezers ${STAFF_READERS}), maar ${codes.length === 1 ? `${codes[0]} is` : `${codes.join(', ')} zijn`} de terugkoppeling aan de student. Zet die vragen in een groep die de student leest, of maak lezers leeg.`,
    );
  });
}

// ---------------------------------------------------------------------------------------------
// Schema issues back to cells

type Location = Pick<SheetProblem, 'sheet' | 'row' | 'column'>;

const SETTINGS_COLUMN_OF: Readonly<Record<string, string>> = {
  id: 'form_id',
  version: 'version',
  kind: 'soort',
  kijkwijzerType: 'kijkwijzer_type',
  title: 'form_title',
  article: 'lidwoord',
  nameInSentence: 'naam_in_zin',
  intro: 'intro',
  draftContent: 'concept',
  basis: 'basis',
};
const SECTION_COLUMN_OF: Readonly<Record<string, string>> = { code: 'name', title: 'label', help: 'hint', readers: 'lezers', items: 'type' };
const ITEM_COLUMN_OF: Readonly<Record<string, string>> = { code: 'name', label: 'label', help: 'hint', type: 'type', required: 'required', options: 'type' };
const OPTION_COLUMN_OF: Readonly<Record<string, string>> = { value: 'name', label: 'label', scale: 'schaal' };

/** The cell a schema path points at: settings fields on the settings row, sections and items on their survey rows, options on their choices rows. */
function locate(path: readonly PropertyKey[], origins: Origins): Location {
  const [top, s, , i, , o] = path;
  if (top !== 'sections') {
    return { sheet: SETTINGS, row: origins.settingsRow, column: SETTINGS_COLUMN_OF[String(top)] };
  }
  const section = typeof s === 'number' ? origins.sections[s] : undefined;
  if (section === undefined) return { sheet: SURVEY };
  if (path.length <= 3) return { sheet: SURVEY, row: section.row, column: SECTION_COLUMN_OF[String(path[2])] };
  const item = typeof i === 'number' ? section.items[i] : undefined;
  if (item === undefined) return { sheet: SURVEY, row: section.row, column: 'type' };
  if (typeof o !== 'number') return { sheet: SURVEY, row: item.row, column: ITEM_COLUMN_OF[String(path[4])] };
  return { sheet: CHOICES, row: item.optionRows[o], column: OPTION_COLUMN_OF[String(path[6])] };
}

function valueAt(draft: Draft, path: readonly PropertyKey[]): unknown {
  let value: unknown = draft;
  for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

/** Dutch messages for an empty cell, by the field of the definition it fills. */
function emptyMessage(path: readonly PropertyKey[]): string {
  const field = String(path.at(-1));
  if (path[0] !== 'sections') return `${SETTINGS_COLUMN_OF[field] ?? field} is leeg; vul deze cel in.`;
  if (path.length === 3) return field === 'code' ? 'De name van de groep is leeg: geef de groep een code, zoals INSTRUCTIE.' : 'Het label van de groep is leeg: dat is de titel boven de vragen.';
  if (path.length === 5) return field === 'code' ? 'De name is leeg: geef de vraag een code, zoals PED-1.' : 'Het label is leeg: typ hier de vraag (bij een note de tekst).';
  return field === 'value' ? 'De name van de keuze is leeg: dat is de waarde die wordt opgeslagen, zoals op-koers.' : 'Het label van de keuze is leeg.';
}

/**
 * A schema issue in Dutch at its cell, or undefined for an issue a check of this reader reports
 * already (every custom rule of the schema has one here, with its row; the settings read above).
 */
function translate(issue: z.core.$ZodIssue, draft: Draft, reader: Reader): SheetProblem | undefined {
  if (issue.code === 'custom') return undefined;
  const path = issue.path;
  if (path[0] !== 'sections' && reader.reported.has(String(path[0]))) return undefined;
  const where = locate(path, reader.origins);
  const value = valueAt(draft, path);
  const field = String(path.at(-1));
  if (typeof value === 'string' && value.trim() === '') return { ...where, message: emptyMessage(path) };
  if (issue.code === 'invalid_format' && field === 'code') {
    return { ...where, message: `${quoted(String(value))} is geen geldige code: gebruik hoofdletters en cijfers, met enkele streepjes ertussen, zoals PED-1.` };
  }
  if (issue.code === 'invalid_format' && field === 'value') {
    return { ...where, message: `${quoted(String(value))} is geen geldige name voor een keuze: kleine letters en cijfers, beginnend met een letter, met enkele streepjes ertussen, zoals op-koers.` };
  }
  if (issue.code === 'too_small' && field === 'options') {
    const s = path[1] as number;
    const i = path[3] as number;
    const list = reader.origins.sections[s]?.items[i]?.list;
    return { ...where, message: `De lijst ${shown(list ?? '')} heeft maar één keuze; een vraag met keuzes heeft er minstens twee.` };
  }
  if (issue.code === 'too_small' && field === 'items') {
    if (reader.origins.sections[path[1] as number]?.refused) return undefined;
    return { ...where, message: `De groep ${shown(draft.sections[path[1] as number]?.code ?? '')} heeft geen vragen: zet er minstens één vraag of note in, of verwijder de groep.` };
  }
  if (issue.code === 'too_small' && field === 'sections') return undefined; // checkHasSections reports it
  return { ...where, message: schemaIssueMessage(issue) };
}

/** The fields of a definition as a coordinator knows them, for {@link schemaIssueMessage}. */
const FIELD_NAMES: Readonly<Record<string, string>> = {
  id: 'form_id',
  version: 'versie',
  kind: 'soort',
  kijkwijzerType: 'kijkwijzer_type',
  title: 'titel',
  article: 'lidwoord',
  nameInSentence: 'naam in een zin',
  intro: 'inleiding',
  draftContent: 'concept',
  basis: 'basis',
  sections: 'onderdelen',
  items: 'vragen',
  code: 'code',
  label: 'tekst',
  help: 'toelichting',
  type: 'vraagtype',
  required: 'verplicht',
  options: 'keuzes',
  readers: 'lezers',
  value: 'waarde van de keuze',
  scale: 'plek op de schaal',
};

/**
 * The message of a schema issue no check of this reader words itself: fixed Dutch naming the field
 * (the last named key of its path), never the schema's own message, which is English and meant for
 * developers. Exported for its test: the rules the reader knows leave it unreachable.
 */
export function schemaIssueMessage(issue: Pick<z.core.$ZodIssue, 'path'>): string {
  const field = issue.path.findLast((key) => typeof key === 'string');
  return `Deze waarde klopt niet (${(field === undefined ? undefined : FIELD_NAMES[field]) ?? 'formulier'}).`;
}
