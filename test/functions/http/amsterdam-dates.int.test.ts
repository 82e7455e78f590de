import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/http/app.tsx';
import { getForm } from '../../../forms/index.ts';
import { getPeriod, getSchoolYear } from '../../../shared/calendar.ts';
import { createRequest } from '../../../shared/usecases/observation.ts';
import { ensureStudentLink } from '../../../shared/usecases/welcome.ts';
import type { RequestRecord } from '../../../shared/model/requests.ts';
import { appDeps } from '../../support/app.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';
import { completeFields } from '../../support/forms.ts';
import { inboxOf, tokenIn, type InboxEmail } from '../../support/inbox.ts';
import { getWithSession, movableClock, postForm, signIn, staffPlacement } from '../../support/staff.ts';

/**
 * A form submitted at 23:30 UTC on 10 November 2025 is submitted at 00:30 on 11 November in
 * Amsterdam (CET, UTC+1): every page and email says 11 November, never the UTC date.
 */

const YEAR = '2025-2026';
const SUBMITTED = '2025-11-10T23:30:00Z';

describe('dates of instants are Amsterdam dates on every page and in every email', () => {
  const clock = movableClock('2025-11-10T09:00');
  let app: ReturnType<typeof createApp>;
  const placement = staffPlacement('840001', 'ams', { student: { name: 'Daniëlle van ’t Hoff', email: 'danielle.840001@student.example.nl' } });
  let request: RequestRecord;
  let studentToken: string;
  let session: string;
  const emails: InboxEmail[] = [];

  beforeAll(async () => {
    const clients = localClients();
    const deps = appDeps(clients, { tableName: await freshTable(clients), bucket: await freshBucket(clients) }, clock);
    app = createApp({ ...deps, signInRateLimits: { perAddress: 1000, perClient: 1000 } });
    await deps.placements.create(placement, clock.now().toString());
    await ensureStudentLink(deps, placement);
    studentToken = tokenIn((await inboxOf(placement.student.email)).at(-1), 's');
    const choice = { year: getSchoolYear(YEAR)!, period: getPeriod(YEAR, 1)! };
    request = await createRequest(deps, placement, { formId: 'kijkwijzer-pedagogiek', observerRole: 'wpb', lessonDate: '2025-11-05' }, { origin: 'student', choice });
    const formToken = tokenIn((await inboxOf(placement.wpb.email)).at(-1), 'f');
    const before = { wpb: (await inboxOf(placement.wpb.email)).length, student: (await inboxOf(placement.student.email)).length };

    clock.set(SUBMITTED);
    const submitted = await postForm(app, `/f/${formToken}`, { ...completeFields(getForm('kijkwijzer-pedagogiek')!), basis: '0', actie: 'versturen' });
    expect(submitted.status).toBe(303);
    emails.push(...(await inboxOf(placement.wpb.email)).slice(before.wpb), ...(await inboxOf(placement.student.email)).slice(before.student));
    session = await signIn(app, 'io.ams@hr.example.nl');
  });

  it("on the student's view of the form", async () => {
    const page = await (await app.request(`/s/${studentToken}/formulieren/${request.requestId}`)).text();

    expect(page).toContain('ingediend op dinsdag 11 november 2025');
    expect(page).not.toContain('10 november 2025');
  });

  it('on the staff overview, the submission and the student page', async () => {
    const pages = {
      overview: `/overzicht?jaar=${YEAR}&periode=1`,
      submission: `/overzicht/formulier/${YEAR}/840001/${request.requestId}`,
      student: `/overzicht/student/${YEAR}/840001`,
    };
    for (const [name, path] of Object.entries(pages)) {
      const response = await getWithSession(app, path, session);
      expect(response.status, name).toBe(200);
      const text = await response.text();
      expect(text, name).toContain('dinsdag 11 november 2025 om 00:30');
      expect(text, name).not.toMatch(/2025-11-10 23:30|10 november 2025 om 23:30/);
    }
  });

  it('in the receipt to the observer, and nowhere the UTC date', async () => {
    expect(emails.length).toBe(2);
    const receipt = emails.find((e) => e.subject.startsWith('Ontvangen'))!;
    for (const part of [receipt.body.text, receipt.body.html]) expect(part).toContain('ontvangen op dinsdag 11 november 2025 om 00:30');
    for (const email of emails) {
      expect(email.body.text, email.subject).not.toContain('10 november');
      expect(email.body.html, email.subject).not.toContain('10 november');
    }
  });
});
