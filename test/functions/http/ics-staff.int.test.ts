import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/http/app.tsx';
import { createRequest } from '../../../shared/usecases/observation.ts';
import { tokenFor } from '../../../shared/links.ts';
import { appDeps } from '../../support/app.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';
import { getWithSession, movableClock, signIn, staffPlacement } from '../../support/staff.ts';

describe('calendar feeds for observers and staff', () => {
  const clock = movableClock('2025-11-10T09:00');
  let app: ReturnType<typeof createApp>;
  let deps: ReturnType<typeof appDeps>;
  const placement = staffPlacement('7800001', 'ics');

  beforeAll(async () => {
    const clients = localClients();
    deps = appDeps(clients, { tableName: await freshTable(clients), bucket: await freshBucket(clients) }, clock);
    app = createApp(deps);
    await deps.placements.create(placement, clock.now().toString());
  });

  it("gives the WPB, from the form link, the year's deadlines with the WPB's tasks", async () => {
    const request = await createRequest(deps, placement, { formId: 'kijkwijzer-pedagogiek', observerRole: 'wpb', lessonDate: '2025-11-12' }, { origin: 'student' });
    const token = tokenFor(deps.linkSecret, request.linkId);

    const page = await (await app.request(`/f/${token}`)).text();
    const feed = await app.request(`/f/${token}/agenda.ics`);

    expect(page).toContain(`href="/f/${token}/agenda.ics"`);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const ics = await feed.text();
    expect(ics).toContain('DTSTART;VALUE=DATE:20251112');
    expect(ics).toContain('kijkwijzer');
  });

  it('gives a signed-in IO the feed from the overview, and refuses an unknown role', async () => {
    const session = await signIn(app, placement.io.email);

    const overview = await (await getWithSession(app, '/overzicht', session)).text();
    const feed = await getWithSession(app, '/overzicht/agenda.ics?jaar=2025-2026', session);
    const bad = await getWithSession(app, '/overzicht/agenda.ics?rol=rector', session);
    const anonymous = await app.request('/overzicht/agenda.ics');

    expect(overview).toContain('href="/overzicht/agenda.ics?jaar=2025-2026"');
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-disposition')).toBe('attachment; filename="werkplekleren-2025-2026-io.ics"');
    expect(await feed.text()).toContain('DTSTART;VALUE=DATE:20260204');
    expect(bad.status).toBe(400);
    expect(anonymous.status).not.toBe(200);
  });
});
