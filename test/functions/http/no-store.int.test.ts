import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../../functions/http/app.tsx';
import { getPeriod, getSchoolYear } from '../../../shared/calendar.ts';
import { createRequest } from '../../../shared/usecases/observation.ts';
import { ensureStudentLink } from '../../../shared/usecases/welcome.ts';
import type { RequestRecord } from '../../../shared/model/requests.ts';
import { appDeps, TEST_ORIGIN } from '../../support/app.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';
import { inboxOf, tokenIn } from '../../support/inbox.ts';
import { movableClock, postForm, staffPlacement } from '../../support/staff.ts';

/**
 * Pages under /f/ and /s/ carry a link token in their URL and personal data in their body: no
 * browser or proxy cache may keep any of their answers, whatever the status.
 */

const YEAR = '2025-2026';
const UNKNOWN = 'A'.repeat(43);

describe('Cache-Control: no-store on every answer under /f/ and /s/', () => {
  const clock = movableClock('2025-11-10T09:00');
  let app: ReturnType<typeof createApp>;
  let deps: ReturnType<typeof appDeps>;
  let formToken: string;
  let studentToken: string;
  let request: RequestRecord;

  beforeAll(async () => {
    const clients = localClients();
    deps = appDeps(clients, { tableName: await freshTable(clients), bucket: await freshBucket(clients) }, clock);
    app = createApp(deps);
    const placement = staffPlacement('870001', 'ns');
    await deps.placements.create(placement, clock.now().toString());
    await ensureStudentLink(deps, placement);
    studentToken = tokenIn((await inboxOf(placement.student.email)).at(-1), 's');
    const choice = { year: getSchoolYear(YEAR)!, period: getPeriod(YEAR, 1)! };
    request = await createRequest(deps, placement, { formId: 'kijkwijzer-pedagogiek', observerRole: 'wpb', lessonDate: '2025-11-05' }, { origin: 'student', choice });
    formToken = tokenIn((await inboxOf(placement.wpb.email)).at(-1), 'f');
  });

  const expectNoStore = async (response: Response, status: number, what: string) => {
    expect(response.status, what).toBe(status);
    expect(response.headers.get('cache-control'), what).toBe('no-store');
    await response.arrayBuffer();
  };

  it('on the pages, the feeds and the beacons', async () => {
    await expectNoStore(await app.request(`/f/${formToken}`), 200, 'form');
    await expectNoStore(await app.request(`/f/${formToken}`, { method: 'HEAD' }), 200, 'form HEAD');
    await expectNoStore(await app.request(`/f/${formToken}/agenda.ics`), 200, 'form feed');
    await expectNoStore(await postForm(app, `/f/${formToken}/bekeken`, {}), 204, 'form beacon');
    await expectNoStore(await postForm(app, `/f/${formToken}`, { basis: '0', actie: 'concept', 'a.FEEDBACK': 'Goed gedaan' }), 303, 'form save');
    await expectNoStore(await app.request(`/s/${studentToken}`), 200, 'student page');
    await expectNoStore(await app.request(`/s/${studentToken}/agenda.ics`), 200, 'student feed');
  });

  it('on every error: 400, 403, 404, 410, 413, 429 and 500', async () => {
    await expectNoStore(await postForm(app, `/f/${formToken}`, { basis: '1e21', actie: 'concept' }), 400, 'bad basis');
    await expectNoStore(await postForm(app, `/s/${studentToken}/aanvragen`, { formId: 'x' }), 400, 'bad request');
    await expectNoStore(await postForm(app, `/f/${formToken}`, { basis: '1', actie: 'concept' }, { origin: 'https://evil.example' }), 403, 'cross-site');
    await expectNoStore(await app.request(`/f/${UNKNOWN}`), 404, 'unknown form link');
    await expectNoStore(await app.request(`/s/${UNKNOWN}`), 404, 'unknown student link');
    await expectNoStore(await app.request('/f/kort'), 404, 'malformed link');
    await expectNoStore(await app.request(`/f/${formToken}/bestaat-niet`), 404, 'no such route');
    await expectNoStore(await app.request(`/s/${studentToken}/formulieren/${request.requestId}`), 404, 'not submitted');
    await expectNoStore(await app.request(`/f/${formToken}/bijlagen/${'B'.repeat(22)}`), 404, 'no such attachment');
    await expectNoStore(
      await app.request(`/f/${formToken}`, { method: 'POST', headers: { Origin: TEST_ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(1024 * 1024) }, body: 'a=1' }),
      413,
      'too large',
    );

    const limited = createApp({ ...deps, rateLimits: { perToken: 1 } });
    await (await limited.request(`/s/${studentToken}`)).arrayBuffer();
    await expectNoStore(await limited.request(`/s/${studentToken}`), 429, 'rate limited');

    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const broken = createApp({ ...deps, links: Object.assign(Object.create(Object.getPrototypeOf(deps.links)), deps.links, { get: () => Promise.reject(new Error('stuk')) }) });
      await expectNoStore(await broken.request(`/f/${formToken}`), 500, 'server error');
    } finally {
      errors.mockRestore();
    }

    clock.set('2026-12-01T09:00');
    try {
      await expectNoStore(await app.request(`/f/${formToken}`), 410, 'expired link');
    } finally {
      clock.set('2025-11-10T09:00');
    }
  });
});
