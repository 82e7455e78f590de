import * as z from 'zod';
import { KijkwijzerTypeSchema } from '../calendar.ts';
import { FORM_IDS } from '../tasks.ts';

/**
 * The shape of a form definition (kijkwijzer, WPB advice, experiment feedback) as data. The files in
 * `forms/` hold the definitions; everything else (the answers schema, the HTML form, the read-only
 * view, the CSV columns) is derived from a definition by `shared/forms/answers.ts` and
 * `shared/forms/render.tsx`. A changed form is a new version, so a stored submission always renders
 * with the definition it was filled in with.
 */

/**
 * The values of the default scale ({@link DEFAULT_SCALE_OPTIONS}), in the order they are shown: a
 * 4-point scale plus "niet gezien". A scale item with its own options has other values; code that
 * renders, checks or exports a scale answer uses {@link scaleOptions}.
 */
export const SCALE_VALUES = ['onvoldoende', 'matig', 'voldoende', 'goed', 'niet-gezien'] as const;

/** A value of the default scale. */
export type ScaleValue = (typeof SCALE_VALUES)[number];

/** Dutch labels of the default scale's values, as users read them. */
export const SCALE_LABELS: Readonly<Record<ScaleValue, string>> = {
  onvoldoende: 'onvoldoende',
  matig: 'matig',
  voldoende: 'voldoende',
  goed: 'goed',
  'niet-gezien': 'niet gezien',
};

/**
 * Where an option of a scale item stands: below voldoende, voldoende, above it, or "not seen". The
 * signals (advice against observations) count answers by position, never by their words.
 */
export const SCALE_POSITIONS = ['onder', 'voldoende', 'boven', 'niet-gezien'] as const;

/** A position on the scale; see {@link SCALE_POSITIONS}. */
export type ScalePosition = (typeof SCALE_POSITIONS)[number];

/** The kinds of form. */
export const FORM_KINDS = ['kijkwijzer', 'advies', 'experiment'] as const;

/** A kind of form. */
export type FormKind = (typeof FORM_KINDS)[number];

/** The types of an item. */
export const ITEM_TYPES = ['scale', 'text', 'date', 'choice', 'multi', 'note'] as const;

/**
 * An item type: a scale, free text, a calendar date, one choice out of `options`, any number of
 * `options` (XLSForm's select_multiple; stored as the chosen values joined by single spaces, in the
 * options' order), or a note (text shown in the form, never an answer).
 */
export type ItemType = (typeof ITEM_TYPES)[number];

/** The item types that take an answer: every type but `note`. */
export type AnswerType = Exclude<ItemType, 'note'>;

/**
 * The codes of the formative feedback items every kijkwijzer and every experiment form ends with,
 * in this order, each a required text item: feedback (how did it go), feed-up (where is the student
 * heading) and feedforward (what is the next step).
 */
export const FORMATIVE_CODES = ['FEEDBACK', 'FEEDUP', 'FEEDFORWARD'] as const;

/** The kinds of form that must end with the {@link FORMATIVE_CODES} items. */
export const FORMATIVE_KINDS: readonly FormKind[] = ['kijkwijzer', 'experiment'];

/** A stable code: upper-case letters and digits in groups joined by single hyphens ("PED-1"). */
const CODE_PATTERN = /^[A-Z0-9]+(?:-[A-Z0-9]+)*$/;

/**
 * An option value: lower case, starting with a letter ("op-koers"). Starting with a letter keeps the
 * HTML ids derived from code and value (`a-ADV-1-positief`) distinct from those of upper-case codes.
 */
const OPTION_VALUE_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

const CodeSchema = z
  .string()
  .regex(CODE_PATTERN, 'a code is upper-case letters and digits joined by single hyphens, like PED-1');

const DutchText = z.string().trim().min(1, 'must not be empty');

/** One option of a scale, choice or multi item. */
export const FormOptionSchema = z.strictObject({
  value: z
    .string()
    .regex(OPTION_VALUE_PATTERN, 'an option value is lower case, starts with a letter, like op-koers'),
  label: DutchText,
  /** Scale items only, and there on every option: where the option stands on the scale. */
  scale: z.enum(SCALE_POSITIONS).optional(),
});

/** One option of a scale, choice or multi item. */
export type FormOption = z.infer<typeof FormOptionSchema>;

/**
 * Whether the positions of a scale's options span it: at least one below voldoende (`onder`) and one
 * at or above it (`voldoende` or `boven`), so the signals can tell the two apart.
 */
