import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { formItems } from '../../../shared/forms/definition.ts';
import { readFormWorkbook } from '../../../shared/forms/xlsform.ts';
import type { AwsClients } from '../../../shared/store/clients.ts';
import { FORM_IDS } from '../../../shared/tasks.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';
import { runBundled } from '../../support/process.ts';
import { readmeCheckOutput, readmeExampleWorkbook } from '../../support/readme-xlsform.ts';

/**
 * `npm run forms` and `npm run schooljaar` (infra/local/content-cli.ts), run as a user would, as a
 * child process against the emulators of the integration setup, with a table and bucket of their
 * own. The workbooks are edited with exceljs, as a coordinator edits them in Excel.
 */
describe('npm run forms and npm run schooljaar against the local stack', () => {
  let clients: AwsClients;
  let tableName: string;
  let dir: string;
  let env: Record<string, string>;
  const publisher = `cli:${userInfo().username}`.toLowerCase();
  // The same code as `npm run forms`, bundled once so 17 starts do not each compile it with tsx.
  const cli = (...args: string[]) => runBundled('infra/local/content-cli.ts', args, env);
  const forms = (...args: string[]) => cli('forms', ...args);
  const schooljaar = (...args: string[]) => cli('schooljaar', ...args);
  /** Runs a command to its end: its exit code and everything it printed, as lines. */
  const run = async (started: ReturnType<typeof cli>) => {
    const running = await started;
    const code = await running.exit;
    return { code, output: running.output(), lines: running.output().split('\n').map((line) => line.trim()) };
  };
  const file = (name: string) => join(dir, name);

  beforeAll(async () => {
    clients = localClients();
    tableName = await freshTable(clients);
    const bucketName = await freshBucket(clients);
    dir = await mkdtemp(join(tmpdir(), 'werkplekleren-content-cli-'));
    const endpoints = inject('endpoints');
    env = {
      AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
      AWS_ENDPOINT_URL_S3: endpoints.s3,
      AWS_ENDPOINT_URL_SES: endpoints.ses,
      TABLE_NAME: tableName,
      BUCKET_NAME: bucketName,
      DATA_DIR: dir,
      NOW: '2025-11-10',
    };
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function contentItems(partition: 'CONTENT' | 'CONTENTDRAFT'): Promise<Record<string, unknown>[]> {
    const result = await clients.doc.send(
      new QueryCommand({ TableName: tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': partition } }),
    );
    return result.Items ?? [];
  }

  async function load(path: string): Promise<ExcelJS.Workbook> {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await readFile(path) as unknown as ArrayBuffer);
    return workbook;
  }

  async function save(workbook: ExcelJS.Workbook, path: string): Promise<void> {
    await writeFile(path, new Uint8Array(await workbook.xlsx.writeBuffer()));
  }

  /** The column number of a header in row 1. */
  function column(sheet: ExcelJS.Worksheet, header: string): number {
    let found = 0;
    sheet.getRow(1).eachCell((cell, index) => {
      if (cell.value === header) found = index;
    });
    if (found === 0) throw new Error(`no column ${header} on ${sheet.name}`);
    return found;
  }

  /** The survey row whose name is `code`. */
  function surveyRow(workbook: ExcelJS.Workbook, code: string): ExcelJS.Row {
    const survey = workbook.getWorksheet('survey')!;
    const name = column(survey, 'name');
    for (let n = 2; n <= survey.rowCount; n++) if (survey.getRow(n).getCell(name).value === code) return survey.getRow(n);
    throw new Error(`no survey row ${code}`);
  }

  const NEW_INTRO = "Met deze kijkwijzer kijkt u naar de didactiek van 't lesuur.\nKies niet gezien als iets in de les niet aan bod kwam.";
  const NEW_LABEL = 'Legt de leerstof helder uit, ook aan Zoë, Óscar en Emre Çelik';

  it('exports the shipped kijkwijzer didactiek and checks it, unchanged, as the next version', async () => {
    const exported = await run(forms('export', 'kijkwijzer-didactiek', file('didactiek.xlsx')));

    expect(exported.code).toBe(0);
    expect(exported.output).toContain(`Geschreven: ${file('didactiek.xlsx')} (Kijkwijzer didactiek, versie 1).`);
    const checked = await run(forms('check', file('didactiek.xlsx')));
    expect(checked.code).toBe(0);
    expect(checked.output.trim()).toBe('In orde: Kijkwijzer didactiek, wordt versie 2 (12 vragen in 5 onderdelen; geen wijzigingen).');
  });

  it('checks an edited workbook, a changed label, a new item and a new intro, in one line, and stores nothing', async () => {
    const workbook = await load(file('didactiek.xlsx'));
    const survey = workbook.getWorksheet('survey')!;
    surveyRow(workbook, 'DID-1').getCell(column(survey, 'label')).value = NEW_LABEL;
    survey.spliceRows(surveyRow(workbook, 'DID-3').number + 1, 0, [
      'select_one schaal',
      'DID-9',
      'Sluit de les af met een terugblik op het doel',
      'Vraagt leerlingen wat ze geleerd hebben.',
      'ja',
    ]);
    const settings = workbook.getWorksheet('settings')!;
    settings.getRow(2).getCell(column(settings, 'intro')).value = NEW_INTRO;
    await save(workbook, file('didactiek-nieuw.xlsx'));

    const checked = await run(forms('check', file('didactiek-nieuw.xlsx')));

    expect(checked.code).toBe(0);
    expect(checked.output.trim()).toBe('In orde: Kijkwijzer didactiek, wordt versie 2 (13 vragen in 5 onderdelen; 3 wijzigingen).');
    expect(await contentItems('CONTENT')).toEqual([]);
    expect(await contentItems('CONTENTDRAFT')).toEqual([]);
  });

  it('refuses a bad workbook with every problem on its own line as blad, rij, kolom, and publishes nothing', async () => {
    const workbook = await load(file('didactiek-nieuw.xlsx'));
    const survey = workbook.getWorksheet('survey')!;
    const label = surveyRow(workbook, 'DID-2');
    label.getCell(column(survey, 'label')).value = null;
    const list = surveyRow(workbook, 'DID-4');
    list.getCell(column(survey, 'type')).value = 'select_one bestaat_niet';
    await save(workbook, file('didactiek-fout.xlsx'));

    const [published, checked] = await Promise.all([
      run(forms('publish', file('didactiek-fout.xlsx'))),
      run(forms('check', file('didactiek-fout.xlsx'))),
    ]);

    for (const result of [published, checked]) {
      expect(result.code).toBe(1);
      expect(result.lines).toContain(`Niet in orde: 2 problemen in ${file('didactiek-fout.xlsx')}; er is niets gepubliceerd.`);
      expect(result.lines).toContain(`blad survey, rij ${label.number}, kolom label: Het label is leeg: typ hier de vraag (bij een note de tekst).`);
      expect(result.lines.find((line) => line.startsWith(`blad survey, rij ${list.number}, kolom type: De lijst bestaat_niet bestaat niet op het blad choices`))).toBeDefined();
    }
    expect(await contentItems('CONTENT')).toEqual([]);
  });

  it('publishes the edited workbook as version 2 by the os user, and exports both versions again', async () => {
    const published = await run(forms('publish', file('didactiek-nieuw.xlsx')));

    expect(published.code).toBe(0);
    expect(published.output.trim()).toBe(
      `Gepubliceerd: Kijkwijzer didactiek, versie 2 (13 vragen in 5 onderdelen; 3 wijzigingen), door ${publisher}.`,
    );
    const stored = await clients.doc.send(new GetCommand({ TableName: tableName, Key: { PK: 'CONTENT', SK: 'FORM#kijkwijzer-didactiek#V#0002' } }));
    expect(stored.Item).toMatchObject({ publishedBy: publisher, fileName: 'didactiek-nieuw.xlsx' });
    expect(await contentItems('CONTENTDRAFT')).toEqual([]);

    const [latest, first] = await Promise.all([
      run(forms('export', 'kijkwijzer-didactiek', file('didactiek-v2.xlsx'))),
      run(forms('export', 'kijkwijzer-didactiek', '--version', '1', file('didactiek-v1.xlsx'))),
    ]);
    expect(latest.output).toContain('(Kijkwijzer didactiek, versie 2).');
    expect(first.output).toContain('(Kijkwijzer didactiek, versie 1).');
    const v2 = await readFormWorkbook(await readFile(file('didactiek-v2.xlsx')));
    const v1 = await readFormWorkbook(await readFile(file('didactiek-v1.xlsx')));
    if (!v2.ok || !v1.ok) throw new Error('an exported workbook does not read back');
    expect(v2.definition).toMatchObject({ version: 2, intro: NEW_INTRO });
    expect(formItems(v2.definition).find((item) => item.code === 'DID-1')?.label).toBe(NEW_LABEL);
    expect(formItems(v2.definition).map((item) => item.code)).toContain('DID-9');
    expect(v1.definition.version).toBe(1);
    expect(formItems(v1.definition).map((item) => item.code)).not.toContain('DID-9');
  });

  it('names the known forms for an unknown form id, and the versions for an unknown version, and writes no file', async () => {
    const [unknownId, unknownVersion] = await Promise.all([
      run(forms('export', 'kijkwijzer-muziek', file('muziek.xlsx'))),
      run(forms('export', 'kijkwijzer-didactiek', '--version', '7', file('didactiek-v7.xlsx'))),
    ]);

    expect(unknownId.code).toBe(1);
    expect(unknownId.output.trim()).toBe(`Er is geen formulier "kijkwijzer-muziek". Bekende formulieren: ${FORM_IDS.join(', ')}.`);
    expect(unknownVersion.code).toBe(1);
    expect(unknownVersion.output.trim()).toBe('Kijkwijzer didactiek heeft geen versie 7. Versies: 1, 2.');
    await expect(access(file('muziek.xlsx'))).rejects.toThrow();
    await expect(access(file('didactiek-v7.xlsx'))).rejects.toThrow();
  });

  it('checks the example form of the README with the outcome the README shows', async () => {
    await writeFile(file('kijkwijzer-pedagogiek.xlsx'), await readmeExampleWorkbook());

    const checked = await run(forms('check', file('kijkwijzer-pedagogiek.xlsx')));

    expect(checked.code).toBe(0);
    expect(checked.output.trim()).toBe(readmeCheckOutput());
  });

  it('shows the usage and exits 2 on wrong usage, and asks for the table and bucket with --aws', async () => {
    const results = await Promise.all([
      run(cli()),
      run(forms('export', 'kijkwijzer-didactiek')),
      run(forms('export', 'kijkwijzer-didactiek', '--version', 'twee', file('a.xlsx'))),
      run(runBundled('infra/local/content-cli.ts', ['forms', 'check', file('a.xlsx'), '--aws'], { ...env, TABLE_NAME: '', BUCKET_NAME: '' })),
    ]);

    expect(results.map((result) => result.code)).toEqual([2, 2, 2, 2]);
    const [none, missingFile, badVersion, aws] = results.map((result) => result.output);
    expect(none).toContain('Gebruik: npm run forms -- export <formulier-id> [--version N] <bestand.xlsx> [--aws]');
    expect(none).toContain('npm run schooljaar -- export <schooljaar, zoals 2025-2026> <bestand.xlsx> [--aws]');
    expect(missingFile).toContain('Gebruik: npm run forms -- export');
    expect(badVersion).toContain('--version is een versienummer (1, 2, 3, ...), niet "twee".');
    expect(aws?.trim()).toBe('Met --aws zijn TABLE_NAME en BUCKET_NAME verplicht: de namen van de tabel en de bucket uit de uitvoer van cdk deploy.');
  });

  /** The exported 2025-2026 made into a later year: the id, and every date that many years later. */
  async function yearLater(years: number): Promise<ExcelJS.Workbook> {
    const workbook = await load(file('2025-2026.xlsx'));
    const year = workbook.getWorksheet('schooljaar')!;
    year.getRow(2).getCell(column(year, 'schooljaar')).value = `${2025 + years}-${2026 + years}`;
    for (const name of ['schooljaar', 'periodes']) {
      workbook.getWorksheet(name)!.eachRow((row) =>
        row.eachCell((cell) => {
          if (cell.value instanceof Date) {
            const date = new Date(cell.value);
            date.setUTCFullYear(date.getUTCFullYear() + years);
            cell.value = date;
          }
        }),
      );
    }
    return workbook;
  }

  it('exports 2025-2026, checks and publishes it edited into 2027-2028, and exports that year', async () => {
    const exported = await run(schooljaar('export', '2025-2026', file('2025-2026.xlsx')));
    expect(exported.code).toBe(0);
    expect(exported.output.trim()).toBe(`Geschreven: ${file('2025-2026.xlsx')} (schooljaar 2025-2026, definitief, versie 1).`);
    const workbook = await yearLater(2);
    const tasks = workbook.getWorksheet('taken')!.actualRowCount - 1;
    await save(workbook, file('2027-2028.xlsx'));

    const checked = await run(schooljaar('check', file('2027-2028.xlsx')));
    expect(checked.code).toBe(0);
    expect(checked.output.trim()).toBe(`In orde: schooljaar 2027-2028 (definitief), wordt versie 1 (4 periodes, ${tasks} taken; nieuw schooljaar).`);
    expect(await contentItems('CONTENTDRAFT')).toEqual([]);

    const published = await run(schooljaar('publish', file('2027-2028.xlsx')));
    expect(published.code).toBe(0);
    expect(published.output.trim()).toBe(`Gepubliceerd: schooljaar 2027-2028 (definitief), versie 1 (4 periodes, ${tasks} taken; nieuw schooljaar), door ${publisher}.`);
    const stored = await clients.doc.send(new GetCommand({ TableName: tableName, Key: { PK: 'CONTENT', SK: 'YEAR#2027-2028#V#0001' } }));
    expect(stored.Item).toMatchObject({ publishedBy: publisher, fileName: '2027-2028.xlsx' });

    const again = await run(schooljaar('export', '2027-2028', file('2027-2028-terug.xlsx')));
    expect(again.output.trim()).toBe(`Geschreven: ${file('2027-2028-terug.xlsx')} (schooljaar 2027-2028, definitief, versie 1).`);
    const back = await load(file('2027-2028-terug.xlsx'));
    const periods = back.getWorksheet('periodes')!;
    const firstStart = periods.getRow(2).getCell(column(periods, 'start')).value as Date;
    expect(firstStart.toISOString().slice(0, 10)).toBe('2027-09-08');
  });

  it('refuses a school year whose deadline lies outside its period, at its cell, and names the known years for an unknown one', async () => {
    const workbook = await yearLater(3);
    const periods = workbook.getWorksheet('periodes')!;
    const deadline = periods.getRow(2).getCell(column(periods, 'deadline'));
    deadline.value = '15-12-2028';
    await save(workbook, file('2028-2029.xlsx'));

    const [checked, unknown] = await Promise.all([
      run(schooljaar('check', file('2028-2029.xlsx'))),
      run(schooljaar('export', '2031-2032', file('2031-2032.xlsx'))),
    ]);

    expect(checked.code).toBe(1);
    expect(checked.lines).toContain(`Niet in orde: 1 probleem in ${file('2028-2029.xlsx')}; er is niets gepubliceerd.`);
    expect(checked.lines).toContain('blad periodes, rij 2, kolom deadline: De deadline 15-12-2028 valt buiten periode 1 (08-09-2028 tot en met 14-11-2028).');
    expect(unknown.code).toBe(1);
    expect(unknown.output.trim()).toBe('Er is geen schooljaar "2031-2032". Bekende schooljaren: 2024-2025, 2025-2026, 2026-2027, 2027-2028.');
    expect((await contentItems('CONTENT')).map((item) => item.SK)).toEqual(['FORM#kijkwijzer-didactiek#V#0002', 'YEAR#2027-2028#V#0001']);
  });

  it('counts the changes of an existing school year as the concept page lists them: none, then one moved deadline', async () => {
    const exported = await run(schooljaar('export', '2025-2026', file('2025-2026-weer.xlsx')));
    expect(exported.code).toBe(0);
    const workbook = await load(file('2025-2026-weer.xlsx'));
    const tasks = workbook.getWorksheet('taken')!.actualRowCount - 1;
    const periods = workbook.getWorksheet('periodes')!;
    periods.getRow(3).getCell(column(periods, 'deadline')).value = '03-02-2026';
    await save(workbook, file('2025-2026-deadline.xlsx'));

    const [unchanged, moved] = await Promise.all([
      run(schooljaar('check', file('2025-2026-weer.xlsx'))),
      run(schooljaar('check', file('2025-2026-deadline.xlsx'))),
    ]);

    expect(unchanged.code).toBe(0);
    expect(unchanged.output.trim()).toBe(`In orde: schooljaar 2025-2026 (definitief), wordt versie 2 (4 periodes, ${tasks} taken; geen wijzigingen).`);
    expect(moved.code).toBe(0);
    expect(moved.output.trim()).toBe(`In orde: schooljaar 2025-2026 (definitief), wordt versie 2 (4 periodes, ${tasks} taken; 1 wijziging).`);
    expect(await contentItems('CONTENTDRAFT')).toEqual([]);
  });
});
