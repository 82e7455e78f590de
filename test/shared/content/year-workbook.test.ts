import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { getSchoolYear, schoolYears, type SchoolYear } from '#shared/calendar.ts';
import { readYearWorkbook, resolvedYearTasks, yearToWorkbook, type YearWorkbookResult } from '#shared/content/year-workbook.ts';
import { parseTasks, TASKS, TasksDataError } from '#shared/tasks.ts';
import { formatProblem } from '#shared/xlsx/workbook.ts';

const DAY = 24 * 60 * 60 * 1000;

function shipped(id: string): SchoolYear {
  const year = getSchoolYear(id);
  if (year === undefined) throw new Error(`no school year ${id}`);
  return year;
}

const workbookOf = (id: string): Promise<Uint8Array> => yearToWorkbook(shipped(id), resolvedYearTasks(TASKS, id));

/** Loads a workbook with exceljs, lets the test edit it as a coordinator would in Excel, and saves it. */
async function edited(bytes: Uint8Array, edit: (workbook: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  edit(workbook);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** The cell under `header` in row `row` of a sheet. */
function cell(workbook: ExcelJS.Workbook, sheet: string, row: number, header: string): ExcelJS.Cell {
  const worksheet = workbook.getWorksheet(sheet)!;
  let column = 0;
  worksheet.getRow(1).eachCell((candidate, index) => {
    if (candidate.value === header) column = index;
  });
  if (column === 0) throw new Error(`no column ${header} on ${sheet}`);
  return worksheet.getRow(row).getCell(column);
}

/** An Excel date cell value for a calendar date. */
const excelDate = (iso: string): Date => new Date(`${iso}T00:00:00Z`);

function problems(result: YearWorkbookResult): string[] {
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.problems.map(formatProblem);
}

describe('yearToWorkbook and readYearWorkbook', () => {
  it.each(['2024-2025', '2025-2026', '2026-2027'])('round-trip the shipped school year %s exactly', async (id) => {
    const bytes = await workbookOf(id);

    const result = await readYearWorkbook(bytes, schoolYears);

    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
    expect(result.year).toEqual(shipped(id));
    expect(result.tasks).toEqual(resolvedYearTasks(TASKS, id));
  });

  it('gives 2026-2027 the tasks of 2025-2026 under its own ids', () => {
    const tasks = resolvedYearTasks(TASKS, '2026-2027');

    expect(tasks.wpb?.OP1.map((task) => task.id)).toEqual(resolvedYearTasks(TASKS, '2025-2026').wpb?.OP1.map((task) => task.id.replace('2025-2026', '2026-2027')));
    expect(tasks).not.toHaveProperty('sameAs');
  });

  it('writes real Excel dates, Dutch headers and an explanation another reader finds', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await workbookOf('2025-2026')) as unknown as ArrayBuffer);

    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['schooljaar', 'periodes', 'taken', 'uitleg']);
    expect(cell(workbook, 'periodes', 2, 'start').value).toEqual(excelDate('2025-09-08'));
    expect(cell(workbook, 'periodes', 2, 'start').numFmt).toBe('dd-mm-yyyy');
    expect(cell(workbook, 'periodes', 2, 'deadline_herkomst').value).toBe('gepubliceerd');
    expect(cell(workbook, 'periodes', 2, 'deadline_bron').value).toBe('seed 000: Periode 1 | Start: september | Deadline student: 12 november');
    expect(cell(workbook, 'periodes', 2, 'start_herkomst').value).toBe('afgeleid');
    expect(cell(workbook, 'schooljaar', 2, 'status').value).toBe('definitief');
    expect(workbook.getWorksheet('taken')!.getRow(1).values).toEqual([undefined, 'rol', 'periode', 'code', 'tekst', 'bron', 'citaat', 'formulieren']);
    expect(String(workbook.getWorksheet('uitleg')!.getCell('A2').value)).toContain('Deze werkmap beschrijft één schooljaar');
  });

  it('writes several seed quotes on lines of their own, and reads them back', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await workbookOf('2024-2025')) as unknown as ArrayBuffer);

    expect(cell(workbook, 'periodes', 4, 'automatisch').value).toBe('experiment-wpp9, advies-wpb');
    expect(cell(workbook, 'periodes', 4, 'automatisch_bron').value).toBe(
      'seed 001: Feedback geven op experiment 3: WWP9 Improviseren.\nIn te vullen door werkplekbegeleider: Advies WPB',
    );
  });

  it('accepts a new year 2027-2028 made by editing the 2025-2026 workbook', async () => {
    const bytes = await edited(await workbookOf('2025-2026'), (workbook) => {
      // Shift every date by 104 weeks, so weekdays stay; then set the year's own frame.
      for (const sheet of ['schooljaar', 'periodes']) {
        workbook.getWorksheet(sheet)!.eachRow((row) =>
          row.eachCell((candidate) => {
            if (candidate.value instanceof Date) candidate.value = new Date(candidate.value.getTime() + 728 * DAY);
          }),
        );
      }
      cell(workbook, 'schooljaar', 2, 'schooljaar').value = '2027-2028';
      cell(workbook, 'schooljaar', 2, 'start').value = excelDate('2027-08-01');
      cell(workbook, 'schooljaar', 2, 'einde').value = excelDate('2028-07-31');
      cell(workbook, 'schooljaar', 2, 'bron').value = 'Studiehandleiding N2 2027-2028';
      cell(workbook, 'periodes', 2, 'start_herkomst').value = 'gepubliceerd';
      cell(workbook, 'periodes', 2, 'start_bron').value = 'Studiehandleiding N2 2027-2028: Periode 1 start op maandag 6 september';
      cell(workbook, 'periodes', 2, 'deadline').value = '10-11-2027';
      cell(workbook, 'periodes', 2, 'deadline_bron').value = 'Rooster Çelik & Zoë';
      cell(workbook, 'taken', 2, 'tekst').value = "Bespreek met Zoë en Çelik 't lesplan.\nNeem het formulier van Ó'Neill mee.";
      cell(workbook, 'taken', 2, 'bron').value = 'Studiehandleiding N2 2027-2028';
      cell(workbook, 'taken', 2, 'citaat').value = 'Bespreek het lesplan.';
    });

    const result = await readYearWorkbook(bytes, schoolYears);

    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
    expect(result.year).toMatchObject({ id: '2027-2028', start: '2027-08-01', end: '2028-07-31', provisional: false });
    expect(result.year.periods.map((period) => [period.start, period.end, period.deadline])).toEqual([
      ['2027-09-06', '2027-11-12', '2027-11-10'],
      ['2027-11-22', '2028-02-04', '2028-02-02'],
      ['2028-02-07', '2028-04-21', '2028-04-19'],
      ['2028-04-24', '2028-07-07', '2028-05-26'],
    ]);
    expect(result.year.periods[0]!.sources).toMatchObject({
      start: { from: 'published', document: 'Studiehandleiding N2 2027-2028', quote: 'Periode 1 start op maandag 6 september' },
      deadline: { from: 'published', document: 'Rooster Çelik & Zoë' },
    });
    const first = result.tasks.student!.OP1[0]!;
    expect(first.id).toMatch(/^2027-2028\.student\.op1\./);
    expect(first).toMatchObject({
      text: "Bespreek met Zoë en Çelik 't lesplan.\nNeem het formulier van Ó'Neill mee.",
      source: { document: 'Studiehandleiding N2 2027-2028', quote: 'Bespreek het lesplan.' },
    });
    expect(result.tasks.sco!.OP4.every((task) => task.id.startsWith('2027-2028.sco.op4.'))).toBe(true);
  });

  it('round-trips a published year with document sources exactly', async () => {
    const year: SchoolYear = {
      ...shipped('2025-2026'),
      sources: {
        ...shipped('2025-2026').sources,
        placementStart: { from: 'published', document: 'Studiehandleiding N2 2025-2026' },
      },
    };
    const tasks = resolvedYearTasks(TASKS, '2025-2026');
    tasks.io!.OP2[0]!.source = { document: "Brief van 't Hoge Çollege", quote: 'Het gesprek met Zoë.' };

    const result = await readYearWorkbook(await yearToWorkbook(year, tasks), schoolYears);

    expect(result).toEqual({ ok: true, year, tasks });
  });
});

