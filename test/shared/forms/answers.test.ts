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

  it('make a field sent twice invalid', () => {
    const result = readAnswers(DEF, { ...validBody(), 'a.PED-1': ['goed', 'matig'] }, 'draft');
    expect(result).toMatchObject({ ok: false, errors: { 'PED-1': "'Zorgt voor een veilig klimaat' heeft een ongeldige waarde." } });
    expect(result.answers).not.toHaveProperty('PED-1');
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
