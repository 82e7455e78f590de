import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type ServerType } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { createApp } from '../../functions/http/app.tsx';
import { fixedClock, parseInstant } from '../../shared/clock.ts';
import type { Placement } from '../../shared/roster/placement.ts';
import { ensureStudentLink } from '../../shared/usecases/welcome.ts';
import { freePort } from '../../infra/local/stack.ts';
import { appDeps } from '../support/app.ts';
import { freshBucket, freshTable, localClients } from '../support/aws.ts';
import { launchBrowser } from '../support/browser.ts';
import { calendarPartOf, inboxOf, tokenIn } from '../support/inbox.ts';
import { staffPlacement } from '../support/staff.ts';

/** Where the screenshots go (gitignored): look at them, a width check alone does not see overlap. */
const SHOTS = 'test-results/phone';
const PHONE = { width: 390, height: 844 };

/** Long Dutch names and addresses, as a roster holds them. */
const placement = staffPlacement('875001', 'afspraak-telefoon', {
  student: { name: "Daniëlle van 't Hoff-Çelik", email: 'danielle.vanthoff-celik.studentnummer875001@student.hogeschoolrotterdam.example.nl' },
  school: "Wolfert van Borselen Scholengroep, locatie Rotterdam-Hillegersberg 's-Gravenweg",
  wpb: { name: 'Óscar Çelik-van der Westhuizen-Bakker', email: 'oscar.celik-vanderwesthuizen-bakker.875001@wolfertvanborselen-hillegersberg.example.nl' },
  so: { name: "Maria-José van 't Zandt-Oudshoorn", email: 'mariajose.vantzandt-oudshoorn.875001@wolfertvanborselen-hillegersberg.example.nl' },
});

describe('planning a lesbezoek on a phone 390 px wide, in a real browser', () => {
  let browser: Browser;
  let server: ServerType;
  let origin: string;
  let token: string;

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    const port = await freePort();
    origin = `http://localhost:${port}`;
    const clients = localClients();
    const deps = appDeps(clients, { tableName: await freshTable(clients), bucket: await freshBucket(clients) }, fixedClock(parseInstant('2025-11-10T09:00')), { publicOrigin: origin });
    const app = createApp(deps);
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
    });
    await deps.placements.create(placement as Placement, '2025-09-01T08:00:00Z');
    await ensureStudentLink(deps, placement);
    token = tokenIn((await inboxOf(placement.student.email))[0], 's');
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  /** How wide the document is, and what sticks out (run in the page: this project's TypeScript has no DOM types). */
  const width = (page: Page) =>
    page.evaluate<{ scrollWidth: number; wide: string[] }>(`({
      scrollWidth: document.documentElement.scrollWidth,
      wide: [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
        .slice(0, 5)
        .map((el) => el.tagName.toLowerCase() + '#' + el.id + '.' + el.className + ': ' + Math.round(el.getBoundingClientRect().right)),
    })`);

  it('plans with the labelled fields, shows the appointment page, and both pages fit without sideways scrolling', async () => {
    const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.goto(`${origin}/s/${token}`);
    expect(await page.textContent('#stagedagen')).toContain('Je stagedagen zijn maandag en woensdag');

    await page.getByLabel('Datum van het lesbezoek').fill('2025-11-12');
    await page.getByLabel('Begintijd van de les').fill('09:30');
    await page.getByLabel('Eindtijd van de les').fill('10:20');
    await page.getByLabel('Klas van de les (optioneel)').fill('H2b-tweetalig-gymnasium');
    await page.check('#lesbezoek-observer-wpb');
    await page.check('#lesbezoek-observer-so');
    await page.selectOption('#lesbezoek-formId-so', 'kijkwijzer-didactiek');
    const planPage = await width(page);
    await page.screenshot({ path: `${SHOTS}/afspraken-plannen.png`, fullPage: true });
    await page.click('button:has-text("Lesbezoek plannen")');

    await page.waitForURL(/\/afspraken\/[^/]+\?gepland=1$/);
    expect(await page.textContent('[role=status]')).toContain('Lesbezoek gepland.');
    const appointmentPage = await width(page);
    await page.screenshot({ path: `${SHOTS}/afspraak.png`, fullPage: true });
    expect(calendarPartOf((await inboxOf(placement.so.email))[0])).toContain('METHOD:REQUEST');

    await page.click(`button:has-text("${placement.so.name} afmelden")`);
    await page.click(`button:has-text("Ja, ${placement.so.name} afmelden")`);
    await page.waitForURL(/\?afgemeld=so$/);
    expect(calendarPartOf((await inboxOf(placement.so.email))[1])).toContain('METHOD:CANCEL');

    await page.goto(`${origin}/s/${token}`);
    const studentPage = await width(page);
    await page.screenshot({ path: `${SHOTS}/afspraken-lijst.png`, fullPage: true });
    const tooWide = Object.entries({ planPage, appointmentPage, studentPage })
      .filter(([, result]) => result.scrollWidth > PHONE.width)
      .map(([name, result]) => `${name}: ${result.scrollWidth} px (${result.wide.join('; ')})`);
    expect(tooWide).toEqual([]);
    await context.close();
  });
});