describe('the versie cell', () => {
  it('holds the version the workbook was written with, and reads back as that version', async () => {
    const bytes = await yearToWorkbook(shipped('2025-2026'), resolvedYearTasks(TASKS, '2025-2026'), 3);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);

    const result = await readYearWorkbook(bytes, schoolYears);

    expect(cell(workbook, 'schooljaar', 2, 'versie').value).toBe(3);
    expect(result).toEqual({ ok: true, year: shipped('2025-2026'), tasks: resolvedYearTasks(TASKS, '2025-2026'), version: 3 });
    expect(String(workbook.getWorksheet('uitleg')!.getColumn(1).values.join('\n'))).toContain('versie: de versie waar deze werkmap van uitgaat; laat staan.');
  });

  it('is empty when no version is given, and then the result has none', async () => {
    const bytes = await workbookOf('2025-2026');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);

    const result = await readYearWorkbook(bytes, schoolYears);

    expect(cell(workbook, 'schooljaar', 2, 'versie').value).toBeNull();
    expect(result.ok && 'version' in result).toBe(false);
  });

  it('may be missing altogether, as in a workbook downloaded before it existed', async () => {
    const bytes = await edited(await yearToWorkbook(shipped('2025-2026'), resolvedYearTasks(TASKS, '2025-2026'), 2), (workbook) => {
      workbook.getWorksheet('schooljaar')!.spliceColumns(Number(cell(workbook, 'schooljaar', 1, 'versie').col), 1);
    });

    const result = await readYearWorkbook(bytes, schoolYears);

    expect(result).toEqual({ ok: true, year: shipped('2025-2026'), tasks: resolvedYearTasks(TASKS, '2025-2026') });
    expect(result.ok && result.version).toBeUndefined();
  });

  it.each([
    [1.5, '1.5'],
    [0, '0'],
    [-2, '-2'],
    ['twee', 'twee'],
  ] as const)('refuses %s at its cell: a version is a positive whole number', async (value, shown) => {
    const bytes = await edited(await workbookOf('2025-2026'), (workbook) => {
      cell(workbook, 'schooljaar', 2, 'versie').value = value;
    });

    expect(problems(await readYearWorkbook(bytes, schoolYears))).toEqual([
      `blad schooljaar, rij 2, kolom versie: De versie "${shown}" klopt niet: de versie is een positief geheel getal (1, 2, 3, ...), de versie waar deze werkmap van uitgaat. Zet terug wat er bij het downloaden stond.`,
    ]);
  });

  it('reads a version typed as text', async () => {
    const bytes = await edited(await workbookOf('2025-2026'), (workbook) => {
      cell(workbook, 'schooljaar', 2, 'versie').value = ' 4 ';
    });

    const result = await readYearWorkbook(bytes, schoolYears);

    expect(result.ok && result.version).toBe(4);
  });
});

