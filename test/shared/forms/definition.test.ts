import { describe, expect, it } from 'vitest';
import {
  answerItems,
  DEFAULT_SCALE_OPTIONS,
  FormDefinition,
  FormDefinitionError,
  formItems,
  hasStaffOnlyPart,
  isStaffOnly,
  parseFormDefinition,
  scaleOptions,
  studentPart,
} from '#shared/forms/definition.ts';
import type { FormDefinitionInput } from '#shared/forms/definition.ts';

type ItemInput = FormDefinitionInput['sections'][number]['items'][number];

/** The three formative texts every kijkwijzer ends with. */
const FORMATIVE: ItemInput[] = [
  { code: 'FEEDBACK', label: 'Feedback', type: 'text', required: true },
  { code: 'FEEDUP', label: 'Feed-up', type: 'text', required: true },
  { code: 'FEEDFORWARD', label: 'Feedforward', type: 'text', required: true },
];

/** A small kijkwijzer with these items in its first section, then the formative texts. */
function kijkwijzer(items: ItemInput[], closing: ItemInput[] = FORMATIVE): FormDefinitionInput {
  return {
    id: 'kijkwijzer-pedagogiek',
    version: 1,
    kind: 'kijkwijzer',
    kijkwijzerType: 'pedagogiek',
    title: 'Kijkwijzer pedagogiek',
    article: 'de',
    nameInSentence: 'kijkwijzer pedagogiek',
    intro: 'Kijk naar de les van Zoë en vul in wat u zag.',
    draftContent: false,
    basis: "Opgesteld door de Hogeschool voor 't werkplekleren.",
    sections: [
      { code: 'KLIMAAT', title: 'Klimaat', items },
      { code: 'TERUGKOPPELING', title: 'Terugkoppeling', items: closing },
    ],
  };
}

/** The messages of every problem of a definition; empty when it is valid. */
const problems = (input: unknown): string[] => FormDefinition.safeParse(input).error?.issues.map((issue) => issue.message) ?? [];

/** A scale in other words than the default: zwak, redelijk, sterk, niet gezien. */
const OWN_WORDS = [
  { value: 'zwak', label: 'zwak', scale: 'onder' },
  { value: 'redelijk', label: 'redelijk', scale: 'voldoende' },
  { value: 'sterk', label: 'sterk', scale: 'boven' },
  { value: 'niet-gezien', label: 'niet gezien', scale: 'niet-gezien' },
] as const;

