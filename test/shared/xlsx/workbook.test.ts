import ExcelJS from 'exceljs';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { formatProblem, readWorkbook, writeWorkbook, type ReadResult, type WorkbookSpec } from '#shared/xlsx/workbook.ts';
import { deflatedZip } from '../../support/zip.ts';

const SPEC: WorkbookSpec = {
  sheets: [
    { name: 'survey', required: ['type', 'name', 'label'], optional: ['hint'] },
    { name: 'settings', required: ['form_id'] },
  ],
  ignoredSheets: ['uitleg'],
};

async function build(edit: (workbook: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const survey = workbook.addWorksheet('survey');
  survey.addRow(['type', 'name', 'label', 'hint']);
  survey.addRow(['text', 'OPM', 'Opmerking van Zoë\nover de les', null]);
  const settings = workbook.addWorksheet('settings');
  settings.addRow(['form_id']);
  settings.addRow(['kijkwijzer-didactiek']);
  edit(workbook);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

function problems(result: ReadResult): string[] {
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.problems.map(formatProblem);
}

describe('readWorkbook', () => {
  it('reads typed cells back as written, line breaks and names with diacritics intact', async () => {
    const bytes = await writeWorkbook([
      {
        name: 'survey',
        columns: [{ header: 'type' }, { header: 'name' }, { header: 'label' }, { header: 'hint' }],
        rows: [
          ['text', 'OPM', 'Wat vond Çelik van de les?\nEn wat vond Ó\'Brien ervan?', 12],
          ['date', 'DATUM', Temporal.PlainDate.from('2026-02-04'), true],
        ],
      },
      { name: 'settings', columns: [{ header: 'form_id' }], rows: [['kijkwijzer-didactiek']] },
    ]);
    const result = await readWorkbook(bytes, SPEC);
    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
    const rows = result.sheets.get('survey')!.rows;
    expect(rows.map((row) => row.row)).toEqual([2, 3]);
    expect(rows[0]!.text('label')).toBe('Wat vond Çelik van de les?\nEn wat vond Ó\'Brien ervan?');
    expect(rows[0]!.cell('hint')).toEqual({ kind: 'number', value: 12 });
    expect(rows[1]!.cell('label')).toEqual({ kind: 'date', date: Temporal.PlainDate.from('2026-02-04') });
    expect(rows[1]!.text('label')).toBe('2026-02-04');
    expect(rows[1]!.text('hint')).toBe('ja');
  });

  it("writes text that looks like Excel's _xHHHH_ escapes so it reads back exactly, in our reader and in exceljs alone", async () => {
    const labels = [
      'Zoë schrijft _x0041_ letterlijk',
      '_x0041_x0042_',
      'kleine letters _x00e9_ en _x005F_',
      'regel_x000D_einde en nul_x0000_teken',
      '_x005F_x0041_',
    ];
    const bytes = await writeWorkbook([
      { name: 'survey', columns: [{ header: 'type' }, { header: 'name' }, { header: 'label' }], rows: labels.map((label, index) => ['text', `V-${index + 1}`, label]) },
      { name: 'settings', columns: [{ header: 'form_id' }], rows: [['kijkwijzer-didactiek']] },
    ]);

    const result = await readWorkbook(bytes, SPEC);

    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
    expect(result.sheets.get('survey')!.rows.map((row) => row.text('label'))).toEqual(labels);
    const independent = new ExcelJS.Workbook();
    await independent.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
    expect(labels.map((_, index) => independent.getWorksheet('survey')!.getRow(index + 2).getCell(3).value)).toEqual(labels);
  });

  it('skips empty rows and an explanation sheet, and matches headers whatever their case', async () => {
    const bytes = await build((workbook) => {
      const survey = workbook.getWorksheet('survey')!;
      survey.getRow(1).getCell(3).value = ' Label ';
      survey.getRow(6).getCell(1).value = 'note';
      survey.getRow(6).getCell(2).value = 'UITLEG';
      survey.getRow(6).getCell(3).value = 'Lees dit eerst';
      workbook.addWorksheet('uitleg').addRow(['Vul het blad survey in.']);
    });
    const result = await readWorkbook(bytes, SPEC);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.sheets.get('survey')!.rows.map((row) => [row.row, row.text('label')])).toEqual([[2, 'Opmerking van Zoë\nover de les'], [6, 'Lees dit eerst']]);
  });

  it('refuses a CSV, a renamed PDF and random bytes as not a workbook', async () => {
    for (const text of ['type;name;label\ntext;OPM;Opmerking\n', '%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF']) {
      expect(problems(await readWorkbook(new TextEncoder().encode(text), SPEC))).toEqual([expect.stringContaining('geen Excel-werkmap (.xlsx)')]);
    }
    // A zip that is not a workbook at all.
    const zip = deflatedZip([{ name: 'hallo.txt', data: new TextEncoder().encode('hallo') }]);
    expect(problems(await readWorkbook(zip, SPEC))).toEqual([expect.stringContaining('geen Excel-werkmap')]);
  });

  it('refuses 20 MB unread, with the sizes in Dutch', async () => {
    const big = new Uint8Array(20 * 1024 * 1024);
    big.set([0x50, 0x4b, 0x03, 0x04]);
    expect(problems(await readWorkbook(big, SPEC))).toEqual(['Het bestand is 20 MB; een werkmap mag hoogstens 2 MB zijn.']);
  });

  it('refuses a zip bomb, also one whose directory lies about its size', async () => {
    const zeros = new Uint8Array(64 * 1024 * 1024);
    const workbookXml = { name: 'xl/workbook.xml', data: new TextEncoder().encode('<workbook/>') };
    const honest = deflatedZip([workbookXml, { name: 'xl/worksheets/sheet1.xml', data: zeros }]);
    expect(honest.byteLength).toBeLessThan(WORKBOOK_LIMIT);
    expect(problems(await readWorkbook(honest, SPEC))).toEqual([expect.stringContaining('zip-bom')]);
    const lying = deflatedZip([workbookXml, { name: 'xl/worksheets/sheet1.xml', data: zeros, declaredSize: 1000 }]);
    expect(problems(await readWorkbook(lying, SPEC))).toEqual([expect.stringContaining('zip-bom')]);
  });

  it('refuses missing, renamed, unknown and hidden sheets', async () => {
    const renamed = await build((workbook) => {
      workbook.getWorksheet('settings')!.name = 'instellingen';
      workbook.getWorksheet('survey')!.state = 'hidden';
    });
    expect(problems(await readWorkbook(renamed, SPEC))).toEqual([
      'blad survey: Dit blad is verborgen. Maak het zichtbaar (rechtsklik op de bladtab, Zichtbaar maken) of verwijder het.',
      'blad instellingen: Onbekend blad. Een werkmap heeft de bladen survey, settings; verwijder dit blad of geef het een van die namen.',
      'blad settings: Dit blad ontbreekt. Een werkmap heeft de bladen survey, settings, met precies die namen.',
    ]);
  });

  it('refuses formula cells, merged cells, unknown and missing columns and values without a header, each with its place', async () => {
    const bytes = await build((workbook) => {
      const survey = workbook.getWorksheet('survey')!;
      survey.addRow(['text', { formula: 'CONCATENATE("A";"B")', result: 'AB' }, 'Label']);
      survey.addRow(['text', 'X', 'Een', 'twee']);
      survey.mergeCells('C4:D4');
      survey.getCell('F5').value = 'los';
      survey.getCell('F5').value = 'los';
      survey.addRow([]);
      const settings = workbook.getWorksheet('settings')!;
      settings.getCell('A1').value = 'formulier';
    });
    expect(problems(await readWorkbook(bytes, SPEC))).toEqual([
      'blad survey, rij 4, kolom label: Samengevoegde cellen (C4:D4). Maak het samenvoegen ongedaan; elke waarde hoort in een eigen cel.',
      'blad survey, rij 3, kolom name: Deze cel bevat een formule. Typ de waarde zelf in (kopieer en plak als waarde).',
      'blad survey, rij 5, kolom F: Deze cel staat in een kolom zonder kop in de eerste rij.',
      'blad settings, rij 1, kolom A: Onbekende kolom "formulier". Dit blad kent de kolommen form_id.',
      'blad settings, rij 1: De kolom "form_id" ontbreekt in de eerste rij.',
    ]);
  });
});

const WORKBOOK_LIMIT = 2 * 1024 * 1024;