describe('readYearWorkbook: characters', () => {
  it('refuses control and invisible characters at their cell with their position; line breaks only in texts, quotes, the note and sources', async () => {
    const bytes = await edited(await workbookOf('2025-2026'), (workbook) => {
      cell(workbook, 'schooljaar', 2, 'status').value = 'voorlopig';
      cell(workbook, 'schooljaar', 2, 'toelichting').value = 'Voorlopig\u200B: de data volgen.';
      cell(workbook, 'schooljaar', 2, 'bron').value = 'Handleiding\u2028BEGIN:VEVENT';
      cell(workbook, 'schooljaar', 2, 'stagedagen').value = 'maandag\nwoensdag';
      cell(workbook, 'periodes', 3, 'deadline_herkomst').value = 'gepu\nbliceerd';
      cell(workbook, 'periodes', 4, 'automatisch').value = 'advies-wpb\u2066';
      cell(workbook, 'periodes', 5, 'einde_bron').value = 'Rooster van Zoë\u202E';
      cell(workbook, 'taken', 2, 'tekst').value = 'Lever je formulier in bij \u202Etxet.exe';
      cell(workbook, 'taken', 3, 'code').value = 'kennis\tmaken';
      cell(workbook, 'taken', 4, 'rol').value = 'stu\ndent';
      // exceljs writes this text as it is; every reader turns Excel's escape _x0000_ into a NUL.
      cell(workbook, 'taken', 5, 'citaat').value = 'Het gesprek_x0000_ met Çelik.';
      cell(workbook, 'taken', 6, 'formulieren').value = 'kijkwijzer-didactiek\u00AD';
    });

    expect(problems(await readYearWorkbook(bytes, schoolYears))).toEqual([
      'blad schooljaar, rij 2, kolom toelichting: De tekst bevat een onzichtbaar teken (U+200B) op positie 10; alleen zichtbare tekst en regeleinden zijn toegestaan.',
      'blad schooljaar, rij 2, kolom bron: De tekst bevat een regeleinde (U+2028) op positie 12; alleen zichtbare tekst op één regel is toegestaan.',
      'blad schooljaar, rij 2, kolom stagedagen: De tekst bevat een regeleinde (U+000A) op positie 8; alleen zichtbare tekst op één regel is toegestaan.',
      'blad periodes, rij 3, kolom deadline_herkomst: De tekst bevat een regeleinde (U+000A) op positie 5; alleen zichtbare tekst op één regel is toegestaan.',
      'blad periodes, rij 4, kolom automatisch: De tekst bevat een onzichtbaar teken dat de leesrichting verandert (U+2066) op positie 11; alleen zichtbare tekst op één regel is toegestaan.',
      'blad periodes, rij 5, kolom einde_bron: De tekst bevat een onzichtbaar teken dat de leesrichting verandert (U+202E) op positie 16; alleen zichtbare tekst en regeleinden zijn toegestaan.',
      'blad taken, rij 2, kolom tekst: De tekst bevat een onzichtbaar teken dat de leesrichting verandert (U+202E) op positie 27; alleen zichtbare tekst en regeleinden zijn toegestaan.',
      'blad taken, rij 3, kolom code: De tekst bevat een tab (U+0009) op positie 7; alleen zichtbare tekst op één regel is toegestaan.',
      'blad taken, rij 4, kolom rol: De tekst bevat een regeleinde (U+000A) op positie 4; alleen zichtbare tekst op één regel is toegestaan.',
      'blad taken, rij 5, kolom citaat: De tekst bevat een nulteken (U+0000) op positie 12; alleen zichtbare tekst en regeleinden zijn toegestaan.',
      'blad taken, rij 6, kolom formulieren: De tekst bevat een onzichtbaar teken (U+00AD) op positie 21; alleen zichtbare tekst op één regel is toegestaan.',
    ]);
  });

  it('takes line breaks in a task text, its quote and a source, and emoji with a zero width joiner', async () => {
    const text = 'Bespreek met Zoë 👩🏽‍🏫 het lesplan.\nNeem het formulier van Ó\'Neill mee.';
    const bytes = await edited(await workbookOf('2025-2026'), (workbook) => {
      cell(workbook, 'taken', 2, 'tekst').value = text;
      cell(workbook, 'taken', 2, 'citaat').value = 'Bespreek het lesplan.\nNeem het formulier mee.';
    });

    const result = await readYearWorkbook(bytes, schoolYears);

    if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
    expect(result.tasks.student!.OP1[0]).toMatchObject({ text, source: { quote: 'Bespreek het lesplan.\nNeem het formulier mee.' } });
  });

  it('says a refused character once, at its cell, and never repeats the value as typed', async () => {
    const bytes = await edited(await workbookOf('2025-2026'), (workbook) => {
      cell(workbook, 'periodes', 2, 'start').value = '8-9-2025\u202E';
      cell(workbook, 'taken', 2, 'rol').value = 'mentor\u2067';
    });

    const lines = problems(await readYearWorkbook(bytes, schoolYears));

    expect(lines).toEqual([
      'blad periodes, rij 2, kolom start: De tekst bevat een onzichtbaar teken dat de leesrichting verandert (U+202E) op positie 9; alleen zichtbare tekst op één regel is toegestaan.',
      'blad taken, rij 2, kolom rol: De tekst bevat een onzichtbaar teken dat de leesrichting verandert (U+2067) op positie 7; alleen zichtbare tekst op één regel is toegestaan.',
    ]);
    for (const line of lines) expect(line).not.toMatch(/[\p{Cc}\p{Cf}]/u);
  });
});

