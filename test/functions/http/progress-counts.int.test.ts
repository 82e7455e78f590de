import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/http/app.tsx';
import { formTitle, getForm } from '../../../forms/index.ts';
import { getPeriod, getSchoolYear } from '../../../shared/calendar.ts';
import { digestFor, type DigestContext } from '../../../shared/digest/content.ts';
import { recipients, yearModel } from '../../../shared/digest/model.ts';
import { renderEmail } from '../../../shared/mail/templates.ts';
import { loadOverview } from '../../../shared/overview/model.ts';
import type { Placement } from '../../../shared/roster/placement.ts';
import type { AwsClients } from '../../../shared/store/clients.ts';
import { createRequest } from '../../../shared/usecases/observation.ts';
import { ensureStudentLink } from '../../../shared/usecases/welcome.ts';
import { appDeps } from '../../support/app.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';
import { inboxOf, tokenIn } from '../../support/inbox.ts';
import { getWithSession, movableClock, signIn, staffPlacement } from '../../support/staff.ts';
import { appointmentItem, appointmentOf, concernItem, concernOf, participantOf } from '../../support/workflow-items.ts';

/*
 * The counts per student and school year, and open concerns, where staff and students read them:
 * the overview's column and mark, the staff student page, the student's own page, and the WPB's
 * and the SO's digests built from the year index. The appointment and concern items are put into
 * the table as their stores write them (docs/workflow.md), with the document client.
 */

const YEAR = '2025-2026';

