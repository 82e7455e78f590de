import type ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { formCatalog } from '#forms/index.ts';
import { parseFormDefinition } from '#shared/forms/definition.ts';
import type { FormDefinition } from '#shared/forms/definition.ts';
import { checkStableCodes } from '#shared/forms/stable-codes.ts';
import { formToWorkbook, readFormWorkbook } from '#shared/forms/xlsform.ts';
import { formatProblem } from '#shared/xlsx/workbook.ts';
import { cellAt, editWorkbook, sheet } from '../../support/edit-workbook.ts';

const didactiek = formCatalog.get('kijkwijzer-didactiek', 1)!;
const advies = formCatalog.get('advies-wpb', 1)!;

/** A stored version 2 of the didactiek kijkwijzer without DID-8 (published after the shipped version 1). */
const didactiekWithoutDid8 = parseFormDefinition({
  ...didactiek,
  version: 2,
  sections: didactiek.sections.map((section) => ({ ...section, items: section.items.filter((item) => item.code !== 'DID-8') })),
});

/** Every published version: the shipped forms and the stored version 2. */
const published: readonly FormDefinition[] = [...formCatalog.all, didactiekWithoutDid8];

/**
 * The stable-code problems of a workbook: the latest version of `def` converted, edited with
 * exceljs as a coordinator would, read back (it must pass the reader) and checked.
 */
async function check(def: FormDefinition, edit: (survey: ExcelJS.Worksheet) => void): Promise<string[]> {
  const bytes = await editWorkbook(await formToWorkbook(def), (workbook) => {
    edit(sheet(workbook, 'survey'));
    cellAt(sheet(workbook, 'settings'), 2, 'version').value = def.version + 1;
  });
  const read = await readFormWorkbook(bytes);
  if (!read.ok) throw new Error(read.problems.map(formatProblem).join('\n'));
  return checkStableCodes(read.definition, published, read.rowOf).map(formatProblem);
}

function set(survey: ExcelJS.Worksheet, row: number, values: Record<string, ExcelJS.CellValue>): void {
  for (const [header, value] of Object.entries(values)) cellAt(survey, row, header).value = value;
}

describe('checkStableCodes', () => {
  it.each(formCatalog.all.map((def) => [def.id, def] as const))('finds nothing in the unchanged %s', async (_id, def) => {
    expect(await check(def, () => {})).toEqual([]);
  });

  it('refuses a code that changes its type', async () => {
    const problems = await check(didactiek, (survey) => set(survey, 4, { type: 'text' }));
    expect(problems).toEqual([
      'blad survey, rij 4, kolom type: Code DID-2 is in eerdere versies een schaalvraag; een code houdt altijd hetzelfde soort vraag. Geef deze vraag een nieuwe code.',
    ]);
  });

  it('refuses a shared code that changes its type, naming the form it has the other type in', async () => {
    const problems = await check(advies, (survey) => {
      survey.spliceRows(14, 0, ['begin_group', 'LES', 'De les'], ['text', 'LESDATUM', 'Wanneer was de les van Zoë?', null, 'nee'], ['end_group']);
    });
    expect(problems).toEqual([
      'blad survey, rij 15, kolom type: Code LESDATUM is in het formulier Feedback op experiment WPP7: Nieuwsgierig maken en houden een datumvraag; een code houdt altijd hetzelfde soort vraag. Geef deze vraag een nieuwe code.',
    ]);
  });

  it('refuses a code of another form', async () => {
    const problems = await check(didactiek, (survey) => set(survey, 5, { name: 'PED-1' }));
    expect(problems).toEqual([
      'blad survey, rij 5, kolom name: Code PED-1 hoort bij het formulier Kijkwijzer pedagogiek (kijkwijzer-pedagogiek); een code hoort bij één formulier. Geef deze vraag een nieuwe code.',
    ]);
  });

  it('refuses a removed code that comes back for something else', async () => {
    const problems = await check(didactiekWithoutDid8, (survey) => {
      survey.spliceRows(16, 0, ['select_one schaal', 'DID-8', 'Laat leerlingen samenwerken in groepjes van Çelik', null, 'ja']);
    });
    expect(problems).toEqual([
      'blad survey, rij 16, kolom name: Code DID-8 stond tot en met versie 1 van dit formulier bij de vraag "Laat leerlingen terugkijken op wat ze geleerd hebben" en is daarna verwijderd; een verwijderde code krijgt geen andere betekenis. Geef deze vraag een nieuwe code, of gebruik weer het label van toen.',
    ]);
  });

  it('allows a removed code back with the label it had', async () => {
    const problems = await check(didactiekWithoutDid8, (survey) => {
      survey.spliceRows(16, 0, ['select_one schaal', 'DID-8', 'Laat leerlingen terugkijken op wat ze geleerd hebben', null, 'ja']);
    });
    expect(problems).toEqual([]);
  });

  it('allows a new wording of a code in the latest version, a new code, codes several forms share, and reused section codes', async () => {
    const problems = await check(advies, (survey) => {
      set(survey, 6, { label: 'Onderbouwing pedagogiek: hoe gaat de student om met Zoë, Ómar en Çem?\nGeef voorbeelden.' });
      set(survey, 11, { name: 'INSTRUCTIE' });
      survey.spliceRows(
        14,
        0,
        ['begin_group', 'TERUGKOPPELING', 'Terugkoppeling'],
        ['date', 'LESDATUM', 'Datum van het gesprek', null, 'nee'],
        ['text', 'ADV-NIEUW', 'Wat wilt u nog kwijt?', null, 'nee'],
        ['text', 'FEEDBACK', 'Feedback', null, 'nee'],
        ['end_group'],
      );
    });
    expect(problems).toEqual([]);
  });

  it('reports every problem of a workbook, each at its row', async () => {
    const problems = await check(didactiek, (survey) => {
      set(survey, 3, { name: 'ADV-PED', type: 'text' });
      set(survey, 5, { type: 'date' });
    });
    expect(problems).toEqual([
      'blad survey, rij 3, kolom name: Code ADV-PED hoort bij het formulier Advies van de werkplekbegeleider (advies-wpb); een code hoort bij één formulier. Geef deze vraag een nieuwe code.',
      'blad survey, rij 5, kolom type: Code DID-3 is in eerdere versies een schaalvraag; een code houdt altijd hetzelfde soort vraag. Geef deze vraag een nieuwe code.',
    ]);
  });

  it('points at the survey sheet without a row when the row is not known', () => {
    const candidate = parseFormDefinition({
      ...didactiek,
      version: 3,
      sections: didactiek.sections.map((section) => ({ ...section, items: section.items.map((item) => (item.code === 'DID-1' ? { ...item, type: 'text' } : item)) })),
    });
    expect(checkStableCodes(candidate, published, () => undefined).map(formatProblem)).toEqual([
      'blad survey, kolom type: Code DID-1 is in eerdere versies een schaalvraag; een code houdt altijd hetzelfde soort vraag. Geef deze vraag een nieuwe code.',
    ]);
  });
});
