import { randomUUID } from 'node:crypto';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it, vi } from 'vitest';
import { allForms } from '../../forms/index.ts';
import { formatDutchDate } from '../../shared/calendar.ts';
import { liveContent } from '../../shared/content/live.ts';
import { plannerDeps } from '../../shared/digest/deps.ts';
import { InProcessQueue } from '../../shared/digest/queue.ts';
import { MemoryMailer } from '../../shared/mail/mailer.ts';
import { publishedContent } from '../../shared/store/content.ts';
import { PlacementStore } from '../../shared/store/placements.ts';
import { exportYear, publishYear, uploadYear } from '../../shared/usecases/content.ts';
import { appDeps } from '../support/app.ts';
import { freshBucket, freshTable, localClients } from '../support/aws.ts';
import { cellAt, editWorkbook, sheet } from '../support/edit-workbook.ts';
import { movableClock } from '../support/staff.ts';

const ADMIN = 'coordinator@hr.example.nl';
const DOMAIN = `published-year-${randomUUID().slice(0, 8)}.test`;
const STUDENT_TASK = "Plan met je werkplekbegeleider Zoë van 't Hoff je eerste lesbezoek.\nNeem je leervragen mee.";

/**
 * The integration test: a coordinator publishes school year 2027-2028 as a workbook (the
 * exported 2025-2026, every date two years later, one task reworded), and the digest planner, as
 * its own Lambda would with content of its own, plans the Monday digest of a week in OP1 of that
 * year with the year's own tasks and deadline: no deploy in between.
 */
describe('a school year published as a workbook reaches the next digest', () => {
  it('plans the Monday digest of 2027-2028 with its tasks and its deadline', async () => {
    const clients = localClients();
    const tableName = await freshTable(clients);
    const bucket = await freshBucket(clients);
    const clock = movableClock('2027-06-01T09:00');
    const admin = appDeps(clients, { tableName, bucket }, clock, { mailer: new MemoryMailer(), adminEmails: [ADMIN] });
    await admin.content.refresh();

    const { bytes } = await exportYear(admin, { yearId: '2025-2026' });
    const edited = await editWorkbook(bytes, (workbook) => {
      cellAt(sheet(workbook, 'schooljaar'), 2, 'schooljaar').value = '2027-2028';
      for (const name of ['schooljaar', 'periodes']) {
        sheet(workbook, name).eachRow((row) =>
          row.eachCell((cell) => {
            if (cell.value instanceof Date) {
              const date = new Date(cell.value);
              date.setUTCFullYear(date.getUTCFullYear() + 2);
              cell.value = date;
            }
          }),
        );
      }
      const tasks = sheet(workbook, 'taken');
      for (let row = 2; row <= tasks.rowCount; row++) {
        const id = cellAt(tasks, row, 'code').value;
        if (cellAt(tasks, row, 'rol').value === 'student' && Number(cellAt(tasks, row, 'periode').value) === 1 && id !== null) {
          cellAt(tasks, row, 'tekst').value = STUDENT_TASK;
          break;
        }
      }
    });
    const upload = await uploadYear(admin, { fileName: 'schooljaar 2027-2028.xlsx', bytes: edited, by: ADMIN });
    if (upload.kind !== 'concept') throw new Error(`refused: ${JSON.stringify(upload.problems)}`);
    await publishYear(admin, { uploadId: upload.uploadId, by: ADMIN });

    const year = admin.calendar.years.find((candidate) => candidate.id === '2027-2028')!;
    const op1 = year.periods[0]!;
    await new PlacementStore(clients.doc, tableName).create(
      {
        schoolYear: '2027-2028',
        studentNumber: '2027001',
        student: { name: 'Óscar Çelik', email: `oscar@${DOMAIN}` },
        vak: 'Aardrijkskunde',
        school: 'Wolfert van Borselen',
        wpb: { name: "Zoë van 't Hoff", email: `zoe@${DOMAIN}` },
        so: { name: 'Saskia Bakker', email: `so@${DOMAIN}` },
        io: { name: 'Ivo Jansen', email: `io@${DOMAIN}` },
        sco: { name: 'Fatima El Amrani', email: `sco@${DOMAIN}` },
      },
      '2027-08-20T09:00:00Z',
    );

    // The planner Lambda: content of its own over the same table, loaded at the start of its run.
    const config = {
      TABLE_NAME: tableName,
      PUBLIC_ORIGIN: 'https://werkplekleren.example.nl',
      LINK_SECRET: 'een-geheim-van-minstens-tweeëndertig-tekens-lang',
      LINK_GRACE_DAYS: 14,
      MAIL_FROM: `noreply@${DOMAIN}`,
      MAIL_REPLY_TO: undefined,
      SES_CONFIGURATION_SET: undefined,
      NOW: undefined,
    };
    // The handler module builds its AWS wiring at load, as at a cold start; these make that load pass.
    vi.stubEnv('DIGEST_QUEUE_URL', 'https://sqs.eu-west-1.amazonaws.com/123456789012/digest');
    vi.stubEnv('LINK_SECRET', config.LINK_SECRET);
    const { createPlannerHandler } = await import('../../functions/digest-planner/handler.ts');
    vi.unstubAllEnvs();
    const content = liveContent({ forms: allForms }, publishedContent(clients.doc, tableName), { ttlMs: 0 });
    const queue = new InProcessQueue();
    const handler = createPlannerHandler(plannerDeps(config, clients, queue, { forms: content.forms, calendar: content.calendar }), clock, content);

    let monday = Temporal.PlainDate.from(op1.start).add({ days: 7 });
    while (monday.dayOfWeek !== 1) monday = monday.add({ days: 1 });
    const at = monday.toZonedDateTime({ timeZone: 'Europe/Amsterdam', plainTime: '07:00' }).toInstant().toString();
    const result = await handler({ kind: 'weekly', at }, {} as never);

    expect(result).toMatchObject({ runKey: expect.stringContaining('weekly#2027-2028#op1#') });
    const student = queue.messages.find((message) => message.to === `oscar@${DOMAIN}`);
    expect(student?.text).toContain(STUDENT_TASK.split('\n')[0]);
    expect(student?.text).toContain(formatDutchDate(op1.deadline));
    const wpb = queue.messages.find((message) => message.to === `zoe@${DOMAIN}`);
    expect(wpb?.text).toContain(formatDutchDate(op1.deadline));
    expect(wpb?.text).toContain(admin.calendar.tasksFor('2027-2028', 'wpb', 1)[0]!.text.split('\n')[0]);
  });
});