describe('readYearWorkbook: dates', () => {
  it('accepts dates as text dd-mm-jjjj, d-m-jjjj and jjjj-mm-dd as well as real Excel dates', async () => {
    const bytes = await edited(await workbookOf('2025-2026'), (workbook) => {
      cell(workbook, 'periodes', 2, 'start').value = '8-9-2025';
      cell(workbook, 'periodes', 2, 'deadline').value = '12-11-2025';
      cell(workbook, 'periodes', 2, 'einde').value = '2025-11-14';
      cell(workbook, 'periodes', 3, 'start').value = excelDate('2025-11-24');
    });

    const result = await readYearWorkbook(bytes, schoolYears);

    expect(result).toEqual({ ok: true, year: shipped('2025-2026'), tasks: resolvedYearTasks(TASKS, '2025-2026') });
  });

  it('refuses 31-02-2026 as a date that does not exist, and other text with an example', async () => {
    const bytes = await edited(await workbookOf('2025-2026'), (workbook) => {
      cell(workbook, 'periodes', 4, 'deadline').value = '31-02-2026';
      cell(workbook, 'periodes', 5, 'start').value = '27/04/2026';
    });

    expect(problems(await readYearWorkbook(bytes, schoolYears))).toEqual([
      'blad periodes, rij 4, kolom deadline: De datum 31-02-2026 bestaat niet.',
      'blad periodes, rij 5, kolom start: "27/04/2026" is geen datum. Schrijf een datum als 12-11-2025 (dag-maand-jaar) of 2025-11-12, of gebruik een Excel-datum.',
    ]);
  });
});

