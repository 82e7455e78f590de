import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/http/app.tsx';
import { ROSTER_MAX_BYTES } from '../../../shared/usecases/roster.ts';
import { formatProblem } from '../../../shared/roster/parse.ts';
import { ROSTER_UPLOAD_PREFIX } from '../../../shared/store/roster-uploads.ts';
import type { AwsClients } from '../../../shared/store/clients.ts';
import { appDeps, TEST_ORIGIN } from '../../support/app.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';
import { inboxOf } from '../../support/inbox.ts';
import { row, rosterCsv, rowOf, type RosterRow } from '../../support/roster.ts';
import { getWithSession, movableClock, postForm, signIn, staffPlacement } from '../../support/staff.ts';

const ADMIN = 'admin.ro@hr.example.nl';
const OTHER_ADMIN = 'admin2.ro@hr.example.nl';

/** A roster row that says exactly what `staffPlacement(nr, 'ro')` says. */
const staffRow = (nr: string, overrides: RosterRow = {}) => rowOf(staffPlacement(nr, 'ro'), overrides);

describe('roster management for admins: upload, preview, confirm', () => {
  let clients: AwsClients;
  let tableName: string;
  let bucket: string;
  const clock = movableClock('2025-11-10T09:00');
  let app: ReturnType<typeof createApp>;
  let deps: ReturnType<typeof appDeps>;
  const sessions: Record<'admin' | 'otherAdmin' | 'io', string> = { admin: '', otherAdmin: '', io: '' };

  async function itemCount(): Promise<number> {
    const result = await clients.doc.send(new ScanCommand({ TableName: tableName, Select: 'COUNT', ConsistentRead: true }));
    return result.Count ?? 0;
  }

  async function placementCount(): Promise<number> {
    const result = await clients.doc.send(
      new ScanCommand({ TableName: tableName, Select: 'COUNT', FilterExpression: 'SK = :sk', ExpressionAttributeValues: { ':sk': 'PLACEMENT' }, ConsistentRead: true }),
    );
    return result.Count ?? 0;
  }

  async function storedUploads(): Promise<string[]> {
    const listed = await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: ROSTER_UPLOAD_PREFIX }));
    return (listed.Contents ?? []).map((o) => o.Key!);
  }

  function upload(session: string, bytes: Uint8Array, options: { origin?: string; name?: string } = {}) {
    const form = new FormData();
    form.append('bestand', new File([bytes], options.name ?? 'rooster.csv', { type: 'text/csv' }));
    return app.request('/beheer/rooster', {
      method: 'POST',
      headers: { Origin: options.origin ?? TEST_ORIGIN, Cookie: `__Host-sessie=${session}` },
      body: form,
    });
  }

  const confirm = (session: string, id: string) => postForm(app, '/beheer/rooster/bevestigen', { upload: id }, { cookie: session });

  function uploadIdIn(html: string): string {
    const id = html.match(/name="upload" value="([A-Za-z0-9_-]{43})"/)?.[1];
    if (!id) throw new Error('no upload id on the preview page');
    return id;
  }

  beforeAll(async () => {
    clients = localClients();
    tableName = await freshTable(clients);
    bucket = await freshBucket(clients);
    deps = appDeps(clients, { tableName, bucket }, clock, { adminEmails: [ADMIN, OTHER_ADMIN] });
    app = createApp({ ...deps, signInRateLimits: { perAddress: 1000, perClient: 1000 } });
    for (const nr of ['820001', '820002']) await deps.placements.create(staffPlacement(nr, 'ro'), clock.now().toString());
    sessions.admin = await signIn(app, ADMIN);
    sessions.otherAdmin = await signIn(app, OTHER_ADMIN);
    sessions.io = await signIn(app, 'io.ro@hr.example.nl');
  });

  it('links the upload page from the overview for admins only', async () => {
    const admin = await (await getWithSession(app, '/overzicht?jaar=2025-2026&periode=1', sessions.admin)).text();
    const io = await (await getWithSession(app, '/overzicht?jaar=2025-2026&periode=1', sessions.io)).text();

    expect(admin).toContain('href="/beheer/rooster"');
    expect(io).not.toContain('href="/beheer/rooster"');
  });

  it('shows an admin the upload form, and refuses everyone else', async () => {
    const page = await getWithSession(app, '/beheer/rooster', sessions.admin);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).toContain('enctype="multipart/form-data"');
    expect(html).toContain('name="bestand"');

    const io = await getWithSession(app, '/beheer/rooster', sessions.io);
    expect(io.status).toBe(403);
    expect(await io.text()).toContain('Alleen coördinatoren');
    expect((await upload(sessions.io, rosterCsv([row(1)]))).status).toBe(403);
    expect((await confirm(sessions.io, 'x'.repeat(43))).status).toBe(403);

    const anonymous = await app.request('/beheer/rooster');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/inloggen');
  });

  it('previews a bad file with every problem, by line and column, and writes nothing', async () => {
    const itemsBefore = await itemCount();
    const placementsBefore = await placementCount();
    const bytes = rosterCsv([
      row(1),
      row(2, { wpb_email: 'geen-adres' }),
      row(3, { schooljaar: '2030-2031', student_naam: '' }),
      row(4, { io_email: 'io@@hr.nl', school: '=HYPERLINK("x")' }),
    ]);

    const response = await upload(sessions.admin, bytes);

    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toContain('Niets geïmporteerd: 5 problemen');
    const expected = [
      { line: 3, column: 'wpb_email' as const },
      { line: 4, column: 'schooljaar' as const },
      { line: 4, column: 'student_naam' as const },
      { line: 5, column: 'school' as const },
      { line: 5, column: 'io_email' as const },
    ];
    const listed = [...html.matchAll(/<li data-line="(\d+)">([^<]*)<\/li>/g)].map((m) => m[2]!.replaceAll('&quot;', '"'));
    expect(listed).toHaveLength(expected.length);
    for (const [i, problem] of expected.entries()) expect(listed[i]).toMatch(new RegExp(`^Regel ${problem.line}, kolom ${problem.column}: `));
    expect(listed[0]).toBe(formatProblem({ line: 3, column: 'wpb_email', message: '"geen-adres" is geen geldig e-mailadres.' }));
    expect(html).not.toContain('Bevestigen');
    expect(html).not.toContain('name="upload"');
    expect(await placementCount()).toBe(placementsBefore);
    expect(await itemCount()).toBe(itemsBefore);
    expect(await storedUploads()).toEqual([]);
  });

  it('previews a good file (Windows-1252, a duplicate row) without writing a placement, and imports it on confirm', async () => {
    const changedWpb = { wpb_naam: 'Nieuwe Mentor', wpb_email: 'nieuw.820002@wolfert.example.nl' };
    const newRow = staffRow('820003', { student_naam: 'Zoë Nieuw', student_email: 'zoe.820003@student.example.nl' });
    const utf8 = rosterCsv([staffRow('820001'), staffRow('820002', changedWpb), newRow, newRow]);
    // What Dutch Excel saves as "CSV (gescheiden door lijstscheidingsteken)": Windows-1252.
    const bytes = Buffer.from(new TextDecoder().decode(utf8), 'latin1');
    const placementsBefore = await placementCount();

    const preview = await upload(sessions.admin, bytes, { name: 'rooster 2025.csv' });

    expect(preview.status).toBe(200);
    const html = await preview.text();
    expect(html).toMatch(/data-count="nieuw"><strong>1<\/strong>/);
    expect(html).toMatch(/data-count="gewijzigd"><strong>1<\/strong>/);
    expect(html).toMatch(/data-count="ongewijzigd"><strong>1<\/strong>/);
    expect(html).toContain('820002 Zoë de Vries (2025-2026): wpb_naam, wpb_email');
    expect(html).toContain('Windows-1252');
    expect(html).toContain('Regel 5 is gelijk aan regel 4');
    expect(html).toContain('Zoë Nieuw');
    expect(html).toContain('>Bevestigen</button>');
    // Nothing written yet: no new placement, the changed one as it was.
    expect(await placementCount()).toBe(placementsBefore);
    expect((await deps.placements.get('2025-2026', '820002'))?.wpb.name).toBe("Jan van 't Hek");
    expect(await deps.placements.get('2025-2026', '820003')).toBeUndefined();
    expect(await storedUploads()).toHaveLength(1);

    const done = await confirm(sessions.admin, uploadIdIn(html));

    expect(done.status).toBe(200);
    const summary = await done.text();
    expect(summary).toContain('Het rooster is geïmporteerd: 1 nieuw, 1 gewijzigd, 1 ongewijzigd.');
    expect(await placementCount()).toBe(placementsBefore + 1);
    expect((await deps.placements.get('2025-2026', '820002'))?.wpb.name).toBe('Nieuwe Mentor');
    expect((await deps.placements.get('2025-2026', '820003'))?.student.name).toBe('Zoë Nieuw');
    // afterImport: the new student's welcome email.
    expect((await inboxOf('zoe.820003@student.example.nl')).map((m) => m.subject)).toContain('Welkom bij werkplekleren N2 2025-2026');
    expect(await storedUploads()).toEqual([]);
  });

  it('imports once when confirmed twice, one after the other or at the same moment', async () => {
    const bytes = rosterCsv([staffRow('820004', { student_email: 'zoe.820004@student.example.nl' })]);
    const id = uploadIdIn(await (await upload(sessions.admin, bytes)).text());

    const first = await confirm(sessions.admin, id);
    const second = await confirm(sessions.admin, id);

    expect(first.status).toBe(200);
    expect(second.status).toBe(410);
    expect(await second.text()).toContain('Dit rooster is al verwerkt');
    expect((await deps.placements.get('2025-2026', '820004'))?.rev).toBe(1);
    expect(await inboxOf('zoe.820004@student.example.nl')).toHaveLength(1);

    const again = uploadIdIn(await (await upload(sessions.admin, rosterCsv([staffRow('820005', { student_email: 'zoe.820005@student.example.nl' })]))).text());
    const statuses = (await Promise.all([confirm(sessions.admin, again), confirm(sessions.admin, again)])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 410]);
    expect(await inboxOf('zoe.820005@student.example.nl')).toHaveLength(1);
  });

  it("lets only the uploader confirm, within two hours", async () => {
    const bytes = rosterCsv([staffRow('820006', { student_email: 'zoe.820006@student.example.nl' })]);
    const id = uploadIdIn(await (await upload(sessions.admin, bytes)).text());

    const other = await confirm(sessions.otherAdmin, id);
    expect(other.status).toBe(403);
    expect(await other.text()).toContain('andere beheerder');

    // Two hours later (the session kept alive halfway), the preview no longer counts.
    clock.advance(3600_000);
    expect((await getWithSession(app, '/beheer/rooster', sessions.admin)).status).toBe(200);
    clock.advance(3600_000 + 1000);
    try {
      const late = await confirm(sessions.admin, id);
      expect(late.status).toBe(410);
      expect(await late.text()).toContain('verlopen');
    } finally {
      clock.advance(-(2 * 3600_000 + 1000));
    }
    expect(await deps.placements.get('2025-2026', '820006')).toBeUndefined();
  });

  it('refuses a cross-site upload and confirmation, and stores nothing', async () => {
    const before = await storedUploads();
    const crossSite = await upload(sessions.admin, rosterCsv([row(9)]), { origin: 'https://evil.example' });

    expect(crossSite.status).toBe(403);
    expect(await storedUploads()).toEqual(before);
    const id = uploadIdIn(await (await upload(sessions.admin, rosterCsv([staffRow('820007', { student_email: 'zoe.820007@student.example.nl' })]))).text());
    const crossConfirm = await postForm(app, '/beheer/rooster/bevestigen', { upload: id }, { cookie: sessions.admin, origin: 'https://evil.example' });
    expect(crossConfirm.status).toBe(403);
    expect(await deps.placements.get('2025-2026', '820007')).toBeUndefined();
    expect((await confirm(sessions.admin, id)).status).toBe(200);
  });

  it('refuses a file over 2 MB with a Dutch 413, and an empty form with a 400', async () => {
    const tooLarge = await upload(sessions.admin, new Uint8Array(ROSTER_MAX_BYTES + 1).fill(0x41));

    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.text()).toContain('Het bestand is groter dan 2 MB');

    const empty = await app.request('/beheer/rooster', {
      method: 'POST',
      headers: { Origin: TEST_ORIGIN, Cookie: `__Host-sessie=${sessions.admin}` },
      body: new FormData(),
    });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('Kies een rooster');
  });
});
