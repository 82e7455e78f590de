import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { getForm } from '../../../forms/index.ts';
import { getPeriod, getSchoolYear } from '../../../shared/calendar.ts';
import { MemoryMailer } from '../../../shared/mail/mailer.ts';
import { tokenFor } from '../../../shared/links.ts';
import type { RequestRecord } from '../../../shared/model/requests.ts';
import type { AwsClients } from '../../../shared/store/clients.ts';
import { CompanionWriteFailedError } from '../../../shared/store/requests.ts';
import { linkKeys, requestKeys } from '../../../shared/store/keys.ts';
import { DeadlinePassedError, loadForm, openForm, recordFormView, saveForm } from '../../../shared/usecases/form.ts';
import { RequestWithdrawnError } from '../../../shared/usecases/links.ts';
import { createRequest } from '../../../shared/usecases/observation.ts';
import { ensureStudentLink } from '../../../shared/usecases/welcome.ts';
import { appDeps } from '../../support/app.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';
import { completeFields } from '../../support/forms.ts';
import { movableClock, staffPlacement } from '../../support/staff.ts';

const YEAR = '2025-2026';
const choice = { year: getSchoolYear(YEAR)!, period: getPeriod(YEAR, 1)! };
const kijkwijzer = getForm('kijkwijzer-pedagogiek')!;

/**
 * The observer's form without HTTP: the use-cases of shared/usecases/form.ts over the real stores
 * on the local stack, asserting what is stored, recorded and sent.
 */
