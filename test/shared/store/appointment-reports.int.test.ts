import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppointmentConflictError, AppointmentStateError, type AppointmentRecord } from '../../../shared/model/appointments.ts';
import type { AwsClients } from '../../../shared/store/clients.ts';
import { AppointmentReportStore } from '../../../shared/store/appointment-reports.ts';
import { appointmentItem } from '../../../shared/store/appointments.ts';
import { freshTable, localClients } from '../../support/aws.ts';

const gesprek = (appointmentId: string, overrides: Partial<AppointmentRecord> = {}): AppointmentRecord => ({
  schoolYear: '2025-2026',
  studentNumber: '8872001',
  appointmentId,
  kind: 'gesprek',
  talkType: 'eind',
  date: '2026-06-10',
  start: '09:00',
  end: '10:00',
  period: 4,
  participants: [{ role: 'io', person: { name: 'Óscar Ëlberg', email: 'oscar@hr.example.nl' }, state: 'uitgenodigd', linkId: 'l1' }],
  state: 'gepland',
  sequence: 0,
  rev: 0,
  createdAt: '2026-06-01T08:00:00Z',
  updatedAt: '2026-06-01T08:00:00Z',
  student: { name: "Çiğdem van 't Hek", email: 'cigdem@student.example.nl' },
  school: 'Wolfert van Borselen',
  vak: 'Nederlands',
  ...overrides,
});

const report = { text: 'Eindgesprek gehouden.\nAlles besproken.', writtenAt: '2026-06-10T09:00:00Z' };

/** The verslag's writes on the appointment item: each conditional on `rev`, `gepland` and `gesprek`; a failed condition is a Dutch 409. */
describe('AppointmentReportStore (DynamoDB Local)', () => {
  let clients: AwsClients;
  let tableName: string;
  let store: AppointmentReportStore;

  beforeAll(async () => {
    clients = localClients();
    tableName = await freshTable(clients);
    store = new AppointmentReportStore(clients.doc, tableName);
  });

  const put = (appointment: AppointmentRecord) => clients.doc.send(new PutCommand({ TableName: tableName, Item: appointmentItem(appointment) }));

  it('saves the verslag and marks it sent, each raising rev', async () => {
    await put(gesprek('a1'));
    const saved = await store.saveReport(gesprek('a1'), report, '2026-06-10T09:00:00Z');
    expect(saved).toMatchObject({ rev: 1, report, updatedAt: '2026-06-10T09:00:00Z' });
    const sent = await store.markSent(saved, '2026-06-10T09:05:00Z');
    expect(sent).toMatchObject({ rev: 2, report: { ...report, sentAt: '2026-06-10T09:05:00Z' } });
    expect(await store.get('2025-2026', '8872001', 'a1')).toEqual(sent);
    expect((await store.listForPlacement('2025-2026', '8872001')).map((a) => a.appointmentId)).toContain('a1');
  });

  it('a write on a stale rev is an AppointmentConflictError (409), and nothing changes', async () => {
    await put(gesprek('a2', { rev: 4 }));
    const error = await store.saveReport(gesprek('a2', { rev: 3 }), report, '2026-06-10T09:00:00Z').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppointmentConflictError);
    expect((error as AppointmentConflictError).status).toBe(409);
    expect((await store.get('2025-2026', '8872001', 'a2'))?.report).toBeUndefined();
  });

  it('a write on a cancelled gesprek is an AppointmentStateError (409) in Dutch', async () => {
    await put(gesprek('a3', { state: 'geannuleerd' }));
    const error = await store.saveReport(gesprek('a3'), report, '2026-06-10T09:00:00Z').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppointmentStateError);
    expect((error as AppointmentStateError).message).toBe('Dit gesprek is geannuleerd. Bij een geannuleerd gesprek hoort geen verslag.');
  });

  it('a lesbezoek gets no verslag, and marking sent needs a saved verslag', async () => {
    await put(gesprek('a4', { kind: 'lesbezoek', talkType: undefined }));
    await expect(store.saveReport(gesprek('a4'), report, '2026-06-10T09:00:00Z')).rejects.toBeInstanceOf(AppointmentConflictError);
    await put(gesprek('a5'));
    await expect(store.markSent(gesprek('a5'), '2026-06-10T09:05:00Z')).rejects.toBeInstanceOf(AppointmentConflictError);
    expect((await store.get('2025-2026', '8872001', 'a5'))?.rev).toBe(0);
  });

  it('records the attachment scan verdict once, only on that attachment, without raising rev', async () => {
    const attachment = { id: 'att1', key: 'attachments/2025-2026/8872001/appointments/a6/att1', name: 'verslag.pdf', size: 10, type: 'application/pdf' };
    await put(gesprek('a6', { rev: 2, report: { ...report, attachment } }));
    await store.recordScanVerdict(gesprek('a6'), 'other', 'threat');
    await store.recordScanVerdict(gesprek('a6'), 'att1', 'clean');
    await store.recordScanVerdict(gesprek('a6'), 'att1', 'threat');
    const stored = await store.get('2025-2026', '8872001', 'a6');
    expect(stored?.report?.attachment?.scanVerdict).toBe('clean');
    expect(stored?.rev).toBe(2);
    // No attachment at all: nothing to record, and no error.
    await put(gesprek('a7'));
    await expect(store.recordScanVerdict(gesprek('a7'), 'att1', 'clean')).resolves.toBeUndefined();
  });
});
