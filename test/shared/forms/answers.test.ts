import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latestForms } from '#forms/index.ts';
import {
  answersSchema,
  csvColumns,
  fieldName,
  formatAnswer,
  readAnswers,
  TEXT_MAX_LENGTH,
} from '#shared/forms/answers.ts';
import type { AnswerMode } from '#shared/forms/answers.ts';
import { formItems, parseFormDefinition, SCALE_VALUES } from '#shared/forms/definition.ts';
import type { FormDefinition } from '#shared/forms/definition.ts';

/** A small experiment form with one item of every type. */
const DEF = parseFormDefinition({
  id: 'experiment-wpp7',
  version: 1,
  kind: 'experiment',
  title: 'Testformulier',
  article: 'het',
  nameInSentence: 'testformulier',
  intro: 'Een formulier om mee te testen.',
  draftContent: true,
  basis: 'Testbasis.',
  sections: [
    {
      code: 'LES',
      title: 'De les',
      items: [
        { code: 'LESDATUM', label: 'Lesdatum', type: 'date', required: true },
        { code: 'KLAS', label: 'Klas', type: 'text', required: false },
      ],
    },
    {
      code: 'SCORES',
      title: 'Scores',
      items: [
        { code: 'PED-1', label: 'Zorgt voor een veilig klimaat', type: 'scale', required: true },
        { code: 'PED-2', label: 'Houdt orde', type: 'scale', required: false },
        {
          code: 'ADVIES',
          label: 'Advies',
          type: 'choice',
          required: true,
          options: [
            { value: 'positief', label: 'Positief: op koers voor N2' },
            { value: 'negatief', label: 'Negatief' },
          ],
        },
      ],
    },
    {
      code: 'TERUGKOPPELING',
      title: 'Terugkoppeling',
      items: [
        { code: 'FEEDBACK', label: 'Feedback', type: 'text', required: true },
        { code: 'FEEDUP', label: 'Feed-up', type: 'text', required: true },
        { code: 'FEEDFORWARD', label: 'Feedforward', type: 'text', required: true },
      ],
    },
  ],
});

const CODES = formItems(DEF).map((item) => item.code);

/** A complete, valid body as a browser would post it. */
function validBody(): Record<string, unknown> {
  return {
    'a.LESDATUM': '2026-02-04',
    'a.PED-1': 'goed',
    'a.ADVIES': 'positief',
    'a.FEEDBACK': 'Rustige start.',
    'a.FEEDUP': 'Leerdoel zichtbaar maken.',
    'a.FEEDFORWARD': 'Volgende keer de opdracht op het bord.',
  };
}

function errorsOf(body: Record<string, unknown>, mode: AnswerMode = 'submit'): Record<string, string> {
  const result = readAnswers(DEF, body, mode);
  return result.ok ? {} : result.errors;
}

describe('readAnswers on submit', () => {
  it('accepts a complete form and returns the answers by code', () => {
    const result = readAnswers(DEF, validBody(), 'submit');
    expect(result).toEqual({
      ok: true,
      answers: {
        LESDATUM: '2026-02-04',
        'PED-1': 'goed',
        ADVIES: 'positief',
        FEEDBACK: 'Rustige start.',
        FEEDUP: 'Leerdoel zichtbaar maken.',
        FEEDFORWARD: 'Volgende keer de opdracht op het bord.',
      },
    });
  });

  it('names every required item that is missing, in Dutch', () => {
    expect(errorsOf({})).toEqual({
      LESDATUM: "Vul 'Lesdatum' in.",
      'PED-1': "Kies een score bij 'Zorgt voor een veilig klimaat'.",
      ADVIES: "Kies een antwoord bij 'Advies'.",
      FEEDBACK: "Vul 'Feedback' in.",
      FEEDUP: "Vul 'Feed-up' in.",
      FEEDFORWARD: "Vul 'Feedforward' in.",
    });
  });

  it('treats white space as not answered', () => {
    expect(errorsOf({ ...validBody(), 'a.FEEDFORWARD': ' \r\n\t ' })).toEqual({ FEEDFORWARD: "Vul 'Feedforward' in." });
  });

  it('trims texts and stores line breaks as LF', () => {
    const result = readAnswers(DEF, { ...validBody(), 'a.FEEDBACK': '  Eerst dit.\r\nDan dat.  ' }, 'submit');
    expect(result.ok && result.answers.FEEDBACK).toBe('Eerst dit.\nDan dat.');
  });

  it('ignores unknown fields and codes without the a. prefix', () => {
    const result = readAnswers(DEF, { ...validBody(), 'a.ONBEKEND': 'x', KLAS: '2B', _csrf: 'x' }, 'submit');
    expect(result.ok).toBe(true);
    expect(result.answers).not.toHaveProperty('ONBEKEND');
    expect(result.answers).not.toHaveProperty('KLAS');
  });
});

