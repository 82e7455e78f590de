import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { Temporal } from 'temporal-polyfill';
import { beforeAll, describe, expect, it } from 'vitest';
import { ledgerKeys } from '../../../shared/store/keys.ts';
import { NotificationLedger } from '../../../shared/store/ledger.ts';
import type { AwsClients } from '../../../shared/store/clients.ts';
import { freshTable, localClients } from '../../support/aws.ts';

const LEASE = 15 * 60 * 1000;
const T0 = Temporal.Instant.from('2025-11-10T06:00:00Z');
const later = (ms: number) => T0.add({ milliseconds: ms });

let clients: AwsClients;
let table: string;
let ledger: NotificationLedger;
let run = 0;
/** A run key of its own per test, so tests never see each other's claims. */
const runKey = () => `weekly#2025-2026#op1#2025-W46-t${++run}`;

beforeAll(async () => {
  clients = localClients();
  table = await freshTable(clients);
  ledger = new NotificationLedger(clients.doc, table);
});

describe('NotificationLedger', () => {
  it('claims a recipient once; a second claim after the outcome is recorded says already sent', async () => {
    const key = runKey();
    expect(await ledger.claim(key, 'wpb@school.nl', LEASE, T0)).toBe('claimed');
    await ledger.recordSent(key, 'wpb@school.nl', 'ses-1', later(1000));

    expect(await ledger.claim(key, 'wpb@school.nl', LEASE, later(2000))).toBe('already-sent');
    expect(await ledger.get(key, 'wpb@school.nl')).toMatchObject({ status: 'sent', messageId: 'ses-1', attempts: 1 });
  });

  it('answers in flight while the claim is held and not yet recorded', async () => {
    const key = runKey();
    await ledger.claim(key, 'io@hr.nl', LEASE, T0);
    expect(await ledger.claim(key, 'io@hr.nl', LEASE, later(LEASE - 1))).toBe('in-flight');
  });

  it('compares addresses case-insensitively', async () => {
    const key = runKey();
    expect(await ledger.claim(key, 'Saskia.Opleider@School.nl', LEASE, T0)).toBe('claimed');
    expect(await ledger.claim(key, 'saskia.opleider@school.nl', LEASE, T0)).toBe('in-flight');
  });

  it('answers already rejected after a permanent rejection, and keeps the reason', async () => {
    const key = runKey();
    await ledger.claim(key, 'weg@school.nl', LEASE, T0);
    await ledger.recordRejected(key, 'weg@school.nl', 'MessageRejected: Address blacklisted.', later(10));
    expect(await ledger.claim(key, 'weg@school.nl', LEASE, later(LEASE * 2))).toBe('already-rejected');
    expect((await ledger.get(key, 'weg@school.nl'))?.reason).toBe('MessageRejected: Address blacklisted.');
  });

  it('gives exactly one of 10 concurrent claims the right to send', async () => {
    const key = runKey();
    const results = await Promise.all(Array.from({ length: 10 }, () => ledger.claim(key, 'sco@school.nl', LEASE, T0)));
    expect(results.filter((r) => r === 'claimed')).toHaveLength(1);
    expect(results.filter((r) => r === 'in-flight')).toHaveLength(9);
  });

  it('lets exactly one of 10 concurrent claims take over a claim whose lease expired', async () => {
    const key = runKey();
    await ledger.claim(key, 'student@hr.nl', LEASE, T0);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => ledger.claim(key, 'student@hr.nl', LEASE, later(LEASE + 1))),
    );
    expect(results.filter((r) => r === 'claimed')).toHaveLength(1);
    expect(results.filter((r) => r === 'in-flight')).toHaveLength(9);
    expect(await ledger.get(key, 'student@hr.nl')).toMatchObject({ status: 'sending', attempts: 2, claimedAt: later(LEASE + 1).toString() });
  });

  it('never takes over a recorded outcome, however old', async () => {
    const key = runKey();
    await ledger.claim(key, 'klaar@school.nl', LEASE, T0);
    await ledger.recordSent(key, 'klaar@school.nl', 'ses-2', T0);
    expect(await ledger.claim(key, 'klaar@school.nl', LEASE, later(LEASE * 100))).toBe('already-sent');
  });

  it('lets a released claim be claimed again at once, but ignores a release of a claim that is not ours', async () => {
    const key = runKey();
    await ledger.claim(key, 'terug@school.nl', LEASE, T0);
    await ledger.release(key, 'terug@school.nl', later(5)); // another claim time: not ours
    expect(await ledger.claim(key, 'terug@school.nl', LEASE, later(10))).toBe('in-flight');
    await ledger.release(key, 'terug@school.nl', T0);
    expect(await ledger.claim(key, 'terug@school.nl', LEASE, later(20))).toBe('claimed');
  });

  it('gives every item a TTL about 400 days ahead, in epoch seconds', async () => {
    const key = runKey();
    await ledger.claim(key, 'ttl@school.nl', LEASE, T0);
    const { Item } = await clients.doc.send(new GetCommand({ TableName: table, Key: ledgerKeys.item(key, 'ttl@school.nl') }));
    expect(Item?.expiresAt).toBe(T0.epochMilliseconds / 1000 + 400 * 86_400);
  });

  it('lists a run with every recipient and status', async () => {
    const key = runKey();
    for (let i = 0; i < 30; i++) await ledger.claim(key, `p${i}@school.nl`, LEASE, T0);
    for (let i = 0; i < 10; i++) await ledger.recordSent(key, `p${i}@school.nl`, `ses-${i}`, T0);
    await ledger.recordRejected(key, 'p10@school.nl', 'InvalidParameterValue', T0);

    const listed = await ledger.listRun(key);
    expect(listed).toHaveLength(30);
    expect(listed.filter((r) => r.status === 'sent')).toHaveLength(10);
    expect(listed.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect(listed.filter((r) => r.status === 'sending')).toHaveLength(19);
  });
});
