import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/http/app.tsx';
import { getForm } from '../../../forms/index.ts';
import { getPeriod, getSchoolYear } from '../../../shared/calendar.ts';
import { formItems, type FormDefinition } from '../../../shared/forms/definition.ts';
import { createRequest } from '../../../shared/usecases/observation.ts';
import type { Placement } from '../../../shared/roster/placement.ts';
import { appDeps } from '../../support/app.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';
import { getWithSession, movableClock, signIn, staffPlacement } from '../../support/staff.ts';

const YEAR = '2025-2026';
const choice = { year: getSchoolYear(YEAR)!, period: getPeriod(YEAR, 1)! };
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MULTILINE = 'Sterk begin.\nDaarna wat onrustig;\n\nslot: "goed"';

describe('the period as an Excel workbook (GET /overzicht/export.xlsx), through the app over the local stand-ins', () => {
  const clock = movableClock('2025-11-10T09:00');
  let app: ReturnType<typeof createApp>;
  let deps: ReturnType<typeof appDeps>;
  const sessions: Record<string, string> = {};

  async function submit(p: Placement, formId: string, answers: (def: FormDefinition) => Record<string, string>) {
    const request = await createRequest(deps, p, { formId, observerRole: 'wpb', lessonDate: '2025-11-05' }, { origin: 'student', choice });
    const def = getForm(formId)!;
    await deps.requests.saveVersion(request, 0, {
      formId,
      formVersion: def.version,
      answers: answers(def),
      status: 'ingediend',
      savedAt: clock.now().toString(),
      savedBy: p.wpb.email,
      attachments: [],
    });
  }

  const scored = (def: FormDefinition) => Object.fromEntries(formItems(def).filter((item) => item.type === 'scale').map((item) => [item.code, 'goed']));

  beforeAll(async () => {
    const clients = localClients();
    deps = appDeps(clients, { tableName: await freshTable(clients), bucket: await freshBucket(clients) }, clock, { adminEmails: ['admin.xlsx@hr.example.nl'] });
    app = createApp({ ...deps, signInRateLimits: { perAddress: 1000, perClient: 1000 } });
    const zoe = staffPlacement('0815001', 'xlsx-a', { student: { name: 'Zoë Çelik', email: 'zoe.0815001@student.example.nl' } });
    const other = staffPlacement('0815002', 'xlsx-b', { school: 'Óscar Romero College', student: { name: 'Piet Anders', email: 'piet.0815002@student.example.nl' } });
    for (const p of [zoe, other]) await deps.placements.create(p, clock.now().toString());
    await submit(zoe, 'kijkwijzer-pedagogiek', (def) => ({ ...scored(def), FEEDBACK: MULTILINE, FEEDUP: '=1+1', FEEDFORWARD: '-5 punten; +3 @ziek' }));
    await submit(other, 'kijkwijzer-pedagogiek', scored);

    sessions.ioA = await signIn(app, 'io.xlsx-a@hr.example.nl');
    sessions.admin = await signIn(app, 'admin.xlsx@hr.example.nl');
  });

  async function workbookOf(response: Response): Promise<ExcelJS.Worksheet> {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ArrayBuffer);
    return workbook.getWorksheet('Inzendingen')!;
  }

  /** The data rows as header → cell. */
  function rowsOf(sheet: ExcelJS.Worksheet): Map<string, ExcelJS.Cell>[] {
    const headers: string[] = [];
    sheet.getRow(1).eachCell({ includeEmpty: true }, (cell) => headers.push(String(cell.value)));
    const rows: Map<string, ExcelJS.Cell>[] = [];
    for (let r = 2; r <= sheet.actualRowCount; r++) rows.push(new Map(headers.map((header, i) => [header, sheet.getRow(r).getCell(i + 1)])));
    return rows;
  }

  const cell = (row: Map<string, ExcelJS.Cell>, header: string) => [...row].find(([h]) => h === header || h.startsWith(`${header} `))![1];

  it("gives an IO their own students' submissions as a workbook download with typed cells", async () => {
    const response = await getWithSession(app, `/overzicht/export.xlsx?jaar=${YEAR}&periode=1`, sessions.ioA!);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(XLSX_TYPE);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="werkplekleren-2025-2026-OP1.xlsx"');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const rows = rowsOf(await workbookOf(response));
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(cell(row, 'studentnummer').value).toBe('0815001');
    expect(cell(row, 'student').value).toBe('Zoë Çelik');
    expect(cell(row, 'observator naam').value).toBe("Jan van 't Hek");
    expect(cell(row, 'versie').value).toBe(1);
    expect(cell(row, 'lesdatum').value).toEqual(new Date(Date.UTC(2025, 10, 5)));
    // Submitted at 09:00 in Amsterdam (the test clock), shown at that wall-clock time.
    expect(cell(row, 'ingediend op').value).toEqual(new Date(Date.UTC(2025, 10, 10, 9, 0)));
    expect(cell(row, 'FEEDBACK').value).toBe(MULTILINE);
    expect(cell(row, 'FEEDBACK').alignment).toMatchObject({ wrapText: true });
    expect(cell(row, 'FEEDUP').type).toBe(ExcelJS.ValueType.String);
    expect(cell(row, 'FEEDUP').value).toBe('=1+1');
    expect(cell(row, 'FEEDUP').formula).toBeUndefined();
    expect(cell(row, 'FEEDFORWARD').value).toBe('-5 punten; +3 @ziek');
  });

  it('gives a coordinator every student, and records each download once in the period log as "Excel gedownload"', async () => {
    const before = (await deps.audit.listExports(YEAR, 1, { limit: 50 })).filter((e) => e.action === 'Excel gedownload').length;

    const response = await getWithSession(app, `/overzicht/export.xlsx?jaar=${YEAR}&periode=1`, sessions.admin!);
    const rows = rowsOf(await workbookOf(response));
    const head = await app.request(`/overzicht/export.xlsx?jaar=${YEAR}&periode=1`, { method: 'HEAD', headers: { Cookie: `__Host-sessie=${sessions.admin}` } });

    expect(rows.map((row) => cell(row, 'studentnummer').value).sort()).toEqual(['0815001', '0815002']);
    expect(head.status).toBe(200);
    const events = (await deps.audit.listExports(YEAR, 1, { limit: 50 })).filter((e) => e.action === 'Excel gedownload');
    expect(events).toHaveLength(before + 1);
    expect(events[0]).toMatchObject({ actor: 'admin.xlsx@hr.example.nl', detail: 'alle scholen in bereik' });
  });

  it('writes a period with no submissions as a workbook with only the header', async () => {
    const response = await getWithSession(app, `/overzicht/export.xlsx?jaar=${YEAR}&periode=2`, sessions.ioA!);

    expect(response.status).toBe(200);
    const sheet = await workbookOf(response);
    expect(sheet.actualRowCount).toBe(1);
    expect(sheet.getRow(1).getCell(1).value).toBe('schooljaar');
  });

  it('answers bad query parameters as the CSV does: 400, 404, 403, and the sign-in page without a session', async () => {
    const get = (query: string) => getWithSession(app, `/overzicht/export.xlsx?${query}`, sessions.ioA!);

    const malformed = await get('jaar=vorig-jaar');
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).toContain('Kies een schooljaar zoals 2025-2026.');
    expect((await get('periode=twee')).status).toBe(400);
    expect((await get('status=alles')).status).toBe(400);
    const unknown = await get('jaar=2030-2031&periode=1');
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('Schooljaar 2030-2031 bestaat niet');
    expect((await get(`jaar=${YEAR}&periode=7`)).status).toBe(404);
    const elsewhere = await get(`school=${encodeURIComponent('Óscar Romero College')}`);
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.headers.get('content-type')).toContain('text/html');
    const anonymous = await app.request('/overzicht/export.xlsx');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/inloggen');
  });

  it('offers "Download Excel" on the overview before the CSV, for the same period and school', async () => {
    const text = await (await getWithSession(app, `/overzicht?jaar=${YEAR}&periode=1`, sessions.ioA!)).text();

    const excel = text.indexOf(`href="/overzicht/export.xlsx?jaar=${YEAR}&amp;periode=1">Download Excel</a>`);
    expect(excel).toBeGreaterThan(0);
    expect(excel).toBeLessThan(text.indexOf('>CSV downloaden</a>'));
  });
});