describe('readYearWorkbook: the calendar checks', () => {
  it('refuses periods that overlap', async () => {
    const bytes = await edited(await workbookOf('2025-2026'), (workbook) => {
      cell(workbook, 'periodes', 3, 'start').value = excelDate('2025-11-10');
    });

    expect(problems(await readYearWorkbook(bytes, schoolYears))).toEqual([
      'blad periodes, rij 3, kolom start: Periode 2 begint op 10-11-2025, maar periode 1 loopt tot en met 14-11-2025. Periodes volgen op elkaar zonder overlap.',
    ]);
  });

  it('refuses a deadline outside its period', async () => {
    const bytes = await edited(await workbookOf('2025-2026'), (workbook) => {
      cell(workbook, 'periodes', 2, 'deadline').value = '20-11-2025';
    });

    expect(problems(await readYearWorkbook(bytes, schoolYears))).toEqual([
      'blad periodes, rij 2, kolom deadline: De deadline 20-11-2025 valt buiten periode 1 (08-09-2025 tot en met 14-11-2025).',
    ]);
  });

  it('refuses a year that overlaps another year, naming it', async () => {
    const bytes = await edited(await workbookOf('2026-2027'), (workbook) => {
      cell(workbook, 'schooljaar', 2, 'start').value = excelDate('2026-07-01');
    });

    expect(problems(await readYearWorkbook(bytes, schoolYears))).toEqual([
      'blad schooljaar, rij 2, kolom start: Het schooljaar 2026-2027 begint op 01-07-2026, voor 1 augustus 2026. Een schooljaar loopt hoogstens van 1 augustus tot en met 31 juli.',
      'blad schooljaar, rij 2, kolom start: Dit schooljaar (01-07-2026 tot en met 31-07-2027) overlapt met schooljaar 2025-2026 (01-08-2025 tot en met 31-07-2026). Schooljaren mogen niet overlappen.',
    ]);
  });

  it('refuses a year and periods outside 1 August – 31 July', async () => {
    const bytes = await edited(await workbookOf('2025-2026'), (workbook) => {
      cell(workbook, 'schooljaar', 2, 'einde').value = excelDate('2026-08-31');
      cell(workbook, 'periodes', 5, 'einde').value = excelDate('2026-08-14');
      cell(workbook, 'periodes', 2, 'start').value = '28-07-2025';
    });

    expect(problems(await readYearWorkbook(bytes, [shipped('2024-2025')]))).toEqual([
      'blad schooljaar, rij 2, kolom einde: Het schooljaar 2025-2026 eindigt op 31-08-2026, na 31 juli 2026. Een schooljaar loopt hoogstens van 1 augustus tot en met 31 juli.',
      'blad periodes, rij 2, kolom start: Periode 1 begint op 28-07-2025, voor de start van het schooljaar op 01-08-2025.',
    ]);
  });

  it('refuses a period that ends after its school year', async () => {
    const bytes = await edited(await workbookOf('2025-2026'), (workbook) => {
      cell(workbook, 'periodes', 5, 'einde').value = excelDate('2026-08-14');
    });

    expect(problems(await readYearWorkbook(bytes, schoolYears))).toEqual([
      'blad periodes, rij 5, kolom einde: Periode 4 eindigt op 14-08-2026, na het einde van het schooljaar op 31-07-2026.',
    ]);
  });

  it('refuses unknown values and missing sources, each at its cell', async () => {
    const bytes = await edited(await workbookOf('2025-2026'), (workbook) => {
      cell(workbook, 'schooljaar', 2, 'schooljaar').value = '2025/2026';
      cell(workbook, 'schooljaar', 2, 'status').value = 'voorlopig';
      cell(workbook, 'schooljaar', 2, 'stagedagen').value = 'maandag, zaterdag';
      cell(workbook, 'schooljaar', 2, 'kijkwijzertypes').value = 'pedagogiek, didactiek, muziek';
      cell(workbook, 'schooljaar', 2, 'stage_start_herkomst').value = 'bekend';
      cell(workbook, 'periodes', 3, 'automatisch').value = 'advies-wpb, experiment-wpp8';
      cell(workbook, 'periodes', 5, 'automatisch_herkomst').value = null;
      cell(workbook, 'periodes', 5, 'automatisch_bron').value = null;
      cell(workbook, 'periodes', 4, 'deadline_bron').value = 'seed 002: Deadline student: 22 april';
    });

    expect(problems(await readYearWorkbook(bytes, schoolYears))).toEqual([
      'blad schooljaar, rij 2, kolom schooljaar: "2025/2026" is geen schooljaar. Schrijf het als twee opeenvolgende jaren, bijvoorbeeld 2027-2028.',
      "blad schooljaar, rij 2, kolom toelichting: Een voorlopig schooljaar heeft een toelichting nodig; die staat op de pagina's en in de e-mails.",
      'blad schooljaar, rij 2, kolom stage_start_herkomst: "bekend" kan hier niet; vul gepubliceerd of afgeleid in.',
      'blad schooljaar, rij 2, kolom stagedagen: "zaterdag" is geen stagedag. Kies uit: maandag, dinsdag, woensdag, donderdag, vrijdag.',
      'blad schooljaar, rij 2, kolom kijkwijzertypes: "muziek" is geen kijkwijzertype. Kies uit: pedagogiek, didactiek, vakdidactiek, digitale-didactiek.',
      'blad periodes, rij 3, kolom automatisch: "experiment-wpp8" is geen formulier dat automatisch wordt opgevraagd. Kies uit: advies-wpb, experiment-wpp7, experiment-wpp9, experiment-wpp10.',
      'blad periodes, rij 4, kolom deadline_bron: Onbekende brontekst "seed 002". De bronteksten zijn seed 000 en seed 001.',
      'blad periodes, rij 5, kolom automatisch_herkomst: Vul gepubliceerd of afgeleid in.',
    ]);
  });
});