describe('scale items', () => {
  it('take the five default options when they have none of their own', () => {
    const def = parseFormDefinition(kijkwijzer([{ code: 'PED-1', label: 'Gaat respectvol om', type: 'scale', required: true }]));

    expect(scaleOptions(formItems(def)[0]!)).toEqual([
      { value: 'onvoldoende', label: 'onvoldoende', scale: 'onder' },
      { value: 'matig', label: 'matig', scale: 'onder' },
      { value: 'voldoende', label: 'voldoende', scale: 'voldoende' },
      { value: 'goed', label: 'goed', scale: 'boven' },
      { value: 'niet-gezien', label: 'niet gezien', scale: 'niet-gezien' },
    ]);
    expect(scaleOptions(formItems(def)[0]!)).toEqual(DEFAULT_SCALE_OPTIONS);
  });

  it('accept their own words when every option has a position', () => {
    const def = parseFormDefinition(
      kijkwijzer([{ code: 'PED-1', label: 'Gaat respectvol om', type: 'scale', required: true, options: [...OWN_WORDS] }]),
    );

    expect(scaleOptions(formItems(def)[0]!).map((option) => [option.value, option.scale])).toEqual([
      ['zwak', 'onder'],
      ['redelijk', 'voldoende'],
      ['sterk', 'boven'],
      ['niet-gezien', 'niet-gezien'],
    ]);
  });

  it('refuse an option without a position, naming it', () => {
    const options: ItemInput['options'] = [{ value: 'zwak', label: 'zwak', scale: 'onder' }, { value: 'sterk', label: 'sterk', scale: 'boven' }, { value: 'anders', label: 'anders' }];

    expect(problems(kijkwijzer([{ code: 'PED-1', label: 'Gaat respectvol om', type: 'scale', required: true, options }]))).toEqual([
      'every option of scale item PED-1 needs a scale position (onder, voldoende, boven, niet-gezien); missing for anders',
    ]);
  });

  it('refuse a scale without an option below voldoende', () => {
    const options = [{ value: 'redelijk', label: 'redelijk', scale: 'voldoende' }, { value: 'sterk', label: 'sterk', scale: 'boven' }] as const;

    expect(problems(kijkwijzer([{ code: 'PED-1', label: 'Gaat respectvol om', type: 'scale', required: true, options: [...options] }]))).toEqual([
      'scale item PED-1 needs at least one option below voldoende (onder) and one at or above it (voldoende or boven)',
    ]);
  });

  it('refuse a scale without an option at or above voldoende', () => {
    const options = [{ value: 'zwak', label: 'zwak', scale: 'onder' }, { value: 'niet-gezien', label: 'niet gezien', scale: 'niet-gezien' }] as const;

    expect(problems(kijkwijzer([{ code: 'PED-1', label: 'Gaat respectvol om', type: 'scale', required: true, options: [...options] }]))).toEqual([
      'scale item PED-1 needs at least one option below voldoende (onder) and one at or above it (voldoende or boven)',
    ]);
  });

  it('have no positions on the options of a choice or multi item', () => {
    const options = [{ value: 'ja', label: 'ja', scale: 'boven' }, { value: 'nee', label: 'nee' }] as const;

    expect(
      problems(
        kijkwijzer([
          { code: 'KEUZE', label: 'Keuze', type: 'choice', required: false, options: [...options] },
          { code: 'MEER', label: 'Meer', type: 'multi', required: false, options: [...options] },
        ]),
      ),
    ).toEqual([
      'only the options of a scale item have a scale position; option ja of choice item KEUZE has one',
      'only the options of a scale item have a scale position; option ja of multi item MEER has one',
    ]);
  });
});

describe('multi items', () => {
  const options = [
    { value: 'lezen', label: 'Lezen' },
    { value: 'schrijven', label: 'Schrijven' },
    { value: 'spreken', label: "Spreken in 't Nederlands" },
  ];

  it('are accepted with at least two options', () => {
    const def = parseFormDefinition(kijkwijzer([{ code: 'VAARDIGHEDEN', label: 'Welke vaardigheden zag u?', type: 'multi', required: true, options }]));

    expect(formItems(def)[0]).toMatchObject({ type: 'multi', options });
  });

  it('need options, at least two, each once', () => {
    expect(problems(kijkwijzer([{ code: 'M-1', label: 'Meer', type: 'multi', required: false }]))).toEqual(['multi item M-1 needs options']);
    expect(problems(kijkwijzer([{ code: 'M-2', label: 'Meer', type: 'multi', required: false, options: options.slice(0, 1) }]))).toEqual([
      'an item with options needs at least two',
    ]);
    expect(problems(kijkwijzer([{ code: 'M-3', label: 'Meer', type: 'multi', required: false, options: [options[0]!, options[0]!] }]))).toEqual([
      'option lezen of M-3 is listed twice',
    ]);
  });
});

