import { Temporal } from 'temporal-polyfill';
import { beforeAll, describe, expect, it } from 'vitest';
import { getForm } from '../../../forms/index.ts';
import { formatDutchInstant, getPeriod, getSchoolYear } from '../../../shared/calendar.ts';
import { autoRequestStep, createDigestContent } from '../../../shared/digest/deps.ts';
import { planRun, type PlannerDeps } from '../../../shared/digest/planner.ts';
import { InProcessQueue } from '../../../shared/digest/queue.ts';
import { tokenFor } from '../../../shared/links.ts';
import { MemoryMailer, type EmailMessage, type Mailer } from '../../../shared/mail/mailer.ts';
import type { RequestRecord } from '../../../shared/model/requests.ts';
import { loadOverview } from '../../../shared/overview/model.ts';
import type { AwsClients } from '../../../shared/store/clients.ts';
import { SuppressionStore } from '../../../shared/store/suppressions.ts';
import { saveForm } from '../../../shared/usecases/form.ts';
import { ensureStudentLink } from '../../../shared/usecases/welcome.ts';
import { createApp } from '../../../functions/http/app.tsx';
import { appDeps, TEST_ORIGIN } from '../../support/app.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';
import { completeFields } from '../../support/forms.ts';
import { getWithSession, movableClock, signIn, staffPlacement } from '../../support/staff.ts';

const YEAR = '2025-2026';
const advice = getForm('advies-wpb')!;
/** Text in every answer of the advice: it must reach no email to the SO or IO. */
const SECRET_TEXT = 'Vertrouwelijk: "groeit" =sterk';

/** A mailer that refuses one address and keeps the rest, as MemoryMailer does. */
class FlakyMailer implements Mailer {
  readonly inner = new MemoryMailer();
  refuse = new Set<string>();
  get sent(): EmailMessage[] {
    return this.inner.sent;
  }
  async send(message: EmailMessage): Promise<string> {
    if (this.refuse.has(message.to)) throw Object.assign(new Error('refused'), { name: 'MessageRejected' });
    return this.inner.send(message);
  }
}

/**
 * The advice's route (issue 14, must-have 4) on the real stores: the period's weekly run asks the
 * WPB for the advice, the WPB submits it through the form's use-case, the SO and the IO each get
 * one email naming the student with the link to read it after signing in (never the answers), and
 * the next Monday's digests and the staff overview show it is in.
 */