export function spansScale(positions: readonly (ScalePosition | undefined)[]): boolean {
  const found = new Set(positions);
  return found.has('onder') && (found.has('voldoende') || found.has('boven'));
}

/** The item types that may or must have options. */
const OPTION_TYPES: readonly ItemType[] = ['scale', 'choice', 'multi'];

/** One question of a form, or a note shown between the questions. */
export const FormItemSchema = z
  .strictObject({
    /** Stable within the form and across its versions; the answer key and the CSV column. */
    code: CodeSchema,
    /** The question; for a note, the text shown. */
    label: DutchText,
    /** Short help text; for scale items it describes the behaviour to look for. */
    help: DutchText.optional(),
    type: z.enum(ITEM_TYPES),
    /** Always false for a note. For a multi item: at least one option must be chosen. */
    required: z.boolean(),
    /**
     * The options in the order they are shown: required for choice and multi items; optional for a
     * scale item (without them it has {@link DEFAULT_SCALE_OPTIONS}), where each option has a `scale`
     * position, at least one `onder` and one `voldoende` or `boven`.
     */
    options: z.array(FormOptionSchema).min(2, 'an item with options needs at least two').optional(),
  })
  .superRefine((item, ctx) => {
    const issue = (path: string[], message: string): void => {
      ctx.addIssue({ code: 'custom', path, message });
    };
    if ((item.type === 'choice' || item.type === 'multi') && item.options === undefined) {
      issue(['options'], `${item.type} item ${item.code} needs options`);
    }
    if (!OPTION_TYPES.includes(item.type) && item.options !== undefined) {
      issue(['options'], `only a scale, choice or multi item has options; ${item.code} is a ${item.type} item`);
    }
    if (item.type === 'note' && item.required) issue(['required'], `note ${item.code} is shown text, so it cannot be required`);
    const options = item.options ?? [];
    if (item.type === 'scale' && item.options !== undefined) {
      const unplaced = options.filter((option) => option.scale === undefined).map((option) => option.value);
      if (unplaced.length > 0) {
        issue(['options'], `every option of scale item ${item.code} needs a scale position (${SCALE_POSITIONS.join(', ')}); missing for ${unplaced.join(', ')}`);
      }
      if (!spansScale(options.map((option) => option.scale))) {
        issue(['options'], `scale item ${item.code} needs at least one option below voldoende (onder) and one at or above it (voldoende or boven)`);
      }
    }
    if (item.type !== 'scale') {
      for (const option of options.filter((o) => o.scale !== undefined)) {
        issue(['options'], `only the options of a scale item have a scale position; option ${option.value} of ${item.type} item ${item.code} has one`);
      }
    }
    for (const value of duplicates(options.map((option) => option.value))) {
      issue(['options'], `option ${value} of ${item.code} is listed twice`);
    }
  });

/** One question of a form, or a note shown between the questions. */
export type FormItem = z.infer<typeof FormItemSchema>;

/** An item that takes an answer: anything but a note. */
export type AnswerItem = FormItem & { type: AnswerType };

/**
 * The options of the default scale, used by every scale item without options of its own: the
 * {@link SCALE_VALUES} with their {@link SCALE_LABELS} and their positions.
 */
export const DEFAULT_SCALE_OPTIONS: readonly FormOption[] = [
  { value: 'onvoldoende', label: SCALE_LABELS.onvoldoende, scale: 'onder' },
  { value: 'matig', label: SCALE_LABELS.matig, scale: 'onder' },
  { value: 'voldoende', label: SCALE_LABELS.voldoende, scale: 'voldoende' },
  { value: 'goed', label: SCALE_LABELS.goed, scale: 'boven' },
  { value: 'niet-gezien', label: SCALE_LABELS['niet-gezien'], scale: 'niet-gezien' },
];

/**
 * The options of a scale item: its own, or the {@link DEFAULT_SCALE_OPTIONS}. Everything that
 * renders, checks or exports a scale answer reads them here.
 */
export function scaleOptions(item: Pick<FormItem, 'options'>): FormOption[] {
  return [...(item.options ?? DEFAULT_SCALE_OPTIONS)];
}

/**
 * Who reads a section's answers besides the observer who gives them: `staff`, the SO and IO (and
 * staff who read the submission in the overview), never the student. A section without `readers`
 * is read by everyone who reads the form, the student included.
 */
export const SECTION_READERS = ['staff'] as const;

