import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { getForm } from '../../../forms/index.ts';
import { parseInstant } from '../../../shared/clock.ts';
import { logger } from '../../../shared/log.ts';
import { AuditStore } from '../../../shared/store/audit.ts';
import type { AwsClients } from '../../../shared/store/clients.ts';
import { CONTENT_BUSY_MESSAGE, ContentConflictError, ContentStore, contentBytes, MAX_CONTENT_BYTES, publishedContent, type StoredFormVersion } from '../../../shared/store/content.ts';
import { auditKeys, contentKeys } from '../../../shared/store/keys.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';
import { shiftedYear } from '../../support/content.ts';

const didactiek = getForm('kijkwijzer-didactiek')!;
const NOW = parseInstant('2026-05-04T10:00');
const ADMIN = 'coördinator@hr.example.nl';

/** Version 2 of the kijkwijzer didactiek with a new intro. */
const v2 = { ...didactiek, version: 2, intro: "Kijk naar de les van Zoë in 't lokaal van Çelik.\nNoteer wat opvalt." };

describe('ContentStore: published versions, concepts and workbooks (DynamoDB Local, S3)', () => {
  let clients: AwsClients;
  let tableName: string;
  let bucket: string;
  let store: ContentStore;
  let audit: AuditStore;

  beforeEach(async () => {
    clients = localClients();
    tableName = await freshTable(clients);
    bucket = await freshBucket(clients);
    store = new ContentStore(clients.doc, tableName, clients.s3, bucket);
    audit = new AuditStore(clients.doc, tableName);
  });

  const partition = async (pk: string) =>
    (await clients.doc.send(new QueryCommand({ TableName: tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true }))).Items ?? [];
  const version = (definition = v2): StoredFormVersion => ({
    formId: definition.id,
    version: definition.version,
    definition,
    publishedAt: NOW.toString(),
    publishedBy: ADMIN,
    workbookKey: 'content/form/kijkwijzer-didactiek/x.xlsx',
    fileName: 'didactiek.xlsx',
  });
  const event = () => audit.prepare({ content: true }, { actor: ADMIN, action: 'gepubliceerd', detail: 'formulier kijkwijzer-didactiek versie 2' }, NOW).write;

  it('keeps a concept with its bytes in S3 and a TTL of 7 days, finds it back, lists it and deletes it', async () => {
    const bytes = new Uint8Array([0x50, 0x4b, 3, 4, 1, 2, 3]);
    const concept = await store.putConcept({ kind: 'form', subject: 'kijkwijzer-didactiek', baseVersion: 1, definition: v2, fileName: 'didactiek Zoë.xlsx', uploadedBy: ADMIN, bytes }, NOW);

    expect(concept.workbookKey).toBe(`content/form/kijkwijzer-didactiek/${concept.uploadId}.xlsx`);
    const object = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: concept.workbookKey }));
    expect(await object.Body!.transformToByteArray()).toEqual(bytes);
    const item = (await clients.doc.send(new GetCommand({ TableName: tableName, Key: contentKeys.draft('form', concept.uploadId) }))).Item!;
    expect(item).toMatchObject({ kind: 'form', subject: 'kijkwijzer-didactiek', baseVersion: 1, uploadedBy: ADMIN, fileName: 'didactiek Zoë.xlsx', expiresAt: NOW.epochMilliseconds / 1000 + 7 * 24 * 3600 });

    expect(await store.getConcept('form', concept.uploadId, NOW)).toEqual(concept);
    expect(await store.getConcept('year', concept.uploadId, NOW)).toBeUndefined();
    expect(await store.getConcept('form', 'niet-een-id', NOW)).toBeUndefined();
    expect(await store.getConcept('form', concept.uploadId, NOW.add({ hours: 7 * 24 }))).toBeUndefined();
    expect((await store.listConcepts(NOW)).map((c) => c.uploadId)).toEqual([concept.uploadId]);
    expect(await store.listConcepts(NOW.add({ hours: 7 * 24 }))).toEqual([]);

    await store.deleteConcept('form', concept.uploadId);
    expect(await store.getConcept('form', concept.uploadId, NOW)).toBeUndefined();
  });

  it('keeps a school-year concept with its year and tasks', async () => {
    const { year, tasks } = shiftedYear('2025-2026', '2027-2028');
    const concept = await store.putConcept({ kind: 'year', subject: '2027-2028', baseVersion: 0, year, tasks, fileName: 'schooljaar.xlsx', uploadedBy: ADMIN, bytes: new Uint8Array([1]) }, NOW);

    const found = await store.getConcept('year', concept.uploadId, NOW);
    expect(found).toMatchObject({ kind: 'year', subject: '2027-2028', baseVersion: 0, year, tasks });
    expect(found?.workbookKey).toBe(`content/year/2027-2028/${concept.uploadId}.xlsx`);
  });

  it('publishes a form version with its audit event and removes the concept, in one transaction', async () => {
    const concept = await store.putConcept({ kind: 'form', subject: 'kijkwijzer-didactiek', baseVersion: 1, definition: v2, fileName: 'd.xlsx', uploadedBy: ADMIN, bytes: new Uint8Array([1]) }, NOW);

    await store.publishForm(version(), event(), { uploadId: concept.uploadId });

    expect((await store.loadAll()).forms).toEqual([version()]);
    expect(await store.latestVersion('form', 'kijkwijzer-didactiek')).toBe(2);
    expect(await store.latestVersion('form', 'advies-wpb')).toBe(0);
    expect((await partition(auditKeys.partition({ content: true }))).map((e) => [e.action, e.actor, e.detail])).toEqual([['gepubliceerd', ADMIN, 'formulier kijkwijzer-didactiek versie 2']]);
    expect(await partition(contentKeys.draftPartition())).toEqual([]);
  });

  it('never overwrites a version: a second publication of it is refused and writes nothing, not even its audit event', async () => {
    await store.publishForm(version(), event());

    const other = { ...v2, intro: 'Een andere inleiding.' };
    const refused = await store.publishForm(version(other), event()).catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(ContentConflictError);
    expect((refused as ContentConflictError).reason).toBe('version-taken');
    expect((refused as ContentConflictError).status).toBe(409);
    expect((await store.loadAll()).forms.map((form) => form.definition.intro)).toEqual([v2.intro]);
    expect(await partition(auditKeys.partition({ content: true }))).toHaveLength(1);
  });

  it('refuses to publish a concept that is gone, and writes nothing', async () => {
    const refused = await store.publishForm(version(), event(), { uploadId: 'AAAAAAAAAAAAAAAAAAAAAA' }).catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(ContentConflictError);
    expect((refused as ContentConflictError).reason).toBe('concept-gone');
    expect(await partition(contentKeys.partition())).toEqual([]);
    expect(await partition(auditKeys.partition({ content: true }))).toEqual([]);
  });

  it('reads every published version in one Query: forms by id and version, each year with its versions and the latest', async () => {
    const first = shiftedYear('2025-2026', '2027-2028');
    const final = { ...first.year, provisional: false, note: null };
    const yearVersion = (n: number, year = first.year) => ({ yearId: '2027-2028', version: n, year, tasks: first.tasks, publishedAt: NOW.toString(), publishedBy: ADMIN, workbookKey: 'content/year/x.xlsx', fileName: 'jaar.xlsx' });
    await store.publishYear(yearVersion(1), event());
    await store.publishYear(yearVersion(2, final), event());
    await store.publishForm(version({ ...v2, version: 3 }), event());
    await store.publishForm(version(), event());

    const loaded = await publishedContent(clients.doc, tableName).loadAll();

    expect(loaded.forms.map((form) => [form.formId, form.version])).toEqual([['kijkwijzer-didactiek', 2], ['kijkwijzer-didactiek', 3]]);
    expect(loaded.years.map((history) => [history.yearId, history.latest.version, history.versions.map((v) => v.version)])).toEqual([['2027-2028', 2, [1, 2]]]);
    expect(loaded.years[0]!.latest.year).toEqual(final);
    expect(loaded.years[0]!.latest.tasks).toEqual(first.tasks);
  });

  it('leaves out (and logs) a stored item that no longer validates, and serves the rest', async () => {
    const errors = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    await store.publishForm(version(), event());
    await clients.doc.send(
      new PutCommand({ TableName: tableName, Item: { ...contentKeys.version('form', 'advies-wpb', 2), definition: '{"id":"advies-wpb"', publishedAt: NOW.toString() } }),
    );

    const loaded = await store.loadAll();

    expect(loaded.forms.map((form) => `${form.formId}@${form.version}`)).toEqual(['kijkwijzer-didactiek@2']);
    expect(errors).toHaveBeenCalledWith('content item left out: no longer valid', { pk: 'CONTENT', sk: 'FORM#advies-wpb#V#0002', error: 'SyntaxError' });
    errors.mockRestore();
  });

  const objects = async () => ((await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'content/' }))).Contents ?? []).map((o) => o.Key!);

  it('stores neither the concept nor its bytes when the item is refused (over the 400 KB DynamoDB takes)', async () => {
    const [first, ...rest] = v2.sections;
    const long = `Zoë ${"lange tekst van 't lokaal ".repeat(2000)}`;
    const huge = { ...v2, sections: [{ ...first!, items: [...first!.items, ...Array.from({ length: 9 }, (_, i) => ({ code: `DID-${50 + i}`, label: long, type: 'text' as const, required: false }))] }, ...rest] };
    expect(contentBytes({ kind: 'form', definition: huge })).toBeGreaterThan(400 * 1024);

    const refused = await store
      .putConcept({ kind: 'form', subject: 'kijkwijzer-didactiek', baseVersion: 1, definition: huge, fileName: 'groot.xlsx', uploadedBy: ADMIN, bytes: new Uint8Array([1]) }, NOW)
      .catch((error: unknown) => error);

    expect((refused as Error).name).toBe('ValidationException');
    expect(await partition(contentKeys.draftPartition())).toEqual([]);
    expect(await objects()).toEqual([]);
  });

  it('removes the concept again when its bytes cannot be stored, so no concept is left without its workbook', async () => {
    const noBucket = new ContentStore(clients.doc, tableName, clients.s3, `${bucket}-bestaat-niet`);

    const refused = await noBucket
      .putConcept({ kind: 'form', subject: 'kijkwijzer-didactiek', baseVersion: 1, definition: v2, fileName: 'didactiek.xlsx', uploadedBy: ADMIN, bytes: new Uint8Array([1]) }, NOW)
      .catch((error: unknown) => error);

    expect((refused as Error).name).toBe('NoSuchBucket');
    expect(await partition(contentKeys.draftPartition())).toEqual([]);
  });

  it('measures content as its stored JSON in UTF-8 bytes, with room to spare under the item limit', () => {
    expect(MAX_CONTENT_BYTES).toBe(300 * 1024);
    expect(contentBytes({ kind: 'form', definition: v2 })).toBe(Buffer.byteLength(JSON.stringify({ definition: v2 }), 'utf8'));
    expect(contentBytes({ kind: 'form', definition: { ...v2, intro: 'ë'.repeat(1000) } }) - contentBytes({ kind: 'form', definition: { ...v2, intro: 'e'.repeat(1000) } })).toBe(1000);
  });

  it('refuses a publication whose audit event clashes with a stored one as busy, and writes nothing', async () => {
    const write = event();
    await clients.doc.send(new PutCommand(write.Put));

    const refused = await store.publishForm(version(), write).catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(ContentConflictError);
    expect(refused).toMatchObject({ reason: 'busy', status: 409, message: 'Er werd tegelijk iets anders gepubliceerd; probeer het opnieuw.' });
    expect(await partition(contentKeys.partition())).toEqual([]);
    expect(await partition(auditKeys.partition({ content: true }))).toHaveLength(1);
  });

  it('tries a publication that keeps meeting other transactions four times, then refuses it as busy (never the raw SDK error)', async () => {
    // DynamoDB Local serialises transactions, so the TransactionConflict real DynamoDB answers is injected.
    const faulty = DynamoDBDocumentClient.from(localClients().dynamodb);
    const mock = mockClient(faulty);
    mock.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({ message: 'Transaction cancelled [TransactionConflict, None]', $metadata: {}, CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }] }),
    );

    const refused = await new ContentStore(faulty, tableName, clients.s3, bucket).publishForm(version(), event()).catch((error: unknown) => error);

    expect(refused).toBeInstanceOf(ContentConflictError);
    expect(refused).toMatchObject({ reason: 'busy', status: 409, message: CONTENT_BUSY_MESSAGE });
    expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(4);
    mock.restore();
  });
});
