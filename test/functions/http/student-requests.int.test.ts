import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/http/app.tsx';
import { formTitle, getForm } from '../../../forms/index.ts';
import { getSchoolYear, whereIs } from '../../../shared/calendar.ts';
import { digestFor, type DigestContext } from '../../../shared/digest/content.ts';
import { recipients, yearModel } from '../../../shared/digest/model.ts';
import { hashToken, tokenFor } from '../../../shared/links.ts';
import { ensureStudentLink } from '../../../shared/usecases/welcome.ts';
import { renderEmail } from '../../../shared/mail/templates.ts';
import type { Placement } from '../../../shared/roster/placement.ts';
import type { RequestRecord } from '../../../shared/model/requests.ts';
import { appDeps } from '../../support/app.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';
import { completeFields } from '../../support/forms.ts';
import { inboxOf, tokenIn } from '../../support/inbox.ts';
import { getWithSession, movableClock, postForm, signIn, staffPlacement } from '../../support/staff.ts';

const YEAR = '2025-2026';
const STUDENT = "Daniëlle van 't Hoff-Çelik";
const kijkwijzer = getForm('kijkwijzer-pedagogiek')!;

/** What a student asks for on their page, as the browser posts it. */
const ask = (lessonDate: string, formId = 'kijkwijzer-pedagogiek') => ({ formId, observerRole: 'wpb', lessonDate, className: 'H2b', question: '' });

