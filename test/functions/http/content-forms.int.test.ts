import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/http/app.tsx';
import type { AwsClients } from '../../../shared/store/clients.ts';
import { formatProblem, WORKBOOK_MAX_BYTES } from '../../../shared/xlsx/workbook.ts';
import { appDeps, TEST_ORIGIN } from '../../support/app.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';
import { cellAt, editWorkbook, openWorkbook, rowWhere, sheet } from '../../support/edit-workbook.ts';
import { getWithSession, movableClock, postForm, signIn, staffPlacement } from '../../support/staff.ts';

const ADMIN = 'admin.cf@hr.example.nl';
const OTHER_ADMIN = 'admin2.cf@hr.example.nl';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const FORM = 'kijkwijzer-didactiek';

const NEW_LABEL = "Maakt doel én opbouw van de les duidelijk voor Zoë's klas";
const NEW_ITEM = { code: 'DID-9', label: "Hoe gaat de student om met verschillen in tempo ('t eigen tempo)?" };
const NEW_INTRO = 'Kijk naar de hele les.\nNoteer wat u ziet, niet wat u denkt.';

/** The text of the items of the list (`<ol>` or `<ul>`) whose tag holds `marker`, unescaped. */
function listItems(html: string, marker: string): string[] {
  const start = html.indexOf(marker);
  if (start < 0) return [];
  const list = html.slice(start).match(/^[^>]*>([\s\S]*?)<\/(?:ol|ul)>/)?.[1] ?? '';
  return [...list.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => unescape(m[1]!));
}

const unescape = (text: string) => text.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');

/** The concept id a redirect after an upload points to. */
function conceptIdOf(response: Response): string {
  const id = response.headers.get('location')?.match(/^\/beheer\/formulieren\/concept\/([A-Za-z0-9_-]{22})$/)?.[1];
  if (!id) throw new Error(`no concept in ${response.headers.get('location')}`);
  return id;
}