describe('the WPB advice reaches the SO and the IO, and their digests show it (DynamoDB Local)', () => {
  const clock = movableClock('2026-05-04T07:00');
  const mailer = new FlakyMailer();
  let clients: AwsClients;
  let deps: ReturnType<typeof appDeps>;
  let tableName: string;
  /** The staff pages over the same table, with the local inbox for signing in. */
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    clients = localClients();
    tableName = await freshTable(clients);
    const names = { tableName, bucket: await freshBucket(clients) };
    deps = appDeps(clients, names, clock, { mailer });
    app = createApp({ ...appDeps(clients, names, clock), signInRateLimits: { perAddress: 1000, perClient: 1000 } });
  });

  /** One weekly run at `now` through the real planner, content and auto requests; the queued digests. */
  async function weeklyRun(now: string) {
    clock.set(now);
    const queue = new InProcessQueue();
    const planner: PlannerDeps = {
      prepare: autoRequestStep(deps),
      placements: deps.placements,
      suppressions: new SuppressionStore(clients.doc, tableName),
      queue,
      calendar: deps.calendar,
      content: createDigestContent({ publicOrigin: deps.publicOrigin, linkSecret: deps.linkSecret, forms: deps.forms, calendar: deps.calendar }),
    };
    await planRun({ now: clock.now(), kind: 'weekly' }, planner);
    return queue.messages;
  }

  const submit = (request: RequestRecord, basis: number) =>
    saveForm(deps, { token: tokenFor(deps.linkSecret, request.linkId), body: { ...completeFields(advice, SECRET_TEXT), basis: String(basis), actie: 'versturen' } });

  it('tells the SO and IO once on submission, a short note on a correction, and shows it in the digests and the overview', async () => {
    const placement = staffPlacement('8814001', 'advies', {
      student: { name: "Zoë Çelik-'t Hooft", email: 'zoe.celik@student.example.nl' },
      so: { name: 'Saskia Ëlberg', email: 'saskia.elberg@advies-route.example.nl' },
      io: { name: 'Óscar Jansen', email: 'oscar.jansen@advies-route.example.nl' },
    });
    await deps.placements.create(placement, '2026-04-01T08:00:00Z');
    await ensureStudentLink(deps, placement);

    // Monday in OP4 of 2025-2026, whose automatic requests include the advice: the run asks the WPB.
    const before = await weeklyRun('2026-05-04T07:00');
    const request = (await deps.requests.listForPlacement(YEAR, placement.studentNumber)).find((r) => r.formId === advice.id);
    expect(request).toMatchObject({ observerRole: 'wpb', period: 4, state: 'gevraagd' });
    const digestOf = (messages: typeof before, to: string) => messages.find((m) => m.to === to)?.text ?? '';
    expect(digestOf(before, placement.so.email)).toContain(`${placement.student.name} (Nederlands, WPB Jan van 't Hek): `);
    expect(digestOf(before, placement.so.email)).toContain('Advies WPB: nog niet ingediend');
    expect(digestOf(before, placement.io.email)).toContain('Advies WPB: nog niet ingediend');
    expect(digestOf(before, placement.so.email)).not.toContain('Advies WPB: ingediend');

    // The WPB submits the advice.
    clock.set('2026-05-06T14:03');
    mailer.sent.length = 0;
    expect(await submit(request!, 0)).toEqual({ kind: 'saved', status: 'ingediend' });

    const url = `${TEST_ORIGIN}/overzicht/formulier/${YEAR}/${placement.studentNumber}/${request!.requestId}`;
    const toSo = mailer.sent.filter((m) => m.to === placement.so.email);
    const toIo = mailer.sent.filter((m) => m.to === placement.io.email);
    expect(toSo).toHaveLength(1);
    expect(toIo).toHaveLength(1);
    for (const [mail, reader] of [
      [toSo[0]!, placement.so],
      [toIo[0]!, placement.io],
    ] as const) {
      expect(mail.subject).toBe(`Ingediend: ${advice.title} voor ${placement.student.name}`);
      expect(mail.text).toContain(`Beste ${reader.name},`);
      expect(mail.text).toContain(`Het advies van de werkplekbegeleider over ${placement.student.name} is binnen: Jan van 't Hek heeft het ingediend op woensdag 6 mei 2026 om 14:03.`);
      expect(mail.text).toContain(`- Studentnummer: ${placement.studentNumber}`);
      expect(mail.text).toContain('- School: Wolfert van Borselen');
      expect(mail.text).toContain('- Vak: Nederlands');
      expect(mail.text).toContain(`Advies lezen (na inloggen): ${url}`);
      expect(mail.text).not.toContain(SECRET_TEXT);
      expect(mail.html).not.toContain('groeit');
      expect(mail.text).not.toContain('/f/');
    }
    // The WPB's receipt and the student's notice are as before; nothing else went out.
    expect(mailer.sent.map((m) => m.to).sort()).toEqual([placement.io.email, placement.so.email, placement.student.email, placement.wpb.email].sort());

    // A correction: the same two people get a short "gecorrigeerd" note; the IO's refused email loses nothing.
    clock.set('2026-05-07T09:15');
    mailer.sent.length = 0;
    mailer.refuse = new Set([placement.io.email]);
    expect(await submit(request!, 1)).toEqual({ kind: 'saved', status: 'ingediend' });
    mailer.refuse = new Set();
    expect(await deps.requests.get(YEAR, placement.studentNumber, request!.requestId)).toMatchObject({ state: 'ingediend', latestVersion: 2 });
    const corrected = mailer.sent.filter((m) => m.to === placement.so.email);
    expect(corrected.map((m) => m.subject)).toEqual([`Gecorrigeerd: ${advice.title} voor ${placement.student.name}`]);
    expect(corrected[0]!.text).toContain("Jan van 't Hek, de werkplekbegeleider, heeft het advies over Zoë Çelik-'t Hooft gecorrigeerd op donderdag 7 mei 2026 om 09:15.");
    expect(corrected[0]!.text).not.toContain(SECRET_TEXT);
    expect(mailer.sent.some((m) => m.to === placement.wpb.email)).toBe(true);

    // The next Monday: the SO's and IO's digests say the advice is in, with its (latest) date.
    const after = await weeklyRun('2026-05-11T07:00');
    const day = formatDutchInstant('2026-05-07T07:15:00Z');
    expect(day).toBe('donderdag 7 mei 2026');
    expect(digestOf(after, placement.so.email)).toContain(`Advies WPB: ingediend op ${day}`);
    expect(digestOf(after, placement.io.email)).toContain(`Advies WPB: ingediend op ${day}`);
    expect(digestOf(after, placement.so.email)).not.toContain('nog niet ingediend');
    expect(digestOf(after, placement.so.email)).not.toContain(SECRET_TEXT);

    // The staff overview of OP4 shows it too, with the request to read; OP3 does not ask for it.
    // As the SO signed in sees it: their school's students.
    const scope = { admin: false, io: {}, schools: { [YEAR]: ['Wolfert van Borselen'] } };
    const op4 = await loadOverview(deps, scope, { year: getSchoolYear(YEAR, deps.calendar.years)!, period: getPeriod(YEAR, 4, deps.calendar.years)! });
    expect(op4.rows.find((r) => r.placement.studentNumber === placement.studentNumber)?.advice).toMatchObject({
      submittedAt: Temporal.Instant.from('2026-05-07T07:15:00Z').toString(),
      request: { requestId: request!.requestId },
    });
    const op3 = await loadOverview(deps, scope, { year: getSchoolYear(YEAR, deps.calendar.years)!, period: getPeriod(YEAR, 3, deps.calendar.years)! });
    expect(op3.rows.find((r) => r.placement.studentNumber === placement.studentNumber)?.advice).toBeUndefined();

    // The page the SO signs in to: the line, linking to the advice the email pointed at.
    const session = await signIn(app, placement.so.email);
    const page = async (period: number) => {
      const response = await getWithSession(app, `/overzicht?jaar=${YEAR}&periode=${period}`, session);
      expect(response.status).toBe(200);
      return response.text();
    };
    const html = await page(4);
    const text = html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');
    expect(text).toContain(`Advies WPB: ingediend op ${day}`);
    expect(html).toContain(`<a href="/overzicht/formulier/${YEAR}/${placement.studentNumber}/${request!.requestId}">ingediend op ${day}</a>`);
    expect(await page(3)).not.toContain('Advies WPB:');
    const reading = await getWithSession(app, new URL(url).pathname, session);
    expect(reading.status).toBe(200);
  });

  it('tells the SO and IO once when the WPB submits twice at the same moment (a double click): one wins, one email each', async () => {
    const placement = staffPlacement('8814002', 'advies-race', {
      so: { name: 'Saskia Ëlberg', email: 'saskia.race@advies-route.example.nl' },
      io: { name: 'Óscar Jansen', email: 'oscar.race@advies-route.example.nl' },
    });
    await deps.placements.create(placement, '2026-04-01T08:00:00Z');
    await ensureStudentLink(deps, placement);
    await weeklyRun('2026-05-04T07:00');
    const request = (await deps.requests.listForPlacement(YEAR, placement.studentNumber)).find((r) => r.formId === advice.id)!;
    mailer.sent.length = 0;

    const results = await Promise.all([submit(request, 0), submit(request, 0)]);

    expect(results.map((r) => r.kind).sort()).toEqual(['conflict', 'saved']);
    for (const reader of [placement.so.email, placement.io.email]) {
      expect(mailer.sent.filter((m) => m.to === reader).map((m) => m.subject)).toEqual([expect.stringMatching(/^Ingediend: /)]);
    }
  });
});
