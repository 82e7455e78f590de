import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { allForms } from '../../../forms/index.ts';
import { getPeriod, getSchoolYear } from '../../../shared/calendar.ts';
import { liveContent } from '../../../shared/content/live.ts';
import { readYearWorkbook, yearToWorkbook } from '../../../shared/content/year-workbook.ts';
import { NotFoundError } from '../../../shared/errors.ts';
import { findItem } from '../../../shared/forms/definition.ts';
import { readFormWorkbook } from '../../../shared/forms/xlsform.ts';
import { tokenFor } from '../../../shared/links.ts';
import { MemoryMailer } from '../../../shared/mail/mailer.ts';
import { purgeSchoolYear } from '../../../shared/retention/purge.ts';
import { CONTENT_BUSY_MESSAGE, ContentConflictError } from '../../../shared/store/content.ts';
import { auditKeys, contentKeys, keys } from '../../../shared/store/keys.ts';
import {
  checkFormUpload,
  checkYearUpload,
  exportForm,
  exportYear,
  getFormConcept,
  getYearConcept,
  listForms,
  listYears,
  publishForm,
  publishYear,
  uploadForm,
  uploadYear,
} from '../../../shared/usecases/content.ts';
import { openForm, saveForm } from '../../../shared/usecases/form.ts';
import { createRequest } from '../../../shared/usecases/observation.ts';
import { exportOverview } from '../../../shared/usecases/overview.ts';
import { ensureStudentLink } from '../../../shared/usecases/welcome.ts';
import { appDeps } from '../../support/app.ts';
import { freshBucket, freshTable, localClients, objectExists } from '../../support/aws.ts';
import { shiftedYear } from '../../support/content.ts';
import { cellAt, editWorkbook, openWorkbook, rowWhere, sheet } from '../../support/edit-workbook.ts';
import { completeFields } from '../../support/forms.ts';
import { movableClock, staffPlacement } from '../../support/staff.ts';

const ADMIN = 'Coordinator.Zoe@HR.example.nl';
const OTHER_ADMIN = 'tweede.beheerder@hr.example.nl';
const FORM = 'kijkwijzer-didactiek';
const NEW_LABEL = "Geeft een heldere uitleg, met voorbeelden uit de klas van 't Hoge Land";
const NEW_ITEM = 'Controleert of Zoë en Çelik de uitleg begrepen hebben';
const NEW_INTRO = 'Kijk naar de hele les.\nLet vooral op de uitleg en de afsluiting.';
const YEAR = '2025-2026';
const choice = { year: getSchoolYear(YEAR)!, period: getPeriod(YEAR, 1)! };

/**
 * The content use-cases without HTTP, over the real table and bucket: a workbook downloaded,
 * edited as a coordinator would, uploaded, published; what the table, the bucket, the live content
 * and the requests then hold.
 */