describe('/beheer/formulieren: forms as workbooks, for admins', () => {
  let clients: AwsClients;
  let tableName: string;
  let bucket: string;
  const clock = movableClock('2025-11-10T09:00');
  let app: ReturnType<typeof createApp>;
  const sessions = { admin: '', otherAdmin: '', io: '' };
  /** The shipped kijkwijzer didactiek, as the download gives it. */
  let shipped: Uint8Array;

  function upload(session: string, bytes: Uint8Array, name = 'kijkwijzer-didactiek.xlsx', path = '/beheer/formulieren') {
    const form = new FormData();
    form.append('bestand', new File([bytes as Uint8Array<ArrayBuffer>], name, { type: XLSX }));
    return app.request(path, { method: 'POST', headers: { Origin: TEST_ORIGIN, Cookie: `__Host-sessie=${session}` }, body: form });
  }

  const publish = (session: string, id: string) => postForm(app, `/beheer/formulieren/concept/${id}/publiceren`, {}, { cookie: session });

  async function contentItems(partition: 'CONTENT' | 'CONTENTDRAFT'): Promise<Record<string, unknown>[]> {
    const result = await clients.doc.send(
      new QueryCommand({ TableName: tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': partition }, ConsistentRead: true }),
    );
    return result.Items ?? [];
  }

  async function storedWorkbooks(): Promise<string[]> {
    const listed = await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'content/' }));
    return (listed.Contents ?? []).map((o) => o.Key!);
  }

  /** The shipped form with a changed label, one new text item and a new intro. */
  function edited(bytes: Uint8Array): Promise<Uint8Array> {
    return editWorkbook(bytes, (workbook: ExcelJS.Workbook) => {
      const survey = sheet(workbook, 'survey');
      cellAt(survey, rowWhere(survey, 'name', 'DID-1'), 'label').value = NEW_LABEL;
      const after = rowWhere(survey, 'name', 'DID-6');
      survey.insertRow(after + 1, ['text', NEW_ITEM.code, NEW_ITEM.label, 'Een korte toelichting.', 'nee']);
      const settings = sheet(workbook, 'settings');
      cellAt(settings, 2, 'intro').value = NEW_INTRO;
    });
  }

  /** A workbook with one label changed. */
  function relabelled(bytes: Uint8Array, label: string): Promise<Uint8Array> {
    return editWorkbook(bytes, (workbook) => {
      const survey = sheet(workbook, 'survey');
      cellAt(survey, rowWhere(survey, 'name', 'DID-2'), 'label').value = label;
    });
  }

  beforeAll(async () => {
    clients = localClients();
    tableName = await freshTable(clients);
    bucket = await freshBucket(clients);
    const deps = appDeps(clients, { tableName, bucket }, clock, { adminEmails: [ADMIN, OTHER_ADMIN] });
    app = createApp({ ...deps, signInRateLimits: { perAddress: 1000, perClient: 1000 } });
    await deps.placements.create(staffPlacement('870001', 'cf'), clock.now().toString());
    sessions.admin = await signIn(app, ADMIN);
    sessions.otherAdmin = await signIn(app, OTHER_ADMIN);
    sessions.io = await signIn(app, 'io.cf@hr.example.nl');
    const download = await getWithSession(app, `/beheer/formulieren/${FORM}/1.xlsx`, sessions.admin);
    expect(download.status).toBe(200);
    shipped = new Uint8Array(await download.arrayBuffer());
  });

  it('links the content pages from the overview for admins only', async () => {
    const admin = await (await getWithSession(app, '/overzicht?jaar=2025-2026&periode=1', sessions.admin)).text();
    const io = await (await getWithSession(app, '/overzicht?jaar=2025-2026&periode=1', sessions.io)).text();

    expect(admin).toContain('href="/beheer/formulieren"');
    expect(admin).toContain('href="/beheer/schooljaren"');
    expect(io).not.toContain('href="/beheer/formulieren"');
    expect(io).not.toContain('href="/beheer/schooljaren"');
  });

  it('refuses a staff member who is not an admin on every route with a 403, and nobody without a session', async () => {
    const uploaded = await upload(sessions.admin, await edited(shipped));
    const id = conceptIdOf(uploaded);
    const pages = [
      '/beheer/formulieren',
      `/beheer/formulieren/${FORM}/1.xlsx`,
      `/beheer/formulieren/concept/${id}`,
      `/beheer/formulieren/concept/${id}/voorbeeld`,
      '/beheer/schooljaren',
      '/beheer/schooljaren/2025-2026.xlsx',
      `/beheer/schooljaren/concept/${'A'.repeat(22)}?maandag=2025-09-08`,
    ];

    for (const path of pages) {
      const io = await getWithSession(app, path, sessions.io);
      expect(io.status, path).toBe(403);
      expect(await io.text(), path).toContain('Alleen coördinatoren');
      const nobody = await app.request(path);
      expect(nobody.status, path).toBe(303);
      expect(nobody.headers.get('location'), path).toBe('/inloggen');
    }
    expect((await upload(sessions.io, shipped)).status).toBe(403);
    expect((await upload(sessions.io, shipped, 'jaar.xlsx', '/beheer/schooljaren')).status).toBe(403);
    expect((await publish(sessions.io, id)).status).toBe(403);
    expect((await postForm(app, `/beheer/schooljaren/concept/${id}/publiceren`, {}, { cookie: sessions.io })).status).toBe(403);
    expect((await upload('x'.repeat(43), shipped)).status).toBe(401);
    expect((await postForm(app, `/beheer/formulieren/concept/${id}/publiceren`, {})).status).toBe(401);
    // Nothing was published by any of it.
    expect(await contentItems('CONTENT')).toEqual([]);
  });

  it('lists every form with its shipped version, and downloads a workbook that exceljs reads', async () => {
    const list = await getWithSession(app, '/beheer/formulieren', sessions.admin);
    expect(list.status).toBe(200);
    expect(list.headers.get('cache-control')).toBe('no-store');
    const html = await list.text();
    for (const id of ['kijkwijzer-pedagogiek', FORM, 'advies-wpb', 'experiment-wpp10']) expect(html).toContain(`data-form="${id}"`);
    expect(html).toContain(`href="/beheer/formulieren/${FORM}/1.xlsx"`);
    expect(html).toContain('enctype="multipart/form-data"');

    const download = await getWithSession(app, `/beheer/formulieren/${FORM}/1.xlsx`, sessions.admin);
    expect(download.headers.get('content-type')).toBe(XLSX);
    expect(download.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="${FORM}-[a-z]*-?1\\.xlsx"$`));
    const workbook = await openWorkbook(new Uint8Array(await download.arrayBuffer()));
    expect(workbook.worksheets.map((w) => w.name)).toEqual(expect.arrayContaining(['survey', 'choices', 'settings']));
    const settings = sheet(workbook, 'settings');
    expect(cellAt(settings, 2, 'form_id').value).toBe(FORM);
    expect(cellAt(sheet(workbook, 'survey'), rowWhere(sheet(workbook, 'survey'), 'name', 'DID-1'), 'label').value).toBe('Maakt doel en opbouw van de les duidelijk');

    expect((await getWithSession(app, `/beheer/formulieren/${FORM}/9.xlsx`, sessions.admin)).status).toBe(404);
    expect((await getWithSession(app, '/beheer/formulieren/bestaat-niet/1.xlsx', sessions.admin)).status).toBe(404);
  });

  it('refuses a bad workbook with a 422 that lists every problem by sheet, row and column, and stores nothing', async () => {
    const draftsBefore = await contentItems('CONTENTDRAFT');
    const filesBefore = await storedWorkbooks();
    const bad = await editWorkbook(shipped, (workbook) => {
      const survey = sheet(workbook, 'survey');
      cellAt(survey, rowWhere(survey, 'name', 'DID-2'), 'label').value = '';
      cellAt(survey, rowWhere(survey, 'name', 'DID-3'), 'type').value = 'rekensom';
    });

    const response = await upload(sessions.admin, bad);

    expect(response.status).toBe(422);
    const html = await response.text();
    const problems = listItems(html, 'aria-label="Problemen"');
    expect(problems.length).toBeGreaterThanOrEqual(2);
    for (const line of problems) expect(line).toMatch(/^blad survey, rij \d+, kolom (label|type): /);
    expect(problems.some((line) => line.includes('kolom label'))).toBe(true);
    expect(problems.some((line) => line.includes('kolom type'))).toBe(true);
    expect(html).toContain('Niets opgeslagen');
    expect(html).not.toContain('Publiceren</button>');
    expect(await contentItems('CONTENTDRAFT')).toEqual(draftsBefore);
    expect(await storedWorkbooks()).toEqual(filesBefore);
    expect(await contentItems('CONTENT')).toEqual([]);
  });

  it('refuses a CSV renamed to .xlsx with the Dutch line, and a body over the limit with a Dutch 413', async () => {
    const csv = new TextEncoder().encode('type;name;label\ntext;DID-1;Zoë\n');

    const renamed = await upload(sessions.admin, csv, 'kijkwijzer.xlsx');
    const tooLarge = await upload(sessions.admin, new Uint8Array(20 * 1024 * 1024).fill(0x50), 'groot.xlsx');

    expect(renamed.status).toBe(422);
    expect(listItems(await renamed.text(), 'aria-label="Problemen"')).toEqual([
      formatProblem({ message: 'Dit is geen Excel-werkmap (.xlsx). Sla het bestand in Excel op als "Excel-werkmap (*.xlsx)" en upload het opnieuw.' }),
    ]);
    expect(tooLarge.status).toBe(413);
    const text = await tooLarge.text();
    expect(text).toContain(`Het bestand is groter dan ${WORKBOOK_MAX_BYTES / 1024 / 1024} MB`);
    expect(text).toContain('lang="nl"');
  });

  it('asks for a file when none is chosen', async () => {
    const form = new FormData();
    const response = await app.request('/beheer/formulieren', { method: 'POST', headers: { Origin: TEST_ORIGIN, Cookie: `__Host-sessie=${sessions.admin}` }, body: form });

    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Kies een werkmap (.xlsx-bestand) om te uploaden.');
  });

  it('shows a good workbook as a concept with its changes and a preview of the real form page, then publishes it as version 2', async () => {
    const response = await upload(sessions.admin, await edited(shipped));
    expect(response.status).toBe(303);
    const id = conceptIdOf(response);
    expect(await contentItems('CONTENT')).toEqual([]);

    const concept = await getWithSession(app, `/beheer/formulieren/concept/${id}`, sessions.admin);
    expect(concept.status).toBe(200);
    const html = await concept.text();
    expect(html).toContain('versie 2');
    const changes = listItems(html, 'aria-label="Wijzigingen"');
    expect(changes).toEqual(
      expect.arrayContaining([
        'De inleiding is gewijzigd.',
        `Nieuwe tekst voor DID-1: "Maakt doel en opbouw van de les duidelijk" wordt "${NEW_LABEL}".`,
        `Nieuw: ${NEW_ITEM.code} "${NEW_ITEM.label}".`,
      ]),
    );
    // Two frames of the preview (desktop and 390 px), and Publiceren.
    expect(html.match(new RegExp(`<iframe src="/beheer/formulieren/concept/${id}/voorbeeld"`, 'g'))).toHaveLength(2);
    expect(html).toContain('width="390"');
    expect(html).toContain(`action="/beheer/formulieren/concept/${id}/publiceren"`);
    expect(concept.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");

    const preview = await getWithSession(app, `/beheer/formulieren/concept/${id}/voorbeeld`, sessions.admin);
    expect(preview.status).toBe(200);
    const csp = preview.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).toContain("form-action 'none'");
    expect(csp).toContain("connect-src 'none'");
    expect(preview.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    const page = unescape(await preview.text());
    expect(page).toContain('<h1>Kijkwijzer didactiek</h1>');
    expect(page).toContain(NEW_LABEL);
    expect(page).toContain(NEW_ITEM.label);
    expect(page).toContain(NEW_INTRO);
    expect(page).toContain("Zoë van 't Hoff");
    expect(page).toContain('id="a-DID-9"');
    // The form page's own form, pointing at a token that can never open a link.
    expect(page).toContain('action="/f/voorbeeld"');

    const listed = await (await getWithSession(app, '/beheer/formulieren', sessions.admin)).text();
    expect(listed).toContain(`data-concept="${id}"`);

    const published = await publish(sessions.admin, id);
    expect(published.status).toBe(200);
    const done = await published.text();
    expect(done).toContain('Kijkwijzer didactiek: versie 2 is gepubliceerd');
    expect(done).toContain('houden hun eigen versie');

    const after = await (await getWithSession(app, '/beheer/formulieren', sessions.admin)).text();
    expect(after).toContain(`data-form="${FORM}" data-version="2"`);
    expect(after).toContain(ADMIN);
    expect(after).not.toContain(`data-concept="${id}"`);
    const v2 = await getWithSession(app, `/beheer/formulieren/${FORM}/2.xlsx`, sessions.admin);
    expect(v2.status).toBe(200);
    const survey = sheet(await openWorkbook(new Uint8Array(await v2.arrayBuffer())), 'survey');
    expect(cellAt(survey, rowWhere(survey, 'name', 'DID-1'), 'label').value).toBe(NEW_LABEL);
    expect(rowWhere(survey, 'name', NEW_ITEM.code)).toBeGreaterThan(rowWhere(survey, 'name', 'DID-6'));
    const stored = await contentItems('CONTENT');
    expect(stored.map((item) => item.SK)).toEqual([`FORM#${FORM}#V#0002`]);
    expect(stored[0]!.publishedBy).toBe(ADMIN);

    // The concept is gone: publishing it again finds nothing.
    expect((await publish(sessions.admin, id)).status).toBe(404);
  });

  it('publishes one of two concepts of the same next version at once, and tells the other admin', async () => {
    const base = new Uint8Array(await (await getWithSession(app, `/beheer/formulieren/${FORM}/2.xlsx`, sessions.admin)).arrayBuffer());
    const first = conceptIdOf(await upload(sessions.admin, await relabelled(base, 'Versie van de eerste beheerder')));
    const second = conceptIdOf(await upload(sessions.otherAdmin, await relabelled(base, 'Versie van de tweede beheerder')));

    const answers = await Promise.all([publish(sessions.admin, first), publish(sessions.otherAdmin, second)]);

    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const refused = answers.find((r) => r.status === 409)!;
    expect(await refused.text()).toContain('Iemand anders heeft intussen versie 3 van');
    const versions = (await contentItems('CONTENT')).map((item) => item.SK);
    expect(versions).toEqual([`FORM#${FORM}#V#0002`, `FORM#${FORM}#V#0003`]);
    // The concept that lost can no longer be published.
    const loser = answers[0]!.status === 409 ? first : second;
    const page = await (await getWithSession(app, `/beheer/formulieren/concept/${loser}`, sessions.admin)).text();
    expect(page).toContain('kan niet meer worden gepubliceerd');
    expect((await publish(sessions.admin, loser)).status).toBe(409);
  });

  it('counts in Dutch on the concept page and the refusal: 1 onderdeel, 1 vraag, 1 tekstblok, 1 probleem', async () => {
    // The latest version of the advice: a workbook of an older one is refused as out of date.
    const advice = new Uint8Array(await (await getWithSession(app, '/beheer/formulieren/advies-wpb/2.xlsx', sessions.admin)).arrayBuffer());
    const small = await editWorkbook(advice, (workbook) => {
      const survey = sheet(workbook, 'survey');
      const question = rowWhere(survey, 'name', 'ADV-ADVIES');
      // Keep the first section with its one question; then a note and the end of that section.
      for (let row = survey.rowCount; row > question; row--) survey.spliceRows(row, 1);
      survey.addRow(['note', 'UITLEG', "Bespreek het advies met Zoë en 't team.\nDaarna kiest u."]);
      survey.addRow(['end_group']);
    });
    const broken = await editWorkbook(small, (workbook) => {
      const survey = sheet(workbook, 'survey');
      cellAt(survey, rowWhere(survey, 'name', 'UITLEG'), 'label').value = '';
    });

    const concept = await upload(sessions.admin, small, 'advies-klein.xlsx');
    const refused = await upload(sessions.admin, broken, 'advies-fout.xlsx');

    expect(concept.status).toBe(303);
    const page = await (await getWithSession(app, `/beheer/formulieren/concept/${conceptIdOf(concept)}`, sessions.admin)).text();
    expect(page).toContain('1 onderdeel, 1 vraag');
    expect(page).toContain(', 1 tekstblok.');
    expect(page).not.toMatch(/\b1 (onderdelen|vragen|tekstblokken)\b/);
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('Niets opgeslagen: 1 probleem in advies-fout.xlsx');
  });
});
