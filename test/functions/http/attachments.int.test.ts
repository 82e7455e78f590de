import { beforeAll, describe, expect, it } from 'vitest';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createApp } from '../../../functions/http/app.tsx';
import { type ScanVerdict } from '../../../shared/attachments/scan.ts';
import { ScanStatusReader } from '../../../shared/store/scans.ts';
import { attachmentKey, uploadKey } from '../../../shared/attachments/object-keys.ts';
import { getForm } from '../../../forms/index.ts';
import { parseInstant, type Clock } from '../../../shared/clock.ts';
import { ensureStudentLink } from '../../../shared/usecases/welcome.ts';
import { Placement } from '../../../shared/roster/placement.ts';
import type { AwsClients } from '../../../shared/store/clients.ts';
import type { RequestRecord } from '../../../shared/model/requests.ts';
import { appDeps, TEST_ORIGIN } from '../../support/app.ts';
import { freshBucket, freshTable, localClients, objectExists } from '../../support/aws.ts';
import { inboxOf, tokenIn } from '../../support/inbox.ts';
import { completeFields } from '../../support/forms.ts';
import { waitForScanTag } from '../../support/malware.ts';
import { getWithSession, signIn } from '../../support/staff.ts';
import { postToS3, type UploadPlan } from '../../support/uploads.ts';

/**
 * Attachments through the routes, as the browser script does it: ask the app for a presigned POST,
 * post the file straight to S3 (s3rver), ask the app to verify it, then download it through the
 * app. s3rver ignores the policy's size and type conditions, so these tests also prove that the
 * app's own check (HeadObject + magic bytes) is the gate. The local stack's ClamAV tagger tags
 * every object under `attachments/`; downloads wait for that tag.
 */

/** A PNG's signature and IHDR start: file-type calls it image/png. */
/** The start of an MP4 (an `ftyp` box with brand mp42): file-type calls it video/mp4. */
const MP4 = new Uint8Array([0, 0, 0, 0x18, ...new TextEncoder().encode('ftypmp42'), 0, 0, 0, 0, ...new TextEncoder().encode('mp42isom'), 0, 0, 0, 8, ...new TextEncoder().encode('free')]);

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);

/** A clock the test moves. */
function movableClock(start: string): Clock & { set(value: string): void } {
  let now = parseInstant(start);
  return { now: () => now, set: (value) => (now = parseInstant(value)) };
}

const START = '2025-11-10T09:00';
const AFTER_DEADLINE = '2025-11-13T08:00';

/** A small but real PDF: file-type recognises it by its `%PDF` header. */
function pdf(padding = 0): Uint8Array {
  return new TextEncoder().encode(
    `%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n${'%'.repeat(padding)}\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`,
  );
}

/** A Windows executable's first bytes ("MZ", then the DOS stub). */
const EXE = new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xff, 0xff, ...new TextEncoder().encode('This program cannot be run in DOS mode.')]);

function placement(suffix: string) {
  return Placement.parse({
    schoolYear: '2025-2026',
    studentNumber: `99${suffix}`,
    student: { name: 'Zoë de Vries', email: `zoe.att${suffix}@student.example.nl` },
    vak: 'Nederlands',
    school: 'Wolfert van Borselen',
    wpb: { name: "Jan van 't Hek", email: `jan.att${suffix}@wolfert.example.nl` },
    so: { name: 'Saskia Bakker', email: `so.att${suffix}@wolfert.example.nl` },
    io: { name: 'Ivo Jansen', email: `io.att${suffix}@hr.example.nl` },
    sco: { name: 'Fatima El Amrani', email: `sco.att${suffix}@wolfert.example.nl` },
  });
}

type App = ReturnType<typeof createApp>;

