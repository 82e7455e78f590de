import { Temporal } from 'temporal-polyfill';
import * as z from 'zod';
import { formatDutchDate } from '../calendar.ts';
import { answerItems, findItem, scaleOptions } from './definition.ts';
import type { AnswerItem, AnswerType, FormDefinition, FormItem } from './definition.ts';

/**
 * Everything about answers that derives from a form definition: the zod schema of the answers,
 * reading a posted form body, CSV columns and Dutch display text. Nothing here is written per form.
 */

/**
 * The answers to one form, keyed by item code: a scale value, a text, an ISO date (YYYY-MM-DD), a
 * choice value, or a multi item's chosen values joined by single spaces in the options' order
 * ("lezen schrijven", as XLSForm stores select_multiple). A code that is absent (or maps to an empty
 * string) is not answered. Notes have no answer.
 */
export type Answers = Record<string, string>;

/** Dutch error messages keyed by item code. */
export type AnswerErrors = Record<string, string>;

/** `draft` checks the types only ("Opslaan als concept"); `submit` also requires the required items ("Versturen"). */
export type AnswerMode = 'draft' | 'submit';

/** The longest text answer, in characters after trimming (line breaks count as one). */
export const TEXT_MAX_LENGTH = 5000;

/** The earliest and latest date a date item accepts (inclusive). */
export const DATE_MIN = '2020-01-01';
/** See {@link DATE_MIN}. */
export const DATE_MAX = '2100-12-31';

/** Form field names are the item codes with this prefix: `a.PED-1`. */
export const FIELD_PREFIX = 'a.';

/** The form field name of an item: `fieldName('PED-1')` is `a.PED-1`. */
export function fieldName(code: string): string {
  return `${FIELD_PREFIX}${code}`;
}

/** Line breaks as one character (browsers post CRLF) and no surrounding white space. */
function normalise(value: string): string {
  return value.replace(/\r\n?/g, '\n').trim();
}

/** Whether a string is a real calendar date written as YYYY-MM-DD. */
function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  try {
    Temporal.PlainDate.from(value, { overflow: 'reject' });
    return true;
  } catch {
    return false;
  }
}

const quote = (item: FormItem): string => `'${item.label}'`;

/** The Dutch message for a required item left empty. */
function missingMessage(item: AnswerItem): string {
  switch (item.type) {
    case 'scale':
      return `Kies een score bij ${quote(item)}.`;
    case 'choice':
      return `Kies een antwoord bij ${quote(item)}.`;
    case 'multi':
      return `Kies minstens één antwoord bij ${quote(item)}.`;
    case 'date':
    case 'text':
      return `Vul ${quote(item)} in.`;
  }
}

/** The Dutch message for a value that cannot be right, or undefined when the value is fine. */
function valueProblem(item: AnswerItem, value: string): string | undefined {
  switch (item.type) {
    case 'scale':
      return scaleOptions(item).some((option) => option.value === value) ? undefined : `Kies een geldige score bij ${quote(item)}.`;
    case 'multi':
      return value.split(' ').every((part) => (item.options ?? []).some((option) => option.value === part))
        ? undefined
        : `Kies alleen antwoorden uit de lijst bij ${quote(item)}.`;
    case 'choice':
      return (item.options ?? []).some((option) => option.value === value)
        ? undefined
        : `Kies een van de antwoorden bij ${quote(item)}.`;
    case 'date':
      if (!isIsoDate(value)) return `${quote(item)} is geen geldige datum.`;
      return value < DATE_MIN || value > DATE_MAX
        ? `${quote(item)} moet een datum tussen ${DATE_MIN.slice(0, 4)} en ${DATE_MAX.slice(0, 4)} zijn.`
        : undefined;
    case 'text':
      return value.length > TEXT_MAX_LENGTH
        ? `${quote(item)} is te lang (maximaal ${TEXT_MAX_LENGTH} tekens).`
        : undefined;
  }
}

/**
 * The values of a multi item as one stored string: every posted value (a checkbox each, or one
 * string of values separated by white space, as stored), each once, in the options' order; values
 * that are not options are kept at the end so the caller can refuse them. Undefined when a value is
 * not a string (a file).
 */