/** A value of a section's `readers`; see {@link SECTION_READERS}. */
export type SectionReaders = (typeof SECTION_READERS)[number];

/** A group of items, shown as one fieldset. */
export const FormSectionSchema = z.strictObject({
  code: CodeSchema,
  title: DutchText,
  help: DutchText.optional(),
  /** Absent: everyone reads the section, the student too; `staff`: the SO and IO only (see {@link SECTION_READERS}). */
  readers: z.enum(SECTION_READERS).optional(),
  items: z.array(FormItemSchema).min(1, 'a section needs at least one item'),
});

/** A group of items, shown as one fieldset. */
export type FormSection = z.infer<typeof FormSectionSchema>;

function duplicates<T>(values: readonly T[]): T[] {
  return [...new Set(values.filter((value, index) => values.indexOf(value) !== index))];
}

/** The kind a form id implies, so a definition cannot claim to be something its id says it is not. */
export function kindOfId(id: string): FormKind {
  if (id.startsWith('kijkwijzer-')) return 'kijkwijzer';
  if (id.startsWith('experiment-')) return 'experiment';
  return 'advies';
}

/**
 * The {@link FORMATIVE_CODES} a form of this kind does not end with as it should: missing, out of
 * place, not a text item or not required (notes are text, not answers, so a closing note is fine).
 * Empty for a kind without them, and for a form that ends right.
 */
export function misplacedFormativeCodes(kind: FormKind, items: readonly Pick<FormItem, 'code' | 'type' | 'required'>[]): string[] {
  if (!FORMATIVE_KINDS.includes(kind)) return [];
  const last = items.filter((item) => item.type !== 'note').slice(-FORMATIVE_CODES.length);
  return FORMATIVE_CODES.filter((code, index) => {
    const item = last[index];
    return item?.code !== code || item.type !== 'text' || !item.required;
  });
}

/**
 * The {@link FORMATIVE_CODES} a section for staff only holds in a form of a kind that ends with
 * them: the feedback is written for the student, so it never sits where the student cannot read it.
 */
export function staffOnlyFormativeCodes(kind: FormKind, section: { readers?: SectionReaders | undefined; items: readonly Pick<FormItem, 'code'>[] }): string[] {
  if (!FORMATIVE_KINDS.includes(kind) || !isStaffOnly(section)) return [];
  return section.items.map((item) => item.code).filter((code) => (FORMATIVE_CODES as readonly string[]).includes(code));
}

/** The zod schema of a form definition; see the module comment. */
export const FormDefinition = z
  .strictObject({
    id: z.enum(FORM_IDS),
    version: z.number().int().positive(),
    kind: z.enum(FORM_KINDS),
    /** Kijkwijzers only: the type, equal to the id without "kijkwijzer-". */
    kijkwijzerType: KijkwijzerTypeSchema.optional(),
    /** Dutch title, shown as the page heading and in emails. */
    title: DutchText,
    /** The article of the form's name in a sentence: "het advies", "de kijkwijzer". */
    article: z.enum(['de', 'het']),
    /**
     * The form's name inside a Dutch sentence, without the article and starting in lower case
     * unless it is a proper name ("kijkwijzer pedagogiek", "feedback op experiment WPP7"): emails
     * say "vult u de kijkwijzer pedagogiek in", never a lower-cased title.
     */
    nameInSentence: DutchText,
    /** Dutch introduction for the observer. */
    intro: DutchText,
    /** True while the items are our own words on a public framework, replaceable by the Hogeschool's texts. */
    draftContent: z.boolean(),
    /** Dutch note naming the framework the items rest on (ICALT by Van de Grift, TPACK, ...). */
    basis: DutchText,
    sections: z.array(FormSectionSchema).min(1, 'a form needs at least one section'),
  })
  .superRefine((def, ctx) => {
    const issue = (path: (string | number)[], message: string): void => {
      ctx.addIssue({ code: 'custom', path, message });
    };
    if (kindOfId(def.id) !== def.kind) issue(['kind'], `form ${def.id} must have kind ${kindOfId(def.id)}`);
    if (def.kind === 'kijkwijzer') {
      const expected = def.id.slice('kijkwijzer-'.length);
      if (def.kijkwijzerType !== expected) issue(['kijkwijzerType'], `kijkwijzer ${def.id} needs kijkwijzerType ${expected}`);
    } else if (def.kijkwijzerType !== undefined) {
      issue(['kijkwijzerType'], `only a kijkwijzer has a kijkwijzerType; ${def.id} is a ${def.kind}`);
    }
    for (const code of duplicates(def.sections.map((section) => section.code))) {
      issue(['sections'], `section code ${code} is used more than once`);
    }
    const items = def.sections.flatMap((section) => section.items);
    for (const code of duplicates(items.map((item) => item.code))) {
      issue(['sections'], `item code ${code} is used more than once`);
    }
    for (const code of misplacedFormativeCodes(def.kind, items)) {
      issue(
        ['sections'],
        `a ${def.kind} ends with the required text items ${FORMATIVE_CODES.join(', ')} in that order; ${code} is missing, out of place, not text or not required`,
      );
    }
    def.sections.forEach((section, index) => {
      for (const code of staffOnlyFormativeCodes(def.kind, section)) {
        issue(['sections', index, 'readers'], `${code} is the student's feedback, so it cannot sit in section ${section.code}, which is for staff only`);
      }
    });
  });

