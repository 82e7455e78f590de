import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type ServerType } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { createApp } from '../../functions/http/app.tsx';
import { getForm } from '../../forms/index.ts';
import { getPeriod, getSchoolYear } from '../../shared/calendar.ts';
import { fixedClock, parseInstant } from '../../shared/clock.ts';
import { createRequest } from '../../shared/usecases/observation.ts';
import { ensureStudentLink } from '../../shared/usecases/welcome.ts';
import type { Placement } from '../../shared/roster/placement.ts';
import { freePort } from '../../infra/local/stack.ts';
import { appDeps } from '../support/app.ts';
import { freshBucket, freshTable, localClients } from '../support/aws.ts';
import { launchBrowser } from '../support/browser.ts';
import { completeFields } from '../support/forms.ts';
import { inboxOf, tokenIn } from '../support/inbox.ts';
import { staffPlacement } from '../support/staff.ts';

const YEAR = '2025-2026';
const choice = { year: getSchoolYear(YEAR)!, period: getPeriod(YEAR, 1)! };
const IO = 'io.telefoon@hogeschool-rotterdam-instituut-voor-lerarenopleidingen.example.nl';
/** Where the screenshots go (gitignored): look at them, a width check alone does not see overlap. */
const SHOTS = 'test-results/phone';
const PHONE = { width: 390, height: 844 };

/** Realistic long Dutch names and addresses, as a roster holds them. */
const student = staffPlacement('870001', 'telefoon', {
  student: { name: "Daniëlle van 't Hoff-Çelik", email: 'danielle.vanthoff-celik.studentnummer870001@student.hogeschoolrotterdam.example.nl' },
  school: "Wolfert van Borselen Scholengroep, locatie Rotterdam-Hillegersberg 's-Gravenweg",
  wpb: { name: 'Óscar Çelik-van der Westhuizen-Bakker', email: 'oscar.celik-vanderwesthuizen-bakker@wolfertvanborselen-hillegersberg.example.nl' },
  so: { name: "Maria-José van 't Zandt-Oudshoorn", email: 'mariajose.vantzandt-oudshoorn@wolfertvanborselen-hillegersberg.example.nl' },
  io: { name: 'Ivo van Nieuwenhuizen-Schoonderwoerd', email: IO },
});