describe('publishing forms and school years as workbooks (DynamoDB Local, S3)', () => {
  const clients = localClients();
  afterEach(() => vi.restoreAllMocks());

  /** A table and bucket of their own, and the app's deps over them. */
  async function setup() {
    const clock = movableClock('2025-11-10T09:00');
    const tableName = await freshTable(clients);
    const bucket = await freshBucket(clients);
    const deps = appDeps(clients, { tableName, bucket }, clock, { mailer: new MemoryMailer(), adminEmails: [ADMIN] });
    await deps.content.refresh();
    const partition = async (pk: string) =>
      (await clients.doc.send(new QueryCommand({ TableName: tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true }))).Items ?? [];
    const contentObjects = async () => ((await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'content/' }))).Contents ?? []).map((o) => o.Key!);
    return { clock, tableName, bucket, deps, partition, contentObjects };
  }

  /** The shipped kijkwijzer didactiek (version 1) as downloaded, with DID-1 reworded, DID-9 added after DID-3 and a new intro. */
  async function editedDidactiek(deps: Awaited<ReturnType<typeof setup>>['deps']): Promise<Uint8Array> {
    const { bytes } = await exportForm(deps, { formId: FORM, version: 1 });
    return editWorkbook(bytes, (workbook) => {
      const survey = sheet(workbook, 'survey');
      cellAt(survey, rowWhere(survey, 'name', 'DID-1'), 'label').value = NEW_LABEL;
      survey.spliceRows(rowWhere(survey, 'name', 'DID-3') + 1, 0, ['select_one schaal', 'DID-9', NEW_ITEM, null, 'ja']);
      cellAt(sheet(workbook, 'settings'), 2, 'intro').value = NEW_INTRO;
    });
  }

  async function concept(deps: Awaited<ReturnType<typeof setup>>['deps'], by = ADMIN): Promise<string> {
    const upload = await uploadForm(deps, { fileName: 'C:\\Users\\zoë\\didactiek nieuw.xlsx', bytes: await editedDidactiek(deps), by });
    if (upload.kind !== 'concept') throw new Error(`not a concept: ${JSON.stringify(upload)}`);
    return upload.uploadId;
  }

  it('publishes an edited shipped workbook as version 2: this process sees it at once, another after its expiry; the event, the file and the list say so', async () => {
    const { deps, partition, contentObjects } = await setup();
    let now = 0;
    const otherContainer = liveContent({ forms: allForms }, deps.contentStore, { ttlMs: 60_000, now: () => now });
    await otherContainer.refresh();

    const upload = await uploadForm(deps, { fileName: 'C:\\Users\\zoë\\didactiek nieuw.xlsx', bytes: await editedDidactiek(deps), by: ADMIN });
    expect(upload).toMatchObject({ kind: 'concept', nextVersion: 2, definition: { id: FORM, version: 2, intro: NEW_INTRO } });
    expect(upload.kind === 'concept' && upload.changes).toEqual([
      'De inleiding is gewijzigd.',
      `Nieuwe tekst voor DID-1: "${allForms.find((d) => d.id === FORM)!.sections[0]!.items[0]!.label}" wordt "${NEW_LABEL}".`,
      `Nieuw: DID-9 "${NEW_ITEM}".`,
    ]);
    const uploadId = upload.kind === 'concept' ? upload.uploadId : '';
    const shown = await getFormConcept(deps, uploadId);
    expect(shown).toMatchObject({ formId: FORM, nextVersion: 2, outdated: false, fileName: 'didactiek nieuw.xlsx', uploadedBy: 'coordinator.zoe@hr.example.nl', baseVersion: 1 });
    expect((await listForms(deps)).find((entry) => entry.formId === FORM)?.concepts).toMatchObject([{ uploadId, fileName: 'didactiek nieuw.xlsx', baseVersion: 1 }]);
    // Nothing is live before the publication.
    expect(deps.forms.get(FORM)?.version).toBe(1);

    expect(await publishForm(deps, { uploadId, by: ADMIN })).toEqual({ formId: FORM, version: 2 });

    const live = deps.forms.get(FORM)!;
    expect([live.version, live.intro, findItem(live, 'DID-1')?.label, findItem(live, 'DID-9')?.label]).toEqual([2, NEW_INTRO, NEW_LABEL, NEW_ITEM]);
    expect(deps.forms.get(FORM, 1)?.intro).not.toBe(NEW_INTRO);
    expect(otherContainer.forms.get(FORM)?.version).toBe(1);
    now += 60_000;
    await otherContainer.refresh();
    expect(otherContainer.forms.get(FORM)).toEqual(live);

    expect((await partition(contentKeys.partition())).map((item) => [item.SK, item.publishedBy, item.fileName])).toEqual([
      ['FORM#kijkwijzer-didactiek#V#0002', 'coordinator.zoe@hr.example.nl', 'didactiek nieuw.xlsx'],
    ]);
    expect((await partition(auditKeys.partition({ content: true }))).map((event) => [event.action, event.actor, event.detail])).toEqual([
      ['gepubliceerd', 'coordinator.zoe@hr.example.nl', 'formulier kijkwijzer-didactiek versie 2 (Kijkwijzer didactiek), uit didactiek nieuw.xlsx'],
    ]);
    // The concept is gone; the uploaded bytes stay as evidence.
    expect(await partition(contentKeys.draftPartition())).toEqual([]);
    await expect(getFormConcept(deps, uploadId)).rejects.toBeInstanceOf(NotFoundError);
    expect(await contentObjects()).toEqual([`content/form/${FORM}/${uploadId}.xlsx`]);
    const entry = (await listForms(deps)).find((e) => e.formId === FORM)!;
    expect(entry.versions).toEqual([
      { version: 1, state: 'gepubliceerd', origin: 'meegeleverd' },
      { version: 2, state: 'gepubliceerd', origin: 'upload', publishedAt: '2025-11-10T08:00:00Z', publishedBy: 'coordinator.zoe@hr.example.nl', fileName: 'didactiek nieuw.xlsx' },
    ]);
    expect(entry.concepts).toEqual([]);

    // The download of version 2 is generated from what is live, and reads back as it.
    const download = await exportForm(deps, { formId: FORM, version: 2 });
    expect(download.fileName).toBe('kijkwijzer-didactiek-versie-2.xlsx');
    const read = await readFormWorkbook(download.bytes);
    expect(read.ok && findItem(read.definition, 'DID-9')?.label).toBe(NEW_ITEM);
  });

  it('refuses a second publication of the same concept: nothing changes', async () => {
    const { deps, partition } = await setup();
    const uploadId = await concept(deps);
    await publishForm(deps, { uploadId, by: ADMIN });

    await expect(publishForm(deps, { uploadId, by: ADMIN })).rejects.toBeInstanceOf(NotFoundError);

    expect(await partition(contentKeys.partition())).toHaveLength(1);
    expect(await partition(auditKeys.partition({ content: true }))).toHaveLength(1);
  });

  it('lets exactly one of two admins publishing at the same moment win; the other is told, and the table holds one version', async () => {
    const { deps, partition } = await setup();
    const mine = await concept(deps);
    const theirs = await concept(deps, OTHER_ADMIN);

    const results = await Promise.allSettled([publishForm(deps, { uploadId: mine, by: ADMIN }), publishForm(deps, { uploadId: theirs, by: OTHER_ADMIN })]);

    expect(results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<unknown>).value)).toEqual([{ formId: FORM, version: 2 }]);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toBeInstanceOf(ContentConflictError);
    expect(lost.reason.message).toBe('Iemand anders heeft intussen versie 2 van Kijkwijzer didactiek gepubliceerd. Upload uw werkmap opnieuw om te zien wat er veranderd is.');
    expect(lost.reason.status).toBe(409);
    expect((await partition(contentKeys.partition())).map((item) => item.SK)).toEqual(['FORM#kijkwijzer-didactiek#V#0002']);
    expect(await partition(auditKeys.partition({ content: true }))).toHaveLength(1);
  });

  it('lets exactly one of two publications of the same concept at the same moment win', async () => {
    const { deps, partition } = await setup();
    const uploadId = await concept(deps);

    const results = await Promise.allSettled([publishForm(deps, { uploadId, by: ADMIN }), publishForm(deps, { uploadId, by: ADMIN })]);

    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    // The loser either meets the winner's version (409) or, when it reads after the winner's
    // transaction, finds the concept gone (404): both a Dutch 4xx, and nothing of its own stored.
    const reason = (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as Error;
    expect([ContentConflictError, NotFoundError].some((type) => reason instanceof type)).toBe(true);
    expect(await partition(contentKeys.partition())).toHaveLength(1);
  });

  it('refuses a concept whose base is no longer the latest version, and says which version came first', async () => {
    const { deps, partition } = await setup();
    const first = await concept(deps);
    const late = await concept(deps, OTHER_ADMIN);
    await publishForm(deps, { uploadId: first, by: ADMIN });

    expect(await getFormConcept(deps, late)).toMatchObject({ outdated: true, nextVersion: 2 });
    await expect(publishForm(deps, { uploadId: late, by: OTHER_ADMIN })).rejects.toThrow(
      new ContentConflictError('Iemand anders heeft intussen versie 2 van Kijkwijzer didactiek gepubliceerd. Upload uw werkmap opnieuw om te zien wat er veranderd is.'),
    );
    expect(await partition(contentKeys.partition())).toHaveLength(1);
    // The same workbook uploaded again is refused (it starts from version 1); version 2 as downloaded now becomes version 3.
    expect(await uploadForm(deps, { fileName: 'd.xlsx', bytes: await editedDidactiek(deps), by: OTHER_ADMIN })).toMatchObject({ kind: 'invalid' });
    const again = await uploadForm(deps, { fileName: 'd.xlsx', bytes: (await exportForm(deps, { formId: FORM })).bytes, by: OTHER_ADMIN });
    expect(again).toMatchObject({ kind: 'concept', nextVersion: 3, changes: [] });
  });

  it('refuses a workbook downloaded before someone else published, at its version cell, saying who published what; stores nothing', async () => {
    const { deps, partition, contentObjects } = await setup();
    const downloaded = await editedDidactiek(deps);
    await publishForm(deps, { uploadId: await concept(deps, OTHER_ADMIN), by: OTHER_ADMIN });
    const before = { content: await partition(contentKeys.partition()), objects: await contentObjects() };

    const stale = await uploadForm(deps, { fileName: 'oud.xlsx', bytes: downloaded, by: ADMIN });

    expect(stale).toEqual({
      kind: 'invalid',
      problems: [
        {
          sheet: 'settings',
          row: 2,
          column: 'version',
          message:
            'Deze werkmap gaat uit van versie 1, maar versie 2 is intussen gepubliceerd (door tweede.beheerder@hr.example.nl op maandag 10 november 2025 om 09:00). Download de nieuwste versie en breng uw wijzigingen daarin aan.',
        },
      ],
    });
    expect(await partition(contentKeys.partition())).toEqual(before.content);
    expect(await partition(contentKeys.draftPartition())).toEqual([]);
    expect(await contentObjects()).toEqual(before.objects);
    expect(deps.forms.get(FORM)?.version).toBe(2);
  });

  it('takes a version cell that says the latest version or the next one, and refuses a version after that', async () => {
    const { deps } = await setup();
    const withVersion = async (version: number) =>
      editWorkbook(await editedDidactiek(deps), (workbook) => {
        cellAt(sheet(workbook, 'settings'), 2, 'version').value = version;
      });

    expect(await checkFormUpload(deps, { bytes: await withVersion(1) })).toMatchObject({ kind: 'valid', nextVersion: 2, definition: { version: 2 } });
    expect(await checkFormUpload(deps, { bytes: await withVersion(2) })).toMatchObject({ kind: 'valid', nextVersion: 2, definition: { version: 2 } });
    expect(await checkFormUpload(deps, { bytes: await withVersion(3) })).toEqual({
      kind: 'invalid',
      problems: [
        {
          sheet: 'settings',
          row: 2,
          column: 'version',
          message: 'Versie 3 bestaat niet: de nieuwste versie is 1. Laat hier 1 staan (de versie die u downloadde); bij publiceren wordt het versie 2.',
        },
      ],
    });
  });

  it('refuses a form too big to store (long texts) with a Dutch problem, and stores nothing', async () => {
    const { deps, partition, contentObjects } = await setup();
    const long = `Zoë ${"lange tekst van 't lokaal ".repeat(700)}`.slice(0, 16_000);
    const { bytes } = await exportForm(deps, { formId: FORM });
    const big = await editWorkbook(bytes, (workbook) => {
      const survey = sheet(workbook, 'survey');
      survey.insertRows(rowWhere(survey, 'name', 'DID-3') + 1, Array.from({ length: 20 }, (_, i) => ['text', `DID-${200 + i}`, long, null, 'nee']));
    });

    const refused = await uploadForm(deps, { fileName: 'lang.xlsx', bytes: big, by: ADMIN });

    expect(refused.kind).toBe('invalid');
    const problems = refused.kind === 'invalid' ? refused.problems : [];
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ sheet: 'survey' });
    const size = problems[0]!.message.match(/^Het formulier is te groot om op te slaan: (\d+) kB, hoogstens 300 kB\. Maak de teksten korter of verdeel het over minder vragen\.$/)?.[1];
    // 20 labels of 16,000 characters (one ë each) and the rest of the form.
    expect(Number(size)).toBeGreaterThanOrEqual(Math.ceil((20 * 16_001) / 1024));
    expect(Number(size)).toBeLessThan(Math.ceil((20 * 16_001) / 1024) + 20);
    expect(await partition(contentKeys.draftPartition())).toEqual([]);
    expect(await contentObjects()).toEqual([]);
  });

  it('refuses at Publiceren a concept whose new code another form has taken since, naming the code and that form; stores nothing', async () => {
    const { deps, partition } = await setup();
    const withNewCode = async (formId: string, type: string) =>
      editWorkbook((await exportForm(deps, { formId })).bytes, (workbook) => {
        sheet(workbook, 'survey').insertRow(3, [type, 'HOS-1', 'Een nieuwe vraag van Zoë', null, 'nee']);
      });
    const upload = async (formId: string, type: string) => {
      const result = await uploadForm(deps, { fileName: `${formId}.xlsx`, bytes: await withNewCode(formId, type), by: ADMIN });
      if (result.kind !== 'concept') throw new Error(`not a concept: ${JSON.stringify(result)}`);
      return result.uploadId;
    };
    const asText = await upload('kijkwijzer-pedagogiek', 'text');
    const asDate = await upload('kijkwijzer-vakdidactiek', 'date');
    await publishForm(deps, { uploadId: asText, by: ADMIN });

    await expect(publishForm(deps, { uploadId: asDate, by: OTHER_ADMIN })).rejects.toThrow(
      new ContentConflictError(
        'Sinds de upload is een ander formulier gepubliceerd dat niet samengaat met dit concept. Code HOS-1 hoort bij het formulier Kijkwijzer pedagogiek (kijkwijzer-pedagogiek); een code hoort bij één formulier. Geef deze vraag een nieuwe code. Upload daarna de werkmap opnieuw.',
      ),
    );

    expect((await partition(contentKeys.partition())).map((item) => item.SK)).toEqual(['FORM#kijkwijzer-pedagogiek#V#0002']);
    expect(await partition(auditKeys.partition({ content: true }))).toHaveLength(1);
    expect(deps.forms.get('kijkwijzer-vakdidactiek')?.version).toBe(1);
  });

  it('passes a publication that kept meeting other transactions on as "probeer het opnieuw", not as someone else\'s version', async () => {
    const { deps, partition } = await setup();
    const uploadId = await concept(deps);
    vi.spyOn(deps.contentStore, 'publishForm').mockRejectedValueOnce(new ContentConflictError(CONTENT_BUSY_MESSAGE, 'busy'));

    await expect(publishForm(deps, { uploadId, by: ADMIN })).rejects.toThrow(new ContentConflictError('Er werd tegelijk iets anders gepubliceerd; probeer het opnieuw.', 'busy'));

    expect(await partition(contentKeys.partition())).toEqual([]);
    // The concept is still there: trying again publishes it.
    expect(await publishForm(deps, { uploadId, by: ADMIN })).toEqual({ formId: FORM, version: 2 });
  });

  it('stores nothing for a refused workbook: not an xlsx, or an item code that changes its type', async () => {
    const { deps, partition, contentObjects } = await setup();
    const csv = new TextEncoder().encode('type;name;label\ntext;DID-1;Uitleg\n');
    const { bytes } = await exportForm(deps, { formId: FORM });
    const retyped = await editWorkbook(bytes, (workbook) => {
      const survey = sheet(workbook, 'survey');
      cellAt(survey, rowWhere(survey, 'name', 'DID-1'), 'type').value = 'text';
    });

    const notXlsx = await uploadForm(deps, { fileName: 'didactiek.csv', bytes: csv, by: ADMIN });
    const changedType = await uploadForm(deps, { fileName: 'didactiek.xlsx', bytes: retyped, by: ADMIN });

    expect(notXlsx.kind).toBe('invalid');
    expect(notXlsx.kind === 'invalid' && notXlsx.problems.length).toBeGreaterThan(0);
    const did1Row = rowWhere(sheet(await openWorkbook(retyped), 'survey'), 'name', 'DID-1');
    expect(changedType.kind === 'invalid' && changedType.problems.map((p) => [p.sheet, p.row])).toEqual([['survey', did1Row]]);
    expect(await checkFormUpload(deps, { bytes: retyped })).toMatchObject({ kind: 'invalid' });
    expect(await partition(contentKeys.partition())).toEqual([]);
    expect(await partition(contentKeys.draftPartition())).toEqual([]);
    expect(await contentObjects()).toEqual([]);
  });

  it('answers an unknown form or version with a Dutch 404', async () => {
    const { deps } = await setup();

    await expect(exportForm(deps, { formId: 'kijkwijzer-onbekend' })).rejects.toThrow(new NotFoundError('Er is geen formulier "kijkwijzer-onbekend".'));
    await expect(exportForm(deps, { formId: FORM, version: 7 })).rejects.toThrow(new NotFoundError('Kijkwijzer didactiek heeft geen versie 7.'));
    await expect(getFormConcept(deps, 'AAAAAAAAAAAAAAAAAAAAAA')).rejects.toBeInstanceOf(NotFoundError);
  });

  /** A placement with its student link and a kijkwijzer didactiek asked of the WPB; the form link's token. */
  async function asked(deps: Awaited<ReturnType<typeof setup>>['deps'], clock: Awaited<ReturnType<typeof setup>>['clock'], studentNumber: string) {
    const placement = staffPlacement(studentNumber, 'content');
    await deps.placements.create(placement, clock.now().toString());
    await ensureStudentLink(deps, placement);
    const request = await createRequest(deps, placement, { formId: FORM, observerRole: 'wpb', lessonDate: '2025-11-05' }, { origin: 'student', choice });
    return { placement, request, token: tokenFor(deps.linkSecret, request.linkId) };
  }

  it('keeps a draft started before on its version, while a request opened after takes the new one', async () => {
    const { deps, clock } = await setup();
    const started = await asked(deps, clock, '880941');
    const v1 = deps.forms.get(FORM, 1)!;
    await saveForm(deps, { token: started.token, body: { ...completeFields(v1), basis: '0', actie: 'concept' } });
    const untouched = await asked(deps, clock, '880942');

    await publishForm(deps, { uploadId: await concept(deps), by: ADMIN });
    const fresh = await asked(deps, clock, '880943');

    expect((await openForm(deps, { token: started.token, recordOpened: false })).def.version).toBe(1);
    expect((await openForm(deps, { token: untouched.token, recordOpened: false })).def.version).toBe(2);
    expect((await openForm(deps, { token: fresh.token, recordOpened: false })).def.version).toBe(2);
    // The draft is submitted on its own version.
    const v2 = deps.forms.get(FORM, 2)!;
    expect(await saveForm(deps, { token: started.token, body: { ...completeFields(v1), basis: '1', actie: 'versturen' } })).toEqual({ kind: 'saved', status: 'ingediend' });
    expect(await saveForm(deps, { token: fresh.token, body: { ...completeFields(v2), basis: '0', actie: 'versturen' } })).toEqual({ kind: 'saved', status: 'ingediend' });
  });

  it('opens a form saved on a version published in another container, before this container\'s content expires, and keeps the answers posted to it', async () => {
    const { deps, clock } = await setup();
    // A second container over the same table, loaded before the publication, with the 60 s expiry of AWS.
    const other = liveContent({ forms: allForms }, deps.contentStore, { ttlMs: 60_000, now: () => 0 });
    await other.refresh();
    const elsewhere = { ...deps, forms: other.forms, calendar: other.calendar, content: other };
    await publishForm(deps, { uploadId: await concept(deps), by: ADMIN });
    const { token } = await asked(deps, clock, '880951');
    const v2 = deps.forms.get(FORM, 2)!;
    await saveForm(deps, { token, body: { ...completeFields(v2), 'a.DID-9': 'goed', basis: '0', actie: 'concept' } });

    const page = await openForm(elsewhere, { token, recordOpened: false });

    expect(page.def).toEqual(v2);
    expect(page.answers['DID-9']).toBe('goed');
    const saved = await saveForm(elsewhere, { token, body: { ...completeFields(v2), 'a.DID-9': 'voldoende', basis: '1', actie: 'versturen' } });
    expect(saved).toEqual({ kind: 'saved', status: 'ingediend' });
    expect((await openForm(deps, { token, recordOpened: false })).answers['DID-9']).toBe('voldoende');
  });

  it("exports a period's CSV with the column of an item that exists only in a published version", async () => {
    const { deps, clock } = await setup();
    const before = await asked(deps, clock, '880011');
    await saveForm(deps, { token: before.token, body: { ...completeFields(deps.forms.get(FORM, 1)!), basis: '0', actie: 'versturen' } });
    await publishForm(deps, { uploadId: await concept(deps), by: ADMIN });
    const after = await asked(deps, clock, '880012');
    await saveForm(deps, { token: after.token, body: { ...completeFields(deps.forms.get(FORM, 2)!), 'a.DID-9': 'goed', basis: '0', actie: 'versturen' } });

    const staff = { email: ADMIN.toLowerCase(), name: ADMIN, scope: { admin: true, io: {}, schools: {} } };
    const { body } = await exportOverview(deps, { staff, jaar: YEAR, periode: '1', download: false });
    const rows = parse(Buffer.from(await new Response(body).arrayBuffer()).toString('utf8'), { delimiter: ';', bom: true }) as string[][];

    const header = rows[0]!;
    const did9 = header.indexOf(`DID-9 ${NEW_ITEM}`);
    const did1 = header.indexOf(`DID-1 ${NEW_LABEL}`);
    expect(did9).toBeGreaterThan(-1);
    expect(did1).toBeGreaterThan(-1);
    const row = (studentNumber: string) => rows.find((r) => r.includes(studentNumber))!;
    expect([row('880011')[did9], row('880011')[did1]]).toEqual(['', 'voldoende']);
    expect([row('880012')[did9], row('880012')[did1]]).toEqual(['goed', 'voldoende']);
  });

  it('purges the requests of a version that exists only in the table, and keeps the published version and its workbook', async () => {
    const { deps, clock, tableName, bucket, partition, contentObjects } = await setup();
    await publishForm(deps, { uploadId: await concept(deps), by: ADMIN });
    const { placement, token } = await asked(deps, clock, '880021');
    await saveForm(deps, { token, body: { ...completeFields(deps.forms.get(FORM, 2)!), basis: '0', actie: 'concept' } });

    const counts = await purgeSchoolYear(YEAR, { doc: clients.doc, s3: clients.s3, tableName, bucketName: bucket });

    expect(counts).toMatchObject({ schoolYear: YEAR, placements: 1 });
    expect(await partition(keys.placementPartition(placement.schoolYear, placement.studentNumber))).toEqual([]);
    const scan = await clients.doc.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }));
    expect((scan.Items ?? []).map((item) => item.PK).sort()).toEqual(['AUDIT#CONTENT', 'CONTENT']);
    expect(await contentObjects()).toHaveLength(1);
    expect(await objectExists(clients, bucket, (await contentObjects())[0]!)).toBe(true);
  });

  it('publishes a school year 2027-2028 from its workbook: the calendar has it, with its tasks, and the list and the event say so', async () => {
    const { deps, partition } = await setup();
    const { year, tasks } = shiftedYear('2025-2026', '2027-2028');
    const bytes = await yearToWorkbook(year, tasks);

    const upload = await uploadYear(deps, { fileName: 'schooljaar 2027-2028.xlsx', bytes, by: ADMIN });
    expect(upload).toMatchObject({ kind: 'concept', nextVersion: 1, changes: ['Nieuw schooljaar 2027-2028.'], year: { id: '2027-2028' } });
    const uploadId = upload.kind === 'concept' ? upload.uploadId : '';
    expect(await getYearConcept(deps, uploadId)).toMatchObject({ yearId: '2027-2028', nextVersion: 1, outdated: false });
    expect((await listYears(deps)).map((entry) => [entry.yearId, entry.version, entry.concepts.length])).toEqual([
      ['2024-2025', 1, 0],
      ['2025-2026', 1, 0],
      ['2026-2027', 1, 0],
      ['2027-2028', 0, 1],
    ]);
    expect(deps.calendar.years.map((y) => y.id)).not.toContain('2027-2028');

    expect(await publishYear(deps, { uploadId, by: ADMIN })).toEqual({ yearId: '2027-2028', version: 1 });

    expect(deps.calendar.years.map((y) => y.id)).toEqual(['2024-2025', '2025-2026', '2026-2027', '2027-2028']);
    expect(deps.calendar.years[3]!.periods[0]).toMatchObject({ start: '2027-09-08', deadline: '2027-11-12' });
    expect(deps.calendar.tasksFor('2027-2028', 'student', 1).map((task) => task.text)).toEqual(tasks.student!.OP1.map((task) => task.text));
    expect(deps.calendar.tasksFor('2027-2028', 'student', 1).length).toBeGreaterThan(0);
    expect(deps.calendar.isProvisional('2027-2028')).toBe(false);
    expect((await partition(contentKeys.partition())).map((item) => item.SK)).toEqual(['YEAR#2027-2028#V#0001']);
    expect((await partition(auditKeys.partition({ content: true }))).map((event) => event.detail)).toEqual([
      'schooljaar 2027-2028 versie 1 (definitief), uit schooljaar 2027-2028.xlsx',
    ]);
    expect((await listYears(deps)).find((entry) => entry.yearId === '2027-2028')).toMatchObject({
      status: 'definitief',
      origin: 'upload',
      version: 1,
      publishedBy: 'coordinator.zoe@hr.example.nl',
      concepts: [],
    });
    const download = await exportYear(deps, { yearId: '2027-2028' });
    expect(download.fileName).toBe('schooljaar-2027-2028.xlsx');
  });

  it('publishes a shipped year as its version 2, and refuses a year that overlaps another without storing anything', async () => {
    const { deps, partition, contentObjects } = await setup();
    const { bytes } = await exportYear(deps, { yearId: '2026-2027' });
    const upload = await uploadYear(deps, { fileName: 'schooljaar.xlsx', bytes, by: ADMIN });
    expect(upload).toMatchObject({ kind: 'concept', nextVersion: 2 });
    await publishYear(deps, { uploadId: upload.kind === 'concept' ? upload.uploadId : '', by: ADMIN });
    expect((await listYears(deps)).find((entry) => entry.yearId === '2026-2027')?.versions.map((v) => [v.version, v.origin])).toEqual([
      [1, 'meegeleverd'],
      [2, 'upload'],
    ]);

    const { year, tasks } = shiftedYear('2025-2026', '2027-2028');
    const overlapping = await yearToWorkbook({ ...year, start: '2027-07-01' }, tasks);
    const refused = await uploadYear(deps, { fileName: 'overlap.xlsx', bytes: overlapping, by: ADMIN });
    expect(refused.kind).toBe('invalid');
    expect(await partition(contentKeys.partition())).toHaveLength(1);
    expect(await partition(contentKeys.draftPartition())).toEqual([]);
    expect(await contentObjects()).toHaveLength(1);
  });

  it('refuses a school-year workbook downloaded before the year was published again, or without its versie, and takes one of a new year without', async () => {
    const { deps, partition } = await setup();
    const downloaded = (await exportYear(deps, { yearId: '2026-2027' })).bytes;
    const first = await uploadYear(deps, { fileName: 'schooljaar.xlsx', bytes: downloaded, by: OTHER_ADMIN });
    await publishYear(deps, { uploadId: first.kind === 'concept' ? first.uploadId : '', by: OTHER_ADMIN });
    const problem = (message: string) => ({ kind: 'invalid', problems: [{ sheet: 'schooljaar', row: 2, column: 'versie', message }] });
    const who = '(door tweede.beheerder@hr.example.nl op maandag 10 november 2025 om 09:00)';
    const draftsBefore = await partition(contentKeys.draftPartition());

    expect(await uploadYear(deps, { fileName: 'oud.xlsx', bytes: downloaded, by: ADMIN })).toEqual(
      problem(`Deze werkmap gaat uit van versie 1, maar versie 2 is intussen gepubliceerd ${who}. Download de nieuwste versie en breng uw wijzigingen daarin aan.`),
    );
    const read = await readYearWorkbook(downloaded, []);
    if (!read.ok) throw new Error('the download does not read back');
    const { year: ownYear, tasks: ownTasks } = read;
    expect(await checkYearUpload(deps, { bytes: await yearToWorkbook(ownYear, ownTasks) })).toEqual(
      problem(`versie is leeg, maar schooljaar 2026-2027 bestaat al: de nieuwste versie is 2 ${who}. Download de nieuwste versie en breng uw wijzigingen daarin aan.`),
    );
    expect(await checkYearUpload(deps, { bytes: await yearToWorkbook(ownYear, ownTasks, 5) })).toEqual(
      problem('Versie 5 bestaat niet: de nieuwste versie is 2. Laat hier 2 staan (de versie die u downloadde); bij publiceren wordt het versie 3.'),
    );
    const next = shiftedYear('2025-2026', '2027-2028');
    expect(await checkYearUpload(deps, { bytes: await yearToWorkbook(next.year, next.tasks, 3) })).toEqual(
      problem('Versie 3 bestaat niet: schooljaar 2027-2028 is nog niet gepubliceerd. Laat dit vak leeg; bij publiceren wordt het versie 1.'),
    );
    expect(await checkYearUpload(deps, { bytes: await yearToWorkbook(next.year, next.tasks) })).toMatchObject({ kind: 'valid', nextVersion: 1 });
    expect(await partition(contentKeys.draftPartition())).toEqual(draftsBefore);

    // The download of the year as it applies now starts from version 2, and becomes version 3.
    const current = (await exportYear(deps, { yearId: '2026-2027' })).bytes;
    expect(await readYearWorkbook(current, deps.calendar.years.filter((y) => y.id !== '2026-2027'))).toMatchObject({ ok: true, version: 2 });
    expect(await checkYearUpload(deps, { bytes: current })).toMatchObject({ kind: 'valid', nextVersion: 3 });
  });

  it('refuses a school year too big to store (long task texts) with a Dutch problem, and stores nothing', async () => {
    const { deps, partition, contentObjects } = await setup();
    const { year, tasks } = shiftedYear('2025-2026', '2027-2028');
    const long = `Zoë ${"lange taak van 't lokaal ".repeat(1300)}`.slice(0, 30_000);
    const student = tasks.student!;
    const bigTasks = { ...tasks, student: { ...student, OP1: student.OP1.map((task) => ({ ...task, text: long })), OP2: student.OP2.map((task) => ({ ...task, text: long })) } };
    const count = student.OP1.length + student.OP2.length;
    expect(count * 30_000).toBeGreaterThan(300 * 1024);

    const refused = await uploadYear(deps, { fileName: 'groot.xlsx', bytes: await yearToWorkbook(year, bigTasks), by: ADMIN });

    expect(refused.kind).toBe('invalid');
    const problems = refused.kind === 'invalid' ? refused.problems : [];
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ sheet: 'taken' });
    expect(problems[0]!.message).toMatch(/^Het schooljaar is te groot om op te slaan: \d+ kB, hoogstens 300 kB\. Maak de teksten korter of gebruik minder taken\.$/);
    expect(await partition(contentKeys.draftPartition())).toEqual([]);
    expect(await contentObjects()).toEqual([]);
  });
});