describe('readYearWorkbook: the stage and the kijkwijzers', () => {
  it('refuses a required kijkwijzer type the year does not have, and a stage start outside the year', async () => {
    const bytes = await edited(await workbookOf('2025-2026'), (workbook) => {
      cell(workbook, 'schooljaar', 2, 'kijkwijzertypes').value = 'pedagogiek, didactiek';
      cell(workbook, 'schooljaar', 2, 'stage_start').value = '25-08-2026';
    });

    expect(problems(await readYearWorkbook(bytes, schoolYears))).toEqual([
      'blad schooljaar, rij 2, kolom verplichte_kijkwijzers: "vakdidactiek" is verplicht, maar staat niet bij de kijkwijzertypes van dit schooljaar.',
      'blad schooljaar, rij 2, kolom stage_start: De stage begint op 25-08-2026, buiten het schooljaar (01-08-2025 tot en met 31-07-2026).',
    ]);
  });
});

describe('readYearWorkbook: tasks', () => {
  it('refuses a role without a task in a period, naming role and period', async () => {
    const bytes = await edited(await workbookOf('2025-2026'), (workbook) => {
      const taken = workbook.getWorksheet('taken')!;
      for (let row = taken.rowCount; row >= 2; row--) {
        const values = taken.getRow(row).values as unknown[];
        if (values[1] === 'so' && values[2] === 3) taken.spliceRows(row, 1);
      }
    });

    expect(problems(await readYearWorkbook(bytes, schoolYears))).toEqual([
      'blad taken: Rol so heeft geen taak in periode 3. Elke rol (student, wpb, so, io, sco) heeft in elke periode minstens één taak.',
    ]);
  });

  it('refuses bad codes, a repeated code, an unknown role or form and a missing quote, each at its cell', async () => {
    const bytes = await edited(await workbookOf('2025-2026'), (workbook) => {
      cell(workbook, 'taken', 2, 'code').value = 'Kennis Maken';
      cell(workbook, 'taken', 3, 'code').value = cell(workbook, 'taken', 4, 'code').value;
      cell(workbook, 'taken', 5, 'citaat').value = null;
      cell(workbook, 'taken', 6, 'formulieren').value = 'kijkwijzer-muziek';
      const last = workbook.getWorksheet('taken')!.rowCount;
      cell(workbook, 'taken', last, 'rol').value = 'mentor';
    });
    const rows = await (async () => {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
      return { code: String(cell(workbook, 'taken', 4, 'code').value), last: workbook.getWorksheet('taken')!.rowCount };
    })();

    expect(problems(await readYearWorkbook(bytes, schoolYears))).toEqual([
      'blad taken, rij 2, kolom code: De code "Kennis Maken" kan niet: gebruik kleine letters, cijfers en streepjes (zonder spaties), bijvoorbeeld kennismaken of les-2.',
      `blad taken, rij 4, kolom code: De code "${rows.code}" staat al in rij 3 voor rol student in periode 1. Een code is uniek per rol en periode.`,
      'blad taken, rij 5, kolom citaat: Het citaat ontbreekt: de woorden in de bron waar de taak op rust.',
      'blad taken, rij 6, kolom formulieren: "kijkwijzer-muziek" is geen formulier. Kies uit: kijkwijzer-pedagogiek, kijkwijzer-didactiek, kijkwijzer-vakdidactiek, kijkwijzer-digitale-didactiek, advies-wpb, experiment-wpp7, experiment-wpp9, experiment-wpp10.',
      `blad taken, rij ${rows.last}, kolom rol: "mentor" is geen rol; kies uit student, wpb, so, io, sco.`,
    ]);
  });

  it('reads a seed typed as a number (Excel turns 001 into 1) as that seed', async () => {
    const bytes = await edited(await workbookOf('2024-2025'), (workbook) => {
      cell(workbook, 'taken', 2, 'bron').value = 1;
    });

    const result = await readYearWorkbook(bytes, schoolYears);

    expect(result.ok && result.tasks.student?.OP1[0]?.source).toEqual({ seed: '001', quote: resolvedYearTasks(TASKS, '2024-2025').student!.OP1[0]!.source.quote });
  });
});