describe('pages fit a phone 390 px wide: no sideways scrolling, in a real browser', () => {
  let browser: Browser;
  let server: ServerType;
  let origin: string;
  let deps: ReturnType<typeof appDeps>;
  let studentToken: string;
  let submittedId: string;

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    const port = await freePort();
    origin = `http://localhost:${port}`;
    const clients = localClients();
    deps = appDeps(clients, { tableName: await freshTable(clients), bucket: await freshBucket(clients) }, fixedClock(parseInstant('2025-11-10T09:00')), { publicOrigin: origin });
    const app = createApp(deps);
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
    });
    expect((server.address() as AddressInfo).port).toBe(port);

    await deps.placements.create(student as Placement, '2025-09-01T08:00:00Z');
    await ensureStudentLink(deps, student);
    studentToken = tokenIn((await inboxOf(student.student.email))[0], 's');
    const ask = (formId: string, observerRole: 'wpb' | 'so' | 'io') =>
      createRequest(deps, student, { formId, observerRole, lessonDate: '2025-11-05', className: 'H2b-tweetalig-gymnasium' }, { origin: 'student', choice });
    const submitted = await ask('kijkwijzer-pedagogiek', 'wpb');
    const def = getForm('kijkwijzer-pedagogiek')!;
    const answers = Object.fromEntries(Object.entries(completeFields(def, 'Rustige start; duidelijke uitleg aan de hele klas, daarna gedifferentieerd verder.')).map(([k, v]) => [k.replace(/^a\./, ''), v]));
    for (const [version, status] of [[0, 'ingediend'], [1, 'ingediend']] as const) {
      await deps.requests.saveVersion(version === 0 ? submitted : { ...submitted, latestVersion: 1 }, version, {
        formId: def.id, formVersion: def.version, answers, status, savedAt: `2025-11-0${7 + version}T14:30:00Z`, savedBy: student.wpb.email, attachments: [],
      });
    }
    submittedId = submitted.requestId;
    await ask('kijkwijzer-didactiek', 'so');
    await ask('kijkwijzer-vakdidactiek', 'io');
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  /** Opens a page at phone size, saves a full-page screenshot, and returns how wide the document is and what sticks out. */
  async function measure(page: Page, path: string, shot: string) {
    const response = await page.goto(`${origin}${path}`);
    expect(response?.status(), path).toBe(200);
    await page.screenshot({ path: `${SHOTS}/${shot}.png`, fullPage: true });
    // The same page a phone screen at a time, readable at full size.
    const height = await page.evaluate<number>('document.documentElement.scrollHeight');
    // A leftover of a few pixels (the page is a rounding over a whole number of screens) is no screen of its own.
    for (let y = 0, i = 1; y < height - 8; y += PHONE.height, i++) {
      await page.screenshot({ path: `${SHOTS}/${shot}-${i}.png`, fullPage: true, clip: { x: 0, y, width: PHONE.width, height: Math.min(PHONE.height, height - y) } });
    }
    // A string, run in the page: this project's TypeScript has no DOM types.
    return page.evaluate<{ scrollWidth: number; wide: string[] }>(`({
      scrollWidth: document.documentElement.scrollWidth,
      wide: [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
        .slice(0, 5)
        .map((el) => el.tagName.toLowerCase() + '.' + el.className + ': ' + Math.round(el.getBoundingClientRect().right)),
    })`);
  }

  it('the student page, the calendar and the staff pages (overview, student, form versions) are at most 390 px wide', async () => {
    const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const results: Record<string, { scrollWidth: number; wide: string[] }> = {};

    results.student = await measure(page, `/s/${studentToken}`, 'student');
    results.calendar = await measure(page, '/kalender', 'kalender');

    await page.goto(`${origin}/inloggen`);
    await page.fill('#email', IO);
    await page.click('button:has-text("Stuur mij een inloglink")');
    await expect.poll(async () => (await inboxOf(IO)).length).toBeGreaterThan(0);
    const link = (await inboxOf(IO)).at(-1)?.body.text?.match(new RegExp(`${origin}/inloggen/[A-Za-z0-9_-]{43}`))?.[0];
    await page.goto(link!);
    await page.click('button:has-text("Inloggen")');
    await page.waitForURL(`${origin}/overzicht`);

    results.overview = await measure(page, `/overzicht?jaar=${YEAR}&periode=1`, 'overzicht');
    results.staffStudent = await measure(page, `/overzicht/student/${YEAR}/${student.studentNumber}`, 'overzicht-student');
    results.versions = await measure(page, `/overzicht/formulier/${YEAR}/${student.studentNumber}/${submittedId}?versie=1`, 'overzicht-formulier');

    const tooWide = Object.entries(results)
      .filter(([, result]) => result.scrollWidth > PHONE.width)
      .map(([name, result]) => `${name}: ${result.scrollWidth} px (${result.wide.join('; ')})`);
    expect(tooWide).toEqual([]);
    expect(Object.keys(results)).toHaveLength(5);
    await context.close();
  });

  it("the student's request that was not right: the messages on top, each a link to a field on the page, all within 390 px", async () => {
    const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.goto(`${origin}/s/${studentToken}`);
    // No lesson date (the form posts with novalidate): the server says what is wrong.
    await page.evaluate(`document.querySelector('#veld-lessonDate').value = ''`);
    await page.click('button:has-text("Aanvraag versturen")');
    const summary = page.locator('#foutmeldingen');
    await expect.poll(() => summary.isVisible()).toBe(true);
    expect(await summary.locator('strong').textContent()).toBe('Controleer de aanvraag:');
    const targets = await summary.locator('a').evaluateAll((links) => links.map((link) => (link as unknown as { getAttribute(name: string): string }).getAttribute('href')));
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) expect(await page.locator(target).count(), target).toBe(1);
    await page.screenshot({ path: `${SHOTS}/student-aanvraag-fout.png`, fullPage: true, clip: { x: 0, y: Math.max(0, ((await summary.boundingBox())?.y ?? 0) - 40), width: PHONE.width, height: PHONE.height } });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await context.close();
  });
});
