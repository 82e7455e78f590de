import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/http/app.tsx';
import { getPeriod, getSchoolYear } from '../../../shared/calendar.ts';
import { tokenFor } from '../../../shared/links.ts';
import { createRequest } from '../../../shared/usecases/observation.ts';
import { ensureStudentLink } from '../../../shared/usecases/welcome.ts';
import type { ObserverRole } from '../../../shared/model/requests.ts';
import { appDeps } from '../../support/app.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';
import { inboxOf, tokenIn } from '../../support/inbox.ts';
import { movableClock, postForm, signInTokenFor, staffPlacement } from '../../support/staff.ts';

const YEAR = '2025-2026';
const choice = { year: getSchoolYear(YEAR)!, period: getPeriod(YEAR, 1)! };

/** A 410 page as a reader sees it: status, heading and the text of the page's main part. */
async function gone(response: Response) {
  const html = await response.text();
  const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? '';
  return { status: response.status, html, text: main.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/\s+/g, ' ').trim() };
}

describe('a link that no longer works says what to do, for the role whose link it is', () => {
  const clock = movableClock('2025-11-10T09:00');
  let app: ReturnType<typeof createApp>;
  let deps: ReturnType<typeof appDeps>;
  const p = staffPlacement('860001', 'gone', { student: { name: "Daniëlle van 't Hoff-Çelik", email: 'danielle.860001@student.example.nl' } });
  const formTokens: Partial<Record<ObserverRole, string>> = {};
  let studentToken: string;

  beforeAll(async () => {
    const clients = localClients();
    deps = appDeps(clients, { tableName: await freshTable(clients), bucket: await freshBucket(clients) }, clock);
    app = createApp({ ...deps, signInRateLimits: { perAddress: 1000, perClient: 1000 } });
    await deps.placements.create(p, clock.now().toString());
    await ensureStudentLink(deps, p);
    studentToken = tokenIn((await inboxOf(p.student.email))[0], 's');
    for (const role of ['wpb', 'so', 'io'] as const) {
      const request = await createRequest(deps, p, { formId: 'kijkwijzer-pedagogiek', observerRole: role, lessonDate: '2025-11-05' }, { origin: 'student', choice });
      formTokens[role] = tokenFor(deps.linkSecret, request.linkId);
    }
  });

  it('student: after the school year (and its grace) the page link asks the instituutsopleider for a new one', async () => {
    clock.set('2026-09-01T09:00');
    const page = await gone(await app.request(`/s/${studentToken}`));
    clock.set('2025-11-10T09:00');

    expect(page.status).toBe(410);
    expect(page.text).toContain('Deze link werkt niet meer');
    expect(page.text).toContain('vraag je instituutsopleider om een nieuwe link');
    expect(page.text).not.toContain('schoolopleider');
    expect(page.text).not.toContain('Er ging iets mis');
  });

  it.each([
    ['wpb', 'vraag de student of de schoolopleider om een nieuwe'],
    ['so', 'vraag de student of de instituutsopleider om een nieuwe'],
    ['io', 'vraag de student of de schoolopleider om een nieuwe'],
  ] as const)('%s: an expired form link says whom the observer can ask', async (role, advice) => {
    clock.set('2025-12-01T09:00');
    const page = await gone(await app.request(`/f/${formTokens[role]}`));
    clock.set('2025-11-10T09:00');

    expect(page.status).toBe(410);
    expect(page.text).toContain('Deze link werkt niet meer: hij is verlopen, ingetrokken of vervangen door een nieuwe.');
    expect(page.text).toContain(advice);
    expect(page.text).not.toContain('instituutsopleider om een nieuwe link');
  });

  it('staff: a used or expired sign-in link says to ask for a new one at /inloggen, with a link there', async () => {
    const email = 'io.gone@hr.example.nl';
    expect((await postForm(app, '/inloggen', { email })).status).toBe(200);
    const token = await signInTokenFor(email);
    expect((await postForm(app, `/inloggen/${token}`, {})).status).toBe(303);

    const again = await gone(await postForm(app, `/inloggen/${token}`, {}));
    expect((await postForm(app, '/inloggen', { email })).status).toBe(200);
    const late = await signInTokenFor(email);
    clock.advance(11 * 60_000);
    const opened = await gone(await app.request(`/inloggen/${late}`));
    clock.set('2025-11-10T09:00');

    for (const page of [again, opened]) {
      expect(page.status).toBe(410);
      expect(page.text).toContain('Deze inloglink werkt niet meer');
      expect(page.text).toContain('Vraag een nieuwe inloglink aan.');
      expect(page.html).toContain('<a href="/inloggen">Een nieuwe inloglink aanvragen</a>');
      expect(page.text).not.toContain('hieronder');
    }
  });
});
