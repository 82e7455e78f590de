import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../../functions/http/app.tsx';
import { getForm } from '../../../forms/index.ts';
import { getPeriod, getSchoolYear } from '../../../shared/calendar.ts';
import { ensureStudentLink } from '../../../shared/usecases/welcome.ts';
import { createRequest } from '../../../shared/usecases/observation.ts';
import { parseInstant } from '../../../shared/clock.ts';
import { AuditStore } from '../../../shared/store/audit.ts';
import { cleanPdf, waitForScanTag } from '../../support/malware.ts';
import type { AwsClients } from '../../../shared/store/clients.ts';
import type { RequestRecord } from '../../../shared/model/requests.ts';
import { appDeps } from '../../support/app.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';
import { completeFields } from '../../support/forms.ts';
import { inboxOf, tokenIn } from '../../support/inbox.ts';
import { getWithSession, movableClock, postForm, signIn, staffPlacement } from '../../support/staff.ts';

const YEAR = '2025-2026';
const choice = { year: getSchoolYear(YEAR)!, period: getPeriod(YEAR, 1)! };
const ATTACHMENT_ID = 'BBBBBBBBBBBBBBBBBBBBBB';
const IO = 'io.aud@hr.example.nl';
const ADMIN = 'admin.aud@hr.example.nl';

