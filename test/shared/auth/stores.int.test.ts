import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { SessionStore } from '../../../shared/store/sessions.ts';
import { sessionKeys, signInKeys } from '../../../shared/store/keys.ts';
import { SignInStore } from '../../../shared/store/sign-ins.ts';
import { parseInstant } from '../../../shared/clock.ts';
import { hashToken } from '../../../shared/links.ts';
import type { AwsClients } from '../../../shared/store/clients.ts';
import { freshTable, localClients } from '../../support/aws.ts';

const NOW = parseInstant('2025-11-10T09:00');

describe('sign-in tokens and sessions in the single table', () => {
  let clients: AwsClients;
  let tableName: string;
  let signIns: SignInStore;
  let sessions: SessionStore;

  beforeAll(async () => {
    clients = localClients();
    tableName = await freshTable(clients);
    signIns = new SignInStore(clients.doc, tableName);
    sessions = new SessionStore(clients.doc, tableName, { idleMinutes: 120, absoluteHours: 12 });
  });

  it('stores only the hash of a sign-in token, with a TTL', async () => {
    const token = await signIns.create('io@hr.example.nl', NOW);

    const item = (await clients.doc.send(new GetCommand({ TableName: tableName, Key: signInKeys(hashToken(token)) }))).Item!;
    expect(item.email).toBe('io@hr.example.nl');
    expect(item.expiresAt).toBeGreaterThan(NOW.epochMilliseconds / 1000);
    const all = await clients.doc.send(new ScanCommand({ TableName: tableName }));
    expect(JSON.stringify(all.Items)).not.toContain(token);
  });

  it('lets exactly one of ten simultaneous spends of a token succeed', async () => {
    const token = await signIns.create('io@hr.example.nl', NOW);

    const results = await Promise.all(Array.from({ length: 10 }, () => signIns.spend(token, NOW)));

    expect(results.filter((r) => r !== undefined)).toHaveLength(1);
    expect(await signIns.peek(token, NOW)).toBe('unknown');
  });

  it('does not spend an expired token', async () => {
    const token = await signIns.create('io@hr.example.nl', NOW);
    const later = NOW.add({ minutes: 10 });

    expect(await signIns.peek(token, later)).toBe('expired');
    expect(await signIns.spend(token, later)).toBeUndefined();
  });

  it('stores only the hash of a session id, and its TTL follows the idle deadline', async () => {
    const id = await sessions.create('so@wolfert.example.nl', NOW);

    const item = (await clients.doc.send(new GetCommand({ TableName: tableName, Key: sessionKeys(hashToken(id)) }))).Item!;
    expect(item.email).toBe('so@wolfert.example.nl');
    expect(item.expiresAt).toBe(Math.floor(NOW.add({ minutes: 120 }).epochMilliseconds / 1000) + 3600);
    const resumed = await sessions.resume(id, NOW.add({ minutes: 90 }));
    expect(resumed?.idleUntilMs).toBe(NOW.add({ minutes: 210 }).epochMilliseconds);
  });

  it('never brings back a session that was ended', async () => {
    const id = await sessions.create('so@wolfert.example.nl', NOW);
    await sessions.end(id);

    expect(await sessions.resume(id, NOW.add({ minutes: 5 }))).toBeUndefined();
  });
});
