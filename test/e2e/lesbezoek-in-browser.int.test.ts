import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type ServerType } from '@hono/node-server';
import ICAL from 'ical.js';
import type { Browser, Page } from 'playwright-core';
import { createApp } from '../../functions/http/app.tsx';
import { fixedClock, parseInstant } from '../../shared/clock.ts';
import { Placement } from '../../shared/roster/placement.ts';
import { ensureStudentLink } from '../../shared/usecases/welcome.ts';
import { freePort } from '../../infra/local/stack.ts';
import { appDeps } from '../support/app.ts';
import { freshBucket, freshTable, localClients } from '../support/aws.ts';
import { launchBrowser } from '../support/browser.ts';
import { calendarPartOf, inboxOf, tokenIn, type InboxEmail } from '../support/inbox.ts';

/*
 * Issue 14, "Done when": in a real browser the student plans a lesbezoek with the WPB and the SO;
 * both get an invitation that an independent iCalendar reader (ical.js) parses as METHOD:REQUEST
 * with DTSTART in Europe/Amsterdam and one UID; the student moves it (SEQUENCE + 1) and cancels
 * the SO's part (METHOD:CANCEL); the WPB submits the kijkwijzer from the invitation, and the counts
 * on the student's page and in the IO's overview change. Then the WPB raises a concern from the
 * same link; the SO, IO and SCO are emailed, the IO sees it in the overview and records a step.
 */

const SHOTS = 'test-results/lesbezoek';

const placement = Placement.parse({
  schoolYear: '2025-2026',
  studentNumber: '7140001',
  student: { name: "Eloïse van 't Veld", email: 'eloise.lesbezoek.7140001@student.example.nl' },
  vak: 'Aardrijkskunde',
  school: 'Libanon Lyceum',
  wpb: { name: 'Óscar Çelik', email: 'oscar.lesbezoek.7140001@libanon.example.nl' },
  so: { name: 'Marloes de Wit-Ünal', email: 'marloes.lesbezoek.7140001@libanon.example.nl' },
  io: { name: 'Ivo Brouwer', email: 'ivo.lesbezoek.7140001@hr.example.nl' },
  sco: { name: 'Fatima Bakkali', email: 'fatima.lesbezoek.7140001@libanon.example.nl' },
});

/** The one VEVENT of an email's calendar part, with the calendar's METHOD, read by ical.js. */
function invitationOf(email: InboxEmail | undefined) {
  const calendar = new ICAL.Component(ICAL.parse(calendarPartOf(email)));
  const events = calendar.getAllSubcomponents('vevent');
  expect(events).toHaveLength(1);
  const event = events[0]!;
  const start = event.getFirstProperty('dtstart')!;
  return {
    method: String(calendar.getFirstPropertyValue('method')),
    uid: String(event.getFirstPropertyValue('uid')),
    sequence: Number(event.getFirstPropertyValue('sequence')),
    tzid: String(start.getParameter('tzid')),
    start: (start.getFirstValue() as ICAL.Time).toString(),
    hasZone: calendar.getAllSubcomponents('vtimezone').some((zone) => zone.getFirstPropertyValue('tzid') === 'Europe/Amsterdam'),
  };
}

/** The invitations (emails with a calendar part) in an inbox, oldest first. */
async function invitations(address: string): Promise<InboxEmail[]> {
  return (await inboxOf(address)).filter((email) => email.attachments?.some((a) => a.contentType.startsWith('text/calendar')));
}