describe('readAnswers as a draft', () => {
  it('accepts an empty form', () => {
    expect(readAnswers(DEF, {}, 'draft')).toEqual({ ok: true, answers: {} });
  });

  it('still checks the values that are there', () => {
    expect(errorsOf({ 'a.PED-2': 'uitstekend', 'a.ADVIES': 'misschien' }, 'draft')).toEqual({
      'PED-2': "Kies een geldige score bij 'Houdt orde'.",
      ADVIES: "Kies een van de antwoorden bij 'Advies'.",
    });
  });

  it('keeps every entered value, valid or not, when there is an error', () => {
    const body = { 'a.PED-1': 'goed', 'a.LESDATUM': '31-12-2025', 'a.FEEDBACK': 'Tekst\r\nmet regels', 'a.KLAS': '' };
    const result = readAnswers(DEF, body, 'draft');
    expect(result).toEqual({
      ok: false,
      answers: { 'PED-1': 'goed', LESDATUM: '31-12-2025', FEEDBACK: 'Tekst\nmet regels' },
      errors: { LESDATUM: "'Lesdatum' is geen geldige datum." },
    });
  });
});

describe('date items', () => {
  it.each(['2020-01-01', '2026-02-04', '2028-02-29', '2100-12-31'])('accept %s', (date) => {
    expect(errorsOf({ ...validBody(), 'a.LESDATUM': date })).toEqual({});
  });

  it.each(['2026-02-30', '2027-02-29', '04-02-2026', '2026-2-4', '20260204', 'morgen', '2026-02-04T10:00'])(
    'reject %s as no valid date',
    (date) => {
      expect(errorsOf({ ...validBody(), 'a.LESDATUM': date })).toEqual({ LESDATUM: "'Lesdatum' is geen geldige datum." });
    },
  );

  it.each(['2019-12-31', '2101-01-01'])('reject %s as out of range', (date) => {
    expect(errorsOf({ ...validBody(), 'a.LESDATUM': date })).toEqual({
      LESDATUM: "'Lesdatum' moet een datum tussen 2020 en 2100 zijn.",
    });
  });
});

describe('text items', () => {
  it('accept exactly the maximum length', () => {
    expect(errorsOf({ ...validBody(), 'a.FEEDBACK': 'x'.repeat(TEXT_MAX_LENGTH) })).toEqual({});
  });

  it('reject one character more', () => {
    expect(errorsOf({ ...validBody(), 'a.FEEDBACK': 'x'.repeat(TEXT_MAX_LENGTH + 1) })).toEqual({
      FEEDBACK: "'Feedback' is te lang (maximaal 5000 tekens).",
    });
  });

  it('count the length after trimming, with CRLF as one character', () => {
    const text = `  ${'ab\r\n'.repeat(1666)}xy  `; // 1666 * 3 + 2 = 5000 characters once normalised
    expect(errorsOf({ ...validBody(), 'a.FEEDBACK': text })).toEqual({});
  });
});