/** A validated form definition. */
export type FormDefinition = z.infer<typeof FormDefinition>;

/** A form definition as written in a file in `forms/`, before validation. */
export type FormDefinitionInput = z.input<typeof FormDefinition>;

/** A form definition is malformed; the message names the form, version and every problem. */
export class FormDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FormDefinitionError';
  }
}

function describeInput(input: unknown): string {
  if (input !== null && typeof input === 'object') {
    const { id, version } = input as { id?: unknown; version?: unknown };
    return `form ${String(id)} version ${String(version)}`;
  }
  return 'form definition';
}

/** Validates one form definition; throws a {@link FormDefinitionError} listing every problem with its path. */
export function parseFormDefinition(input: unknown): FormDefinition {
  const result = FormDefinition.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new FormDefinitionError(`Invalid ${describeInput(input)}: ${problems.join('; ')}`);
  }
  return result.data;
}

/**
 * How a sentence names a form: its article and name ("het advies van de werkplekbegeleider",
 * "de kijkwijzer digitale didactiek"); `capital` starts it with a capital for the start of a sentence.
 */
export function formPhrase(def: Pick<FormDefinition, 'article' | 'nameInSentence'>, options: { capital?: boolean } = {}): string {
  const phrase = `${def.article} ${def.nameInSentence}`;
  return options.capital ? phrase.charAt(0).toUpperCase() + phrase.slice(1) : phrase;
}

/** Every item of a definition, notes included, in the order shown. */
export function formItems(def: FormDefinition): FormItem[] {
  return def.sections.flatMap((section) => section.items);
}

/** Whether an item takes an answer (is not a note). */
export function isAnswerItem(item: FormItem): item is AnswerItem {
  return item.type !== 'note';
}

/** The items of a definition that take an answer (every item but the notes), in the order shown. */
export function answerItems(def: FormDefinition): AnswerItem[] {
  return formItems(def).filter(isAnswerItem);
}

/** The item with this code, or undefined. */
export function findItem(def: FormDefinition, code: string): FormItem | undefined {
  return formItems(def).find((item) => item.code === code);
}

/** Whether a section is read by the SO and IO only, never by the student. */
export function isStaffOnly(section: { readers?: SectionReaders | undefined }): boolean {
  return section.readers === 'staff';
}

/** Whether a form has a section for the SO and IO only, which the student does not read. */
export function hasStaffOnlyPart(def: Pick<FormDefinition, 'sections'>): boolean {
  return def.sections.some(isStaffOnly);
}

/** What the student may read of a submitted form; see {@link studentPart}. */
export interface StudentPart {
  /** The definition without its sections for staff only (possibly without any section). */
  def: FormDefinition;
  /** Only the answers of the items in those remaining sections. */
  answers: Record<string, string>;
  /** Whether sections were left out, so the student can be told a part exists that they do not read. */
  staffOnlyPart: boolean;
}

/**
 * The part of a submitted form the student reads: the sections for staff only and their answers
 * left out, so they never reach the student's page. The answers are kept by the codes of the
 * remaining items (an allow-list), so a stray key is left out too.
 */
export function studentPart(def: FormDefinition, answers: Readonly<Record<string, string>>): StudentPart {
  const sections = def.sections.filter((section) => !isStaffOnly(section));
  const codes = new Set(sections.flatMap((section) => section.items.map((item) => item.code)));
  return {
    def: { ...def, sections },
    answers: Object.fromEntries(Object.entries(answers).filter(([code]) => codes.has(code))),
    staffOnlyPart: sections.length < def.sections.length,
  };
}
