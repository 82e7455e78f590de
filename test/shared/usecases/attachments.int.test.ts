import { beforeAll, describe, expect, it } from 'vitest';
import { getForm } from '../../../forms/index.ts';
import type { ScanVerdict } from '../../../shared/attachments/scan.ts';
import { AttachmentBlockedError, ScanPendingError } from '../../../shared/attachments/serve.ts';
import { getPeriod, getSchoolYear } from '../../../shared/calendar.ts';
import { tokenFor } from '../../../shared/links.ts';
import { MemoryMailer } from '../../../shared/mail/mailer.ts';
import { AttachmentNotRemovableError, type RequestRecord } from '../../../shared/model/requests.ts';
import type { AwsClients } from '../../../shared/store/clients.ts';
import { openAttachment, openFormAttachment, removeAttachment, requestUpload, verifyUpload } from '../../../shared/usecases/attachments.ts';
import { DeadlinePassedError, loadForm, saveForm } from '../../../shared/usecases/form.ts';
import { createRequest } from '../../../shared/usecases/observation.ts';
import { appDeps } from '../../support/app.ts';
import { freshBucket, freshTable, localClients, objectExists } from '../../support/aws.ts';
import { completeFields } from '../../support/forms.ts';
import { cleanPdf, waitForScanTag } from '../../support/malware.ts';
import { movableClock, staffPlacement } from '../../support/staff.ts';
import { postToS3 } from '../../support/uploads.ts';

const YEAR = '2025-2026';
const choice = { year: getSchoolYear(YEAR)!, period: getPeriod(YEAR, 1)! };
const kijkwijzer = getForm('kijkwijzer-pedagogiek')!;

/**
 * The attachment use-cases without HTTP, over the real stores on the local stack (DynamoDB Local,
 * s3rver and its ClamAV tagger): what is stored in the table and the bucket, and what is served.
 */
