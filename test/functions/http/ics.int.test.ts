import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/http/app.tsx';
import { fixedClock, parseInstant } from '../../../shared/clock.ts';
import { MemoryMailer } from '../../../shared/mail/mailer.ts';
import { ensureStudentLink } from '../../../shared/usecases/welcome.ts';
import { studentUrl } from '../../../shared/links.ts';
import { Placement } from '../../../shared/roster/placement.ts';
import { appDeps, TEST_LINK_SECRET, TEST_ORIGIN } from '../../support/app.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';

function placement(schoolYear: string, studentNumber: string) {
  return Placement.parse({
    schoolYear,
    studentNumber,
    student: { name: 'Zoë de Vries', email: `zoe.${studentNumber}@student.example.nl` },
    vak: 'Nederlands',
    school: 'Wolfert van Borselen',
    wpb: { name: "Jan van 't Hek", email: 'jan@wolfert.example.nl' },
    so: { name: 'Saskia Bakker', email: 'so@wolfert.example.nl' },
    io: { name: 'Ivo Jansen', email: 'io@hr.example.nl' },
    sco: { name: 'Fatima El Amrani', email: 'sco@wolfert.example.nl' },
  });
}

describe("the student's calendar feed, over the real SDK and the local stand-ins", () => {
  let app: ReturnType<typeof createApp>;
  let deps: ReturnType<typeof appDeps>;

  /** The path of a new student's page, from the link their welcome made. */
  async function studentPath(schoolYear: string, studentNumber: string): Promise<string> {
    const p = placement(schoolYear, studentNumber);
    await deps.placements.create(p, '2025-11-10T08:00:00Z');
    const { linkId } = await ensureStudentLink(deps, p);
    return new URL(studentUrl({ linkSecret: TEST_LINK_SECRET, publicOrigin: TEST_ORIGIN }, linkId)).pathname;
  }

  beforeAll(async () => {
    const clients = localClients();
    const names = { tableName: await freshTable(clients), bucket: await freshBucket(clients) };
    deps = appDeps(clients, names, fixedClock(parseInstant('2025-11-10T09:00')), { mailer: new MemoryMailer() });
    app = createApp(deps);
  });

  it('links the feed from the student page', async () => {
    const path = await studentPath('2025-2026', '7700001');

    const page = await (await app.request(path)).text();

    expect(page).toContain(`<a href="${path}/agenda.ics">Zet de deadlines in je agenda</a>`);
  });

  it("serves the school year's deadlines as an ICS attachment", async () => {
    const path = await studentPath('2025-2026', '7700002');

    const response = await app.request(`${path}/agenda.ics`);

    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/calendar; charset=utf-8');
    expect(response.headers.get('Content-Disposition')).toBe('attachment; filename="werkplekleren-2025-2026.ics"');
    const ics = await response.text();
    expect(ics.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(8);
    expect(ics).toContain('UID:2025-2026-op2-deadline@werkplekleren-n2');
    expect(ics).toContain('DTSTART;VALUE=DATE:20260204');
    expect(ics).toContain('SUMMARY:Deadline OP2 werkplekleren N2');
    expect(ics).toContain('DTSTAMP:20251110T080000Z');
  });

  it('marks the provisional year in the feed of a 2026-2027 placement', async () => {
    const path = await studentPath('2026-2027', '7700003');

    const response = await app.request(`${path}/agenda.ics`);

    expect(response.headers.get('Content-Disposition')).toBe('attachment; filename="werkplekleren-2026-2027.ics"');
    // Provisional, and every date of 2026-2027 is derived from 2025-2026.
    expect(await response.text()).toContain('SUMMARY:Deadline OP2 werkplekleren N2 (voorlopig) (afgeleid)');
  });

  it('answers an unknown token with 404 and no calendar', async () => {
    const response = await app.request(`/s/${'A'.repeat(43)}/agenda.ics`);

    expect(response.status).toBe(404);
    expect(response.headers.get('Content-Type')).not.toContain('text/calendar');
  });
});
