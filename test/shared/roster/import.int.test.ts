import { beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { importRosterFile } from '../../../shared/roster/import.ts';
import { PlacementStore } from '../../../shared/store/placements.ts';
import type { AwsClients } from '../../../shared/store/clients.ts';
import { freshTable, localClients } from '../../support/aws.ts';
import { row, rosterCsv } from '../../support/roster.ts';

const knownYears = ['2024-2025', '2025-2026', '2026-2027'];

describe('importing a roster into DynamoDB Local', () => {
  let clients: AwsClients;
  let tableName: string;
  let store: PlacementStore;
  const importFile = (bytes: Uint8Array, at = '2025-09-01T08:00:00Z') =>
    importRosterFile(bytes, { store, knownYears, at });

  beforeAll(async () => {
    clients = localClients();
    tableName = await freshTable(clients);
    store = new PlacementStore(clients.doc, tableName);
  });

  async function itemCount(): Promise<number> {
    // Counting through the year index and the person partitions we wrote; tests may Scan, the app never does.
    const { ScanCommand } = await import('@aws-sdk/lib-dynamodb');
    const result = await clients.doc.send(new ScanCommand({ TableName: tableName, Select: 'COUNT' }));
    return result.Count ?? 0;
  }

  it('creates each placement with a membership per role, and lists them by year and school', async () => {
    const result = await importFile(
      rosterCsv([
        row(1, { student_naam: 'Zoë de Vries', wpb_naam: "Jan van 't Hek", wpb_email: 'Jan.vanTHek@Wolfert.nl' }),
        row(2, { student_naam: 'Emre Çelik', wpb_naam: "Jan van 't Hek", wpb_email: 'jan.vanthek@wolfert.nl' }),
        row(3, { school: 'Montfort College', so_email: 'so@montfort.nl', sco_email: 'sco@montfort.nl' }),
      ]),
    );

    expect(result).toMatchObject({ ok: true, summary: { created: 3, updated: 0, unchanged: 0 } });
    const stored = await store.get('2025-2026', '1000001');
    expect(stored).toMatchObject({ student: { name: 'Zoë de Vries' }, wpb: { name: "Jan van 't Hek" }, rev: 1 });
    const all: string[] = [];
    for await (const page of store.listByYear('2025-2026')) all.push(...page.map((p) => p.studentNumber));
    expect(all.sort()).toEqual(['1000001', '1000002', '1000003']);
    const wolfert: string[] = [];
    for await (const page of store.listByYear('2025-2026', 'Wolfert van Borselen')) wolfert.push(...page.map((p) => p.studentNumber));
    expect(wolfert.sort()).toEqual(['1000001', '1000002']);
  });

  it('finds a duo through their one WPB, whatever the case of the address', async () => {
    const duo = await store.membershipsOf('JAN.VANTHEK@wolfert.nl', 'wpb', '2025-2026');

    expect(duo.map((m) => m.studentName).sort()).toEqual(['Emre Çelik', 'Zoë de Vries']);
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await itemCount();

    const result = await importFile(
      rosterCsv([
        row(1, { student_naam: 'Zoë de Vries', wpb_naam: "Jan van 't Hek", wpb_email: 'JAN.VANTHEK@WOLFERT.NL' }),
        row(2, { student_naam: 'Emre Çelik', wpb_naam: "Jan van 't Hek", wpb_email: 'jan.vanthek@wolfert.nl' }),
        row(3, { school: 'Montfort College', so_email: 'so@montfort.nl', sco_email: 'sco@montfort.nl' }),
      ]),
      '2025-09-02T08:00:00Z',
    );

    expect(result).toMatchObject({ ok: true, summary: { created: 0, updated: 0, unchanged: 3 } });
    expect(await itemCount()).toBe(before);
    expect((await store.get('2025-2026', '1000001'))?.rev).toBe(1);
  });

  it('updates a placement with a new WPB, keeps the old version as history and moves the membership', async () => {
    const result = await importFile(
      rosterCsv([row(3, { school: 'Montfort College', so_email: 'so@montfort.nl', sco_email: 'sco@montfort.nl', wpb_naam: 'Nieuwe Mentor', wpb_email: 'nieuw@montfort.nl' })]),
      '2025-10-01T08:00:00Z',
    );

    expect(result).toMatchObject({ ok: true, summary: { created: 0, updated: 1, unchanged: 0 } });
    expect(await store.get('2025-2026', '1000003')).toMatchObject({ wpb: { email: 'nieuw@montfort.nl' }, rev: 2 });
    const history = await store.history('2025-2026', '1000003');
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ wpb: { email: 'mentor3@wolfert.nl' }, rev: 1 });
    expect(await store.membershipsOf('mentor3@wolfert.nl')).toEqual([]);
    expect((await store.membershipsOf('nieuw@montfort.nl')).map((m) => m.studentNumber)).toEqual(['1000003']);
  });

  it('writes nothing at all when one row of the file is bad', async () => {
    const before = await itemCount();

    const result = await importFile(rosterCsv([row(10), row(11), row(12, { wpb_email: 'kapot' })]));

    expect(result.ok).toBe(false);
    expect(await itemCount()).toBe(before);
    expect(await store.get('2025-2026', '1000010')).toBeUndefined();
  });

  it('imports a region of 600 placements and finds them all again through the year index', async () => {
    const rows = Array.from({ length: 600 }, (_, i) => row(100_000 + i, { schooljaar: '2024-2025' }));

    const result = await importFile(rosterCsv(rows));

    expect(result).toMatchObject({ ok: true, summary: { created: 600 } });
    let count = 0;
    let pages = 0;
    for await (const page of store.listByYear('2024-2025', undefined, 250)) {
      count += page.length;
      pages++;
    }
    expect(count).toBe(600);
    expect(pages).toBe(3);
  }, 120_000);

  it('keeps the person index on the same key as the placement', async () => {
    const items = await clients.doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': 'PERSON#io@hr.nl' },
      }),
    );

    expect(items.Items?.filter((i) => String(i.SK).startsWith('ROLE#io#2025-2026#')).length).toBe(3);
  });
});
