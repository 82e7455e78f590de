import { describe, expect, it } from 'vitest';
import { allForms } from '../forms/index.ts';
import { formItems } from '../shared/forms/definition.ts';
import { checkStableCodes } from '../shared/forms/stable-codes.ts';
import { readFormWorkbook } from '../shared/forms/xlsform.ts';
import { readmeExampleWorkbook, readmeSheet } from './support/readme-xlsform.ts';

/** The README's example form is a workbook the reader accepts, and it shows what the README says it shows. */
describe('the README example form', () => {
  it('is read as a kijkwijzer with two sections and no problems', async () => {
    const read = await readFormWorkbook(await readmeExampleWorkbook());

    expect(read.ok ? [] : read.problems).toEqual([]);
    if (!read.ok) return;
    expect(read.definition).toMatchObject({ id: 'kijkwijzer-pedagogiek', kind: 'kijkwijzer', kijkwijzerType: 'pedagogiek', article: 'de', draftContent: true });
    expect(read.definition.sections.map((section) => section.code)).toEqual(['KLIMAAT', 'TERUGKOPPELING']);
  });

  it('has a scale, a choice, a multi, a text and a note item, and ends with feedback, feed-up and feedforward', async () => {
    const read = await readFormWorkbook(await readmeExampleWorkbook());
    if (!read.ok) throw new Error(JSON.stringify(read.problems));

    const items = formItems(read.definition).map((item) => [item.code, item.type, item.required]);
    expect(items).toEqual([
      ['PED-1', 'scale', true],
      ['PED-9', 'choice', true],
      ['PED-10', 'multi', false],
      ['GESPREK', 'note', false],
      ['GOED', 'text', false],
      ['FEEDBACK', 'text', true],
      ['FEEDUP', 'text', true],
      ['FEEDFORWARD', 'text', true],
    ]);
    const multi = formItems(read.definition).find((item) => item.code === 'PED-10');
    expect(multi?.options?.map((option) => option.value)).toEqual(['instructie', 'groepswerk', 'zelfstandig-werken']);
  });

  it('keeps every item code of the shipped forms to its type and form', async () => {
    const read = await readFormWorkbook(await readmeExampleWorkbook());
    if (!read.ok) throw new Error(JSON.stringify(read.problems));

    expect(checkStableCodes(read.definition, allForms, read.rowOf)).toEqual([]);
  });

  it('shows the three sheets with exactly the columns the reader knows', () => {
    expect(readmeSheet('survey').header).toEqual(['type', 'name', 'label', 'hint', 'required', 'lezers']);
    expect(readmeSheet('choices').header).toEqual(['list_name', 'name', 'label', 'schaal']);
    expect(readmeSheet('settings').header).toEqual([
      'form_id', 'version', 'form_title', 'soort', 'kijkwijzer_type', 'intro', 'lidwoord', 'naam_in_zin', 'concept', 'basis',
    ]);
  });
});