describe('values a form field cannot hold', () => {
  it('make a file invalid for that item without throwing', () => {
    const file = new File(['%PDF'], 'les.pdf', { type: 'application/pdf' });
    expect(errorsOf({ ...validBody(), 'a.FEEDBACK': file })).toEqual({ FEEDBACK: "'Feedback' heeft een ongeldige waarde." });
  });

  it('count a field sent twice with its last value, as parseBody() without `all` did', () => {
    const result = readAnswers(DEF, { ...validBody(), 'a.PED-1': ['goed', 'matig'] }, 'draft');
    expect(result).toMatchObject({ ok: true, answers: { 'PED-1': 'matig' } });
  });

  it('never throw on any body, and report errors only for item codes', () => {
    const key = fc.oneof(
      fc.constantFrom(...CODES.map(fieldName), '__proto__', 'constructor', 'a.constructor'),
      fc.string(),
    );
    const value = fc.oneof(
      fc.constantFrom(...SCALE_VALUES, 'positief', '2026-02-04', '', ' '),
      fc.string({ maxLength: 20 }),
      fc.string({ minLength: TEXT_MAX_LENGTH - 2, maxLength: TEXT_MAX_LENGTH + 2 }),
      fc.anything(),
    );
    fc.assert(
      fc.property(fc.dictionary(key, value), fc.constantFrom<AnswerMode>('draft', 'submit'), (body, mode) => {
        const result = readAnswers(DEF, body, mode);
        for (const answer of Object.values(result.answers)) expect(typeof answer).toBe('string');
        if (!result.ok) {
          expect(Object.keys(result.errors).length).toBeGreaterThan(0);
          for (const [code, message] of Object.entries(result.errors)) {
            expect(CODES).toContain(code);
            expect(message).toMatch(/'.+'/);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('return answers that read back the same (the stored form is stable)', () => {
    const body = fc.record(
      Object.fromEntries(
        CODES.map((code) => [fieldName(code), fc.oneof(fc.constantFrom(...SCALE_VALUES, 'positief', '2026-02-04'), fc.string())]),
      ),
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(body, fc.constantFrom<AnswerMode>('draft', 'submit'), (input, mode) => {
        const first = readAnswers(DEF, input, mode);
        if (!first.ok) return;
        const again = Object.fromEntries(Object.entries(first.answers).map(([code, value]) => [fieldName(code), value]));
        expect(readAnswers(DEF, again, mode)).toEqual(first);
      }),
    );
  });
});

describe('answersSchema', () => {
  it('checks types but requires nothing for a draft', () => {
    const schema = answersSchema(DEF, 'draft');
    expect(schema.safeParse({}).data).toEqual({});
    expect(schema.safeParse({ 'PED-1': 'slecht' }).error?.issues).toEqual([
      expect.objectContaining({ path: ['PED-1'], message: "Kies een geldige score bij 'Zorgt voor een veilig klimaat'." }),
    ]);
  });

  it('requires the required items on submit, each issue at its code', () => {
    const issues = answersSchema(DEF, 'submit').safeParse({ 'PED-1': 'goed' }).error?.issues ?? [];
    expect(issues.map((issue) => issue.path)).toEqual([['LESDATUM'], ['ADVIES'], ['FEEDBACK'], ['FEEDUP'], ['FEEDFORWARD']]);
  });

  it('drops unknown keys and empty answers', () => {
    const parsed = answersSchema(DEF, 'draft').parse({ 'PED-2': 'niet-gezien', KLAS: '', ONBEKEND: 'x' });
    expect(parsed).toEqual({ 'PED-2': 'niet-gezien' });
  });
});

describe('csvColumns', () => {
  it('puts scale, choice and date items in the item columns and free texts apart', () => {
    const { items, texts } = csvColumns([DEF]);
    expect(items.map((column) => column.key)).toEqual(['LESDATUM', 'PED-1', 'PED-2', 'ADVIES']);
    expect(texts.map((column) => column.key)).toEqual(['KLAS', 'FEEDBACK', 'FEEDUP', 'FEEDFORWARD']);
    expect(items[1]).toEqual({ key: 'PED-1', header: 'PED-1 Zorgt voor een veilig klimaat', type: 'scale' });
  });

  it('gives a code shared by several forms one column', () => {
    const { items, texts } = csvColumns(latestForms());
    const keys = [...items, ...texts].map((column) => column.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(texts.filter((column) => column.key === 'FEEDFORWARD')).toHaveLength(1);
    expect(items.map((column) => column.key)).toEqual(expect.arrayContaining(['PED-1', 'DID-8', 'VAK-7', 'DIG-1', 'ADV-ADVIES', 'LESDATUM', 'WPP10-4']));
    expect(texts.map((column) => column.key)).toEqual(expect.arrayContaining(['GOED', 'FEEDBACK', 'FEEDUP', 'ADV-PRO']));
  });

  it('uses the label of the latest version of a form for the header', () => {
    const v2 = parseFormDefinition({
      ...structuredClone(DEF),
      version: 2,
      sections: DEF.sections.map((section) => ({
        ...section,
        items: section.items.map((item) => (item.code === 'PED-1' ? { ...item, label: 'Zorgt voor rust' } : item)),
      })),
    });
    expect(csvColumns([DEF, v2]).items.find((column) => column.key === 'PED-1')?.header).toBe('PED-1 Zorgt voor rust');
  });
});

describe('formatAnswer', () => {
  const format = (code: string, value: string | undefined, def: FormDefinition = DEF) => formatAnswer(def, code, value);

  it('shows scale values by their Dutch label', () => {
    expect(format('PED-1', 'niet-gezien')).toBe('niet gezien');
    expect(format('PED-1', 'voldoende')).toBe('voldoende');
  });

  it('shows a choice by its option label', () => {
    expect(format('ADVIES', 'positief')).toBe('Positief: op koers voor N2');
  });

  it('writes a date out in Dutch', () => {
    expect(format('LESDATUM', '2026-02-04')).toBe('woensdag 4 februari 2026');
  });

  it('returns texts as written and nothing for no answer', () => {
    expect(format('FEEDBACK', 'Goed <b>gedaan</b>')).toBe('Goed <b>gedaan</b>');
    expect(format('FEEDBACK', undefined)).toBe('');
    expect(format('FEEDBACK', '  ')).toBe('');
  });

  it('returns a value that does not fit its item unchanged instead of throwing', () => {
    expect(format('LESDATUM', '2026-02-30')).toBe('2026-02-30');
    expect(format('PED-1', 'constructor')).toBe('constructor');
    expect(format('ADVIES', 'twijfel')).toBe('twijfel');
    expect(format('ONBEKEND', 'x')).toBe('x');
  });
});

/** An advice form with a note, a multi item, and a scale in its own words. */
const MORE = parseFormDefinition({
  id: 'advies-wpb',
  version: 1,
  kind: 'advies',
  title: 'Advies',
  article: 'het',
  nameInSentence: 'advies',
  intro: 'Een formulier om mee te testen.',
  draftContent: false,
  basis: 'Testbasis.',
  sections: [
    {
      code: 'ADVIES',
      title: 'Het advies',
      items: [
        { code: 'UITLEG', label: "Lees dit eerst, Zoë.\nHet advies gaat naar 't instituut.", type: 'note', required: false },
        {
          code: 'VAARDIGHEDEN',
          label: 'Welke vaardigheden zag u?',
          type: 'multi',
          required: true,
          options: [
            { value: 'lezen', label: 'Lezen' },
            { value: 'schrijven', label: 'Schrijven' },
            { value: 'spreken', label: 'Spreken' },
          ],
        },
        {
          code: 'SFEER',
          label: 'Sfeer in de klas',
          type: 'scale',
          required: false,
          options: [
            { value: 'zwak', label: 'zwak', scale: 'onder' },
            { value: 'sterk', label: 'sterk', scale: 'boven' },
            { value: 'niet-gezien', label: 'niet gezien', scale: 'niet-gezien' },
          ],
        },
      ],
    },
  ],
});

describe('multi items', () => {
  const read = (body: Record<string, unknown>, mode: AnswerMode = 'submit') => readAnswers(MORE, body, mode);

  it('store the ticked values joined by single spaces, in the order of the options', () => {
    expect(read({ 'a.VAARDIGHEDEN': ['spreken', 'lezen'] })).toEqual({ ok: true, answers: { VAARDIGHEDEN: 'lezen spreken' } });
  });

  it('take one ticked box as a plain string, and a stored answer as posted again', () => {
    expect(read({ 'a.VAARDIGHEDEN': 'schrijven' })).toEqual({ ok: true, answers: { VAARDIGHEDEN: 'schrijven' } });
    expect(read({ 'a.VAARDIGHEDEN': ' spreken  lezen\r\n' })).toEqual({ ok: true, answers: { VAARDIGHEDEN: 'lezen spreken' } });
  });

  it('keep a value ticked twice once', () => {
    expect(read({ 'a.VAARDIGHEDEN': ['lezen', 'lezen', 'schrijven'] })).toEqual({ ok: true, answers: { VAARDIGHEDEN: 'lezen schrijven' } });
  });

  it('require at least one ticked box when required, in Dutch', () => {
    expect(read({})).toMatchObject({ ok: false, errors: { VAARDIGHEDEN: "Kies minstens één antwoord bij 'Welke vaardigheden zag u?'." } });
    expect(read({ 'a.VAARDIGHEDEN': [] })).toMatchObject({ ok: false, errors: { VAARDIGHEDEN: "Kies minstens één antwoord bij 'Welke vaardigheden zag u?'." } });
    expect(read({}, 'draft')).toEqual({ ok: true, answers: {} });
  });

  it('refuse a value that is not an option, in Dutch, and keep what was ticked to show again', () => {
    const result = read({ 'a.VAARDIGHEDEN': ['lezen', 'rekenen'] }, 'draft');

    expect(result).toEqual({
      ok: false,
      answers: { VAARDIGHEDEN: 'lezen rekenen' },
      errors: { VAARDIGHEDEN: "Kies alleen antwoorden uit de lijst bij 'Welke vaardigheden zag u?'." },
    });
  });

  it('refuse a file among the values', () => {
    const file = new File(['x'], 'lezen.txt');
    expect(read({ 'a.VAARDIGHEDEN': ['lezen', file] }, 'draft')).toMatchObject({
      ok: false,
      errors: { VAARDIGHEDEN: "'Welke vaardigheden zag u?' heeft een ongeldige waarde." },
    });
  });

  it('never throw, and read their own stored answer back the same', () => {
    const part = fc.oneof(fc.constantFrom('lezen', 'schrijven', 'spreken', 'rekenen', ' ', 'lezen spreken'), fc.string({ maxLength: 8 }), fc.anything());
    fc.assert(
      fc.property(fc.oneof(part, fc.array(part, { maxLength: 5 })), fc.constantFrom<AnswerMode>('draft', 'submit'), (raw, mode) => {
        const first = read({ 'a.VAARDIGHEDEN': raw }, mode);
        if (!first.ok) return;
        const again = Object.fromEntries(Object.entries(first.answers).map(([code, value]) => [fieldName(code), value]));
        expect(read(again, mode)).toEqual(first);
      }),
    );
  });

  it('are checked the same way by the answers schema', () => {
    expect(answersSchema(MORE, 'draft').parse({ VAARDIGHEDEN: 'spreken lezen' })).toEqual({ VAARDIGHEDEN: 'lezen spreken' });
    expect(answersSchema(MORE, 'draft').safeParse({ VAARDIGHEDEN: 'lezen,spreken' }).success).toBe(false);
  });
});

describe('notes and scales in their own words', () => {
  it('ignore a value posted for a note', () => {
    const result = readAnswers(MORE, { 'a.UITLEG': 'iets', 'a.VAARDIGHEDEN': 'lezen' }, 'submit');
    expect(result).toEqual({ ok: true, answers: { VAARDIGHEDEN: 'lezen' } });
    expect(answersSchema(MORE, 'draft').parse({ UITLEG: 'iets' })).toEqual({});
  });

  it('accept the words of the scale and refuse the default ones', () => {
    expect(readAnswers(MORE, { 'a.VAARDIGHEDEN': 'lezen', 'a.SFEER': 'sterk' }, 'submit')).toEqual({
      ok: true,
      answers: { VAARDIGHEDEN: 'lezen', SFEER: 'sterk' },
    });
    expect(readAnswers(MORE, { 'a.VAARDIGHEDEN': 'lezen', 'a.SFEER': 'goed' }, 'submit')).toMatchObject({
      ok: false,
      errors: { SFEER: "Kies een geldige score bij 'Sfeer in de klas'." },
    });
  });

  it('give a multi item an item column and a note none', () => {
    const { items, texts } = csvColumns([MORE]);
    expect(items).toEqual([
      { key: 'VAARDIGHEDEN', header: 'VAARDIGHEDEN Welke vaardigheden zag u?', type: 'multi' },
      { key: 'SFEER', header: 'SFEER Sfeer in de klas', type: 'scale' },
    ]);
    expect(texts).toEqual([]);
  });

  it('show a multi answer as its labels joined by commas, and a scale value by its own label', () => {
    expect(formatAnswer(MORE, 'VAARDIGHEDEN', 'lezen spreken')).toBe('Lezen, Spreken');
    expect(formatAnswer(MORE, 'VAARDIGHEDEN', 'lezen rekenen')).toBe('Lezen, rekenen');
    expect(formatAnswer(MORE, 'SFEER', 'niet-gezien')).toBe('niet gezien');
    expect(formatAnswer(MORE, 'SFEER', 'goed')).toBe('goed');
  });
});