describe('the form use-cases: open, view, save and submit (DynamoDB Local)', () => {
  const clock = movableClock('2025-11-10T09:00');
  const mailer = new MemoryMailer();
  let clients: AwsClients;
  let tableName: string;
  let deps: ReturnType<typeof appDeps>;
  let number = 0;

  beforeAll(async () => {
    clients = localClients();
    tableName = await freshTable(clients);
    deps = appDeps(clients, { tableName, bucket: await freshBucket(clients) }, clock, { mailer });
  });

  /** A placement with its student link and one kijkwijzer asked of the WPB; the form link's token. */
  async function asked(): Promise<{ request: RequestRecord; token: string; studentLinkId: string }> {
    clock.set('2025-11-10T09:00');
    const p = staffPlacement(`8701${String(++number).padStart(2, '0')}`, 'uc');
    await deps.placements.create(p, clock.now().toString());
    const { linkId: studentLinkId } = await ensureStudentLink(deps, p);
    const request = await createRequest(deps, p, { formId: kijkwijzer.id, observerRole: 'wpb', lessonDate: '2025-11-05' }, { origin: 'student', choice });
    return { request, token: tokenFor(deps.linkSecret, request.linkId), studentLinkId };
  }

  const events = (request: RequestRecord) =>
    deps.audit.listForPlacement(request.schoolYear, request.studentNumber).then((list) => list.map((e) => [e.action, e.actor, e.detail]));

  it('opens a new form on the latest definition, empty and editable, and records "link geopend" only when asked', async () => {
    const { request, token } = await asked();

    const page = await openForm(deps, { token, recordOpened: true });
    await openForm(deps, { token, recordOpened: false });

    expect(page).toMatchObject({ request: { requestId: request.requestId, state: 'gevraagd' }, def: { id: kijkwijzer.id, version: kijkwijzer.version }, editable: true, answers: {}, attachments: [] });
    expect(await events(request)).toEqual([['link geopend', 'link:wpb', undefined]]);
  });

  it('records a person\'s view as "bekeken"', async () => {
    const { request, token } = await asked();

    await recordFormView(deps, token);

    expect(await events(request)).toEqual([['bekeken', 'link:wpb', undefined]]);
  });

  it('saves a draft as version 1 with its audit event, and opens the form with those answers', async () => {
    const { request, token } = await asked();

    const result = await saveForm(deps, { token, body: { 'a.FEEDBACK': 'Eerste indruk', basis: '0', actie: 'concept' } });

    expect(result).toEqual({ kind: 'saved', status: 'concept' });
    const versions = await deps.requests.listVersions(request);
    expect(versions.map((v) => [v.version, v.status, v.answers.FEEDBACK])).toEqual([[1, 'concept', 'Eerste indruk']]);
    expect((await deps.requests.get(YEAR, request.studentNumber, request.requestId))).toMatchObject({ state: 'concept', latestVersion: 1 });
    expect(await events(request)).toEqual([['concept opgeslagen', 'link:wpb', 'versie 1']]);
    expect((await openForm(deps, { token, recordOpened: false })).answers).toMatchObject({ FEEDBACK: 'Eerste indruk' });
  });

  it('submits on top of a draft: the request is ingediend, the observer gets a receipt and the student a notice with their page link', async () => {
    const { request, token, studentLinkId } = await asked();
    await saveForm(deps, { token, body: { 'a.FEEDBACK': 'Eerste indruk', basis: '0', actie: 'concept' } });
    mailer.sent.length = 0;

    const result = await saveForm(deps, { token, body: { ...completeFields(kijkwijzer), basis: '1', actie: 'versturen' } });

    expect(result).toEqual({ kind: 'saved', status: 'ingediend' });
    expect(await deps.requests.get(YEAR, request.studentNumber, request.requestId)).toMatchObject({ state: 'ingediend', latestVersion: 2 });
    expect(await events(request)).toEqual([
      ['ingediend', 'link:wpb', 'versie 2'],
      ['concept opgeslagen', 'link:wpb', 'versie 1'],
    ]);
    expect(mailer.sent.map((m) => [m.to, m.subject])).toEqual([
      [request.observer.email, `Ontvangen: ${kijkwijzer.title} voor ${request.student.name}`],
      [request.student.email, `${kijkwijzer.title} is ingediend door ${request.observer.name}`],
    ]);
    expect(mailer.sent[0]!.text).toContain(`/f/${token}`);
    expect(mailer.sent[1]!.text).toContain(`/s/${tokenFor(deps.linkSecret, studentLinkId)}`);
  });

  it('answers incomplete answers on a submit with their errors and the values kept, and stores nothing', async () => {
    const { request, token } = await asked();

    const result = await saveForm(deps, { token, body: { 'a.FEEDBACK': 'Alleen dit', basis: '0', actie: 'versturen' } });

    expect(result.kind).toBe('invalid');
    if (result.kind !== 'invalid') return;
    expect(result.page.answers).toMatchObject({ FEEDBACK: 'Alleen dit' });
    expect(Object.keys(result.page.errors ?? {}).length).toBeGreaterThan(0);
    expect(await deps.requests.listVersions(request)).toEqual([]);
    expect(await events(request)).toEqual([]);
  });

  it('lets one of two saves on the same version win; the other gets its answers back and stores nothing', async () => {
    const { request, token } = await asked();

    const first = await saveForm(deps, { token, body: { 'a.FEEDBACK': 'Van de eerste', basis: '0', actie: 'concept' } });
    const second = await saveForm(deps, { token, body: { 'a.FEEDBACK': 'Van de tweede', basis: '0', actie: 'concept' } });

    expect(first.kind).toBe('saved');
    expect(second).toMatchObject({ kind: 'conflict', page: { answers: { FEEDBACK: 'Van de tweede' }, conflict: expect.stringContaining('intussen door iemand anders opgeslagen') } });
    expect((await deps.requests.listVersions(request)).map((v) => v.answers.FEEDBACK)).toEqual(['Van de eerste']);
    expect(await events(request)).toEqual([['concept opgeslagen', 'link:wpb', 'versie 1']]);
  });

  it('refuses a malformed post, a draft after submitting and any save after the deadline, storing nothing', async () => {
    const { request, token } = await asked();
    await expect(saveForm(deps, { token, body: { basis: '0', actie: 'weg' } })).rejects.toThrow('Kies "Opslaan als concept" of "Versturen".');
    await expect(saveForm(deps, { token, body: { basis: '-1', actie: 'concept' } })).rejects.toThrow('onvolledig verstuurd');
    await saveForm(deps, { token, body: { ...completeFields(kijkwijzer), basis: '0', actie: 'versturen' } });
    await expect(saveForm(deps, { token, body: { basis: '1', actie: 'concept' } })).rejects.toThrow('al ingediend');

    clock.set('2025-11-13T08:00');
    await expect(saveForm(deps, { token, body: { ...completeFields(kijkwijzer), basis: '1', actie: 'versturen' } })).rejects.toThrow(DeadlinePassedError);
    expect((await openForm(deps, { token, recordOpened: false })).editable).toBe(false);

    expect((await deps.requests.listVersions(request)).length).toBe(1);
  });

  it('says the request was withdrawn, on opening and on saving, once the student withdrew it', async () => {
    const { request, token } = await asked();
    const loaded = await loadForm(deps, token);
    await deps.requests.withdraw(loaded.request, clock.now().toString());

    // The link is revoked with the withdrawal: opening the form says why.
    await expect(openForm(deps, { token, recordOpened: true })).rejects.toThrow(RequestWithdrawnError);
    await expect(saveForm(deps, { token, body: { 'a.FEEDBACK': 'Te laat', basis: '0', actie: 'concept' } })).rejects.toThrow(RequestWithdrawnError);
    expect(await deps.requests.listVersions(request)).toEqual([]);
  });

  it('reads the latest answers and the attachments of a request stored before the copies, and of a link that never saved', async () => {
    const { request, token } = await asked();
    await saveForm(deps, { token, body: { 'a.FEEDBACK': 'Oud concept', basis: '0', actie: 'concept' } });
    // As stored before this release: no version number on the link, no count and no copies on the
    // request, and an attachment item of its own.
    await clients.doc.send(new UpdateCommand({ TableName: tableName, Key: linkKeys(request.linkHash), UpdateExpression: 'REMOVE latestVersion' }));
    await clients.doc.send(
      new UpdateCommand({ TableName: tableName, Key: requestKeys.request(YEAR, request.studentNumber, request.requestId), UpdateExpression: 'REMOVE attachmentCount' }),
    );
    const attachment = { id: 'AAAAAAAAAAAAAAAAAAAAAA', key: `attachments/${YEAR}/${request.studentNumber}/oud.pdf`, name: 'oud.pdf', size: 10, type: 'application/pdf', addedAt: clock.now().toString() };
    await clients.doc.send(
      new PutCommand({ TableName: tableName, Item: { ...requestKeys.attachment(YEAR, request.studentNumber, request.requestId, attachment.id), entity: 'attachment', requestId: request.requestId, ...attachment } }),
    );

    const loaded = await loadForm(deps, token);

    expect(loaded.latest).toMatchObject({ version: 1, answers: { FEEDBACK: 'Oud concept' } });
    expect(loaded.attachments).toEqual([attachment]);
    const submitted = await saveForm(deps, { token, body: { ...completeFields(kijkwijzer), basis: '1', actie: 'versturen' } });
    expect(submitted).toEqual({ kind: 'saved', status: 'ingediend' });
    expect((await deps.requests.getVersion(request, 2))!.attachments).toEqual([attachment]);
  });

  it('saves when the link item is missing (the hint is left out), and teaches a link without the role its role', async () => {
    const { request, token } = await asked();
    // A link stored before the hints: no role on it. The first save adds it with the version.
    await clients.doc.send(new UpdateCommand({ TableName: tableName, Key: linkKeys(request.linkHash), UpdateExpression: 'REMOVE observerRole' }));
    await saveForm(deps, { token, body: { 'a.FEEDBACK': 'Eerste', basis: '0', actie: 'concept' } });
    const link = (await clients.doc.send(new GetCommand({ TableName: tableName, Key: linkKeys(request.linkHash) }))).Item;
    expect(link).toMatchObject({ observerRole: 'wpb', latestVersion: 1 });

    // Without the link item, a save with its audit event still goes through, once.
    await clients.doc.send(new DeleteCommand({ TableName: tableName, Key: linkKeys(request.linkHash) }));
    const { write } = deps.audit.prepare(request, { actor: 'link:wpb', action: 'concept opgeslagen', requestId: request.requestId, detail: 'versie 2' }, clock.now());
    const saved = await deps.requests.saveVersion(
      { ...request, latestVersion: 1 },
      1,
      { formId: kijkwijzer.id, formVersion: kijkwijzer.version, answers: { FEEDBACK: 'Tweede' }, status: 'concept', savedAt: clock.now().toString(), savedBy: request.observer.email, attachments: [] },
      { also: [write] },
    );

    expect(saved.version).toBe(2);
    expect((await deps.requests.listVersions(request)).map((v) => v.answers.FEEDBACK)).toEqual(['Eerste', 'Tweede']);
    expect(await deps.requests.get(YEAR, request.studentNumber, request.requestId)).toMatchObject({ latestVersion: 2 });
    expect((await events(request)).map(([action, , detail]) => [action, detail])).toEqual([
      ['concept opgeslagen', 'versie 2'],
      ['concept opgeslagen', 'versie 1'],
    ]);
    expect((await clients.doc.send(new GetCommand({ TableName: tableName, Key: linkKeys(request.linkHash) }))).Item).toBeUndefined();
  });

  it('saves without the audit item only when the transaction was cancelled because of that item alone, then records the event', async () => {
    const { request, token } = await asked();
    const cancelled = new TransactionCanceledException({
      message: 'Transaction cancelled',
      $metadata: {},
      CancellationReasons: [{ Code: 'None' }, { Code: 'None' }, { Code: 'None' }, { Code: 'ValidationError' }],
    });
    const spy = vi.spyOn(deps.requests, 'saveVersion').mockRejectedValueOnce(new CompanionWriteFailedError(cancelled));
    try {
      const result = await saveForm(deps, { token, body: { 'a.FEEDBACK': 'Toch bewaard', basis: '0', actie: 'concept' } });

      expect(result).toEqual({ kind: 'saved', status: 'concept' });
      expect(spy).toHaveBeenCalledTimes(2);
      expect(spy.mock.calls[1]![3]).toBeUndefined();
    } finally {
      spy.mockRestore();
    }
    expect((await deps.requests.listVersions(request)).map((v) => v.answers.FEEDBACK)).toEqual(['Toch bewaard']);
    expect(await events(request)).toEqual([['concept opgeslagen', 'link:wpb', 'versie 1']]);
  });

  it('does not save again after an error that may hide a save that went through (a timeout): the error stands', async () => {
    const { request, token } = await asked();
    const store = deps.requests;
    const real = store.saveVersion.bind(store);
    const timeout = Object.assign(new Error('socket timed out'), { name: 'TimeoutError' });
    const spy = vi.spyOn(store, 'saveVersion').mockImplementationOnce(async (...args) => {
      await real(...args);
      throw timeout;
    });
    try {
      await expect(saveForm(deps, { token, body: { 'a.FEEDBACK': 'Wel opgeslagen', basis: '0', actie: 'concept' } })).rejects.toBe(timeout);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
    expect((await deps.requests.listVersions(request)).map((v) => v.answers.FEEDBACK)).toEqual(['Wel opgeslagen']);
    expect(await events(request)).toEqual([['concept opgeslagen', 'link:wpb', 'versie 1']]);
  });
});
