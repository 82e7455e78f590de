import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/http/app.tsx';
import { attachmentKey } from '../../../shared/attachments/store.ts';
import { parseInstant, type Clock } from '../../../shared/clock.ts';
import { ensureStudentLink } from '../../../shared/requests.ts';
import { Placement } from '../../../shared/roster/placement.ts';
import type { AwsClients } from '../../../shared/store/clients.ts';
import type { RequestRecord } from '../../../shared/store/requests.ts';
import { appDeps, TEST_ORIGIN } from '../../support/app.ts';
import { freshBucket, freshTable, localClients, objectExists } from '../../support/aws.ts';
import { inboxOf, tokenIn } from '../../support/inbox.ts';

/**
 * Attachments through the routes, as the browser script does it: ask the app for a presigned POST,
 * post the file straight to S3 (s3rver), ask the app to verify it, then download it through the
 * app. s3rver ignores the policy's size and type conditions, so these tests also prove that the
 * app's own check (HeadObject + magic bytes) is the gate.
 */

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

/** What `POST /f/<token>/bijlagen` answers when it accepts the declared file. */
interface UploadPlan {
  id: string;
  name: string;
  contentType: string;
  url: string;
  fields: Record<string, string>;
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
  async function uploadToS3(plan: UploadPlan, bytes: Uint8Array): Promise<Response> {
    const form = new FormData();
    for (const [name, value] of Object.entries(plan.fields)) form.append(name, value);
    form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type: plan.contentType }), 'upload');
    return fetch(plan.url, { method: 'POST', body: form });
  }

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
    expect(verified).toEqual({ status: 200, body: { ok: true, id: declared.body.id, name: declared.body.name } });
    return declared.body;
  }

  function keyOf(request: RequestRecord, id: string): string {
    return attachmentKey({ schoolYear: request.schoolYear, studentNumber: request.studentNumber, requestId: request.requestId, attachmentId: id });
  }

  const existsInS3 = (key: string) => objectExists(clients, bucket, key);

  beforeAll(async () => {
    clients = localClients();
    const names = { tableName: await freshTable(clients), bucket: await freshBucket(clients) };
    bucket = names.bucket;
    deps = appDeps(clients, names, clock);
    app = createApp(deps);
    smallApp = createApp(appDeps(clients, names, clock, { maxUploadBytes: 1024 }));
  });

  it('uploads a file straight to S3, verifies it, lists it on the form and serves it back through a short presigned link', async () => {
    const { token, request } = await requested('01');
    const bytes = pdf();

    const plan = await attach(token, 'Lesplan week 46.pdf', bytes);
    const page = await (await app.request(`/f/${token}`)).text();
    const download = await app.request(`/f/${token}/bijlagen/${plan.id}`);

    expect(plan.fields['Content-Type']).toBe('application/pdf');
    expect(plan.fields.key).toBe(keyOf(request, plan.id));
    expect(page).toContain(`href="/f/${token}/bijlagen/${plan.id}"`);
    expect(page).toContain('Lesplan week 46.pdf');
    expect(download.status).toBe(302);
    expect(download.headers.get('cache-control')).toBe('no-store');
    const location = download.headers.get('location')!;
    expect(location).toContain('X-Amz-Expires=60');
    const file = await fetch(location);
    expect(file.status).toBe(200);
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(bytes);
    expect(file.headers.get('content-disposition')).toBe(`attachment; filename="Lesplan week 46.pdf"; filename*=UTF-8''Lesplan%20week%2046.pdf`);
    expect(file.headers.get('content-type')).toBe('application/octet-stream');
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
    const key = keyOf(request, declared.body.id);
    const storedBeforeVerify = await existsInS3(key);
    const verified = await verify(token, declared.body.id, { name: declared.body.name, contentType: declared.body.contentType }, smallApp);

    expect(uploaded.ok).toBe(true);
    expect(storedBeforeVerify).toBe(true);
    expect(verified.status).toBe(400);
    expect(verified.body.error).toBe('Het bestand is groter dan 1 kB.');
    expect(await existsInS3(key)).toBe(false);
    expect(await deps.requests.listAttachments(request)).toEqual([]);
    expect(await (await app.request(`/f/${token}`)).text()).not.toContain('verslag.pdf');
  });

  it('refuses a type that is not allowed (an .exe) before anything is uploaded', async () => {
    const { token } = await requested('04');

    const declared = await declare(token, { name: 'setup.exe', size: EXE.length, type: 'application/x-msdownload' });

    expect(declared.status).toBe(400);
    expect(declared.body.error).toBe('Dit bestandstype is niet toegestaan. Toegestaan: pdf, jpg, png, docx, pptx, mp4.');
    expect(declared.body.url).toBeUndefined();
  });

  it('refuses an executable renamed to .pdf after the upload, by its bytes, and deletes it', async () => {
    const { token, request } = await requested('05');
    const declared = await declare(token, { name: 'lesplan.pdf', size: EXE.length, type: 'application/pdf' });
    expect(declared.status).toBe(200);

    expect((await uploadToS3(declared.body, EXE)).ok).toBe(true);
    const verified = await verify(token, declared.body.id, { name: declared.body.name, contentType: declared.body.contentType });

    expect(verified.status).toBe(400);
    expect(verified.body.error).toBe('De inhoud van het bestand hoort niet bij een toegestaan bestandstype. Toegestaan: pdf, jpg, png, docx, pptx, mp4.');
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
    const file = await fetch((await app.request(`/f/${token}/bijlagen/${declared.body.id}`)).headers.get('location')!);

    expect(declared.body.name).toBe('passwd X-Evil 1.pdf');
    expect(verified.body.name).toBe('passwd X-Evil 1.pdf');
    expect(stored!.name).toBe('passwd X-Evil 1.pdf');
    expect(stored!.key).toBe(keyOf(request, declared.body.id));
    const disposition = file.headers.get('content-disposition')!;
    expect(disposition).toBe(`attachment; filename="passwd X-Evil 1.pdf"; filename*=UTF-8''passwd%20X-Evil%201.pdf`);
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
    expect(sixthVerified.status).toBe(400);
    expect(sixthVerified.body.error).toBe('Er zijn al 5 bijlagen.');
    expect(await existsInS3(keyOf(request, sixth.body.id))).toBe(false);
    expect(seventh.status).toBe(400);
    expect(seventh.body.error).toBe('Er zijn al 5 bijlagen; verwijder er eerst een.');
    expect(seventh.body.url).toBeUndefined();
    expect(await deps.requests.listAttachments(request)).toHaveLength(5);
  });

  it("does not serve a request's attachment to the link of another request, nor to another student's page", async () => {
    const { token, formTokens, request } = await requested('08', ['wpb', 'so']);
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
    expect((await app.request(`/f/${token}/bijlagen/${plan.id}`)).status).toBe(302);
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
});