describe("a student's requests: the lesson date and withdrawing a request, on the local stand-ins", () => {
  const clock = movableClock('2025-11-10T09:00');
  let app: ReturnType<typeof createApp>;
  let deps: ReturnType<typeof appDeps>;
  let seq = 0;

  /** A fresh placement with the student's page token (from the welcome email). */
  async function student(overrides: Parameters<typeof staffPlacement>[2] = {}) {
    seq += 1;
    const nr = String(840000 + seq);
    const p = staffPlacement(nr, 'stud', { student: { name: STUDENT, email: `danielle.${nr}@student.example.nl` }, ...overrides });
    await deps.placements.create(p, clock.now().toString());
    await ensureStudentLink(deps, p);
    return { p, token: tokenIn((await inboxOf(p.student.email))[0], 's') };
  }

  const stored = (p: Placement) => deps.requests.listForPlacement(p.schoolYear, p.studentNumber);
  const reload = async (r: RequestRecord) => (await deps.requests.get(r.schoolYear, r.studentNumber, r.requestId))!;
  const withdraw = (token: string, r: Pick<RequestRecord, 'requestId'>, fields: Record<string, string> = { bevestigd: 'ja' }) =>
    postForm(app, `/s/${token}/aanvragen/${r.requestId}/intrekken`, fields);

  /** A student-asked kijkwijzer, through the page; returns it and the WPB's form token. */
  async function asked(token: string, p: Placement, formId = 'kijkwijzer-pedagogiek') {
    const response = await postForm(app, `/s/${token}/aanvragen`, ask('2025-11-05', formId));
    expect(response.status).toBe(303);
    const request = (await stored(p)).find((r) => r.formId === formId && r.state === 'gevraagd')!;
    return { request, formToken: tokenFor(deps.linkSecret, request.linkId) };
  }

  beforeAll(async () => {
    const clients = localClients();
    deps = appDeps(clients, { tableName: await freshTable(clients), bucket: await freshBucket(clients) }, clock);
    app = createApp({ ...deps, signInRateLimits: { perAddress: 1000, perClient: 1000 }, rateLimits: { perAddress: 1_000_000, perToken: 1_000_000 } } as typeof deps);
  });

  describe('the lesson date lies in the school year and not after the deadline of the period the request goes into', () => {
    async function tryDate(now: string, lessonDate: string) {
      clock.set(now);
      const { p, token } = await student();
      const response = await postForm(app, `/s/${token}/aanvragen`, ask(lessonDate));
      return { status: response.status, page: response.status === 400 ? await response.text() : '', requests: await stored(p), wpbMails: await inboxOf(p.wpb.email) };
    }

    it.each([
      ['the first day of the school year', '2025-08-01'],
      ['the deadline day of period 1', '2025-11-12'],
      ['a lesson earlier this period', '2025-10-01'],
    ])('accepts %s (now: 10 November 2025, period 1)', async (_, lessonDate) => {
      const result = await tryDate('2025-11-10T09:00', lessonDate);

      expect(result.status).toBe(303);
      expect(result.requests.map((r) => [r.lessonDate, r.period, r.deadline])).toEqual([[lessonDate, 1, '2025-11-12']]);
      expect(result.wpbMails).toHaveLength(1);
    });

    it.each([
      ['the day after the deadline', '2025-11-13', 'De lesdatum ligt na de deadline van deze aanvraag. Een aanvraag van nu hoort bij periode 1 (OP1), met deadline woensdag 12 november 2025'],
      ['a date in the gap between period 1 and 2, after the deadline', '2025-11-17', 'De lesdatum ligt na de deadline van deze aanvraag.'],
      ['a lesson a year and a half away', '2027-03-10', 'De lesdatum ligt na de deadline van deze aanvraag.'],
      ['the last day of the school year', '2026-07-31', 'De lesdatum ligt na de deadline van deze aanvraag.'],
      ['the day before the school year', '2025-07-31', 'De lesdatum ligt vóór schooljaar 2025-2026, dat begint op vrijdag 1 augustus 2025.'],
      ['last January (last school year)', '2025-01-15', 'De lesdatum ligt vóór schooljaar 2025-2026'],
    ])('refuses %s with a Dutch 400 at the field, and stores and sends nothing', async (_, lessonDate, message) => {
      const result = await tryDate('2025-11-10T09:00', lessonDate);

      expect(result.status).toBe(400);
      expect(result.page).toContain(message);
      expect(result.page).toContain('id="fout-lessonDate"');
      expect(result.page).toContain(`value="${lessonDate}"`);
      expect(result.requests).toEqual([]);
      expect(result.wpbMails).toEqual([]);
    });

    it('after the deadline of period 1 a request goes into period 2: a past lesson in the gap and the new deadline day are accepted, the day after is not', async () => {
      const gap = await tryDate('2025-11-18T09:00', '2025-11-17');
      const deadline = await tryDate('2025-11-18T09:00', '2026-02-04');
      const after = await tryDate('2025-11-18T09:00', '2026-02-05');

      expect([gap.status, deadline.status, after.status]).toEqual([303, 303, 400]);
      expect(gap.requests.map((r) => [r.lessonDate, r.period])).toEqual([['2025-11-17', 2]]);
      expect(deadline.requests.map((r) => [r.lessonDate, r.period])).toEqual([['2026-02-04', 2]]);
      expect(after.page).toContain('hoort bij periode 2 (OP2), met deadline woensdag 4 februari 2026');
    });

    it('in period 4 the last day of the school year is still refused: it lies after the last deadline', async () => {
      const last = await tryDate('2026-05-20T09:00', '2026-07-31');
      const deadline = await tryDate('2026-05-20T09:00', '2026-05-29');

      expect(last.status).toBe(400);
      expect(last.page).toContain('met deadline vrijdag 29 mei 2026');
      expect(deadline.status).toBe(303);
    });

    it('tells the student the allowed range on the form itself', async () => {
      clock.set('2025-11-10T09:00');
      const { token } = await student();

      const page = await (await app.request(`/s/${token}`)).text();

      expect(page).toContain('min="2025-08-01"');
      expect(page).toContain('max="2025-11-12"');
      expect(page).toContain('Een les uit schooljaar 2025-2026, uiterlijk op woensdag 12 november 2025');
    });
  });

  describe('withdrawing a request while nothing has been submitted', () => {
    beforeAll(() => clock.set('2025-11-10T09:00'));

    it('asks for confirmation first and changes nothing until it is given', async () => {
      const { p, token } = await student();
      const { request, formToken } = await asked(token, p);

      const confirm = await withdraw(token, request, {});

      expect(confirm.status).toBe(200);
      const page = await confirm.text();
      expect(page).toContain('Aanvraag intrekken?');
      expect(page).toContain('name="bevestigd" value="ja"');
      expect(page).toContain('de kijkwijzer pedagogiek');
      expect(await reload(request)).toEqual(request);
      expect((await app.request(`/f/${formToken}`)).status).toBe(200);
    });

    it('withdraws: stored as ingetrokken, the link revoked (410 saying so), the observer emailed, the audit logged; a replay changes nothing', async () => {
      const { p, token } = await student();
      const { request, formToken } = await asked(token, p);
      const wpbMailsBefore = (await inboxOf(p.wpb.email)).length;
      clock.advance(60_000);

      const response = await withdraw(token, request);

      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(`/s/${token}?ingetrokken=1`);
      const now = await reload(request);
      expect(now).toMatchObject({ state: 'ingetrokken', withdrawnAt: clock.now().toString(), linkHash: request.linkHash, latestVersion: 0 });
      expect((await deps.links.get(hashToken(formToken)))!.revokedAt).toBe(clock.now().toString());

      const gone = await app.request(`/f/${formToken}`);
      expect(gone.status).toBe(410);
      const goneText = await gone.text();
      expect(goneText).toContain('Deze aanvraag is ingetrokken');
      expect(goneText).toContain(`${STUDENT.replace("'", '&#39;')} heeft de aanvraag ingetrokken: u hoeft de kijkwijzer pedagogiek voor de les van woensdag 5 november 2025 niet meer in te vullen`);
      expect(goneText).not.toContain('verlopen, ingetrokken of vervangen');
      expect((await postForm(app, `/f/${formToken}`, { ...completeFields(kijkwijzer), basis: '0', actie: 'versturen' })).status).toBe(410);

      const mails = await inboxOf(p.wpb.email);
      expect(mails).toHaveLength(wpbMailsBefore + 1);
      const mail = mails.at(-1)!;
      expect(mail.subject).toBe(`Ingetrokken: Kijkwijzer pedagogiek voor ${STUDENT}`);
      expect(mail.body.text).toContain(`${STUDENT} heeft de aanvraag ingetrokken: u hoeft de kijkwijzer pedagogiek voor de les van woensdag 5 november 2025 in klas H2b niet in te vullen.`);
      expect(mail.body.text).toContain('De link uit de eerdere e-mail werkt niet meer.');
      expect(mail.body.html).toContain('De link uit de eerdere e-mail werkt niet meer.');

      const events = await deps.audit.listForPlacement(p.schoolYear, p.studentNumber, { requestId: request.requestId });
      expect(events.filter((e) => e.action === 'aanvraag ingetrokken').map((e) => e.actor)).toEqual(['link:student']);

      const studentPage = await (await app.request(`/s/${token}?ingetrokken=1`)).text();
      expect(studentPage).toContain('Je aanvraag is ingetrokken.');
      expect(studentPage).toContain('state-ingetrokken');
      expect(studentPage).not.toContain(`/aanvragen/${request.requestId}/intrekken`);
      expect(studentPage).toContain('kijkwijzers nog nodig: pedagogiek, didactiek en vakdidactiek');

      const replay = await withdraw(token, request);
      expect(replay.status).toBe(303);
      expect(await reload(request)).toEqual(now);
      expect(await inboxOf(p.wpb.email)).toHaveLength(wpbMailsBefore + 1);
      const after = await deps.audit.listForPlacement(p.schoolYear, p.studentNumber, { requestId: request.requestId });
      expect(after.filter((e) => e.action === 'aanvraag ingetrokken')).toHaveLength(1);
    });

    it('withdraws a request with a saved draft, and tells the observer the draft is not submitted', async () => {
      const { p, token } = await student();
      const { request, formToken } = await asked(token, p);
      expect((await postForm(app, `/f/${formToken}`, { 'a.FEEDBACK': 'Half concept', basis: '0', actie: 'concept' })).status).toBe(303);

      expect((await withdraw(token, request)).status).toBe(303);

      expect((await reload(request)).state).toBe('ingetrokken');
      expect((await inboxOf(p.wpb.email)).at(-1)!.body.text).toContain('Uw opgeslagen concept wordt niet ingediend.');
      const versions = await deps.requests.listVersions(request);
      expect(versions.map((v) => v.status)).toEqual(['concept']);
    });

    it('refuses to withdraw a submitted request with a Dutch 409, and changes and sends nothing', async () => {
      const { p, token } = await student();
      const { request, formToken } = await asked(token, p);
      expect((await postForm(app, `/f/${formToken}`, { ...completeFields(kijkwijzer), basis: '0', actie: 'versturen' })).status).toBe(303);
      const submitted = await reload(request);
      const mailsBefore = (await inboxOf(p.wpb.email)).length;

      const refused = await withdraw(token, request);
      const confirmRefused = await withdraw(token, request, {});

      expect(refused.status).toBe(409);
      expect(await refused.text()).toContain('Deze aanvraag kan niet meer worden ingetrokken: het formulier is al ingediend.');
      expect(confirmRefused.status).toBe(409);
      expect(await reload(request)).toEqual(submitted);
      expect((await app.request(`/f/${formToken}`)).status).toBe(200);
      expect(await inboxOf(p.wpb.email)).toHaveLength(mailsBefore);
      expect(await (await app.request(`/s/${token}`)).text()).not.toContain(`/aanvragen/${request.requestId}/intrekken`);
    });

    it('lets exactly one of a submit and a withdrawal racing each other win, and stores a consistent outcome', async () => {
      const outcomes = new Set<string>();
      for (let round = 0; round < 6; round++) {
        const { p, token } = await student();
        const { request, formToken } = await asked(token, p);
        const submit = () => postForm(app, `/f/${formToken}`, { ...completeFields(kijkwijzer), basis: '0', actie: 'versturen' });
        const withdrawal = () => withdraw(token, request);
        const [s, w] = round % 2 === 0 ? await Promise.all([submit(), withdrawal()]) : (await Promise.all([withdrawal(), submit()])).reverse();

        const now = await reload(request);
        const versions = await deps.requests.listVersions(request);
        if (now.state === 'ingediend') {
          expect([s!.status, w!.status]).toEqual([303, 409]);
          expect(versions.map((v) => v.status)).toEqual(['ingediend']);
          expect((await deps.links.get(hashToken(formToken)))!.revokedAt).toBeUndefined();
        } else {
          expect(now.state).toBe('ingetrokken');
          expect([s!.status, w!.status]).toEqual([410, 303]);
          expect(versions).toEqual([]);
          expect((await inboxOf(p.wpb.email)).filter((m) => m.subject.startsWith('Ontvangen:'))).toEqual([]);
        }
        outcomes.add(`${now.state}: submit ${s!.status}, withdraw ${w!.status}`);
      }
      // Which side wins depends on timing; every round above had exactly one winner.
      console.info(`submit/withdraw races: ${[...outcomes].join(' | ')}`);
    });

    it("answers another student's request id with 404 and leaves that request alone", async () => {
      const mine = await student();
      const theirs = await student();
      const { request } = await asked(theirs.token, theirs.p);

      const response = await withdraw(mine.token, request);

      expect(response.status).toBe(404);
      expect(await response.text()).toContain('Deze aanvraag bestaat niet.');
      expect(await reload(request)).toEqual(request);
    });

    it('keeps a withdrawn request out of progress, the open tasks of the digest, the staff pages\' actions and the CSV', async () => {
      const io = 'io.stud@hr.example.nl';
      const { p, token } = await student();
      const { request: withdrawn } = await asked(token, p, 'kijkwijzer-pedagogiek');
      const { request: open } = await asked(token, p, 'kijkwijzer-didactiek');
      expect((await withdraw(token, withdrawn)).status).toBe(303);

      const items: Record<string, unknown>[] = [];
      for await (const page of deps.placements.yearItems(YEAR)) items.push(...page);
      const model = yearModel(items);
      expect(model.invalid).toEqual([]);
      const where = whereIs(clock.now());
      if (where.kind !== 'period') throw new Error('expected a period');
      const context: DigestContext = {
        kind: 'weekly',
        now: clock.now(),
        year: getSchoolYear(YEAR)!,
        period: where.period,
        between: false,
        model,
        origin: deps.publicOrigin,
        linkSecret: deps.linkSecret,
        formTitle: (id) => formTitle(id),
        calendar: deps.calendar,
        suppressed: new Set(),
      };
      const wpb = recipients(model).find((r) => r.email === p.wpb.email.toLowerCase())!;
      const digest = digestFor(wpb, context)!;
      const text = renderEmail(digest.content).text;
      expect(text).toContain('Kijkwijzer didactiek');
      expect(text).not.toContain('Kijkwijzer pedagogiek voor');

      const session = await signIn(app, io);
      const staffPage = await (await getWithSession(app, `/overzicht/student/${YEAR}/${p.studentNumber}`, session)).text();
      expect(staffPage).toContain('state-ingetrokken');
      const base = `/overzicht/aanvraag/${YEAR}/${p.studentNumber}`;
      expect(staffPage).not.toContain(`${base}/${withdrawn.requestId}/herinneren`);
      expect(staffPage).not.toContain(`${base}/${withdrawn.requestId}/nieuwe-link`);
      expect(staffPage).toContain(`${base}/${open.requestId}/herinneren`);
      const reissue = await postForm(app, `${base}/${withdrawn.requestId}/nieuwe-link`, { bevestigd: 'ja' }, { cookie: session });
      expect(reissue.status).toBe(409);
      expect((await reload(withdrawn)).state).toBe('ingetrokken');

      // The CSV holds this file's earlier submission (a row with its student number), never this student's withdrawn request.
      const csv = await (await getWithSession(app, `/overzicht/export.csv?jaar=${YEAR}&periode=1`, session)).text();
      expect(csv).toContain('Kijkwijzer pedagogiek');
      expect(csv).not.toContain(p.studentNumber);
    });
  });
});