describe('notes', () => {
  const note: ItemInput = { code: 'UITLEG', label: 'Lees eerst de toelichting.\nDaarna de vragen.', help: 'Óók voor invallers.', type: 'note', required: false };

  it('are accepted as shown text, and are no answer items', () => {
    const def = parseFormDefinition(kijkwijzer([note, { code: 'PED-1', label: 'Gaat respectvol om', type: 'scale', required: true }]));

    expect(formItems(def).map((item) => item.code)).toContain('UITLEG');
    expect(answerItems(def).map((item) => item.code)).toEqual(['PED-1', 'FEEDBACK', 'FEEDUP', 'FEEDFORWARD']);
  });

  it('cannot be required, nor have options', () => {
    const options = [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }];

    expect(problems(kijkwijzer([{ ...note, required: true }]))).toEqual(['note UITLEG is shown text, so it cannot be required']);
    expect(problems(kijkwijzer([{ ...note, options }]))).toEqual(['only a scale, choice or multi item has options; UITLEG is a note item']);
  });

  it('may follow the formative texts: the rule looks at the last items that take an answer', () => {
    const closing = [FORMATIVE[0]!, { ...note, code: 'TUSSENDOOR' }, FORMATIVE[1]!, FORMATIVE[2]!, { ...note, code: 'SLOT', label: 'Dank u wel.' }];

    expect(problems(kijkwijzer([note], closing))).toEqual([]);
  });

  it('do not stand in for a missing formative text', () => {
    const closing = [FORMATIVE[0]!, FORMATIVE[1]!, { ...note, code: 'FEEDFORWARD', label: 'Feedforward' }];

    expect(() => parseFormDefinition(kijkwijzer([note], closing))).toThrow(FormDefinitionError);
    expect(problems(kijkwijzer([note], closing)).join()).toMatch(/FEEDFORWARD is missing, out of place, not text or not required/);
  });
});

describe('sections for the SO and IO only', () => {
  const withReaders = (readers: unknown, section = 0): unknown => {
    const def = kijkwijzer([{ code: 'PED-1', label: 'Gaat respectvol om', type: 'scale', required: true }]);
    return { ...def, sections: def.sections.map((s, index) => (index === section ? { ...s, readers } : s)) };
  };

  it('are marked readers staff; a section without readers is read by everyone', () => {
    const def = parseFormDefinition(withReaders('staff'));

    expect(def.sections.map((section) => [section.code, isStaffOnly(section)])).toEqual([
      ['KLIMAAT', true],
      ['TERUGKOPPELING', false],
    ]);
    expect(hasStaffOnlyPart(def)).toBe(true);
    expect(hasStaffOnlyPart(parseFormDefinition(kijkwijzer([{ code: 'PED-1', label: 'Gaat respectvol om', type: 'scale', required: true }])))).toBe(false);
  });

  it('take no other readers than staff', () => {
    for (const readers of ['student', 'so-io', '', 'STAFF', true]) expect(FormDefinition.safeParse(withReaders(readers)).success).toBe(false);
  });

  it("never hold a kijkwijzer's feedback, feed-up and feedforward: those are for the student", () => {
    expect(problems(withReaders('staff', 1))).toEqual(
      ['FEEDBACK', 'FEEDUP', 'FEEDFORWARD'].map((code) => `${code} is the student's feedback, so it cannot sit in section TERUGKOPPELING, which is for staff only`),
    );
  });

  it("are left out of the student's part, with their answers, and any answer without an item", () => {
    const def = parseFormDefinition(withReaders('staff'));
    const part = studentPart(def, { 'PED-1': 'goed', FEEDBACK: "Zoë's les liep goed.\nGa zo door.", ONBEKEND: 'x' });

    expect(part.def.sections.map((section) => section.code)).toEqual(['TERUGKOPPELING']);
    expect(part.answers).toEqual({ FEEDBACK: "Zoë's les liep goed.\nGa zo door." });
    expect(part.staffOnlyPart).toBe(true);
    expect(def.sections).toHaveLength(2);
  });

  it("leave a form without them whole in the student's part", () => {
    const def = parseFormDefinition(kijkwijzer([{ code: 'PED-1', label: 'Gaat respectvol om', type: 'scale', required: true }]));
    const part = studentPart(def, { 'PED-1': 'goed' });

    expect(part).toEqual({ def, answers: { 'PED-1': 'goed' }, staffOnlyPart: false });
  });
});
