import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type ServerType } from '@hono/node-server';
import type { Browser } from 'playwright-core';
import { createApp } from '../../functions/http/app.tsx';
import { getPeriod, getSchoolYear } from '../../shared/calendar.ts';
import { fixedClock, parseInstant } from '../../shared/clock.ts';
import { createRequest } from '../../shared/usecases/observation.ts';
import { freePort } from '../../infra/local/stack.ts';
import { appDeps } from '../support/app.ts';
import { freshBucket, freshTable, localClients } from '../support/aws.ts';
import { launchBrowser } from '../support/browser.ts';
import { inboxOf, tokenIn } from '../support/inbox.ts';
import { staffPlacement } from '../support/staff.ts';

/**
 * The audit's "bekeken" in a real browser (Debian's Chromium): opening the form link logs only
 * "link geopend", as a mail scanner's visit would; the person's first click in the form logs
 * "bekeken", once per page, through /static/bekeken.js under the app's CSP.
 */

const YEAR = '2025-2026';

describe('a person viewing the form, in a real browser', () => {
  let browser: Browser;
  let server: ServerType;
  let origin: string;
  let deps: ReturnType<typeof appDeps>;

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://localhost:${port}`;
    const clients = localClients();
    deps = appDeps(clients, { tableName: await freshTable(clients), bucket: await freshBucket(clients) }, fixedClock(parseInstant('2025-11-10T20:00')), {
      publicOrigin: origin,
    });
    const app = createApp(deps);
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('logs "link geopend" on opening and "bekeken" once, on the first click', async () => {
    const placement = staffPlacement('850001', 'view');
    await deps.placements.create(placement, '2025-09-01T08:00:00Z');
    const choice = { year: getSchoolYear(YEAR)!, period: getPeriod(YEAR, 1)! };
    await createRequest(deps, placement, { formId: 'kijkwijzer-pedagogiek', observerRole: 'wpb', lessonDate: '2025-11-05' }, { origin: 'student', choice });
    const url = `${origin}/f/${tokenIn((await inboxOf(placement.wpb.email)).at(-1), 'f')}`;
    const actions = async () => (await deps.audit.listForPlacement(YEAR, '850001')).map((e) => e.action).reverse();
    const page = await (await browser.newContext()).newPage();
    // Anything refused on the way (the CSP, the CSRF check); the browser's own favicon request aside.
    const failed: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) failed.push(message.text());
    });
    page.on('response', (response) => {
      if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) failed.push(`${response.status()} ${response.url()}`);
    });

    await page.goto(url);
    expect(await page.locator('h1').textContent()).toBe('Kijkwijzer pedagogiek');
    // The page loaded and its scripts ran, with nothing touched: no view yet.
    await page.waitForLoadState('networkidle');
    expect(await actions()).toEqual(['link geopend']);

    await page.click('#a-FEEDBACK');
    await expect.poll(actions).toEqual(['link geopend', 'bekeken']);
    await page.fill('#a-FEEDBACK', 'Rustige start, duidelijke uitleg.');
    await page.keyboard.press('Tab');
    await page.waitForLoadState('networkidle');
    expect(await actions()).toEqual(['link geopend', 'bekeken']);
    expect(failed).toEqual([]);
  });
});