describe('attachments through the routes, over the real SDK and s3rver', () => {
  const clock = movableClock(START);
  let clients: AwsClients;
  let bucket: string;
  let deps: ReturnType<typeof appDeps>;
  let app: App;
  /** The same app with a 1 kB upload limit. */
  let smallApp: App;

  const postJson = (target: App, path: string, body: unknown, origin: string | null = TEST_ORIGIN) =>
    target.request(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(origin ? { Origin: origin } : {}) },
      body: JSON.stringify(body),
    });

  /** A placement, its student's link and one kijkwijzer request per observer role given; returns the form tokens. */
  async function requested(suffix: string, roles: ('wpb' | 'so')[] = ['wpb']) {
    const p = placement(suffix);
    await deps.placements.create(p, clock.now().toString());
    await ensureStudentLink(deps, p);
    const studentToken = tokenIn((await inboxOf(p.student.email))[0], 's');
    const formTokens: string[] = [];
    for (const role of roles) {
      const response = await app.request(`/s/${studentToken}/aanvragen`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: TEST_ORIGIN },
        body: new URLSearchParams({ formId: 'kijkwijzer-pedagogiek', observerRole: role, lessonDate: '2025-11-12' }).toString(),
      });
      expect(response.status).toBe(303);
      formTokens.push(tokenIn((await inboxOf(p[role].email)).at(-1), 'f'));
    }
    const requests = await deps.requests.listForPlacement(p.schoolYear, p.studentNumber);
    return { p, studentToken, token: formTokens[0]!, formTokens, request: requests[0]!, requests };
  }

  /** Step 1: declare the file; returns the response and, when accepted, the plan. */
  async function declare(token: string, file: { name: string; size: number; type: string }, target = app) {
    const response = await postJson(target, `/f/${token}/bijlagen`, file);
    const body = (await response.json()) as UploadPlan & { error?: string };
    return { status: response.status, body };
  }

  /** Step 2: the browser posts the presigned fields, then the file, straight to S3. */
  const uploadToS3 = (plan: UploadPlan, bytes: Uint8Array) => postToS3(plan, bytes);

  /** Step 3: ask the app to verify what arrived. */
  async function verify(token: string, id: string, body: { name: string; contentType: string }, target = app) {
    const response = await postJson(target, `/f/${token}/bijlagen/${id}`, body);
    return { status: response.status, body: (await response.json()) as { ok?: true; id?: string; name?: string; error?: string } };
  }

  /** The three steps for a file that should be accepted. */
  async function attach(token: string, name: string, bytes: Uint8Array, type = 'application/pdf') {
    const declared = await declare(token, { name, size: bytes.length, type });
    expect(declared.status).toBe(200);
    expect((await uploadToS3(declared.body, bytes)).ok).toBe(true);
    const verified = await verify(token, declared.body.id, { name: declared.body.name, contentType: declared.body.contentType });
    expect(verified).toEqual({ status: 200, body: { ok: true, id: declared.body.id, name: declared.body.name, size: bytes.length } });
    return declared.body;
  }

  const partsOf = (request: RequestRecord, id: string) => ({ schoolYear: request.schoolYear, studentNumber: request.studentNumber, requestId: request.requestId, attachmentId: id });
  /** The key an attachment is served from. */
  const keyOf = (request: RequestRecord, id: string) => attachmentKey(partsOf(request, id));
  /** The key the browser uploads it to. */
  const uploadKeyOf = (request: RequestRecord, id: string) => uploadKey(partsOf(request, id));

  const existsInS3 = (key: string) => objectExists(clients, bucket, key);
  /** Waits for the local ClamAV tagger's verdict on a served object. */
  const scanned = (request: RequestRecord, id: string) => waitForScanTag(clients.s3, bucket, keyOf(request, id));
  const bytesOf = async (response: Response) => new Uint8Array(await response.arrayBuffer());

  /** Submits the form with complete answers, as the observer's "Versturen". */
  async function submit(token: string, basis = 0) {
    const def = getForm('kijkwijzer-pedagogiek')!;
    const response = await app.request(`/f/${token}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: TEST_ORIGIN },
      body: new URLSearchParams({ ...completeFields(def), actie: 'versturen', basis: String(basis) }).toString(),
    });
    expect(response.status).toBe(303);
  }

  /** An app whose scan verdicts are fixed (fault injection: the scanner's answer is the subject). */
  function appWithVerdict(verdict: ScanVerdict): App {
    const scans = new (class extends ScanStatusReader {
      override verdict(): Promise<ScanVerdict> {
        return Promise.resolve(verdict);
      }
    })(clients.s3, bucket);
    return createApp({ ...deps, scans });
  }

  beforeAll(async () => {
    clients = localClients();
    const names = { tableName: await freshTable(clients), bucket: await freshBucket(clients) };
    bucket = names.bucket;
    deps = appDeps(clients, names, clock);
    app = createApp(deps);
    smallApp = createApp(appDeps(clients, names, clock, { maxUploadBytes: 1024 }));
  });

  it('uploads a file to the upload key, verifies it, copies it to the served key and serves a PDF inline, sandboxed, through the app', async () => {
    const { token, request } = await requested('01');
    const bytes = pdf();

    const plan = await attach(token, 'Lesplan week 46.pdf', bytes);
    expect(await scanned(request, plan.id)).toBe('NO_THREATS_FOUND');
    const page = await (await app.request(`/f/${token}`)).text();
    const download = await app.request(`/f/${token}/bijlagen/${plan.id}`);

    expect(plan.fields['Content-Type']).toBe('application/pdf');
    expect(plan.fields.key).toBe(uploadKeyOf(request, plan.id));
    expect(await existsInS3(uploadKeyOf(request, plan.id))).toBe(false);
    expect(await existsInS3(keyOf(request, plan.id))).toBe(true);
    expect(page).toContain(`href="/f/${token}/bijlagen/${plan.id}"`);
    expect(page).toContain('Lesplan week 46.pdf');
    expect(download.status).toBe(200);
    expect(await bytesOf(download)).toEqual(bytes);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toBe(`inline; filename="Lesplan week 46.pdf"; filename*=UTF-8''Lesplan%20week%2046.pdf`);
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(download.headers.get('content-security-policy')).toMatch(/^sandbox; default-src 'none';/);
    expect(download.headers.get('cache-control')).toMatch(/no-store/);
    expect(download.headers.get('content-length')).toBe(String(bytes.length));
    const [stored] = await deps.requests.listAttachments(request);
    expect(stored?.scanVerdict).toBe('clean');
  });

  it('serves a PNG inline as image/png and an mp4 as a download (application/octet-stream), both with nosniff', async () => {
    const { token, request } = await requested('21');
    const png = await attach(token, 'Bord van Óscar Çelik.png', PNG, 'image/png');
    const film = await attach(token, "Les van Daniëlle van 't Hoff.mp4", MP4, 'video/mp4');
    await scanned(request, png.id);
    await scanned(request, film.id);

    const image = await app.request(`/f/${token}/bijlagen/${png.id}`);
    const video = await app.request(`/f/${token}/bijlagen/${film.id}`);

    expect(video.status).toBe(200);
    expect(video.headers.get('content-type')).toBe('application/octet-stream');
    expect(video.headers.get('content-disposition')).toBe(`attachment; filename="Les van Danielle van 't Hoff.mp4"; filename*=UTF-8''Les%20van%20Dani%C3%ABlle%20van%20%27t%20Hoff.mp4`);
    expect(video.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await bytesOf(video)).toEqual(MP4);

    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('content-disposition')).toMatch(/^inline; filename="Bord van Oscar Celik.png"; filename\*=UTF-8''Bord%20van%20%C3%93scar%20%C3%87elik\.png$/);
    expect(image.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await bytesOf(image)).toEqual(PNG);
  });

  it('refuses a file declared larger than the limit, without presigning anything', async () => {
    const { token } = await requested('02');

    const declared = await declare(token, { name: 'film.mp4', size: 20 * 1024 * 1024 + 1, type: 'video/mp4' });

    expect(declared.status).toBe(400);
    expect(declared.body.error).toBe('Het bestand is groter dan 20 MB.');
    expect(declared.body.url).toBeUndefined();
    expect(declared.body.fields).toBeUndefined();
  });

  it('refuses a file that turns out larger than the limit once uploaded, deletes it and does not list it', async () => {
    const { token, request } = await requested('03');
    const bytes = pdf(5000);
    const declared = await declare(token, { name: 'verslag.pdf', size: 500, type: 'application/pdf' }, smallApp);
    expect(declared.status).toBe(200);

    const uploaded = await uploadToS3(declared.body, bytes);
    const key = uploadKeyOf(request, declared.body.id);
    const storedBeforeVerify = await existsInS3(key);
    const verified = await verify(token, declared.body.id, { name: declared.body.name, contentType: declared.body.contentType }, smallApp);

    expect(uploaded.ok).toBe(true);
    expect(storedBeforeVerify).toBe(true);
    expect(verified.status).toBe(400);
    expect(verified.body.error).toBe('Het bestand is groter dan 1 kB.');
    expect(await existsInS3(key)).toBe(false);
    expect(await existsInS3(keyOf(request, declared.body.id))).toBe(false);
    expect(await deps.requests.listAttachments(request)).toEqual([]);
    expect(await (await app.request(`/f/${token}`)).text()).not.toContain('verslag.pdf');
  });

  it('refuses a type that is not allowed (an .exe) before anything is uploaded', async () => {
    const { token } = await requested('04');

    const declared = await declare(token, { name: 'setup.exe', size: EXE.length, type: 'application/x-msdownload' });

    expect(declared.status).toBe(400);
    expect(declared.body.error).toBe('Dit bestandstype is niet toegestaan. Toegestaan: pdf, jpg, png, docx, pptx en mp4.');
    expect(declared.body.url).toBeUndefined();
  });

  it('refuses an executable renamed to .pdf after the upload, by its bytes, and deletes it', async () => {
    const { token, request } = await requested('05');
    const declared = await declare(token, { name: 'lesplan.pdf', size: EXE.length, type: 'application/pdf' });
    expect(declared.status).toBe(200);

    expect((await uploadToS3(declared.body, EXE)).ok).toBe(true);
    const verified = await verify(token, declared.body.id, { name: declared.body.name, contentType: declared.body.contentType });

    expect(verified.status).toBe(400);
    expect(verified.body.error).toBe('De inhoud van het bestand hoort niet bij een toegestaan bestandstype. Toegestaan: pdf, jpg, png, docx, pptx en mp4.');
    expect(await existsInS3(uploadKeyOf(request, declared.body.id))).toBe(false);
    expect(await existsInS3(keyOf(request, declared.body.id))).toBe(false);
    expect(await deps.requests.listAttachments(request)).toEqual([]);
  });

  it('refuses a PDF renamed to .png by its bytes, with a Dutch message, and serves nothing', async () => {
    const { token, request } = await requested('22');
    const bytes = pdf();
    const declared = await declare(token, { name: 'foto van het bord.png', size: bytes.length, type: 'image/png' });
    expect(declared.status).toBe(200);

    await uploadToS3(declared.body, bytes);
    const verified = await verify(token, declared.body.id, { name: declared.body.name, contentType: declared.body.contentType });

    expect(verified.status).toBe(400);
    expect(verified.body.error).toBe('Dit bestand is een pdf-bestand en geen png-bestand. Kies het juiste bestand.');
    expect(await existsInS3(uploadKeyOf(request, declared.body.id))).toBe(false);
    expect(await existsInS3(keyOf(request, declared.body.id))).toBe(false);
    expect(await deps.requests.listAttachments(request)).toEqual([]);
  });

  it('stores a file name with ../ and line breaks as a safe name and sends a safe Content-Disposition', async () => {
    const { token, request } = await requested('06');
    const evil = '../../../etc/passwd\r\nX-Evil: 1.pdf';
    const bytes = pdf();
    const declared = await declare(token, { name: evil, size: bytes.length, type: 'application/pdf' });
    expect(declared.status).toBe(200);
    await uploadToS3(declared.body, bytes);

    // The verify step gets the raw name again, as a hand-made request could send it.
    const verified = await verify(token, declared.body.id, { name: evil, contentType: 'application/pdf' });
    const [stored] = await deps.requests.listAttachments(request);
    await scanned(request, declared.body.id);
    const file = await app.request(`/f/${token}/bijlagen/${declared.body.id}`);

    expect(declared.body.name).toBe('passwd X-Evil 1.pdf');
    expect(verified.body.name).toBe('passwd X-Evil 1.pdf');
    expect(stored!.name).toBe('passwd X-Evil 1.pdf');
    expect(stored!.key).toBe(keyOf(request, declared.body.id));
    const disposition = file.headers.get('content-disposition')!;
    expect(disposition).toBe(`inline; filename="passwd X-Evil 1.pdf"; filename*=UTF-8''passwd%20X-Evil%201.pdf`);
    expect(file.headers.get('x-evil')).toBeNull();
  });

  it('refuses a sixth attachment, both when it is declared and when two were started while there was room for one', async () => {
    const { token, request } = await requested('07');
    for (let i = 1; i <= 4; i++) await attach(token, `foto-${i}.pdf`, pdf(i));
    const bytes = pdf();
    const fifth = await declare(token, { name: 'vijf.pdf', size: bytes.length, type: 'application/pdf' });
    const sixth = await declare(token, { name: 'zes.pdf', size: bytes.length, type: 'application/pdf' });
    await uploadToS3(fifth.body, bytes);
    await uploadToS3(sixth.body, bytes);

    const fifthVerified = await verify(token, fifth.body.id, { name: 'vijf.pdf', contentType: 'application/pdf' });
    const sixthVerified = await verify(token, sixth.body.id, { name: 'zes.pdf', contentType: 'application/pdf' });
    const seventh = await declare(token, { name: 'zeven.pdf', size: bytes.length, type: 'application/pdf' });

    expect(fifthVerified.status).toBe(200);
    expect(sixthVerified.status).toBe(409);
    expect(sixthVerified.body.error).toBe('Er zijn al 5 bijlagen; verwijder er eerst een.');
    expect(await existsInS3(uploadKeyOf(request, sixth.body.id))).toBe(false);
    expect(await existsInS3(keyOf(request, sixth.body.id))).toBe(false);
    expect(seventh.status).toBe(400);
    expect(seventh.body.error).toBe('Er zijn al 5 bijlagen; verwijder er eerst een.');
    expect(seventh.body.url).toBeUndefined();
    expect(await deps.requests.listAttachments(request)).toHaveLength(5);
  });

  it("does not serve a request's attachment to the link of another request, nor to another student's page", async () => {
    const { token, formTokens, requests } = await requested('08', ['wpb', 'so']);
    const request = requests.find((r) => r.observerRole === 'wpb')!;
    const other = await requested('09');
    const plan = await attach(token, 'lesplan.pdf', pdf());

    const viaOtherRequest = await app.request(`/f/${formTokens[1]}/bijlagen/${plan.id}`);
    const viaOtherStudent = await app.request(`/s/${other.studentToken}/bijlagen/${request.requestId}/${plan.id}`);
    const viaOtherPlacementsForm = await app.request(`/f/${other.token}/bijlagen/${plan.id}`);

    expect(viaOtherRequest.status).toBe(404);
    expect(viaOtherRequest.headers.get('location')).toBeNull();
    expect(await viaOtherRequest.text()).toContain('Deze bijlage bestaat niet.');
    expect(viaOtherStudent.status).toBe(404);
    expect(viaOtherPlacementsForm.status).toBe(404);
    await scanned(request, plan.id);
    expect((await app.request(`/f/${token}/bijlagen/${plan.id}`)).status).toBe(200);
  });

  it('refuses a cross-site or Origin-less POST to both attachment routes with a Dutch 403, and presigns nothing', async () => {
    const { token, request } = await requested('10');
    const plan = (await declare(token, { name: 'a.pdf', size: pdf().length, type: 'application/pdf' })).body;
    await uploadToS3(plan, pdf());
    const file = { name: 'a.pdf', size: 100, type: 'application/pdf' };

    const responses = [
      await postJson(app, `/f/${token}/bijlagen`, file, 'https://evil.example'),
      await postJson(app, `/f/${token}/bijlagen`, file, null),
      await postJson(app, `/f/${token}/bijlagen/${plan.id}`, { name: 'a.pdf', contentType: 'application/pdf' }, 'https://evil.example'),
      await postJson(app, `/f/${token}/bijlagen/${plan.id}`, { name: 'a.pdf', contentType: 'application/pdf' }, null),
    ];

    expect(responses.map((r) => r.status)).toEqual([403, 403, 403, 403]);
    for (const response of responses) {
      const body = await response.text();
      expect(body).toContain('niet vanaf deze website verstuurd');
      expect(body).not.toContain('X-Amz');
    }
    expect(await deps.requests.listAttachments(request)).toEqual([]);
  });

  it('refuses to start or to finish an upload after the deadline', async () => {
    const { token, request } = await requested('11');
    const bytes = pdf();
    const started = await declare(token, { name: 'laat.pdf', size: bytes.length, type: 'application/pdf' });
    await uploadToS3(started.body, bytes);
    try {
      clock.set(AFTER_DEADLINE);

      const declared = await postJson(app, `/f/${token}/bijlagen`, { name: 'nieuw.pdf', size: bytes.length, type: 'application/pdf' });
      const finished = await postJson(app, `/f/${token}/bijlagen/${started.body.id}`, { name: 'laat.pdf', contentType: 'application/pdf' });

      expect(declared.status).toBe(403);
      expect(await declared.text()).toContain('De deadline (woensdag 12 november 2025) is verstreken');
      expect(finished.status).toBe(403);
      expect(await deps.requests.listAttachments(request)).toEqual([]);
    } finally {
      clock.set(START);
    }
  });

  it('never touches a verified attachment when verify is called again with its id and a wrong name or type', async () => {
    const { token, request } = await requested('23');
    const bytes = pdf();
    const plan = await attach(token, 'lesplan.pdf', bytes);
    await scanned(request, plan.id);

    const again = [
      await verify(token, plan.id, { name: 'lesplan.exe', contentType: 'application/x-msdownload' }),
      await verify(token, plan.id, { name: 'foto.png', contentType: 'image/png' }),
      await verify(token, plan.id, { name: 'lesplan.pdf', contentType: 'application/pdf' }),
    ];

    expect(again.map((r) => r.status)).toEqual([404, 404, 404]);
    expect(again[0]!.body.error).toBe('Deze upload is onbekend of al afgerond. Kies het bestand opnieuw en upload het nog eens.');
    expect(await existsInS3(keyOf(request, plan.id))).toBe(true);
    expect((await deps.requests.listAttachments(request)).map((a) => a.name)).toEqual(['lesplan.pdf']);
    const download = await app.request(`/f/${token}/bijlagen/${plan.id}`);
    expect(download.status).toBe(200);
    expect(await bytesOf(download)).toEqual(bytes);
  });

  it("refuses a verify call with another form's upload id, and that upload stays verifiable by its own form", async () => {
    const { formTokens, requests } = await requested('24', ['wpb', 'so']);
    const [mine, theirs] = formTokens as [string, string];
    const theirRequest = requests.find((r) => r.observerRole === 'so')!;
    const bytes = pdf();
    const declared = await declare(theirs, { name: 'van de so.pdf', size: bytes.length, type: 'application/pdf' });
    await uploadToS3(declared.body, bytes);

    const foreign = await verify(mine, declared.body.id, { name: 'van de so.pdf', contentType: 'application/pdf' });

    expect(foreign.status).toBe(404);
    expect(await existsInS3(uploadKeyOf(theirRequest, declared.body.id))).toBe(true);
    for (const request of requests) expect(await deps.requests.listAttachments(request)).toEqual([]);
    const own = await verify(theirs, declared.body.id, { name: 'van de so.pdf', contentType: 'application/pdf' });
    expect(own.status).toBe(200);
    expect((await deps.requests.listAttachments(theirRequest)).map((a) => a.name)).toEqual(['van de so.pdf']);
  });

  it('acts once on 20 parallel verifies of the same upload: one attachment, the rest a Dutch 404', async () => {
    const { token, request } = await requested('25');
    const bytes = pdf();
    const declared = await declare(token, { name: 'één keer.pdf', size: bytes.length, type: 'application/pdf' });
    await uploadToS3(declared.body, bytes);

    const results = await Promise.all(
      Array.from({ length: 20 }, () => verify(token, declared.body.id, { name: declared.body.name, contentType: declared.body.contentType })),
    );

    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 404)).toHaveLength(19);
    expect(results.every((r) => r.status === 200 || /^Deze upload is onbekend/.test(r.body.error ?? ''))).toBe(true);
    expect((await deps.requests.listAttachments(request)).map((a) => a.name)).toEqual(['één keer.pdf']);
    expect(await existsInS3(keyOf(request, declared.body.id))).toBe(true);
  });

  it('stores at most 5 attachments when 12 uploads are verified at once; the rest get a Dutch 409', async () => {
    const { token, request } = await requested('26');
    const plans: UploadPlan[] = [];
    for (let i = 0; i < 12; i++) {
      const bytes = pdf(i);
      const declared = await declare(token, { name: `foto-${i}.pdf`, size: bytes.length, type: 'application/pdf' });
      expect(declared.status).toBe(200);
      expect((await uploadToS3(declared.body, bytes)).ok).toBe(true);
      plans.push(declared.body);
    }

    const results = await Promise.all(plans.map((plan) => verify(token, plan.id, { name: plan.name, contentType: plan.contentType })));

    expect(results.filter((r) => r.status === 200)).toHaveLength(5);
    const refused = results.filter((r) => r.status !== 200);
    expect(refused).toHaveLength(7);
    for (const r of refused) {
      expect(r.status).toBe(409);
      expect(r.body.error).toBe('Er zijn al 5 bijlagen; verwijder er eerst een.');
    }
    expect(await deps.requests.listAttachments(request)).toHaveLength(5);
    const served = await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `attachments/${request.schoolYear}/${request.studentNumber}/${request.requestId}/` }));
    expect(served.KeyCount).toBe(5);
  });

  it('serves the verified bytes on every route after the presigned POST is used again to swap them', async () => {
    const { token, studentToken, request, p } = await requested('27');
    const bytes = pdf(7);
    const plan = await attach(token, 'verslag.pdf', bytes);
    await submit(token);
    await scanned(request, plan.id);

    // The presigned POST is still valid: post other (allowed, even clean) bytes with it.
    const swapped = pdf(300);
    expect((await uploadToS3(plan, swapped)).ok).toBe(true);
    const session = await signIn(app, p.io.email);

    const routes = [
      await app.request(`/f/${token}/bijlagen/${plan.id}`),
      await app.request(`/s/${studentToken}/bijlagen/${request.requestId}/${plan.id}`),
      await getWithSession(app, `/overzicht/bijlage/${request.schoolYear}/${request.studentNumber}/${request.requestId}/${plan.id}`, session),
    ];

    for (const response of routes) {
      expect(response.status).toBe(200);
      expect(await bytesOf(response)).toEqual(bytes);
    }
  });

  it('lets the observer delete an attachment before submitting: the next version, the pages and S3 no longer have it', async () => {
    const { token, studentToken, request, p } = await requested('28');
    const kept = await attach(token, 'blijft.pdf', pdf(1));
    const gone = await attach(token, 'weg.pdf', pdf(2));
    await scanned(request, gone.id);
    const draft = await app.request(`/f/${token}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: TEST_ORIGIN },
      body: new URLSearchParams({ actie: 'concept', basis: '0' }).toString(),
    });
    expect(draft.status).toBe(303);

    const removed = await app.request(`/f/${token}/bijlagen/${gone.id}/verwijderen`, { method: 'POST', headers: { Origin: TEST_ORIGIN } });

    expect(removed.status).toBe(303);
    expect(removed.headers.get('location')).toBe(`/f/${token}?verwijderd=1#bijlagen`);
    expect(await existsInS3(keyOf(request, gone.id))).toBe(false);
    expect((await deps.requests.listAttachments(request)).map((a) => a.name)).toEqual(['blijft.pdf']);
    const page = await (await app.request(`/f/${token}?verwijderd=1`)).text();
    expect(page).toContain('De bijlage is verwijderd.');
    expect(page).not.toContain('weg.pdf');
    expect(page).not.toContain(gone.id);
    expect((await app.request(`/f/${token}/bijlagen/${gone.id}`)).status).toBe(404);
    await submit(token, 1);
    const versions = await deps.requests.listVersions(request);
    expect(versions[0]!.attachments.map((a) => a.name).sort()).toEqual(['blijft.pdf', 'weg.pdf']);
    expect(versions.at(-1)!.attachments.map((a) => a.name)).toEqual(['blijft.pdf']);
    const session = await signIn(app, p.io.email);
    const staffPage = await (await getWithSession(app, `/overzicht/formulier/${request.schoolYear}/${request.studentNumber}/${request.requestId}`, session)).text();
    const studentPage = await (await app.request(`/s/${studentToken}/formulieren/${request.requestId}`)).text();
    for (const html of [staffPage, studentPage]) {
      expect(html).toContain(`data-bijlage="${kept.id}"`);
      expect(html).not.toContain(gone.id);
    }
    const audit = await deps.audit.listForPlacement(request.schoolYear, request.studentNumber, { requestId: request.requestId });
    expect(audit.filter((e) => e.action === 'bijlage verwijderd').map((e) => e.detail)).toEqual(['weg.pdf']);
    // The count followed the delete: four more fit (a correction may add attachments), not five.
    const more = [];
    for (let i = 0; i < 5; i++) more.push((await verifyNew(token, `nog-${i}.pdf`)).status);
    expect(more).toEqual([200, 200, 200, 200, 400]);
    expect((await deps.requests.listAttachments(request)).map((a) => a.id)).toContain(kept.id);
  });

  it('refuses to delete an attachment once the form is submitted (Dutch 409), and keeps it', async () => {
    const { token, request } = await requested('29');
    const plan = await attach(token, 'ingediend.pdf', pdf());
    await submit(token);

    const html = await app.request(`/f/${token}/bijlagen/${plan.id}/verwijderen`, { method: 'POST', headers: { Origin: TEST_ORIGIN } });
    const json = await app.request(`/f/${token}/bijlagen/${plan.id}/verwijderen`, { method: 'POST', headers: { Origin: TEST_ORIGIN, Accept: 'application/json' } });

    expect(html.status).toBe(409);
    expect(await html.text()).toContain('Dit formulier is al ingediend: de bijlagen horen nu bij het ingediende formulier');
    expect(json.status).toBe(409);
    expect(((await json.json()) as { error: string }).error).toMatch(/^Dit formulier is al ingediend/);
    expect((await deps.requests.listAttachments(request)).map((a) => a.name)).toEqual(['ingediend.pdf']);
    expect(await existsInS3(keyOf(request, plan.id))).toBe(true);
    expect(await (await app.request(`/f/${token}`)).text()).not.toContain('/verwijderen');
  });

  it('serves nothing while the scan is pending: a Dutch 409 with Retry-After, and "wordt gecontroleerd" instead of a link', async () => {
    const { token, request } = await requested('30');
    const plan = await attach(token, 'nog niet gescand.pdf', pdf());
    const pending = appWithVerdict('pending');

    const download = await pending.request(`/f/${token}/bijlagen/${plan.id}`);
    const page = await (await pending.request(`/f/${token}`)).text();

    expect(download.status).toBe(409);
    expect(download.headers.get('retry-after')).toBe('60');
    expect(await download.text()).toContain('Deze bijlage wordt nog gecontroleerd op virussen; probeer het over een minuut opnieuw.');
    expect(page).toContain('nog niet gescand.pdf');
    expect(page).toContain('wordt gecontroleerd');
    expect(page).not.toContain(`href="/f/${token}/bijlagen/${plan.id}"`);
    expect((await deps.requests.listAttachments(request)).map((a) => [a.id, a.scanVerdict])).toEqual([[plan.id, undefined]]);
  });

  it.each([
    ['threat', 410, 'mogelijk een virus'],
    ['unscannable', 403, 'kon niet op virussen worden gecontroleerd'],
  ] as const)('never serves an attachment whose verdict is %s, and says so on the page', async (verdict, status, text) => {
    const { token, request } = await requested(verdict === 'threat' ? '31' : '32');
    const plan = await attach(token, 'verdacht.pdf', pdf());
    const blocked = appWithVerdict(verdict);

    const download = await blocked.request(`/f/${token}/bijlagen/${plan.id}`);
    const page = await (await blocked.request(`/f/${token}`)).text();

    expect(download.status).toBe(status);
    expect(await download.text()).toContain(text);
    expect(page).toContain(`geblokkeerd: ${verdict === 'threat' ? 'mogelijk een virus' : 'kon niet op virussen worden gecontroleerd'}`);
    expect(page).not.toContain(`href="/f/${token}/bijlagen/${plan.id}"`);
    // The final verdict is recorded, so even a scanner that later answers "clean" cannot undo it.
    expect((await deps.requests.listAttachments(request))[0]?.scanVerdict).toBe(verdict);
    expect((await app.request(`/f/${token}/bijlagen/${plan.id}`)).status).toBe(status);
  });

  it('records "gedownload" for a served attachment and not for a refused one', async () => {
    const { token, request } = await requested('33');
    const plan = await attach(token, 'gelogd.pdf', pdf());
    await appWithVerdict('pending').request(`/f/${token}/bijlagen/${plan.id}`);
    await scanned(request, plan.id);
    await app.request(`/f/${token}/bijlagen/${plan.id}`);

    const events = await deps.audit.listForPlacement(request.schoolYear, request.studentNumber, { requestId: request.requestId });
    expect(events.filter((e) => e.action === 'gedownload').map((e) => [e.actor, e.detail])).toEqual([['link:wpb', 'gelogd.pdf']]);
  });

  /** Declares, uploads and verifies a small PDF; returns the verify answer. */
  async function verifyNew(token: string, name: string) {
    const bytes = pdf();
    const declared = await declare(token, { name, size: bytes.length, type: 'application/pdf' });
    if (declared.status !== 200) return declared;
    await uploadToS3(declared.body, bytes);
    return verify(token, declared.body.id, { name, contentType: 'application/pdf' });
  }
});
