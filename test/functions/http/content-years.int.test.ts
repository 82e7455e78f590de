import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { Temporal } from 'temporal-polyfill';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/http/app.tsx';
import { formatDutchDate } from '../../../shared/calendar.ts';
import type { AwsClients } from '../../../shared/store/clients.ts';
import { tasksFor } from '../../../shared/tasks.ts';
import { appDeps, TEST_ORIGIN } from '../../support/app.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';
import { cellAt, editWorkbook, openWorkbook, rowWhere, sheet } from '../../support/edit-workbook.ts';
import { getWithSession, movableClock, postForm, signIn } from '../../support/staff.ts';

const ADMIN = 'admin.cy@hr.example.nl';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The new year's own task texts (the rest is 2025-2026's). */
const STUDENT_TASK = "Maak in de eerste week kennis met je WPB op 't Voorbeeldcollege en vertel over Zoë's leervragen.";
const WPB_TASK = 'Plan met de student een kennismakingsgesprek;\nbespreek de leeruitkomsten en de planning.';

/** 2027-2028 as the coordinator makes it: the periods of 2025-2026 two years (104 weeks) on. */
const SHIFT_WEEKS = 104;
const shifted = (iso: string) => Temporal.PlainDate.from(iso).add({ weeks: SHIFT_WEEKS });
const OP1 = { start: shifted('2025-09-08'), deadline: shifted('2025-11-12') };

const unescape = (text: string) => text.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');

/** The plain text of one role's digest preview on the concept page. */
function digestOf(html: string, role: string): string {
  const block = html.match(new RegExp(`data-digest="${role}">([\\s\\S]*?)</div>`))?.[1];
  if (block === undefined) throw new Error(`no digest of ${role} on the page`);
  return unescape(block);
}

