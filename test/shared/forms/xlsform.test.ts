import type ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { formCatalog } from '#forms/index.ts';
import { FormDefinition as FormDefinitionSchema, findItem, parseFormDefinition } from '#shared/forms/definition.ts';
import type { FormDefinition } from '#shared/forms/definition.ts';
import { formToWorkbook, readFormWorkbook, schemaIssueMessage } from '#shared/forms/xlsform.ts';
import { formatProblem } from '#shared/xlsx/workbook.ts';
import { cellAt, editWorkbook, headers, openWorkbook, rowValues, rowWhere, sheet } from '../../support/edit-workbook.ts';

const didactiek = formCatalog.get('kijkwijzer-didactiek', 1)!;
const advies = formCatalog.get('advies-wpb', 1)!;
const adviesV2 = formCatalog.get('advies-wpb', 2)!;

/** A converted shipped workbook, edited with exceljs as a coordinator would in Excel. */
async function edited(def: FormDefinition, edit: (workbook: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  return editWorkbook(await formToWorkbook(def), edit);
}

/** Sets cells of one row by header: `set(survey, 4, { label: 'x' })`. */
function set(workbook: ExcelJS.Workbook, name: string, row: number, values: Record<string, ExcelJS.CellValue>): void {
  for (const [header, value] of Object.entries(values)) cellAt(sheet(workbook, name), row, header).value = value;
}

async function read(bytes: Uint8Array): Promise<{ definition: FormDefinition; rowOf(code: string): number | undefined }> {
  const result = await readFormWorkbook(bytes);
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
  return result;
}

async function refusals(bytes: Uint8Array): Promise<string[]> {
  const result = await readFormWorkbook(bytes);
  if (result.ok) throw new Error('the workbook was accepted');
  return result.problems.map(formatProblem);
}

const SUPPORTED = 'Gebruik text, date, note, select_one <lijst>, select_multiple <lijst>, begin_group en end_group.';
const NOT_XLSX = 'Dit is geen Excel-werkmap (.xlsx). Sla het bestand in Excel op als "Excel-werkmap (*.xlsx)" en upload het opnieuw.';

/** Every item type, a scale with its own options, two items sharing a list, an item code that would take the default scale's list name. */
const everyType = parseFormDefinition({
  id: 'experiment-wpp9',
  version: 3,
  kind: 'experiment',
  title: 'Feedback op experiment WPP9',
  article: 'de',
  nameInSentence: 'feedback op experiment WPP9',
  intro: 'Welkom, Zoë Çelik.\nDit is de tweede regel.',
  draftContent: false,
  basis: "Opgesteld met Ó'Brien.",
  sections: [
    {
      code: 'LES',
      title: 'De les',
      help: 'Over de les zelf.',
      items: [
        { code: 'UITLEG', label: 'Lees dit eerst.\nDaarna de vragen.', help: 'Een note heeft geen antwoord.', type: 'note', required: false },
        { code: 'LESDATUM', label: 'Lesdatum', type: 'date', required: true },
        {
          code: 'WERKVORMEN',
          label: 'Welke werkvormen zag u?',
          type: 'multi',
          required: true,
          options: [
            { value: 'instructie', label: 'Instructie' },
            { value: 'groepswerk', label: 'Groepswerk' },
            { value: 'zelfstandig', label: 'Zelfstandig werken' },
          ],
        },
        {
          code: 'WERKVORMEN-2',
          label: 'En in de tweede les?',
          type: 'multi',
          required: false,
          options: [
            { value: 'instructie', label: 'Instructie' },
            { value: 'groepswerk', label: 'Groepswerk' },
            { value: 'zelfstandig', label: 'Zelfstandig werken' },
          ],
        },
        {
          code: 'SCHAAL',
          label: 'Hoe ging de start?',
          type: 'scale',
          required: true,
          options: [
            { value: 'nog-niet', label: 'Nog niet', scale: 'onder' },
            { value: 'op-koers', label: 'Op koers', scale: 'voldoende' },
            { value: 'ruim', label: 'Ruim', scale: 'boven' },
            { value: 'niet-gezien', label: 'Niet gezien', scale: 'niet-gezien' },
          ],
        },
        { code: 'ORDE', label: 'Orde in de klas', type: 'scale', required: true },
        {
          code: 'HERHALEN',
          label: 'Herhaalt de student dit experiment?',
          type: 'choice',
          required: false,
          options: [
            { value: 'ja', label: 'Ja' },
            { value: 'nee', label: 'Nee' },
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

describe('formToWorkbook and readFormWorkbook', () => {
  it.each(formCatalog.all.map((def) => [`${def.id} versie ${def.version}`, def] as const))('give back the shipped %s unchanged', async (_name, def) => {
    const { definition } = await read(await formToWorkbook(def));
    expect(definition).toStrictEqual(def);
  });

  it('give back every item type: notes, dates, multi items sharing a list, a scale with its own options, choices', async () => {
    const bytes = await formToWorkbook(everyType);
    const { definition, rowOf } = await read(bytes);
    expect(definition).toStrictEqual(everyType);
    expect(rowOf('ORDE')).toBe(8);
    expect(rowOf('TERUGKOPPELING')).toBe(11);

    const workbook = await openWorkbook(bytes);
    const survey = sheet(workbook, 'survey');
    const types = ['UITLEG', 'LESDATUM', 'WERKVORMEN', 'WERKVORMEN-2', 'SCHAAL', 'ORDE', 'HERHALEN'].map((code) => cellAt(survey, rowWhere(survey, 'name', code), 'type').value);
    expect(types).toEqual(['note', 'date', 'select_multiple werkvormen', 'select_multiple werkvormen', 'select_one schaal_2', 'select_one schaal', 'select_one herhalen']);
    expect(cellAt(survey, rowWhere(survey, 'name', 'UITLEG'), 'required').value).toBeNull();
  });

  it('write the sheets, headers and cells an independent reader (exceljs) finds', async () => {
    const workbook = await openWorkbook(await formToWorkbook(didactiek));
    expect(workbook.worksheets.map((worksheet) => worksheet.name)).toEqual(['survey', 'choices', 'settings', 'uitleg']);

    const survey = sheet(workbook, 'survey');
    expect(headers(survey)).toEqual(['type', 'name', 'label', 'hint', 'required', 'lezers']);
    expect(rowValues(survey, 2)).toEqual(['begin_group', 'INSTRUCTIE', 'Duidelijke instructie', null, null, null]);
    expect(rowValues(survey, 4)).toEqual([
      'select_one schaal',
      'DID-2',
      'Legt de leerstof helder en gestructureerd uit',
      'Bouwt de uitleg stap voor stap op, gebruikt voorbeelden en gaat na of leerlingen het begrijpen.',
      'ja',
      null,
    ]);
    expect(cellAt(survey, 6, 'type').value).toBe('end_group');

    const choices = sheet(workbook, 'choices');
    expect(headers(choices)).toEqual(['list_name', 'name', 'label', 'schaal']);
    expect([2, 3, 4, 5, 6].map((row) => rowValues(choices, row))).toEqual([
      ['schaal', 'onvoldoende', 'onvoldoende', 'onder'],
      ['schaal', 'matig', 'matig', 'onder'],
      ['schaal', 'voldoende', 'voldoende', 'voldoende'],
      ['schaal', 'goed', 'goed', 'boven'],
      ['schaal', 'niet-gezien', 'niet gezien', 'niet-gezien'],
    ]);

    const settings = sheet(workbook, 'settings');
    expect(headers(settings)).toEqual(['form_id', 'version', 'form_title', 'soort', 'kijkwijzer_type', 'intro', 'lidwoord', 'naam_in_zin', 'concept', 'basis']);
    expect(rowValues(settings, 2)).toEqual(['kijkwijzer-didactiek', 1, 'Kijkwijzer didactiek', 'kijkwijzer', 'didactiek', didactiek.intro, 'de', 'kijkwijzer didactiek', 'ja', didactiek.basis]);

    expect(headers(sheet(workbook, 'uitleg'))).toEqual(['blad', 'kolom', 'uitleg']);
  });

  it('name a choice list after its item, in lower case', async () => {
    const workbook = await openWorkbook(await formToWorkbook(advies));
    expect(cellAt(sheet(workbook, 'survey'), 3, 'type').value).toBe('select_one adv_advies');
    expect(rowValues(sheet(workbook, 'choices'), 2)).toEqual(['adv_advies', 'positief', 'Positief: de student is op koers om N2 af te ronden', null]);
    expect(cellAt(sheet(workbook, 'settings'), 2, 'kijkwijzer_type').value).toBeNull();
  });

  it('read an edited intro and label and a new item, line breaks and ë, Ó, Ç intact', async () => {
    const intro = "Welkom bij de kijkwijzer van Zoë Ó'Neill-Çelik.\nLees eerst de vragen door.";
    const label = 'Legt uit zoals Ëlla het zou doen:\nhelder en stap voor stap';
    const bytes = await edited(didactiek, (workbook) => {
      set(workbook, 'settings', 2, { intro, version: 2 });
      set(workbook, 'survey', 4, { label });
      sheet(workbook, 'survey').spliceRows(17, 0, ['select_one schaal', 'DID-9', 'Sluit de les af met één vraag van Çelik', null, 'nee']);
    });
    const { definition, rowOf } = await read(bytes);
    expect(definition.intro).toBe(intro);
    expect(definition.version).toBe(2);
    expect(findItem(definition, 'DID-2')?.label).toBe(label);
    expect(findItem(definition, 'DID-9')).toStrictEqual({ code: 'DID-9', label: 'Sluit de les af met één vraag van Çelik', type: 'scale', required: false });
    expect(definition.sections[3]!.items.map((item) => item.code)).toEqual(['DID-7', 'DID-8', 'DID-9']);
    expect([rowOf('DID-2'), rowOf('DID-9'), rowOf('FEEDBACK'), rowOf('ONBEKEND')]).toEqual([4, 17, 21, undefined]);
  });

  it("give back text that looks like Excel's _xHHHH_ escapes exactly, and an independent reader sees it too", async () => {
    const label = "Zoë schrijft _x0041_ en _x0000_ letterlijk, zoals in Ó'Neills code";
    const def = parseFormDefinition({
      ...didactiek,
      version: 2,
      sections: didactiek.sections.map((section) => ({ ...section, items: section.items.map((item) => (item.code === 'DID-2' ? { ...item, label } : item)) })),
    });

    const bytes = await formToWorkbook(def);

    expect(findItem((await read(bytes)).definition, 'DID-2')?.label).toBe(label);
    const survey = sheet(await openWorkbook(bytes), 'survey');
    expect(cellAt(survey, rowWhere(survey, 'name', 'DID-2'), 'label').value).toBe(label);
  });

  it('write lezers so-io on the begin_group row of a section for the SO and IO only, and read it back', async () => {
    const bytes = await formToWorkbook(adviesV2);
    const survey = sheet(await openWorkbook(bytes), 'survey');
    const lezers = [...Array(survey.rowCount - 1).keys()].map((index) => [cellAt(survey, index + 2, 'name').value, cellAt(survey, index + 2, 'lezers').value]);
    expect(lezers.filter(([, value]) => value !== null)).toEqual([['VERTROUWELIJK', 'so-io']]);

    const { definition } = await read(bytes);
    expect(definition).toStrictEqual(adviesV2);
    expect(definition.sections.map((section) => [section.code, section.readers])).toEqual([
      ['ADVIES', undefined],
      ['ONDERBOUWING', undefined],
      ['TOELICHTING', undefined],
      ['VERTROUWELIJK', 'staff'],
    ]);
  });

  it("read lezers as a coordinator types it (SO-IO with spaces), and a workbook without the column as everyone's", async () => {
    const typed = await edited(didactiek, (workbook) => set(workbook, 'survey', 2, { lezers: '  SO-IO ' }));
    expect((await read(typed)).definition.sections[0]).toMatchObject({ code: 'INSTRUCTIE', readers: 'staff' });

    const withoutColumn = await edited(adviesV2, (workbook) => sheet(workbook, 'survey').spliceColumns(6, 1));
    const { definition } = await read(withoutColumn);
    expect(definition.sections.some((section) => 'readers' in section)).toBe(false);
  });

  it('read the other spellings: yes/no/true/false and Excel TRUE/FALSE, "begin group", an empty required', async () => {
    const bytes = await edited(didactiek, (workbook) => {
      set(workbook, 'survey', 2, { type: 'begin group' });
      set(workbook, 'survey', 6, { type: 'end group' });
      set(workbook, 'survey', 3, { required: 'yes' });
      set(workbook, 'survey', 4, { required: false });
      set(workbook, 'survey', 5, { required: null });
      set(workbook, 'survey', 20, { required: 'TRUE' });
      set(workbook, 'settings', 2, { concept: 'no', version: '1' });
    });
    const { definition } = await read(bytes);
    expect(['DID-1', 'DID-2', 'DID-3', 'FEEDBACK'].map((code) => findItem(definition, code)?.required)).toEqual([true, false, false, true]);
    expect(definition.draftContent).toBe(false);
    expect(definition.version).toBe(1);
  });
});

describe('readFormWorkbook refuses', () => {
  it('unknown question types and XLSForm types it does not support, naming the supported ones', async () => {
    const bytes = await edited(didactiek, (workbook) => {
      set(workbook, 'survey', 3, { type: 'integer' });
      set(workbook, 'survey', 4, { type: 'vraag' });
      set(workbook, 'survey', 8, { type: 'begin_repeat' });
      set(workbook, 'survey', 9, { type: 'calculate' });
    });
    expect(await refusals(bytes)).toEqual([
      `blad survey, rij 3, kolom type: Het vraagtype "integer" bestaat in XLSForm, maar dit formulier kent het niet. ${SUPPORTED}`,
      `blad survey, rij 4, kolom type: Onbekend vraagtype "vraag". ${SUPPORTED}`,
      `blad survey, rij 8, kolom type: Het vraagtype "begin_repeat" bestaat in XLSForm, maar dit formulier kent het niet. Herhaalde groepen kent dit formulier niet. ${SUPPORTED}`,
      `blad survey, rij 9, kolom type: Het vraagtype "calculate" bestaat in XLSForm, maar dit formulier kent het niet. ${SUPPORTED}`,
    ]);
  });

  it('a lezers value other than empty or so-io, lezers on a question or an end_group, in Dutch at the cell', async () => {
    const bytes = await edited(adviesV2, (workbook) => {
      const survey = sheet(workbook, 'survey');
      set(workbook, 'survey', rowWhere(survey, 'name', 'ADVIES'), { lezers: 'student' });
      set(workbook, 'survey', rowWhere(survey, 'name', 'ONDERBOUWING'), { lezers: "Zoë's SO\nen IO" });
      set(workbook, 'survey', rowWhere(survey, 'name', 'ADV-PED'), { lezers: 'so-io' });
      set(workbook, 'survey', rowWhere(survey, 'name', 'ADV-VERTROUWELIJK') + 1, { lezers: 'so-io' });
    });
    const choices = 'Laat de cel leeg als iedereen het onderdeel leest, ook de student, of kies so-io als alleen de schoolopleider en de instituutsopleider het lezen.';
    const wholeSection = 'lezers geldt voor een heel onderdeel: zet so-io op de rij van de begin_group, en laat deze cel leeg.';
    expect(await refusals(bytes)).toEqual([
      `blad survey, rij 2, kolom lezers: Onbekende lezers "student". ${choices}`,
      'blad survey, rij 5, kolom lezers: De tekst bevat een regeleinde (U+000A) op positie 9; alleen zichtbare tekst op één regel is toegestaan.',
      `blad survey, rij 5, kolom lezers: Onbekende lezers "Zoë's SO[U+000A]en IO". ${choices}`,
      `blad survey, rij 6, kolom lezers: ${wholeSection}`,
      `blad survey, rij 16, kolom lezers: ${wholeSection}`,
    ]);
  });

  it('a kijkwijzer whose feedback group is for the SO and IO only: the feedback is for the student', async () => {
    const bytes = await edited(didactiek, (workbook) => set(workbook, 'survey', rowWhere(sheet(workbook, 'survey'), 'name', 'TERUGKOPPELING'), { lezers: 'so-io' }));
    expect(await refusals(bytes)).toEqual([
      'blad survey, rij 18, kolom lezers: De groep TERUGKOPPELING is alleen voor de schoolopleider en de instituutsopleider (lezers so-io), maar FEEDBACK, FEEDUP, FEEDFORWARD zijn de terugkoppeling aan de student. Zet die vragen in een groep die de student leest, of maak lezers leeg.',
    ]);
  });

  it('duplicate names of questions and of groups', async () => {
    const bytes = await edited(didactiek, (workbook) => {
      set(workbook, 'survey', 5, { name: 'DID-2' });
      set(workbook, 'survey', 7, { name: 'INSTRUCTIE' });
    });
    expect(await refusals(bytes)).toEqual([
      'blad survey, rij 5, kolom name: De naam DID-2 staat al in rij 4; elke vraag heeft een eigen naam.',
      'blad survey, rij 7, kolom name: De naam INSTRUCTIE staat al in rij 2; elke groep heeft een eigen naam.',
    ]);
  });

  it('a select_one naming a list that does not exist', async () => {
    const bytes = await edited(didactiek, (workbook) => set(workbook, 'survey', 4, { type: 'select_one schaal5' }));
    expect(await refusals(bytes)).toEqual([
      'blad survey, rij 4, kolom type: De lijst schaal5 bestaat niet op het blad choices (daar staan: schaal). Zet de keuzes van select_one schaal5 op het blad choices, met list_name schaal5.',
    ]);
  });

  it('empty labels of a group, a question and a choice', async () => {
    const bytes = await edited(advies, (workbook) => {
      set(workbook, 'survey', 5, { label: null });
      set(workbook, 'survey', 7, { label: '   ' });
      set(workbook, 'choices', 3, { label: null });
    });
    expect(await refusals(bytes)).toEqual([
      'blad survey, rij 5, kolom label: Het label van de groep is leeg: dat is de titel boven de vragen.',
      'blad survey, rij 7, kolom label: Het label is leeg: typ hier de vraag (bij een note de tekst).',
      'blad choices, rij 3, kolom label: Het label van de keuze is leeg.',
    ]);
  });

  it('a question outside a group', async () => {
    const bytes = await edited(didactiek, (workbook) => {
      sheet(workbook, 'survey').spliceRows(7, 0, ['text', 'LOS', 'Een losse vraag van Zoë', null, 'nee']);
    });
    expect(await refusals(bytes)).toEqual([
      'blad survey, rij 7, kolom type: Deze vraag staat buiten een groep. Zet elke vraag tussen een begin_group en een end_group.',
    ]);
  });

  it('unbalanced groups: one not closed, an end_group too many, a group inside a group', async () => {
    const notClosed = await edited(didactiek, (workbook) => sheet(workbook, 'survey').spliceRows(23, 1));
    expect(await refusals(notClosed)).toEqual([
      'blad survey, rij 18, kolom type: De groep TERUGKOPPELING wordt niet gesloten: zet een end_group na de laatste vraag van de groep.',
    ]);
    const extraEnd = await edited(didactiek, (workbook) => sheet(workbook, 'survey').spliceRows(7, 0, ['end_group']));
    expect(await refusals(extraEnd)).toEqual(['blad survey, rij 7, kolom type: Deze end_group sluit geen groep: er staat geen open begin_group boven.']);
    const nested = await edited(didactiek, (workbook) => sheet(workbook, 'survey').spliceRows(6, 1));
    expect(await refusals(nested)).toEqual([
      'blad survey, rij 6, kolom type: Een groep binnen een groep kan niet: sluit de groep INSTRUCTIE (rij 2) eerst met end_group.',
    ]);
  });

  it('a choices list with a name twice', async () => {
    const bytes = await edited(didactiek, (workbook) => set(workbook, 'choices', 3, { name: 'onvoldoende' }));
    expect(await refusals(bytes)).toEqual([
      'blad choices, rij 3, kolom name: De keuze onvoldoende staat al in lijst schaal (rij 2); elke keuze in een lijst heeft een eigen naam.',
    ]);
  });

  it('required other than ja or nee, and a required note', async () => {
    const bytes = await edited(didactiek, (workbook) => {
      set(workbook, 'survey', 3, { required: 'misschien' });
      sheet(workbook, 'survey').spliceRows(19, 0, ['note', 'LET-OP', 'Let op:\nschrijf in gewone taal.', null, 'ja']);
    });
    expect(await refusals(bytes)).toEqual([
      'blad survey, rij 3, kolom required: required is ja of nee, niet "misschien".',
      'blad survey, rij 19, kolom required: Een note is tekst zonder antwoord en kan niet verplicht zijn: zet required op nee of laat de cel leeg.',
    ]);
  });

  it('yes/no, version, soort, lidwoord and schaal cells with a bidi override or a line break, repeating them harmlessly', async () => {
    const bytes = await edited(didactiek, (workbook) => {
      set(workbook, 'survey', rowWhere(sheet(workbook, 'survey'), 'name', 'DID-3'), { required: 'ja\u202E nee' });
      set(workbook, 'choices', 2, { schaal: 'onder\u2066' });
      set(workbook, 'settings', 2, { version: '2\n3', soort: 'kijk\u202Ewijzer', lidwoord: 'de\nhet', concept: 'ja\u0085' });
    });
    expect(await refusals(bytes)).toEqual([
      'blad survey, rij 5, kolom required: required is ja of nee, niet "ja[U+202E] nee".',
      'blad choices, rij 2, kolom schaal: Onbekende schaal "onder[U+2066]". Kies onder, voldoende, boven of niet-gezien.',
      'blad settings, rij 2, kolom soort: De tekst bevat een onzichtbaar teken dat de leesrichting verandert (U+202E) op positie 5; alleen zichtbare tekst op één regel is toegestaan.',
      'blad settings, rij 2, kolom lidwoord: De tekst bevat een regeleinde (U+000A) op positie 3; alleen zichtbare tekst op één regel is toegestaan.',
      'blad settings, rij 2, kolom version: De versie "2[U+000A]3" klopt niet: de versie is een positief geheel getal (1, 2, 3, ...).',
      'blad settings, rij 2, kolom soort: Onbekende soort "kijk[U+202E]wijzer". Kies kijkwijzer, advies of experiment.',
      'blad settings, rij 2, kolom lidwoord: Het lidwoord is de of het, niet "de[U+000A]het".',
      'blad settings, rij 2, kolom concept: concept is ja of nee, niet "ja[U+0085]".',
    ]);
  });

  it('an unknown form_id, naming the known ones', async () => {
    const bytes = await edited(didactiek, (workbook) => set(workbook, 'settings', 2, { form_id: 'kijkwijzer-muziek' }));
    expect(await refusals(bytes)).toEqual([
      'blad settings, rij 2, kolom form_id: Onbekend formulier "kijkwijzer-muziek". form_id is een van: kijkwijzer-pedagogiek, kijkwijzer-didactiek, kijkwijzer-vakdidactiek, kijkwijzer-digitale-didactiek, advies-wpb, experiment-wpp7, experiment-wpp9, experiment-wpp10.',
    ]);
  });

  it('a soort or kijkwijzer_type that does not match the form id', async () => {
    const wrongKind = await edited(advies, (workbook) => set(workbook, 'settings', 2, { soort: 'kijkwijzer' }));
    expect(await refusals(wrongKind)).toEqual(['blad settings, rij 2, kolom soort: Bij form_id advies-wpb hoort soort advies, niet kijkwijzer.']);
    const wrongType = await edited(didactiek, (workbook) => set(workbook, 'settings', 2, { kijkwijzer_type: 'pedagogiek', soort: 'kunst' }));
    expect(await refusals(wrongType)).toEqual([
      'blad settings, rij 2, kolom soort: Onbekende soort "kunst". Kies kijkwijzer, advies of experiment.',
      'blad settings, rij 2, kolom kijkwijzer_type: Bij form_id kijkwijzer-didactiek hoort kijkwijzer_type didactiek, niet pedagogiek.',
    ]);
  });

  it('a version that is not a positive whole number', async () => {
    for (const [version, shown] of [[1.5, '1.5'], [0, '0'], ['twee', 'twee'], [-3, '-3']] as const) {
      const bytes = await edited(didactiek, (workbook) => set(workbook, 'settings', 2, { version }));
      expect(await refusals(bytes)).toEqual([
        `blad settings, rij 2, kolom version: De versie "${shown}" klopt niet: de versie is een positief geheel getal (1, 2, 3, ...).`,
      ]);
    }
  });

  it('text with control or invisible characters, and a line break where one line belongs', async () => {
    const bytes = await edited(didactiek, (workbook) => {
      set(workbook, 'survey', 4, { label: 'Legt\u202Eeen uit' });
      set(workbook, 'settings', 2, { form_title: 'Kijkwijzer\ndidactiek', basis: 'ICALT\u200B' });
    });
    expect(await refusals(bytes)).toEqual([
      'blad survey, rij 4, kolom label: De tekst bevat een onzichtbaar teken dat de leesrichting verandert (U+202E) op positie 5; alleen zichtbare tekst en regeleinden zijn toegestaan.',
      'blad settings, rij 2, kolom form_title: De tekst bevat een regeleinde (U+000A) op positie 11; alleen zichtbare tekst op één regel is toegestaan.',
      'blad settings, rij 2, kolom basis: De tekst bevat een onzichtbaar teken (U+200B) op positie 6; alleen zichtbare tekst en regeleinden zijn toegestaan.',
    ]);
  });

  it('codes and choice names the schema does not take, a group without questions, a list with one choice', async () => {
    const bytes = await edited(advies, (workbook) => {
      set(workbook, 'survey', 6, { name: 'adv ped' });
      set(workbook, 'choices', 2, { name: 'Positief' });
      sheet(workbook, 'survey').spliceRows(11, 3);
      sheet(workbook, 'survey').spliceRows(11, 0, ['begin_group', 'LEEG', 'Lege groep'], ['end_group']);
      sheet(workbook, 'survey').spliceRows(11, 0, ['begin_group', 'EEN', 'Eén keuze'], ['select_one een', 'EEN-KEUZE', 'Kies', null, 'ja'], ['end_group']);
      sheet(workbook, 'choices').addRow(['een', 'alleen', 'De enige keuze']);
    });
    expect(await refusals(bytes)).toEqual([
      'blad survey, rij 6, kolom name: "adv ped" is geen geldige code: gebruik hoofdletters en cijfers, met enkele streepjes ertussen, zoals PED-1.',
      'blad survey, rij 12, kolom type: De lijst een heeft maar één keuze; een vraag met keuzes heeft er minstens twee.',
      'blad survey, rij 14, kolom type: De groep LEEG heeft geen vragen: zet er minstens één vraag of note in, of verwijder de groep.',
      'blad choices, rij 2, kolom name: "Positief" is geen geldige name voor een keuze: kleine letters en cijfers, beginnend met een letter, met enkele streepjes ertussen, zoals op-koers.',
    ]);
  });

  it('scale lists that are half a scale, have no position below voldoende, or serve a select_multiple', async () => {
    const bytes = await edited(everyType, (workbook) => {
      const choices = sheet(workbook, 'choices');
      set(workbook, 'choices', rowWhere(choices, 'name', 'groepswerk'), { schaal: 'boven' });
      set(workbook, 'choices', rowWhere(choices, 'name', 'nog-niet'), { schaal: 'voldoende' });
      set(workbook, 'choices', rowWhere(choices, 'name', 'ja'), { schaal: 'hoog' });
      set(workbook, 'survey', rowWhere(sheet(workbook, 'survey'), 'name', 'ORDE'), { type: 'select_multiple schaal' });
    });
    expect(await refusals(bytes)).toEqual([
      'blad survey, rij 8, kolom type: select_multiple kan geen schaal zijn, maar de keuzes van lijst schaal hebben een schaal. Maak de kolom schaal van die lijst leeg, of gebruik select_one.',
      'blad choices, rij 2, kolom schaal: Geef elke keuze van lijst werkvormen een schaal (onder, voldoende, boven of niet-gezien), of geen enkele: dan is het een gewone keuzelijst.',
      'blad choices, rij 4, kolom schaal: Geef elke keuze van lijst werkvormen een schaal (onder, voldoende, boven of niet-gezien), of geen enkele: dan is het een gewone keuzelijst.',
      'blad choices, rij 5, kolom schaal: Lijst schaal_2 is een schaal, maar een schaal heeft minstens één keuze onder voldoende (onder) en één op of boven voldoende (voldoende of boven).',
      'blad choices, rij 14, kolom schaal: Onbekende schaal "hoog". Kies onder, voldoende, boven of niet-gezien.',
      'blad choices, rij 15, kolom schaal: Geef elke keuze van lijst herhalen een schaal (onder, voldoende, boven of niet-gezien), of geen enkele: dan is het een gewone keuzelijst.',
    ]);
  });

  it('a kijkwijzer that does not end with feedback, feed-up and feedforward', async () => {
    const bytes = await edited(didactiek, (workbook) => set(workbook, 'survey', 21, { name: 'FEED-UP' }));
    expect(await refusals(bytes)).toEqual([
      'blad survey: Een kijkwijzer eindigt met de open vragen FEEDBACK, FEEDUP, FEEDFORWARD, in die volgorde, elk met type text en required ja; FEEDUP ontbreekt.',
    ]);
  });

  it('a kijkwijzer whose FEEDUP is not required, at its row', async () => {
    const bytes = await edited(didactiek, (workbook) => set(workbook, 'survey', rowWhere(sheet(workbook, 'survey'), 'name', 'FEEDUP'), { required: 'nee' }));
    expect(await refusals(bytes)).toEqual([
      'blad survey, rij 21, kolom name: Een kijkwijzer eindigt met de open vragen FEEDBACK, FEEDUP, FEEDFORWARD, in die volgorde, elk met type text en required ja; FEEDUP staat niet op zijn plaats, is geen text of is niet verplicht.',
    ]);
  });

  it('with every problem at once, not just the first', async () => {
    const bytes = await edited(didactiek, (workbook) => {
      set(workbook, 'survey', 3, { type: 'integer' });
      set(workbook, 'survey', 5, { label: null, required: 'soms' });
      set(workbook, 'choices', 4, { name: 'matig' });
      set(workbook, 'settings', 2, { version: 0, lidwoord: 'een', concept: 'misschien' });
    });
    expect(await refusals(bytes)).toEqual([
      `blad survey, rij 3, kolom type: Het vraagtype "integer" bestaat in XLSForm, maar dit formulier kent het niet. ${SUPPORTED}`,
      'blad survey, rij 5, kolom required: required is ja of nee, niet "soms".',
      'blad survey, rij 5, kolom label: Het label is leeg: typ hier de vraag (bij een note de tekst).',
      'blad choices, rij 4, kolom name: De keuze matig staat al in lijst schaal (rij 3); elke keuze in een lijst heeft een eigen naam.',
      'blad settings, rij 2, kolom version: De versie "0" klopt niet: de versie is een positief geheel getal (1, 2, 3, ...).',
      'blad settings, rij 2, kolom lidwoord: Het lidwoord is de of het, niet "een".',
      'blad settings, rij 2, kolom concept: concept is ja of nee, niet "misschien".',
    ]);
  });

  it('formula cells and merged cells, with their cell', async () => {
    const bytes = await edited(didactiek, (workbook) => {
      set(workbook, 'survey', 4, { label: { formula: 'CONCAT("Legt ","uit")', result: 'Legt uit' } });
      sheet(workbook, 'choices').mergeCells('C3:D3');
    });
    expect(await refusals(bytes)).toEqual([
      'blad survey, rij 4, kolom label: Deze cel bevat een formule. Typ de waarde zelf in (kopieer en plak als waarde).',
      'blad choices, rij 3, kolom label: Samengevoegde cellen (C3:D3). Maak het samenvoegen ongedaan; elke waarde hoort in een eigen cel.',
    ]);
  });

  it('a hidden sheet and a renamed sheet', async () => {
    const bytes = await edited(didactiek, (workbook) => {
      sheet(workbook, 'choices').state = 'hidden';
      sheet(workbook, 'survey').name = 'vragen';
    });
    expect(await refusals(bytes)).toEqual([
      'blad vragen: Onbekend blad. Een werkmap heeft de bladen survey, choices, settings; verwijder dit blad of geef het een van die namen.',
      'blad choices: Dit blad is verborgen. Maak het zichtbaar (rechtsklik op de bladtab, Zichtbaar maken) of verwijder het.',
      'blad survey: Dit blad ontbreekt. Een werkmap heeft de bladen survey, choices, settings, met precies die namen.',
    ]);
  });

  it('a CSV and a renamed PDF as not a workbook', async () => {
    const csv = new TextEncoder().encode('type;name;label\nselect_one schaal;DID-1;Maakt doel duidelijk\n');
    const pdf = new TextEncoder().encode('%PDF-1.7\n1 0 obj\n<< /Title (Kijkwijzer) >>\nendobj\n%%EOF\n');
    expect(await refusals(csv)).toEqual([NOT_XLSX]);
    expect(await refusals(pdf)).toEqual([NOT_XLSX]);
  });
});

describe('schemaIssueMessage', () => {
  it("names the field in Dutch and never repeats the schema's English", () => {
    const parsed = FormDefinitionSchema.safeParse({ ...didactiek, title: 42, article: 'een', sections: [{ ...didactiek.sections[0], items: [{ code: 'x y', label: '', type: 'slider', required: 'ja' }] }] });
    expect(parsed.success).toBe(false);
    const messages = parsed.success ? [] : parsed.error.issues.map(schemaIssueMessage);

    expect(messages.length).toBeGreaterThan(3);
    for (const message of messages) expect(message).toMatch(/^Deze waarde klopt niet \([a-z_ ]+\)\.$/);
    expect(schemaIssueMessage({ path: ['sections', 0, 'items', 2, 'label'] })).toBe('Deze waarde klopt niet (tekst).');
    expect(schemaIssueMessage({ path: ['title'] })).toBe('Deze waarde klopt niet (titel).');
    expect(schemaIssueMessage({ path: [] })).toBe('Deze waarde klopt niet (formulier).');
  });
});