function multiValue(item: FormItem, raw: unknown): string | undefined {
  const parts = Array.isArray(raw) ? raw : [raw ?? ''];
  if (!parts.every((part) => typeof part === 'string')) return undefined;
  const chosen = new Set(parts.flatMap((part) => part.split(/\s+/)).filter((part) => part !== ''));
  const known = (item.options ?? []).map((option) => option.value);
  return [...known.filter((value) => chosen.has(value)), ...[...chosen].filter((value) => !known.includes(value))].join(' ');
}

/** One item's answer: unknown in, a normalised string (or undefined when not answered) out. */
function itemSchema(item: AnswerItem, mode: AnswerMode) {
  // Optional on the way in, so an absent key reaches the transform (which decides about required
  // items) instead of zod's own English "nonoptional" issue.
  return z.unknown().optional().transform((raw, ctx): string | undefined => {
    const fail = (message: string): never => {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    };
    // A multi item is one checkbox per option, so it arrives as an array when more than one is ticked.
    const multi = item.type === 'multi' ? multiValue(item, raw) : undefined;
    if (item.type === 'multi' ? multi === undefined : raw !== undefined && raw !== null && typeof raw !== 'string') {
      // A file, an array (a single field sent twice) or anything else a form field cannot hold.
      return fail(`${quote(item)} heeft een ongeldige waarde.`);
    }
    const value = multi ?? (typeof raw === 'string' ? normalise(raw) : '');
    if (value === '') return mode === 'submit' && item.required ? fail(missingMessage(item)) : undefined;
    const problem = valueProblem(item, value);
    return problem === undefined ? value : fail(problem);
  });
}

/**
 * The zod schema of a definition's answers. Input: an object keyed by item code (unknown keys are
 * dropped). Output: {@link Answers} with values normalised (trimmed, CRLF as LF) and unanswered
 * items left out; notes are not part of it. `draft`: nothing is required, but scale, choice and
 * multi values must be among their options, a date a real YYYY-MM-DD between 2020 and 2100, a text
 * at most 5000 characters. `submit`: the same, and every required item must be answered (a
 * required multi item: at least one option). A multi answer is stored as its values joined by single
 * spaces in the options' order. Every issue has the item code as its path and a Dutch message.
 */
export function answersSchema(def: FormDefinition, mode: AnswerMode): z.ZodType<Answers> {
  // Built once per published form version and mode: definitions are immutable, and building a
  // schema costs more than parsing with it.
  const cached = schemaCache.get(def)?.[mode];
  if (cached) return cached;
  const schema = buildAnswersSchema(def, mode);
  schemaCache.set(def, { ...schemaCache.get(def), [mode]: schema });
  return schema;
}

const schemaCache = new WeakMap<FormDefinition, Partial<Record<AnswerMode, z.ZodType<Answers>>>>();

function buildAnswersSchema(def: FormDefinition, mode: AnswerMode): z.ZodType<Answers> {
  const shape = Object.fromEntries(answerItems(def).map((item) => [item.code, itemSchema(item, mode)]));
  return z.object(shape).transform((parsed) => {
    const answers: Answers = {};
    for (const [code, value] of Object.entries(parsed)) {
      if (typeof value === 'string') answers[code] = value;
    }
    return answers;
  });
}

/** The outcome of {@link readAnswers}. */
export type ReadAnswersResult =
  | { ok: true; answers: Answers }
  | {
      ok: false;
      /** Every value the user entered as a string, unvalidated, to show the form again. */
      answers: Answers;
      /** One Dutch message per item code that is wrong. */
      errors: AnswerErrors;
    };

/** The value of an own data property; never runs a getter. */
function ownValue(source: object, key: string): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(source, key);
  return descriptor !== undefined && 'value' in descriptor ? descriptor.value : undefined;
}

/**
 * Reads a posted form body (as Hono's `parseBody()` returns it) against a definition. Field names
 * are the item codes prefixed with `a.` (see {@link fieldName}); other fields are ignored. A multi
 * item's field may be sent once per ticked option (Hono's `parseBody({ all: true })` gives an
 * array); for any other item a field sent twice counts with its last value, and a value that is
 * not a string (a file) makes that item invalid. On success the answers are normalised as {@link answersSchema} does; on failure every
 * entered string comes back as entered (line breaks as LF, a multi item's values joined by spaces)
 * with a Dutch message per wrong item. Never throws.
 */