describe('the attachment use-cases: plan, verify, remove, open (local stack)', () => {
  const clock = movableClock('2025-11-10T09:00');
  let clients: AwsClients;
  let bucket: string;
  let deps: ReturnType<typeof appDeps>;
  let number = 0;

  beforeAll(async () => {
    clients = localClients();
    bucket = await freshBucket(clients);
    deps = appDeps(clients, { tableName: await freshTable(clients), bucket }, clock, { mailer: new MemoryMailer() });
  });

  async function asked(): Promise<{ request: RequestRecord; token: string }> {
    clock.set('2025-11-10T09:00');
    const p = staffPlacement(`8702${String(++number).padStart(2, '0')}`, 'ucatt');
    await deps.placements.create(p, clock.now().toString());
    const request = await createRequest(deps, p, { formId: kijkwijzer.id, observerRole: 'wpb', lessonDate: '2025-11-05' }, { origin: 'student', choice });
    return { request, token: tokenFor(deps.linkSecret, request.linkId) };
  }

  /** Plans, uploads and verifies a clean PDF; returns the stored attachment. */
  async function attached(token: string, name = 'lesplan.pdf') {
    const bytes = cleanPdf(name);
    const plan = await requestUpload(deps, { token, file: { name, size: bytes.length, type: 'application/pdf' } });
    if (plan.kind !== 'planned') throw new Error(`not planned: ${plan.error}`);
    expect((await postToS3(plan, bytes)).ok).toBe(true);
    const verified = await verifyUpload(deps, { token, id: plan.id });
    if (verified.kind !== 'verified') throw new Error(`not verified: ${verified.error}`);
    return verified.attachment;
  }

  const events = (request: RequestRecord) =>
    deps.audit.listForPlacement(request.schoolYear, request.studentNumber).then((list) => list.map((e) => [e.action, e.detail]));

  it('plans an upload, verifies it once, lists it on the form and serves it once its scan is clean, recording "gedownload"', async () => {
    const { request, token } = await asked();

    const attachment = await attached(token);

    expect((await loadForm(deps, token)).attachments).toEqual([attachment]);
    expect(await objectExists(clients, bucket, attachment.key)).toBe(true);
    expect(await verifyUpload(deps, { token, id: attachment.id })).toMatchObject({ kind: 'refused', status: 404 });
    expect(await waitForScanTag(clients.s3, bucket, attachment.key)).toBe('NO_THREATS_FOUND');
    // A HEAD opens it without recording; a GET records it.
    const head = await openAttachment(deps, { request, attachmentId: attachment.id, actor: 'link:wpb', record: false });
    await head.opened.body.cancel();
    const served = await openFormAttachment(deps, { token, attachmentId: attachment.id, record: true });
    await served.opened.body.cancel();
    expect(served).toMatchObject({ attachment: { id: attachment.id, name: 'lesplan.pdf' }, inline: true });
    expect(await events(request)).toEqual([['gedownload', 'lesplan.pdf']]);
    // The verdict is recorded on the list the form reads, so the page need not ask S3 again.
    expect((await loadForm(deps, token)).attachments).toEqual([{ ...attachment, scanVerdict: 'clean' }]);
  });

  it('refuses a declared file that is too large or of a type not accepted, and presigns nothing', async () => {
    const { token } = await asked();

    expect(await requestUpload(deps, { token, file: { name: 'groot.pdf', size: deps.maxUploadBytes + 1, type: 'application/pdf' } })).toMatchObject({ kind: 'refused', status: 400 });
    expect(await requestUpload(deps, { token, file: { name: 'virus.exe', size: 10, type: 'application/octet-stream' } })).toMatchObject({ kind: 'refused', status: 400 });
    await expect(requestUpload(deps, { token, file: 'geen bestand' })).rejects.toThrow('Kies een bestand om te uploaden.');
    expect((await loadForm(deps, token)).attachments).toEqual([]);
  });

  it('serves nothing while the scan is pending or after it found a threat, and records no download', async () => {
    const { request, token } = await asked();
    const attachment = await attached(token);
    const withVerdict = (verdict: ScanVerdict) => ({ ...deps, scans: { verdict: () => Promise.resolve(verdict) } });

    await expect(openFormAttachment(withVerdict('pending'), { token, attachmentId: attachment.id, record: true })).rejects.toThrow(ScanPendingError);
    await expect(openFormAttachment(withVerdict('threat'), { token, attachmentId: attachment.id, record: true })).rejects.toThrow(AttachmentBlockedError);

    expect(await events(request)).toEqual([]);
  });

  it('removes an attachment before submitting: gone from the form and from the bucket, with an audit event', async () => {
    const { request, token } = await asked();
    const attachment = await attached(token, 'weg.pdf');

    const result = await removeAttachment(deps, { token, id: attachment.id });

    expect(result).toEqual({ kind: 'removed', attachment });
    expect((await loadForm(deps, token)).attachments).toEqual([]);
    expect(await objectExists(clients, bucket, attachment.key)).toBe(false);
    expect(await events(request)).toEqual([['bijlage verwijderd', 'weg.pdf']]);
    expect(await removeAttachment(deps, { token, id: attachment.id })).toMatchObject({ kind: 'refused', status: 404 });
  });

  it('keeps the attachments of a submitted form: a removal is refused with a Dutch 409', async () => {
    const { request, token } = await asked();
    const attachment = await attached(token);
    await saveForm(deps, { token, body: { ...completeFields(kijkwijzer), basis: '0', actie: 'versturen' } });

    const result = await removeAttachment(deps, { token, id: attachment.id });

    expect(result).toMatchObject({ kind: 'refused', status: 409, cause: expect.any(AttachmentNotRemovableError) });
    expect((await loadForm(deps, token)).attachments).toEqual([attachment]);
    expect((await deps.requests.getVersion(request, 1))!.attachments).toEqual([attachment]);
  });

  it('refuses to plan, verify or remove after the deadline', async () => {
    const { token } = await asked();
    const attachment = await attached(token);
    clock.set('2025-11-13T08:00');

    await expect(requestUpload(deps, { token, file: { name: 'laat.pdf', size: 10, type: 'application/pdf' } })).rejects.toThrow(DeadlinePassedError);
    await expect(verifyUpload(deps, { token, id: 'BBBBBBBBBBBBBBBBBBBBBB' })).rejects.toThrow(DeadlinePassedError);
    await expect(removeAttachment(deps, { token, id: attachment.id })).rejects.toThrow(DeadlinePassedError);
    expect((await loadForm(deps, token)).attachments).toEqual([attachment]);
  });
});