describe('the audit log: append-only, per submission and per student, never a token', () => {
  let clients: AwsClients;
  let tableName: string;
  let bucket: string;
  const clock = movableClock('2025-11-10T09:00');
  let app: ReturnType<typeof createApp>;
  let deps: ReturnType<typeof appDeps>;
  const sessions: Record<string, string> = {};
  const placement = staffPlacement('830001', 'aud');
  let request: RequestRecord;
  let formToken: string;
  let studentToken: string;
  const tokens: string[] = [];

  const step = () => clock.advance(1000);

  beforeAll(async () => {
    clients = localClients();
    tableName = await freshTable(clients);
    bucket = await freshBucket(clients);
    deps = appDeps(clients, { tableName, bucket }, clock, { adminEmails: [ADMIN] });
    app = createApp({ ...deps, signInRateLimits: { perAddress: 1000, perClient: 1000 } });
    await deps.placements.create(placement, clock.now().toString());
    await ensureStudentLink(deps, placement);
    studentToken = tokenIn((await inboxOf(placement.student.email)).at(-1), 's');
    request = await createRequest(deps, placement, { formId: 'kijkwijzer-pedagogiek', observerRole: 'wpb', lessonDate: '2025-11-05' }, { origin: 'student', choice });
    formToken = tokenIn((await inboxOf(placement.wpb.email)).at(-1), 'f');
    tokens.push(studentToken, formToken);
    sessions.io = await signIn(app, IO);
    sessions.admin = await signIn(app, ADMIN);
  });

  afterEach(() => vi.restoreAllMocks());

  it('records link opened, view, save, submit, download and a staff action in order, and shows them newest first per submission and per student', async () => {
    expect((await app.request(`/f/${formToken}`)).status).toBe(200);
    expect((await app.request(`/f/${formToken}`, { method: 'HEAD' })).status).toBe(200);
    step();
    expect((await postForm(app, `/f/${formToken}/bekeken`, {})).status).toBe(204);
    step();
    expect((await postForm(app, `/f/${formToken}`, { 'a.FEEDBACK': 'Eerste indruk', basis: '0', actie: 'concept' })).status).toBe(303);
    step();
    expect((await postForm(app, `/f/${formToken}`, { ...completeFields(getForm('kijkwijzer-pedagogiek')!), basis: '1', actie: 'versturen' })).status).toBe(303);
    step();
    // A verified attachment whose malware scan (the local stack's ClamAV) found nothing: the only kind that is served.
    const key = 'attachments/2025-2026/830001/lesplan.pdf';
    await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: cleanPdf(), ContentType: 'application/pdf' }));
    expect(await waitForScanTag(clients.s3, bucket, key)).toBe('NO_THREATS_FOUND');
    await deps.requests.addAttachment(request, { id: ATTACHMENT_ID, key, name: 'lesplan.pdf', size: cleanPdf().length, type: 'application/pdf', addedAt: clock.now().toString() });
    expect((await app.request(`/f/${formToken}/bijlagen/${ATTACHMENT_ID}`)).status).toBe(200);
    step();
    expect((await app.request(`/s/${studentToken}/formulieren/${request.requestId}`)).status).toBe(200);
    step();
    expect((await postForm(app, `/s/${studentToken}/formulieren/${request.requestId}/bekeken`, {})).status).toBe(204);
    step();
    const submission = `/overzicht/formulier/${YEAR}/830001/${request.requestId}`;
    expect((await getWithSession(app, submission, sessions.io!)).status).toBe(200);
    step();
    expect((await getWithSession(app, `/overzicht/bijlage/${YEAR}/830001/${request.requestId}/${ATTACHMENT_ID}`, sessions.io!)).status).toBe(200);
    step();
    const action = await postForm(app, `/overzicht/aanvraag/${YEAR}/830001/${request.requestId}/nieuwe-link`, {}, { cookie: sessions.io! });
    expect(action.status).toBe(303);
    tokens.push(tokenIn((await inboxOf(placement.wpb.email)).at(-1), 'f'));
    step();

    const events = await deps.audit.listForPlacement(YEAR, '830001');
    expect(events.map((e) => [e.action, e.actor, e.detail])).toEqual([
      ['nieuwe link', IO, `aan Jan van 't Hek (${placement.wpb.email})`],
      ['gedownload', IO, 'lesplan.pdf'],
      ['bekeken', IO, 'versie 2'],
      ['bekeken', 'link:student', 'versie 2'],
      ['link geopend', 'link:student', 'versie 2'],
      ['gedownload', 'link:wpb', 'lesplan.pdf'],
      ['ingediend', 'link:wpb', 'versie 2'],
      ['concept opgeslagen', 'link:wpb', 'versie 1'],
      ['bekeken', 'link:wpb', undefined],
      ['link geopend', 'link:wpb', undefined],
    ]);
    expect(events.every((e) => e.requestId === request.requestId)).toBe(true);
    expect(events.at(-1)!.at).toBe('2025-11-10T08:00:00.000Z');

    const page = await (await getWithSession(app, submission, sessions.io!)).text();
    const shown = [...page.matchAll(/data-audit="([^"]+)"/g)].map((m) => m[1]);
    expect(shown).toEqual(['bekeken', 'nieuwe link', 'gedownload', 'bekeken', 'bekeken', 'link geopend', 'gedownload', 'ingediend', 'concept opgeslagen', 'bekeken', 'link geopend']);
    expect(page).toContain('<h2>Logboek</h2>');
    expect(page).toContain('maandag 10 november 2025 om 09:00:00');
    expect(page).toContain('mogelijk alleen door de virusscanner van een mailprogramma');
    expect(page).toContain('WPB (e-maillink)');

    const student = await getWithSession(app, `/overzicht/student/${YEAR}/830001`, sessions.io!);
    expect(student.status).toBe(200);
    const studentText = await student.text();
    expect([...studentText.matchAll(/data-audit="([^"]+)"/g)].map((m) => m[1])).toEqual(shown);
    expect(studentText).toContain('Kijkwijzer pedagogiek (OP1)');
  });

  it("logs a mail scanner's GETs of the form and of the student's view as \"link geopend\", never as \"bekeken\"", async () => {
    const p = staffPlacement('830004', 'aud');
    await deps.placements.create(p, clock.now().toString());
    await createRequest(deps, p, { formId: 'kijkwijzer-didactiek', observerRole: 'wpb', lessonDate: '2025-11-05' }, { origin: 'student', choice });
    const token = tokenIn((await inboxOf(p.wpb.email)).at(-1), 'f');
    tokens.push(token);

    for (let i = 0; i < 3; i++) expect((await app.request(`/f/${token}`)).status).toBe(200);
    expect((await app.request(`/f/${token}`, { method: 'HEAD' })).status).toBe(200);

    const events = await deps.audit.listForPlacement(YEAR, '830004');
    expect(events.map((e) => [e.action, e.actor])).toEqual(Array(3).fill(['link geopend', 'link:wpb']));
    const page = await (await app.request(`/f/${token}`)).text();
    expect(page).toContain(`<script src="/static/bekeken.js" data-bekeken="/f/${token}/bekeken" defer=""></script>`);
  });

  it('records no view from a cross-site beacon, nor from one for an unknown link', async () => {
    const p = staffPlacement('830005', 'aud');
    await deps.placements.create(p, clock.now().toString());
    await createRequest(deps, p, { formId: 'kijkwijzer-didactiek', observerRole: 'wpb', lessonDate: '2025-11-05' }, { origin: 'student', choice });
    const token = tokenIn((await inboxOf(p.wpb.email)).at(-1), 'f');
    tokens.push(token);

    expect((await postForm(app, `/f/${token}/bekeken`, {}, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await postForm(app, `/f/${token}/bekeken`, {}, { origin: null })).status).toBe(403);
    expect((await postForm(app, `/f/${'A'.repeat(43)}/bekeken`, {})).status).toBe(404);

    expect(await deps.audit.listForPlacement(YEAR, '830005')).toEqual([]);
  });

  it('serves the beacon script from its own origin, as the CSP allows', async () => {
    const response = await app.request('/static/bekeken.js');

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await response.text()).toContain("fetch(url, { method: 'POST'");
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('lists events of a fixed clock in the order they were recorded, whatever the wall clock does', async () => {
    const fixed = parseInstant('2025-11-10T13:00:00.000Z');
    const target = { schoolYear: YEAR, studentNumber: '830010' };
    // A wall clock that runs backwards (an NTP step): the log must not follow it.
    let wall = Date.parse('2030-01-01T00:00:00Z');
    vi.spyOn(Date, 'now').mockImplementation(() => (wall -= 1000));

    for (let i = 1; i <= 12; i++) await deps.audit.record(target, { actor: IO, action: 'herinnerd', detail: `stap ${i}` }, fixed);

    const events = await deps.audit.listForPlacement(YEAR, '830010');
    expect(events.map((e) => e.detail)).toEqual(Array.from({ length: 12 }, (_, i) => `stap ${12 - i}`));
    expect(events.every((e) => e.at === '2025-11-10T13:00:00.000Z')).toBe(true);
  });

  it('records a replaced WPB on the student and on each moved request', async () => {
    const p = staffPlacement('830002', 'aud');
    await deps.placements.create(p, clock.now().toString());
    const open = await createRequest(deps, p, { formId: 'kijkwijzer-didactiek', observerRole: 'wpb', lessonDate: '2025-11-05' }, { origin: 'student', choice });
    tokens.push(tokenIn((await inboxOf(p.wpb.email)).at(-1), 'f'));

    const response = await postForm(app, `/overzicht/student/${YEAR}/830002/wpb`, { naam: 'Nina Nieuw', email: 'nina.830002@wolfert.example.nl' }, { cookie: sessions.io! });

    expect(response.status).toBe(303);
    tokens.push(tokenIn((await inboxOf('nina.830002@wolfert.example.nl')).at(-1), 'f'));
    const events = await deps.audit.listForPlacement(YEAR, '830002');
    expect(events.map((e) => [e.action, e.requestId])).toEqual(
      expect.arrayContaining([
        ['WPB vervangen', undefined],
        ['WPB vervangen', open.requestId],
      ]),
    );
    expect(events.find((e) => !e.requestId)!.detail).toBe(`Jan van 't Hek (${p.wpb.email}) → Nina Nieuw (nina.830002@wolfert.example.nl); 1 open aanvraag naar de nieuwe WPB`);
  });

  it('records a CSV download once per export on the period, shown to coordinators', async () => {
    const response = await getWithSession(app, `/overzicht/export.csv?jaar=${YEAR}&periode=1`, sessions.io!);
    expect(response.status).toBe(200);
    await response.arrayBuffer();

    const exports = await deps.audit.listExports(YEAR, 1);
    expect(exports.map((e) => [e.action, e.actor, e.detail])).toEqual([['CSV gedownload', IO, 'alle scholen in bereik; scheidingsteken ;']]);
    expect(await deps.audit.listForPlacement(YEAR, '830001').then((events) => events.some((e) => e.action === 'CSV gedownload'))).toBe(false);
    const adminOverview = await (await getWithSession(app, `/overzicht?jaar=${YEAR}&periode=1`, sessions.admin!)).text();
    expect(adminOverview).toContain('Logboek downloads (CSV en Excel) van deze periode');
    expect(adminOverview).toContain('data-audit="CSV gedownload"');
    expect(await (await getWithSession(app, `/overzicht?jaar=${YEAR}&periode=1`, sessions.io!)).text()).not.toContain('Logboek downloads');
  });

  it('never stores a link token: not in the audit events, nor anywhere else in the table', async () => {
    const items = (await clients.doc.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }))).Items ?? [];
    const audit = items.filter((item) => item.entity === 'audit');

    expect(audit.length).toBeGreaterThan(10);
    expect(tokens.length).toBeGreaterThanOrEqual(5);
    const stored = JSON.stringify(items);
    for (const token of tokens) expect(stored).not.toContain(token);
    for (const event of audit) expect(String(event.actor)).toMatch(/^(link:(wpb|so|io|student)|[^@\s]+@[^@\s]+)$/);
  });

  it('keeps two events of the same millisecond, concurrent ones and ones whose ids clash, and overwrites neither', async () => {
    const instant = parseInstant('2025-11-10T12:00:00.123Z');
    const target = { schoolYear: YEAR, studentNumber: '830009' };

    await Promise.all(Array.from({ length: 10 }, (_, i) => deps.audit.record(target, { actor: IO, action: 'bekeken', detail: `gelijktijdig ${i}` }, instant)));
    const ids = ['vast', 'vast', 'anders'];
    const clashing = new AuditStore(clients.doc, tableName, { newId: () => ids.shift() ?? 'reserve' });
    const first = await clashing.record(target, { actor: 'eerste@hr.example.nl', action: 'herinnerd' }, instant);
    const second = await clashing.record(target, { actor: 'tweede@hr.example.nl', action: 'herinnerd' }, instant);

    const events = await deps.audit.listForPlacement(YEAR, '830009');
    expect(events).toHaveLength(12);
    expect(new Set(events.map((e) => e.detail).filter(Boolean))).toEqual(new Set(Array.from({ length: 10 }, (_, i) => `gelijktijdig ${i}`)));
    expect(events.every((e) => e.at === '2025-11-10T12:00:00.123Z')).toBe(true);
    expect([first.id, second.id]).toEqual(['vast', 'anders']);
    expect(events.find((e) => e.id === 'vast')!.actor).toBe('eerste@hr.example.nl');
    expect(events.find((e) => e.id === 'anders')!.actor).toBe('tweede@hr.example.nl');
  });

  it('does not break a page, a save or an action when the audit write fails', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const broken = createApp({ ...deps, audit: new AuditStore(clients.doc, 'no-such-table'), signInRateLimits: { perAddress: 1000, perClient: 1000 } });
    const p = staffPlacement('830003', 'aud');
    await deps.placements.create(p, clock.now().toString());
    await createRequest(deps, p, { formId: 'kijkwijzer-didactiek', observerRole: 'wpb', lessonDate: '2025-11-05' }, { origin: 'student', choice });
    const token = tokenIn((await inboxOf(p.wpb.email)).at(-1), 'f');
    tokens.push(token);
    const [stored] = await deps.requests.listForPlacement(YEAR, '830003');

    expect((await broken.request(`/f/${token}`)).status).toBe(200);
    expect((await postForm(broken, `/f/${token}`, { 'a.FEEDBACK': 'Toch opgeslagen', basis: '0', actie: 'concept' })).status).toBe(303);
    expect((await postForm(broken, `/overzicht/aanvraag/${YEAR}/830003/${stored!.requestId}/herinneren`, {}, { cookie: sessions.io! })).status).toBe(303);

    expect((await deps.requests.get(YEAR, '830003', stored!.requestId))!.state).toBe('concept');
    const logged = errors.mock.calls.map((call) => String(call[0]));
    expect(logged.filter((line) => line.includes('audit write failed'))).toHaveLength(3);
    expect(logged.join('\n')).not.toContain(token);
  });
});
