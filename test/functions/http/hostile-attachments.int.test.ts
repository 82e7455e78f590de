import { beforeAll, describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createApp } from '../../../functions/http/app.tsx';
import { attachmentKey, uploadKey } from '../../../shared/attachments/object-keys.ts';
import { getForm } from '../../../forms/index.ts';
import { ensureStudentLink } from '../../../shared/usecases/welcome.ts';
import type { AwsClients } from '../../../shared/store/clients.ts';
import { RequestStore } from '../../../shared/store/requests.ts';
import { type RequestRecord } from '../../../shared/model/requests.ts';
import { appDeps, TEST_ORIGIN } from '../../support/app.ts';
import { freshBucket, freshTable, localClients, objectExists } from '../../support/aws.ts';
import { completeFields } from '../../support/forms.ts';
import { inboxOf, tokenIn } from '../../support/inbox.ts';
import { cleanPdf, waitForScanTag } from '../../support/malware.ts';
import { getWithSession, movableClock, signIn, staffPlacement } from '../../support/staff.ts';
import { postToS3, type UploadPlan } from '../../support/uploads.ts';

/**
 * Hostile probes on the attachment path (issue 11, item 3), through the real app against the local
 * stand-ins: replays, ids of another request, races, names with control characters, methods and
 * bodies the routes do not expect. Every answer must be a 4xx with a Dutch message (never a 500),
 * nothing may be half-written, and nothing may be served that should not be.
 */

type App = ReturnType<typeof createApp>;

/** A RequestStore whose saveVersion can be held at its start (to interleave a race deterministically). */
class GatedRequestStore extends RequestStore {
  hold: { entered: () => void; release: Promise<void> } | undefined;
  override async saveVersion(...args: Parameters<RequestStore['saveVersion']>) {
    const hold = this.hold;
    if (hold) {
      this.hold = undefined;
      hold.entered();
      await hold.release;
    }
    return super.saveVersion(...args);
  }
}