export function readAnswers(def: FormDefinition, body: Record<string, unknown>, mode: AnswerMode): ReadAnswersResult {
  const source: object = body !== null && typeof body === 'object' ? body : {};
  const candidate: Record<string, unknown> = {};
  const entered: Answers = {};
  for (const item of answerItems(def)) {
    const sent = ownValue(source, fieldName(item.code));
    // A field sent twice counts with its last value (as parseBody() without `all` gave it), except
    // a multi item's, whose every ticked box arrives as one value of the array.
    const raw = item.type !== 'multi' && Array.isArray(sent) ? (sent as unknown[]).at(-1) : sent;
    candidate[item.code] = raw;
    const shown = item.type === 'multi' ? multiValue(item, raw) : raw;
    if (typeof shown === 'string' && shown.trim() !== '') entered[item.code] = shown.replace(/\r\n?/g, '\n');
  }
  const result = answersSchema(def, mode).safeParse(candidate);
  if (result.success) return { ok: true, answers: result.data };
  const errors: AnswerErrors = {};
  for (const issue of result.error.issues) {
    const code = issue.path[0];
    if (typeof code === 'string' && errors[code] === undefined) errors[code] = issue.message;
  }
  return { ok: false, answers: entered, errors };
}

/** One CSV column derived from the form items. */
export interface CsvColumn {
  /** The item code; answers are keyed by it, so `answers[key]` is the cell's raw value. */
  key: string;
  /** Dutch header: the item code and its label, "PED-1 Gaat respectvol met leerlingen om". */
  header: string;
  type: AnswerType;
}

/** The CSV columns of a set of forms: the scored items (scale, choice, multi, date) and the free texts. */
export interface CsvColumns {
  items: CsvColumn[];
  texts: CsvColumn[];
}

/**
 * The CSV columns for submissions of the given forms (any mix of forms and versions): one column per
 * item code, in order of first appearance, split into `items` (scale, choice, multi and date) and
 * `texts` (free text), so an export can write the items first and then the free texts. Notes have no
 * column. A code that only some versions of a form have (removed later, or added later) still has
 * its column; the rows of the other versions leave it empty. A code shared by several forms
 * (FEEDBACK, FEEDUP, ...) is one column; the registry guarantees a code has the same type
 * everywhere. The header uses the label of the latest version of the first form that has the code.
 */
export function csvColumns(defs: readonly FormDefinition[]): CsvColumns {
  const columns = new Map<string, { column: CsvColumn; formId: string; version: number }>();
  for (const def of defs) {
    for (const item of answerItems(def)) {
      const header = `${item.code} ${item.label}`;
      const known = columns.get(item.code);
      if (known === undefined) {
        columns.set(item.code, { column: { key: item.code, header, type: item.type }, formId: def.id, version: def.version });
      } else if (known.formId === def.id && def.version > known.version) {
        known.column.header = header;
        known.version = def.version;
      }
    }
  }
  const all = [...columns.values()].map(({ column }) => column);
  return { items: all.filter((column) => column.type !== 'text'), texts: all.filter((column) => column.type === 'text') };
}

/**
 * An answer as a Dutch reader sees it: a scale value or a choice as its option label ("niet
 * gezien"), a multi answer as its option labels joined by ", ", a date as "woensdag 4 februari
 * 2026", a text as written. An empty string for no answer; the value itself when it does not fit
 * the item (an old or tampered value; for a multi answer, each value that is not an option). Never
 * throws.
 */
export function formatAnswer(def: FormDefinition, code: string, value: string | undefined): string {
  if (value === undefined || value.trim() === '') return '';
  const item = findItem(def, code);
  switch (item?.type) {
    case 'scale':
      return scaleOptions(item).find((option) => option.value === value)?.label ?? value;
    case 'choice':
      return item.options?.find((option) => option.value === value)?.label ?? value;
    case 'multi':
      return value
        .split(/\s+/)
        .filter((part) => part !== '')
        .map((part) => item.options?.find((option) => option.value === part)?.label ?? part)
        .join(', ');
    case 'date':
      return isIsoDate(value) ? formatDutchDate(value) : value;
    default:
      return value;
  }
}