describe('a lesbezoek planned, moved, partly cancelled and observed, in a real browser', () => {
  let browser: Browser;
  let server: ServerType;
  let origin: string;
  let studentUrl: string;

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    const port = await freePort();
    origin = `http://localhost:${port}`;
    const clients = localClients();
    // Monday 10 November 2025, in OP2 of 2025-2026.
    const deps = appDeps(clients, { tableName: await freshTable(clients), bucket: await freshBucket(clients) }, fixedClock(parseInstant('2025-11-10T09:00')), { publicOrigin: origin });
    const app = createApp(deps);
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
    });
    await deps.placements.create(placement, '2025-09-01T08:00:00Z');
    await ensureStudentLink(deps, placement);
    studentUrl = `${origin}/s/${tokenIn((await inboxOf(placement.student.email))[0], 's')}`;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  const wpbVisits = (page: Page) => page.locator('[data-count="wpb"]').first().textContent();

  it('sends one invitation per observer, updates and cancels it, counts the submitted kijkwijzer, and follows a concern the WPB raises', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();

    // 1. The student plans a lesbezoek with the WPB (pedagogiek) and the SO (didactiek).
    await page.goto(studentUrl);
    expect(await wpbVisits(page)).toContain('werkplekbegeleider 0 van 2');
    await page.getByLabel('Datum van het lesbezoek').fill('2025-11-12');
    await page.getByLabel('Begintijd van de les').fill('10:15');
    await page.getByLabel('Eindtijd van de les').fill('11:05');
    await page.getByLabel('Klas van de les (optioneel)').fill('3H');
    await page.check('#lesbezoek-observer-wpb');
    await page.selectOption('#lesbezoek-formId-wpb', 'kijkwijzer-pedagogiek');
    await page.check('#lesbezoek-observer-so');
    await page.selectOption('#lesbezoek-formId-so', 'kijkwijzer-didactiek');
    await page.click('button:has-text("Lesbezoek plannen")');
    await page.waitForURL(/\/afspraken\/[^/?]+\?gepland=1$/);
    const appointmentUrl = page.url().replace(/\?.*$/, '');
    await page.screenshot({ path: `${SHOTS}/gepland.png`, fullPage: true });

    // 2. Both inboxes hold one invitation: METHOD:REQUEST, 10:15 Amsterdam time, one UID.
    const [wpbInvite] = await invitations(placement.wpb.email);
    const [soInvite] = await invitations(placement.so.email);
    const wpb = invitationOf(wpbInvite);
    const so = invitationOf(soInvite);
    expect(wpb).toMatchObject({ method: 'REQUEST', tzid: 'Europe/Amsterdam', start: '2025-11-12T10:15:00', sequence: 0, hasZone: true });
    expect(so).toMatchObject({ method: 'REQUEST', tzid: 'Europe/Amsterdam', start: '2025-11-12T10:15:00', sequence: 0 });
    expect(so.uid).toBe(wpb.uid);

    // 3a. The student moves it to Wednesday the 19th: both get the update, SEQUENCE 1, same UID.
    await page.getByLabel('Nieuwe datum').fill('2025-11-19');
    await page.getByLabel('Nieuwe begintijd').fill('08:30');
    await page.getByLabel('Nieuwe eindtijd').fill('09:20');
    await page.click('button:has-text("Verplaatsen")');
    await page.waitForURL(/\?/);
    expect(await page.locator('main').textContent()).toContain('19 november');
    for (const address of [placement.wpb.email, placement.so.email]) {
      const moved = invitationOf((await invitations(address))[1]);
      expect(moved).toMatchObject({ method: 'REQUEST', uid: wpb.uid, sequence: 1, tzid: 'Europe/Amsterdam', start: '2025-11-19T08:30:00' });
    }

    // 3b. The student cancels the SO's part: the SO gets METHOD:CANCEL with the same UID; the WPB nothing new.
    await page.click(`button:has-text("${placement.so.name} afmelden")`);
    await page.click(`button:has-text("Ja, ${placement.so.name} afmelden")`);
    await page.waitForURL(/\?afgemeld=so$/);
    const soMails = await invitations(placement.so.email);
    expect(soMails).toHaveLength(3);
    expect(invitationOf(soMails[2])).toMatchObject({ method: 'CANCEL', uid: wpb.uid });
    expect(invitationOf(soMails[2]).sequence).toBeGreaterThan(1);
    expect(await invitations(placement.wpb.email)).toHaveLength(2);
    await page.screenshot({ path: `${SHOTS}/so-afgemeld.png`, fullPage: true });

    // The SO's form link from the invitation no longer opens the form.
    const soForm = await context.request.get(`${origin}/f/${tokenIn(soMails[0], 'f')}`);
    expect(soForm.status()).toBe(410);

    // 4. The WPB opens the kijkwijzer from the (updated) invitation and submits it.
    const wpbPage = await context.newPage();
    await wpbPage.goto(`${origin}/f/${tokenIn((await invitations(placement.wpb.email))[1], 'f')}`);
    expect(await wpbPage.locator('h1').textContent()).toBe('Kijkwijzer pedagogiek');
    const texts = wpbPage.locator('textarea');
    for (let i = 0; i < (await texts.count()); i++) await texts.nth(i).fill(`Rustige start van de les\nDaarna een heldere instructie (${i})`);
    const radios = wpbPage.locator('fieldset[role=radiogroup] input[type=radio][value=voldoende]');
    for (let i = 0; i < (await radios.count()); i++) await radios.nth(i).check();
    await wpbPage.click('button:has-text("Versturen")');
    await expect.poll(() => wpbPage.locator('.success').textContent()).toContain('het formulier is ingediend');

    // The WPB, worried after the lesson, raises a concern from the same link (seed 001's route).
    await wpbPage.click('a:has-text("Zorg over de voortgang melden")');
    expect(await wpbPage.locator('h1').textContent()).toBe('Zorg over de voortgang melden');
    await wpbPage.fill('#reden', 'Lessen zijn vaak niet voorbereid\nAfspraken worden niet nagekomen');
    await wpbPage.click('button:has-text("Zorg melden")');
    await wpbPage.waitForURL(/gemeld=1/);
    await wpbPage.screenshot({ path: `${SHOTS}/zorg-gemeld.png`, fullPage: true });
    for (const address of [placement.so.email, placement.io.email, placement.sco.email]) {
      expect((await inboxOf(address)).filter((m) => m.body.text?.includes('Lessen zijn vaak niet voorbereid'))).toHaveLength(1);
    }

    // The counts on the student's page change: one WPB lesbezoek of two, pedagogiek in.
    await page.goto(studentUrl);
    // Done, and no longer also "gepland": the visit is counted once.
    expect((await wpbVisits(page))?.trim()).toBe('werkplekbegeleider 1 van 2');
    expect(await page.locator('[data-count="kijkwijzers"]').textContent()).toContain('pedagogiek');
    await page.screenshot({ path: `${SHOTS}/student-telt.png`, fullPage: true });
    await page.goto(appointmentUrl);
    expect(await page.locator('main').textContent()).toContain('ingediend');

    // And in the IO's overview, after signing in as a user would.
    await page.goto(`${origin}/inloggen`);
    await page.fill('#email', placement.io.email);
    await page.click('button:has-text("Stuur mij een inloglink")');
    await expect.poll(async () => (await inboxOf(placement.io.email)).some((m) => m.subject === 'Inloggen bij Werkplekleren N2')).toBe(true);
    const signInMail = (await inboxOf(placement.io.email)).find((m) => m.subject === 'Inloggen bij Werkplekleren N2');
    await page.goto(signInMail!.body.text!.match(new RegExp(`${origin}/inloggen/[A-Za-z0-9_-]{43}`))![0]);
    await page.click('button:has-text("Inloggen")');
    await page.waitForURL(`${origin}/overzicht`);
    const row = page.locator(`tr[data-student="${placement.studentNumber}"]`);
    expect(await row.textContent()).toContain('Lesbezoeken: WPB 1/2, SO 0/1');
    expect(await row.textContent()).toContain('Zorg open');
    await page.screenshot({ path: `${SHOTS}/overzicht.png`, fullPage: true });

    // The IO opens the student and records the seed's first step; it shows with date and who.
    await row.locator('a.concern').click();
    const concern = page.locator('[data-concern]');
    expect(await concern.textContent()).toContain('Lessen zijn vaak niet voorbereid');
    await concern.locator('select[name=stap]').selectOption('contact');
    await concern.locator('textarea[name=notitie]').fill('Gebeld met de SO en de SCO');
    await concern.locator('button:has-text("Stap vastleggen")').click();
    await page.waitForURL(/zorgstap-vastgelegd/);
    const recorded = await page.locator('[data-concern]').textContent();
    expect(recorded).toContain('De SO heeft contact opgenomen met de IO en de SCO');
    expect(recorded).toContain(placement.io.name);
    await page.screenshot({ path: `${SHOTS}/zorg-stap.png`, fullPage: true });
    await context.close();
  }, 120_000);
});