describe('hostile probes on attachments', () => {
  const clock = movableClock('2025-11-10T09:00');
  let clients: AwsClients;
  let names: { tableName: string; bucket: string };
  let deps: ReturnType<typeof appDeps>;
  let app: App;
  let gated: GatedRequestStore;

  beforeAll(async () => {
    clients = localClients();
    names = { tableName: await freshTable(clients), bucket: await freshBucket(clients) };
    gated = new GatedRequestStore(clients.doc, names.tableName);
    deps = { ...appDeps(clients, names, clock), requests: gated };
    app = createApp(deps);
  });

  const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    app.request(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: TEST_ORIGIN, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  const postForm = (path: string, fields: Record<string, string>) =>
    app.request(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: TEST_ORIGIN },
      body: new URLSearchParams(fields).toString(),
    });

  /** A placement with `count` kijkwijzer requests to its WPB; form tokens from the emails. */
  async function requested(studentNumber: string, count = 1) {
    const p = staffPlacement(studentNumber, `hatt${studentNumber}`);
    await deps.placements.create(p, clock.now().toString());
    await ensureStudentLink(deps, p);
    const studentToken = tokenIn((await inboxOf(p.student.email))[0], 's');
    const tokens: string[] = [];
    for (let i = 0; i < count; i++) {
      const asked = await postForm(`/s/${studentToken}/aanvragen`, { formId: 'kijkwijzer-pedagogiek', observerRole: 'wpb', lessonDate: '2025-11-07' });
      expect(asked.status).toBe(303);
      tokens.push(tokenIn((await inboxOf(p.wpb.email)).at(-1), 'f'));
    }
    return { p, studentToken, tokens, token: tokens[0]! };
  }

  async function declare(token: string, file: { name: string; size: number; type: string }) {
    const response = await postJson(`/f/${token}/bijlagen`, file);
    return { status: response.status, body: (await response.json()) as UploadPlan & { error?: string } };
  }

  const toS3 = postToS3;

  async function verify(token: string, id: string) {
    const response = await postJson(`/f/${token}/bijlagen/${id}`, {});
    return { status: response.status, body: (await response.json()) as { ok?: true; error?: string } };
  }

  async function attach(token: string, name = 'lesplan.pdf', bytes = cleanPdf(name)) {
    const declared = await declare(token, { name, size: bytes.length, type: 'application/pdf' });
    expect(declared.status).toBe(200);
    expect((await toS3(declared.body, bytes)).ok).toBe(true);
    const verified = await verify(token, declared.body.id);
    expect(verified.status).toBe(200);
    return declared.body;
  }

  const keyOf = (r: RequestRecord, id: string) => attachmentKey({ schoolYear: r.schoolYear, studentNumber: r.studentNumber, requestId: r.requestId, attachmentId: id });
  const uploadKeyOf = (r: RequestRecord, id: string) => uploadKey({ schoolYear: r.schoolYear, studentNumber: r.studentNumber, requestId: r.requestId, attachmentId: id });
  const counted = async (r: RequestRecord) =>
    (await clients.doc.send(new GetCommand({ TableName: names.tableName, Key: { PK: `PLC#${r.schoolYear}#${r.studentNumber}`, SK: `REQ#${r.requestId}` } }))).Item?.attachmentCount as number | undefined;

  /** The single request of a placement with one request. */
  const onlyRequest = async (p: { schoolYear: string; studentNumber: string }) => (await deps.requests.listForPlacement(p.schoolYear, p.studentNumber))[0]!;

  it('a replayed verify finds nothing and leaves the verified attachment listed and stored', async () => {
    const { p, token } = await requested('8801');
    const plan = await attach(token);
    const request = await onlyRequest(p);

    const replays = await Promise.all([verify(token, plan.id), verify(token, plan.id), verify(token, plan.id)]);

    for (const replay of replays) {
      expect(replay.status).toBe(404);
      expect(replay.body.error).toMatch(/onbekend of al afgerond/);
    }
    expect((await deps.requests.listAttachments(request)).map((a) => a.id)).toEqual([plan.id]);
    expect(await objectExists(clients, names.bucket, keyOf(request, plan.id))).toBe(true);
    expect(await counted(request)).toBe(1);
  });

  it("a verify or delete with another request's attachment id touches nothing of that request", async () => {
    const a = await requested('8802');
    const b = await requested('8803');
    const requestA = await onlyRequest(a.p);
    const verified = await attach(a.token);
    const pending = await declare(a.token, { name: 'tweede.pdf', size: cleanPdf().length, type: 'application/pdf' });
    expect((await toS3(pending.body, cleanPdf('tweede'))).ok).toBe(true);

    const crossVerify = await verify(b.token, pending.body.id);
    const crossDeleteJson = await postJson(`/f/${b.token}/bijlagen/${verified.id}/verwijderen`, {}, { Accept: 'application/json' });
    const crossDeletePage = await postForm(`/f/${b.token}/bijlagen/${verified.id}/verwijderen`, {});
    const crossDownload = await app.request(`/f/${b.token}/bijlagen/${verified.id}`);
    const crossStudent = await app.request(`/s/${b.studentToken}/bijlagen/${requestA.requestId}/${verified.id}`);

    expect(crossVerify.status).toBe(404);
    expect(crossDeleteJson.status).toBe(404);
    expect(((await crossDeleteJson.json()) as { error: string }).error).toMatch(/bestaat niet/);
    expect(crossDeletePage.status).toBe(404);
    expect(await crossDeletePage.text()).toMatch(/bestaat niet/);
    expect(crossDownload.status).toBe(404);
    expect(crossStudent.status).toBe(404);
    // A's pending upload is still A's to verify, and A's attachment is untouched.
    expect((await verify(a.token, pending.body.id)).status).toBe(200);
    expect((await deps.requests.listAttachments(requestA)).map((x) => x.id).sort()).toEqual([verified.id, pending.body.id].sort());
    expect(await objectExists(clients, names.bucket, keyOf(requestA, verified.id))).toBe(true);
    expect(await counted(requestA)).toBe(2);
  });

  it('two parallel deletes of one attachment: one removes it, the other is a Dutch 404; the count stays right', async () => {
    const { p, token } = await requested('8804');
    const plan = await attach(token);
    await attach(token, 'blijft.pdf');
    const request = await onlyRequest(p);

    const answers = await Promise.all(
      [0, 1, 2].map(() => postJson(`/f/${token}/bijlagen/${plan.id}/verwijderen`, {}, { Accept: 'application/json' })),
    );

    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 404, 404]);
    for (const answer of answers) expect(answer.headers.get('content-type')).toMatch(/application\/json/);
    expect((await deps.requests.listAttachments(request)).map((a) => a.name)).toEqual(['blijft.pdf']);
    expect(await counted(request)).toBe(1);
    expect(await objectExists(clients, names.bucket, keyOf(request, plan.id))).toBe(false);
  });

  it('twenty uploads verified in parallel store exactly five; the rest are Dutch 409s and their bytes are gone', async () => {
    const { p, token } = await requested('8805');
    const request = await onlyRequest(p);
    const plans = await Promise.all(
      Array.from({ length: 20 }, (_, i) => i + 1).map(async (n) => {
        const bytes = cleanPdf(`bestand ${n}`);
        const declared = await declare(token, { name: `bestand-${n}.pdf`, size: bytes.length, type: 'application/pdf' });
        expect(declared.status).toBe(200);
        expect((await toS3(declared.body, bytes)).ok).toBe(true);
        return declared.body;
      }),
    );

    const verified = await Promise.all(plans.map((plan) => verify(token, plan.id)));

    const refused = verified.filter((v) => v.status !== 200);
    expect(refused).toHaveLength(15);
    for (const r of refused) {
      expect(r.status).toBe(409);
      expect(r.body.error).toMatch(/al 5 bijlagen/);
    }
    const listed = await deps.requests.listAttachments(request);
    expect(listed).toHaveLength(5);
    expect(await counted(request)).toBe(5);
    for (const [index, plan] of plans.entries()) {
      if (verified[index]!.status === 200) continue;
      expect(await objectExists(clients, names.bucket, keyOf(request, plan.id))).toBe(false);
      expect(await objectExists(clients, names.bucket, uploadKeyOf(request, plan.id))).toBe(false);
    }
    // A seventh declared now is refused before anything is presigned.
    const seventh = await declare(token, { name: 'zeven.pdf', size: 100, type: 'application/pdf' });
    expect(seventh.status).toBe(400);
    expect(seventh.body.url).toBeUndefined();
  });

  it('a presigned POST reused after verification changes nothing that is served, and its verify is spent', async () => {
    const { p, token } = await requested('8806');
    const request = await onlyRequest(p);
    const original = cleanPdf('origineel');
    const plan = await attach(token, 'origineel.pdf', original);
    await waitForScanTag(clients.s3, names.bucket, keyOf(request, plan.id));

    expect((await toS3(plan, cleanPdf('vervangen na de controle'))).ok).toBe(true);
    const again = await verify(token, plan.id);
    const download = await app.request(`/f/${token}/bijlagen/${plan.id}`);

    expect(again.status).toBe(404);
    expect(download.status).toBe(200);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(original);
  });

  it('bytes written over the served key behind the app (s3rver ignores the POST policy) are never served', async () => {
    const { p, token, studentToken } = await requested('8807');
    const request = await onlyRequest(p);
    const plan = await attach(token, 'echt.pdf', cleanPdf('echt'));
    await waitForScanTag(clients.s3, names.bucket, keyOf(request, plan.id));
    const submitted = await postForm(`/f/${token}`, { ...completeFields(getForm('kijkwijzer-pedagogiek')!), actie: 'versturen', basis: '0' });
    expect(submitted.status).toBe(303);
    expect((await app.request(`/f/${token}/bijlagen/${plan.id}`)).status).toBe(200);

    // Real S3 refuses a key outside the policy; s3rver does not: the ETag pin is the last gate.
    const swapped = cleanPdf('untergeschoben');
    expect((await toS3(plan, swapped, { key: keyOf(request, plan.id) })).ok).toBe(true);
    const viaForm = await app.request(`/f/${token}/bijlagen/${plan.id}`);
    const viaStudent = await app.request(`/s/${studentToken}/bijlagen/${request.requestId}/${plan.id}`);

    for (const response of [viaForm, viaStudent]) {
      expect(response.status).toBe(409);
      const text = await response.text();
      expect(text).toMatch(/gewijzigd en wordt daarom niet getoond/);
      expect(text).not.toContain('untergeschoben');
    }
  });

  it('file names with CR, LF, NUL, U+2028 and U+202E are cleaned: no header injection, no reversed extension', async () => {
    const { p, token } = await requested('8808');
    const request = await onlyRequest(p);
    const hostile = ['lesplan\r\nSet-Cookie: x=1\r\n.pdf', 'a\u0000b\u2028c.pdf', 'verslag\u202Efdp.exe.pdf', '"<script>alert(1)</script>".pdf'];
    const plans = [];
    for (const name of hostile) plans.push(await attach(token, name));
    for (const plan of plans) await waitForScanTag(clients.s3, names.bucket, keyOf(request, plan.id));

    for (const plan of plans) {
      expect(plan.name).not.toMatch(/[\p{Cc}\u2028\u202E"<>]/u);
      expect(plan.name.endsWith('.pdf')).toBe(true);
      const download = await app.request(`/f/${token}/bijlagen/${plan.id}`);
      expect(download.status).toBe(200);
      expect(download.headers.get('set-cookie')).toBeNull();
      expect(download.headers.get('content-disposition')).not.toMatch(/\p{Cc}/u);
      await download.arrayBuffer();
    }
    expect(plans.map((x) => x.name)).toEqual(['lesplan Set-Cookie x=1.pdf', 'a b c.pdf', 'verslagfdp.exe.pdf', 'script.pdf']);
    const page = await (await app.request(`/f/${token}`)).text();
    expect(page).not.toContain('<script>alert(1)');
  });

  it('a file name of 1,000 characters is shortened; one above that, and bodies that are not the expected JSON, are Dutch 4xx', async () => {
    const { token } = await requested('8809');

    const long = await declare(token, { name: `${'x'.repeat(996)}.pdf`, size: 10, type: 'application/pdf' });
    expect(long.status).toBe(200);
    expect([...long.body.name].length).toBeLessThanOrEqual(120);
    expect(long.body.name.endsWith('.pdf')).toBe(true);

    const bad: unknown[] = [
      { name: `${'x'.repeat(1001)}.pdf`, size: 10, type: 'application/pdf' },
      null,
      [],
      'x',
      '{"name":',
      { name: {}, size: 10, type: 'application/pdf' },
      { name: 'a.pdf', size: -1, type: 'application/pdf' },
      { name: 'a.pdf', size: 1.5, type: 'application/pdf' },
      { name: 'a.pdf', size: 1e300, type: 'application/pdf' },
      { name: 'a.pdf', size: '10', type: 'application/pdf' },
      { name: 'a.exe', size: 10, type: 'application/pdf' },
      { name: 'a.pdf', size: 10, type: 'image/png' },
      { name: 'a.pdf', size: 10, type: 'application/pdf'.padEnd(201, ' ') },
      { name: '.pdf', size: 0, type: 'application/pdf' },
    ];
    for (const body of bad) {
      const response = await postJson(`/f/${token}/bijlagen`, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const text = await response.text();
      expect(text).not.toMatch(/Error|at .*\.ts|stack/);
      expect(text).toMatch(/bestand|Bestand/);
    }
    // A body above the JSON limit is refused unread.
    const huge = await postJson(`/f/${token}/bijlagen`, { name: 'x'.repeat(20_000), size: 1, type: 'application/pdf' });
    expect(huge.status).toBe(413);
  });

  it('verifying an id that never existed, or one with odd characters, is a Dutch 404 in JSON', async () => {
    const { token } = await requested('8810');
    for (const id of ['AAAAAAAAAAAAAAAAAAAAAA', 'x'.repeat(500), '..%2F..%2Fetc', '%00', '%E2%80%AE']) {
      const answer = await postJson(`/f/${token}/bijlagen/${id}`, {});
      expect(answer.status, id).toBe(404);
      expect(((await answer.json()) as { error: string }).error).toMatch(/onbekend/);
      const removed = await postJson(`/f/${token}/bijlagen/${id}/verwijderen`, {}, { Accept: 'application/json' });
      expect(removed.status, id).toBe(404);
    }
  });

  it('methods the attachment routes do not expect are Dutch 404 pages, and HEAD serves headers without logging a download', async () => {
    const { p, token } = await requested('8811');
    const request = await onlyRequest(p);
    const plan = await attach(token);
    await waitForScanTag(clients.s3, names.bucket, keyOf(request, plan.id));
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      for (const path of [`/f/${token}/bijlagen/${plan.id}`, `/f/${token}/bijlagen`, `/f/${token}`]) {
        const response = await app.request(path, { method, headers: { Origin: TEST_ORIGIN } });
        expect(response.status, `${method} ${path}`).toBe(404);
        expect(await response.text()).toMatch(/Niet gevonden/);
      }
    }
    const head = await app.request(`/f/${token}/bijlagen/${plan.id}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('application/pdf');
    expect((await head.arrayBuffer()).byteLength).toBe(0);
    const events = await deps.audit.listForPlacement(request.schoolYear, request.studentNumber);
    expect(events.filter((e) => e.action === 'gedownload')).toHaveLength(0);
    // Still listed after all that.
    expect((await deps.requests.listAttachments(request)).map((a) => a.id)).toEqual([plan.id]);
  });

  it("the student cannot download an attachment of a form that is not submitted yet (the staff route cannot either)", async () => {
    const { p, token, studentToken } = await requested('8812');
    const request = await onlyRequest(p);
    const plan = await attach(token);
    await waitForScanTag(clients.s3, names.bucket, keyOf(request, plan.id));
    const session = await signIn(app, p.io.email);

    const student = await app.request(`/s/${studentToken}/bijlagen/${request.requestId}/${plan.id}`);
    const staff = await getWithSession(app, `/overzicht/bijlage/${request.schoolYear}/${request.studentNumber}/${request.requestId}/${plan.id}`, session);

    expect(staff.status).toBe(404);
    expect(student.status).toBe(404);
    expect(await student.text()).toMatch(/niet|Niet/);
  });

  it('an attachment deleted while the submit is under way never stays referenced by the submitted version', async () => {
    const { p, token } = await requested('8813');
    const request = await onlyRequest(p);
    const gone = await attach(token, 'weg.pdf');
    const kept = await attach(token, 'blijft.pdf');

    let entered!: () => void;
    const atSave = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    gated.hold = { entered, release: new Promise<void>((resolve) => (release = resolve)) };
    const submitting = postForm(`/f/${token}`, { ...completeFields(getForm('kijkwijzer-pedagogiek')!), actie: 'versturen', basis: '0' });
    await atSave;
    const removed = await postJson(`/f/${token}/bijlagen/${gone.id}/verwijderen`, {}, { Accept: 'application/json' });
    release();
    const submitted = await submitting;

    // The delete won (the form was not submitted yet); the submit is a Dutch 409 and writes nothing.
    expect(removed.status).toBe(200);
    expect(submitted.status).toBe(409);
    const page = await submitted.text();
    expect(page).toContain('Een bijlage is intussen verwijderd, dus er is niets opgeslagen.');
    expect(page).not.toContain('door iemand anders opgeslagen');
    const current = (await deps.requests.get(request.schoolYear, request.studentNumber, request.requestId))!;
    expect(current.state).toBe('gevraagd');
    expect(current.latestVersion).toBe(0);
    expect((await deps.requests.listAttachments(request)).map((a) => a.id)).toEqual([kept.id]);

    // Submitted again, the version lists exactly what is there.
    const again = await postForm(`/f/${token}`, { ...completeFields(getForm('kijkwijzer-pedagogiek')!), actie: 'versturen', basis: '0' });
    expect(again.status).toBe(303);
    const version = (await deps.requests.getVersion(request, 1))!;
    expect(version.attachments.map((a) => a.id)).toEqual([kept.id]);
  });

  it('a verify for bytes never uploaded is a Dutch 400 in JSON; a verify after the student withdrew the request is the 410 page', async () => {
    const { p, token, studentToken } = await requested('8814');
    const request = await onlyRequest(p);
    const never = await declare(token, { name: 'nooit.pdf', size: 100, type: 'application/pdf' });
    const verifiedNever = await verify(token, never.body.id);
    expect(verifiedNever.status).toBe(400);
    expect(verifiedNever.body.error).toMatch(/niet gevonden/);

    const late = await declare(token, { name: 'te-laat.pdf', size: cleanPdf().length, type: 'application/pdf' });
    expect((await toS3(late.body, cleanPdf())).ok).toBe(true);
    const withdrawn = await postForm(`/s/${studentToken}/aanvragen/${request.requestId}/intrekken`, { bevestigd: 'ja' });
    expect(withdrawn.status).toBe(303);
    const afterWithdrawal = await postJson(`/f/${token}/bijlagen/${late.body.id}`, {});
    expect(afterWithdrawal.status).toBe(410);
    expect(await afterWithdrawal.text()).toMatch(/ingetrokken/);
    expect(await deps.requests.listAttachments(request)).toHaveLength(0);
    expect(await objectExists(clients, names.bucket, keyOf(request, late.body.id))).toBe(false);
  });

  it('after the deadline no upload is declared, verified or removed: Dutch 403s that change nothing', async () => {
    const { p, token } = await requested('8815');
    const request = await onlyRequest(p);
    const kept = await attach(token, 'blijft.pdf');
    const pending = await declare(token, { name: 'laat.pdf', size: cleanPdf().length, type: 'application/pdf' });
    expect((await toS3(pending.body, cleanPdf())).ok).toBe(true);
    clock.set('2025-11-13T08:00');
    try {
      const declared = await postJson(`/f/${token}/bijlagen`, { name: 'na.pdf', size: 10, type: 'application/pdf' });
      const verified = await postJson(`/f/${token}/bijlagen/${pending.body.id}`, {});
      const removed = await postForm(`/f/${token}/bijlagen/${kept.id}/verwijderen`, {});
      for (const response of [declared, verified, removed]) {
        expect(response.status).toBe(403);
        expect(await response.text()).toMatch(/deadline/);
      }
    } finally {
      clock.set('2025-11-10T09:00');
    }
    expect((await deps.requests.listAttachments(request)).map((a) => a.id)).toEqual([kept.id]);
  });
});