describe('/beheer/schooljaren: a school year as a workbook, with the digest preview', () => {
  let clients: AwsClients;
  let tableName: string;
  const clock = movableClock('2025-11-10T09:00');
  let app: ReturnType<typeof createApp>;
  let admin = '';
  let conceptPath = '';

  function upload(bytes: Uint8Array, name = 'schooljaar-2027-2028.xlsx') {
    const form = new FormData();
    form.append('bestand', new File([bytes as Uint8Array<ArrayBuffer>], name, { type: XLSX }));
    return app.request('/beheer/schooljaren', { method: 'POST', headers: { Origin: TEST_ORIGIN, Cookie: `__Host-sessie=${admin}` }, body: form });
  }

  /** 2025-2026 turned into 2027-2028: ids and dates (OP1's start a real Excel date, the rest text), two task texts. */
  async function year20272028(): Promise<Uint8Array> {
    const download = await getWithSession(app, '/beheer/schooljaren/2025-2026.xlsx', admin);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe(XLSX);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="[a-z-]*2025-2026\.xlsx"$/);
    return editWorkbook(new Uint8Array(await download.arrayBuffer()), (workbook) => {
      const year = sheet(workbook, 'schooljaar');
      cellAt(year, 2, 'schooljaar').value = '2027-2028';
      cellAt(year, 2, 'status').value = 'definitief';
      cellAt(year, 2, 'toelichting').value = null;
      cellAt(year, 2, 'bron').value = 'Jaarplanning N2 2027-2028';
      cellAt(year, 2, 'start').value = '01-08-2027';
      cellAt(year, 2, 'einde').value = '2028-07-31';
      const periods = sheet(workbook, 'periodes');
      for (let row = 2; row <= 5; row++) {
        for (const field of ['start', 'einde', 'deadline']) {
          const cell = cellAt(periods, row, field);
          const day = shifted(Temporal.PlainDate.from(cell.value instanceof Date ? cell.value.toISOString().slice(0, 10) : String(cell.value)).toString());
          cell.value =
            row === 2 && field === 'start'
              ? new Date(Date.UTC(day.year, day.month - 1, day.day))
              : `${String(day.day).padStart(2, '0')}-${String(day.month).padStart(2, '0')}-${day.year}`;
          cellAt(periods, row, `${field}_herkomst`).value = 'gepubliceerd';
          cellAt(periods, row, `${field}_bron`).value = `Jaarplanning N2 2027-2028: periode ${row - 1}`;
        }
      }
      const tasks = sheet(workbook, 'taken');
      const first = (role: string) => {
        for (let row = 2; row <= tasks.rowCount; row++) {
          if (cellAt(tasks, row, 'rol').value === role && Number(cellAt(tasks, row, 'periode').value) === 1) return row;
        }
        throw new Error(`no ${role} task in OP1`);
      };
      cellAt(tasks, first('student'), 'tekst').value = STUDENT_TASK;
      cellAt(tasks, first('wpb'), 'tekst').value = WPB_TASK;
    });
  }

  beforeAll(async () => {
    clients = localClients();
    tableName = await freshTable(clients);
    const bucket = await freshBucket(clients);
    const deps = appDeps(clients, { tableName, bucket }, clock, { adminEmails: [ADMIN] });
    app = createApp({ ...deps, signInRateLimits: { perAddress: 1000, perClient: 1000 } });
    admin = await signIn(app, ADMIN);
  });

  it('lists every school year with its status and version, and the download of each', async () => {
    const response = await getWithSession(app, '/beheer/schooljaren', admin);

    expect(response.status).toBe(200);
    const html = await response.text();
    for (const id of ['2024-2025', '2025-2026', '2026-2027']) {
      expect(html).toContain(`data-year="${id}" data-version="1"`);
      expect(html).toContain(`href="/beheer/schooljaren/${id}.xlsx"`);
    }
    expect(html).toMatch(/data-year="2026-2027"[\s\S]*?voorlopig/);
    const workbook = await openWorkbook(new Uint8Array(await (await getWithSession(app, '/beheer/schooljaren/2024-2025.xlsx', admin)).arrayBuffer()));
    expect(cellAt(sheet(workbook, 'schooljaar'), 2, 'schooljaar').value).toBe('2024-2025');
    expect((await getWithSession(app, '/beheer/schooljaren/2030-2031.xlsx', admin)).status).toBe(404);
  });

  it('refuses overlapping periods and an impossible date with the line and column, and stores nothing', async () => {
    const good = await year20272028();
    const overlapping = await editWorkbook(good, (workbook) => {
      cellAt(sheet(workbook, 'periodes'), 3, 'start').value = '01-10-2027';
    });
    const impossible = await editWorkbook(good, (workbook) => {
      cellAt(sheet(workbook, 'periodes'), 4, 'deadline').value = '31-02-2028';
    });

    const answers = [await upload(overlapping), await upload(impossible)];

    expect(answers.map((r) => r.status)).toEqual([422, 422]);
    const [overlap, date] = await Promise.all(answers.map(async (r) => [...(await r.text()).matchAll(/<li>([^<]*)<\/li>/g)].map((m) => unescape(m[1]!))));
    expect(overlap!.some((line) => /^blad periodes, rij [23], kolom (start|einde): /.test(line))).toBe(true);
    expect(date).toEqual(['blad periodes, rij 4, kolom deadline: De datum 31-02-2028 bestaat niet.']);
    const drafts = await clients.doc.send(
      new QueryCommand({ TableName: tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': 'CONTENTDRAFT' }, ConsistentRead: true }),
    );
    expect(drafts.Items).toEqual([]);
  });

  it('names a refused workbook by its file name without a bidi override, and counts 1 probleem', async () => {
    const impossible = await editWorkbook(await year20272028(), (workbook) => {
      cellAt(sheet(workbook, 'periodes'), 4, 'deadline').value = '31-02-2028';
    });

    const response = await upload(impossible, 'schooljaar-\u202Excs.2027-2028.xlsx');

    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).not.toContain('\u202E');
    expect(html).toContain('Niets opgeslagen: 1 probleem in schooljaar-xcs.2027-2028.xlsx');
  });

  it('shows a 2027-2028 concept whose digest preview for a Monday in its OP1 names its own tasks and deadline', async () => {
    const response = await upload(await year20272028());
    expect(response.status).toBe(303);
    conceptPath = response.headers.get('location') ?? '';
    expect(conceptPath).toMatch(/^\/beheer\/schooljaren\/concept\/[A-Za-z0-9_-]{22}$/);

    const byDefault = await getWithSession(app, conceptPath, admin);
    expect(byDefault.status).toBe(200);
    expect(await byDefault.text()).toContain(`name="maandag" value="${OP1.start.toString()}"`);

    const monday = OP1.start.add({ weeks: 1 });
    const page = await getWithSession(app, `${conceptPath}?maandag=${monday.toString()}`, admin);
    expect(page.status).toBe(200);
    const html = unescape(await page.text());
    expect(html).toContain('Concept: schooljaar 2027-2028');
    expect(html).toContain('Nieuw schooljaar 2027-2028.');
    const student = digestOf(html, 'student');
    expect(student).toContain('Werkplekleren N2: jouw taken in periode 1 (OP1)');
    expect(student).toContain(STUDENT_TASK);
    expect(student).toContain(`De deadline is ${formatDutchDate(OP1.deadline)}.`);
    expect(student).toContain('schooljaar 2027-2028');
    const wpb = digestOf(html, 'wpb');
    expect(wpb).toContain(WPB_TASK);
    // The rest of the WPB's tasks are 2025-2026's, as the workbook kept them.
    for (const task of tasksFor('2025-2026', 'wpb', 1).slice(1)) expect(wpb).toContain(task.text);
    for (const role of ['so', 'io', 'sco']) expect(digestOf(html, role)).toContain(`periode 1 (OP1)`);
  });

  it('says in Dutch when the chosen day is not a Monday or not in the year', async () => {
    const wednesday = await getWithSession(app, `${conceptPath}?maandag=${OP1.start.add({ days: 2 }).toString()}`, admin);
    const outside = await getWithSession(app, `${conceptPath}?maandag=2026-09-07`, admin);
    const garbage = await getWithSession(app, `${conceptPath}?maandag=morgen`, admin);

    expect(wednesday.status).toBe(400);
    expect(unescape(await wednesday.text())).toContain(`${formatDutchDate(OP1.start.add({ days: 2 })).replace(/^w/, 'W')} is geen maandag.`);
    expect(outside.status).toBe(400);
    expect(unescape(await outside.text())).toContain('valt buiten schooljaar 2027-2028');
    expect(garbage.status).toBe(400);
    expect(await garbage.text()).toContain('Dat is geen datum.');
  });

  it('publishes the year: it is listed, and /kalender shows 2027-2028', async () => {
    const before = await (await app.request('/kalender')).text();
    expect(before).not.toContain('2027-2028');

    const published = await postForm(app, `${conceptPath}/publiceren`, {}, { cookie: admin });

    expect(published.status).toBe(200);
    expect(await published.text()).toContain('Schooljaar 2027-2028: versie 1 is gepubliceerd');
    const listed = await (await getWithSession(app, '/beheer/schooljaren', admin)).text();
    expect(listed).toContain('data-year="2027-2028" data-version="1"');
    expect(listed).toContain(ADMIN);
    const calendar = await (await app.request('/kalender')).text();
    expect(calendar).toContain('2027-2028');
    expect(calendar).toContain(formatDutchDate(OP1.deadline));
    // The download of the year as it applies now has the new task.
    const workbook = await openWorkbook(new Uint8Array(await (await getWithSession(app, '/beheer/schooljaren/2027-2028.xlsx', admin)).arrayBuffer()));
    const tasks = sheet(workbook, 'taken');
    expect(rowWhere(tasks, 'tekst', STUDENT_TASK)).toBeGreaterThan(1);
  });
});