describe('readYearWorkbook: the workbook itself', () => {
  it('refuses a formula cell and a hidden sheet with their places', async () => {
    const bytes = await edited(await workbookOf('2025-2026'), (workbook) => {
      cell(workbook, 'periodes', 2, 'deadline').value = { formula: 'C2+65', result: 46000 } as ExcelJS.CellFormulaValue;
      workbook.getWorksheet('taken')!.state = 'hidden';
    });

    expect(problems(await readYearWorkbook(bytes, schoolYears))).toEqual([
      'blad periodes, rij 2, kolom deadline: Deze cel bevat een formule. Typ de waarde zelf in (kopieer en plak als waarde).',
      'blad taken: Dit blad is verborgen. Maak het zichtbaar (rechtsklik op de bladtab, Zichtbaar maken) of verwijder het.',
    ]);
  });

  it('refuses a second row on the schooljaar sheet', async () => {
    const bytes = await edited(await workbookOf('2025-2026'), (workbook) => {
      cell(workbook, 'schooljaar', 3, 'schooljaar').value = '2026-2027';
    });

    expect(problems(await readYearWorkbook(bytes, schoolYears))).toEqual([
      'blad schooljaar, rij 3: Dit blad heeft één rij: het schooljaar. Verwijder deze rij.',
    ]);
  });
});

describe('task sources', () => {
  const file = (source: Record<string, string>) => ({
    years: {
      '2027-2028': Object.fromEntries(
        ['student', 'wpb', 'so', 'io', 'sco'].map((role) => [
          role,
          Object.fromEntries([1, 2, 3, 4].map((period) => [`OP${period}`, [{ id: `2027-2028.${role}.op${period}.taak`, text: 'Doe iets.', source }]])),
        ]),
      ),
    },
  });

  it('accept a quote from a named document', () => {
    const tasks = parseTasks(file({ document: 'Studiehandleiding N2 2027-2028', quote: 'Doe iets.' }));

    expect(tasks.years['2027-2028']?.wpb?.OP1[0]?.source).toEqual({ document: 'Studiehandleiding N2 2027-2028', quote: 'Doe iets.' });
  });

  it('refuse a source with both a seed and a document', () => {
    expect(() => parseTasks(file({ seed: '000', document: 'Studiehandleiding', quote: 'Doe iets.' }))).toThrow(TasksDataError);
    expect(() => parseTasks(file({ seed: '000', document: 'Studiehandleiding', quote: 'Doe iets.' }))).toThrow(/either a seed/);
  });
});