describe('counts and open concerns in the overview, on the student pages and in the digests', () => {
  // Monday 1 December 2025, OP2: the kennismaking of OP1 is over, the tussentijds gesprek may be planned.
  const clock = movableClock('2025-12-01T09:00');
  let app: ReturnType<typeof createApp>;
  let deps: ReturnType<typeof appDeps>;
  let clients: AwsClients;
  let tableName: string;
  let ioSession: string;
  let studentToken: string;
  // Students and staff with addresses no other test file uses.
  const zoe = staffPlacement('851401', 'pc14', {
    student: { name: "Zoë van 't Veld-Çelik", email: 'zoe.851401@student.example.nl' },
    wpb: { name: 'Jan "Jantje" de Ruiter', email: 'jan.851401@wolfert.example.nl' },
  });
  const ahmed = staffPlacement('851402', 'pc14', { student: { name: 'Ahmed Öztürk', email: 'ahmed.851402@student.example.nl' } });

  const put = (item: Record<string, unknown>) => clients.doc.send(new PutCommand({ TableName: tableName, Item: item }));

  /** A kijkwijzer asked of an observer role and submitted (a lesbezoek's form is in). */
  async function submitted(p: Placement, formId: string, observerRole: 'wpb' | 'so') {
    const choice = { year: getSchoolYear(YEAR)!, period: getPeriod(YEAR, 2)! };
    const request = await createRequest(deps, p, { formId, observerRole, lessonDate: '2025-11-26' }, { origin: 'student', choice });
    const def = getForm(formId)!;
    await deps.requests.saveVersion(request, 0, {
      formId,
      formVersion: def.version,
      answers: {},
      status: 'ingediend',
      savedAt: clock.now().toString(),
      savedBy: p[observerRole].email,
      attachments: [],
    });
  }

  beforeAll(async () => {
    clients = localClients();
    tableName = await freshTable(clients);
    deps = appDeps(clients, { tableName, bucket: await freshBucket(clients) }, clock);
    app = createApp({ ...deps, signInRateLimits: { perAddress: 1000, perClient: 1000 } });
    for (const p of [zoe, ahmed]) await deps.placements.create(p, clock.now().toString());
    await ensureStudentLink(deps, zoe);
    studentToken = tokenIn((await inboxOf(zoe.student.email))[0], 's');

    await submitted(zoe, 'kijkwijzer-pedagogiek', 'wpb');
    const talkers = [participantOf(zoe, 'wpb'), participantOf(zoe, 'io')];
    await put(appointmentItem(appointmentOf(zoe, 'pc-a1', { kind: 'gesprek', talkType: 'kennismaking', date: '2025-10-06', start: '10:00', end: '11:00', period: 1, participants: talkers })));
    await put(appointmentItem(appointmentOf(zoe, 'pc-a2', { kind: 'gesprek', talkType: 'tussentijds', date: '2026-03-12', start: '13:00', end: '14:00', period: 3, participants: talkers })));
    await put(
      appointmentItem(
        appointmentOf(zoe, 'pc-a3', { kind: 'lesbezoek', date: '2025-12-03', start: '09:00', end: '09:50', period: 2, className: 'H2b', participants: [participantOf(zoe, 'wpb'), participantOf(zoe, 'so')] }),
      ),
    );
    await put(
      appointmentItem(
        appointmentOf(zoe, 'pc-a4', {
          kind: 'lesbezoek',
          date: '2025-12-04',
          start: '11:00',
          end: '11:50',
          period: 2,
          className: '3 "vwo" = b',
          participants: [participantOf(zoe, 'wpb', 'geannuleerd')],
          state: 'geannuleerd',
          cancelledAt: '2025-11-28T10:00:00Z',
        }),
      ),
    );
    await put(
      concernItem(
        concernOf(zoe, 'pc-c1', {
          reason: 'Bereidt "lessen" niet voor;\nkomt = te laat',
          raisedBy: { ...zoe.wpb, role: 'wpb' },
          raisedAt: '2025-11-20T10:00:00Z',
        }),
      ),
    );
    ioSession = await signIn(app, zoe.io.email);
  });

  it('shows the counts in a column of the overview and marks the open concern with its date', async () => {
    const response = await getWithSession(app, '/overzicht', ioSession);

    expect(response.status).toBe(200);
    const page = await response.text();
    const row = (nr: string) => page.slice(page.indexOf(`data-student="${nr}"`), page.indexOf('</tr>', page.indexOf(`data-student="${nr}"`)));
    expect(page).toContain('<th scope="col">Voortgang dit schooljaar</th>');
    expect(row('851401')).toContain('Lesbezoeken: WPB 1/2, SO 0/1');
    expect(row('851401')).toContain('Gesprekken: 1 van 4 gehouden, 1 gepland');
    expect(row('851401')).toContain('Zorg open</a> sinds donderdag 20 november 2025');
    expect(row('851402')).toContain('Lesbezoeken: WPB 0/2, SO 0/1');
    expect(row('851402')).toMatch(/Gesprekken: 0 van 4 gehouden <span[^>]*>1 ontbreekt<\/span>/);
    expect(row('851402')).not.toContain('Zorg open');
  });

  it('gives the overview model the counts and the open concern per row', async () => {
    const overview = await loadOverview(deps, { admin: false, io: {}, schools: { [YEAR]: ['Wolfert van Borselen'] } }, { year: getSchoolYear(YEAR)!, period: getPeriod(YEAR, 2)! });

    const zoeRow = overview.rows.find((r) => r.placement.studentNumber === '851401')!;
    expect(zoeRow.counts.visits.wpb).toEqual({ done: 1, required: 2, planned: 1, missing: false });
    expect(zoeRow.counts.talks.map((t) => t.state)).toEqual(['gehouden', 'gepland', 'later', 'later']);
    expect(zoeRow.concern?.concernId).toBe('pc-c1');
    expect(overview.rows.find((r) => r.placement.studentNumber === '851402')!.concern).toBeUndefined();
  });

  it("shows the counts on the staff student page and on the student's own page", async () => {
    const staffPage = await (await getWithSession(app, `/overzicht/student/${YEAR}/851401`, ioSession)).text();
    const own = await (await app.request(`/s/${studentToken}`)).text();

    for (const page of [staffPage, own]) {
      expect(page).toContain('werkplekbegeleider 1 van 2 (1 gepland)');
      expect(page).toContain('schoolopleider 0 van 1 (1 gepland)');
      expect(page).toContain('kennismakingsgesprek: gehouden op 6 oktober');
      expect(page).toContain('tussentijds gesprek: gepland op 12 maart om 13:00');
      expect(page).toContain('gesprek in OP4: in OP4');
      expect(page).toContain('kijkwijzers nog nodig: didactiek en vakdidactiek (vóór het einde van OP3)');
      expect(page).not.toMatch(/\bachter\b/);
    }
    expect(staffPage).toContain('Voortgang in 2025-2026');
    expect(own).toContain('<h2 id="voortgang">Voortgang</h2>');
  });

  it("lists the coming week's appointments in the WPB's digest from the year index, not the cancelled one, and the concern in the SO's", async () => {
    const items: Record<string, unknown>[] = [];
    for await (const page of deps.placements.yearItems(YEAR)) items.push(...page);
    const model = yearModel(items);
    const context: DigestContext = {
      kind: 'weekly',
      now: clock.now(),
      year: getSchoolYear(YEAR)!,
      period: getPeriod(YEAR, 2)!,
      between: false,
      model,
      origin: deps.publicOrigin,
      linkSecret: deps.linkSecret,
      formTitle: (id) => formTitle(id),
      calendar: deps.calendar,
      suppressed: new Set(),
    };
    const people = recipients(model);

    expect(model.invalid).toEqual([]);
    const wpb = digestFor(people.find((r) => r.email === zoe.wpb.email)!, context)!;
    const coming = wpb.content.sections?.find((s) => s.heading === 'Afspraken in de komende zeven dagen');
    expect(coming?.items?.map((item) => item.text)).toEqual([
      "woensdag 3 december 2025 van 09:00 tot 09:50: lesbezoek bij Zoë van 't Veld-Çelik, klas H2b (met WPB en SO)",
    ]);
    expect(renderEmail(wpb.content).text).not.toContain('vwo');
    const so = renderEmail(digestFor(people.find((r) => r.email === zoe.so.email)!, context)!.content).text;
    expect(so).toContain('zorg gemeld op 20 november door Jan "Jantje" de Ruiter (WPB); nog geen stap vastgelegd');
    expect(so).not.toMatch(/\bachter\b/i);
  });
});
