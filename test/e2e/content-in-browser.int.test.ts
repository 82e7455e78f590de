import { mkdir, readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type ServerType } from '@hono/node-server';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createApp } from '../../functions/http/app.tsx';
import { getPeriod, getSchoolYear } from '../../shared/calendar.ts';
import { fixedClock, parseInstant } from '../../shared/clock.ts';
import { tokenFor } from '../../shared/links.ts';
import type { RequestRecord } from '../../shared/model/requests.ts';
import type { Placement } from '../../shared/roster/placement.ts';
import { createRequest } from '../../shared/usecases/observation.ts';
import { freePort } from '../../infra/local/stack.ts';
import { appDeps } from '../support/app.ts';
import { freshBucket, freshTable, localClients } from '../support/aws.ts';
import { launchBrowser } from '../support/browser.ts';
import { cellAt, editWorkbook, rowWhere, sheet } from '../support/edit-workbook.ts';
import { inboxOf } from '../support/inbox.ts';
import { staffPlacement } from '../support/staff.ts';

const YEAR = '2025-2026';
const choice = { year: getSchoolYear(YEAR)!, period: getPeriod(YEAR, 1)! };
const ADMIN = 'coordinator.e2e@hr.example.nl';
const FORM = 'kijkwijzer-didactiek';
/** Where the screenshots go (gitignored): look at them. */
const SHOTS = 'test-results/content';
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

const OLD_LABEL = 'Maakt doel en opbouw van de les duidelijk';
const NEW_LABEL = "Maakt het doel én de opbouw van de les duidelijk aan Zoë's klas";
const NEW_ITEM = { code: 'DID-9', label: "Hoe gaat de student om met verschillen in tempo ('t eigen tempo)?" };
const NEW_INTRO = 'Kijk naar de hele les, van begin tot eind.\nNoteer wat u ziet, niet wat u denkt.';

describe('an admin publishes a new version of a kijkwijzer from a workbook, in a real browser', () => {
  let browser: Browser;
  let server: ServerType;
  let origin: string;
  let deps: ReturnType<typeof appDeps>;
  /** Every request the server got, as "METHOD /path". */
  const served: string[] = [];

  const zoe = staffPlacement('880931', 'e2e-content');
  const sem = staffPlacement('880932', 'e2e-content', { student: { name: "Sem van 't Hek", email: 'sem.880932@student.example.nl' } });
  /** Sem's kijkwijzer: its WPB saves a draft before the new version is published. */
  let semRequest: RequestRecord;

  const ask = (p: Placement, lessonDate: string) => createRequest(deps, p, { formId: FORM, observerRole: 'wpb', lessonDate }, { origin: 'student', choice });
  const formUrl = (request: RequestRecord) => `${origin}/f/${tokenFor(deps.linkSecret, request.linkId)}`;

  /** Fills every open field of the form page: an unanswered scale at "goed", an empty text with a sentence. */
  async function fillAll(page: Page) {
    const groups = page.locator('fieldset[role=radiogroup]');
    for (let i = 0; i < (await groups.count()); i++) {
      if ((await groups.nth(i).locator('input:checked').count()) === 0) await groups.nth(i).locator('input[value=goed]').check();
    }
    const texts = page.locator('textarea');
    for (let i = 0; i < (await texts.count()); i++) {
      if ((await texts.nth(i).inputValue()) === '') await texts.nth(i).fill(`Rustig en helder; "${i}"`);
    }
  }

  async function signInAs(context: BrowserContext, email: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${origin}/inloggen`);
    await page.fill('#email', email);
    await page.click('button:has-text("Stuur mij een inloglink")');
    await expect.poll(async () => (await inboxOf(email)).length).toBeGreaterThan(0);
    const link = (await inboxOf(email)).at(-1)?.body.text?.match(new RegExp(`${origin}/inloggen/[A-Za-z0-9_-]{43}`))?.[0];
    expect(link).toBeDefined();
    await page.goto(link!);
    await page.click('button:has-text("Inloggen")');
    await page.waitForURL(`${origin}/overzicht`);
    return page;
  }

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    const port = await freePort();
    origin = `http://localhost:${port}`;
    const clients = localClients();
    deps = appDeps(clients, { tableName: await freshTable(clients), bucket: await freshBucket(clients) }, fixedClock(parseInstant('2025-11-10T09:00')), {
      publicOrigin: origin,
      adminEmails: [ADMIN],
    });
    const app = createApp(deps);
    server = await new Promise<ServerType>((resolve) => {
      const s = serve(
        {
          fetch: (request) => {
            served.push(`${request.method} ${new URL(request.url).pathname}`);
            return app.fetch(request);
          },
          port,
          hostname: '127.0.0.1',
        },
        () => resolve(s),
      );
    });
    expect((server.address() as AddressInfo).port).toBe(port);
    for (const p of [zoe, sem]) await deps.placements.create(p, '2025-09-01T08:00:00Z');
    semRequest = await ask(sem, '2025-11-05');
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('downloads, edits, previews and publishes version 2; a new request gets it, a draft keeps version 1, the CSV has both', async () => {
    // Sem's WPB starts on version 1 and saves a draft.
    const wpbContext = await browser.newContext({ viewport: DESKTOP });
    const wpb = await wpbContext.newPage();
    await wpb.goto(formUrl(semRequest));
    expect(await wpb.locator('#l-DID-1').textContent()).toContain(OLD_LABEL);
    await wpb.check('#a-DID-1-voldoende');
    await wpb.fill('#a-FEEDBACK', 'Eerste indruk: rustig begin.');
    await wpb.click('button:has-text("Opslaan als concept")');
    await expect.poll(() => wpb.locator('.success').textContent()).toContain('Uw concept is opgeslagen');

    // The admin signs in, goes from the overview to the forms, and downloads the shipped kijkwijzer didactiek by clicking.
    const adminContext = await browser.newContext({ viewport: DESKTOP, acceptDownloads: true });
    const admin = await signInAs(adminContext, ADMIN);
    await admin.click('a:has-text("Formulieren beheren")');
    await admin.waitForURL(`${origin}/beheer/formulieren`);
    const [download] = await Promise.all([
      admin.waitForEvent('download'),
      admin.click(`tr[data-form="${FORM}"][data-version="1"] a:has-text("Download versie 1")`),
    ]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^${FORM}.*1\\.xlsx$`));
    const shipped = new Uint8Array(await readFile((await download.path())!));

    // The coordinator's edit, in "Excel": a changed label, one new item, a new intro.
    const edited = await editWorkbook(shipped, (workbook) => {
      const survey = sheet(workbook, 'survey');
      cellAt(survey, rowWhere(survey, 'name', 'DID-1'), 'label').value = NEW_LABEL;
      survey.insertRow(rowWhere(survey, 'name', 'DID-6') + 1, ['text', NEW_ITEM.code, NEW_ITEM.label, 'Noem een voorbeeld uit de les.', 'nee']);
      cellAt(sheet(workbook, 'settings'), 2, 'intro').value = NEW_INTRO;
    });

    // Upload: the concept page with the changes and the preview frames.
    await admin.setInputFiles('#bestand', { name: 'kijkwijzer didactiek 2026.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from(edited) });
    await admin.click('button:has-text("Controleren")');
    await admin.waitForURL(new RegExp(`${origin}/beheer/formulieren/concept/[A-Za-z0-9_-]{22}$`));
    expect(await admin.locator('h1').textContent()).toBe('Concept: Kijkwijzer didactiek, versie 2');
    const changes = await admin.locator('ul[aria-label="Wijzigingen"] li').allTextContents();
    expect(changes).toEqual(
      expect.arrayContaining(['De inleiding is gewijzigd.', `Nieuwe tekst voor DID-1: "${OLD_LABEL}" wordt "${NEW_LABEL}".`, `Nieuw: ${NEW_ITEM.code} "${NEW_ITEM.label}".`]),
    );

    // Both frames show the WPB's own form page with the new content: the desktop one and the one 390 px wide.
    const desktopFrame = admin.frameLocator('.frame-desktop iframe');
    const phoneFrame = admin.frameLocator('.frame-phone iframe');
    for (const frame of [desktopFrame, phoneFrame]) {
      await expect.poll(() => frame.locator('h1').textContent()).toBe('Kijkwijzer didactiek');
      expect(await frame.locator('#l-DID-1').textContent()).toContain(NEW_LABEL);
      expect(await frame.locator(`label[for="a-${NEW_ITEM.code}"]`).textContent()).toContain(NEW_ITEM.label);
      expect(await frame.locator('main').textContent()).toContain("Zoë van 't Hoff");
      expect(await frame.locator('main').textContent()).toContain('Kijk naar de hele les, van begin tot eind.');
    }
    const phone = await (await admin.locator('.frame-phone iframe').elementHandle())!.contentFrame();
    expect(await phone!.evaluate<number>('window.innerWidth')).toBe(PHONE.width);
    expect(await phone!.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await admin.screenshot({ path: `${SHOTS}/concept-desktop.png`, fullPage: true });
    await admin.locator('.frame-phone iframe').screenshot({ path: `${SHOTS}/concept-phone-frame.png` });
    const axe = await new AxeBuilder({ page: admin }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

    // The preview never submits: its "Versturen" posts nowhere, its scripts reach nothing.
    await phoneFrame.locator(`#a-${NEW_ITEM.code}`).fill('Proberen');
    await phoneFrame.locator('button:has-text("Versturen")').click();
    await admin.waitForTimeout(500);
    expect(served.filter((line) => line.includes('/f/voorbeeld'))).toEqual([]);
    expect(served.filter((line) => line.startsWith('POST') && !line.startsWith('POST /f/') && !line.startsWith('POST /inloggen'))).toEqual(['POST /beheer/formulieren']);

    // The preview page on its own at phone width.
    const phoneContext = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, storageState: await adminContext.storageState() });
    const phonePage = await phoneContext.newPage();
    await phonePage.goto(`${admin.url()}/voorbeeld`);
    expect(await phonePage.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(PHONE.width);
    await phonePage.screenshot({ path: `${SHOTS}/voorbeeld-phone.png`, fullPage: true });
    // Its first screen, readable at full size (test/e2e/phone-width.int.test.ts shoots whole pages screen by screen).
    await phonePage.screenshot({ path: `${SHOTS}/voorbeeld-phone-1.png` });
    await phoneContext.close();

    // Publiceren.
    await admin.click('button:has-text("Publiceren")');
    await expect.poll(() => admin.locator('h1').textContent()).toBe('Kijkwijzer didactiek: versie 2 is gepubliceerd');
    await admin.screenshot({ path: `${SHOTS}/gepubliceerd.png`, fullPage: true });
    await admin.goto(`${origin}/beheer/formulieren`);
    expect(await admin.locator(`tr[data-form="${FORM}"][data-version="2"]`).textContent()).toContain(ADMIN);

    // A new request opens version 2: the new label, the new item, the new intro.
    const zoeRequest = await ask(zoe, '2025-11-07');
    const newWpb = await wpbContext.newPage();
    await newWpb.goto(formUrl(zoeRequest));
    expect(await newWpb.locator('#l-DID-1').textContent()).toContain(NEW_LABEL);
    expect(await newWpb.locator(`#a-${NEW_ITEM.code}`).count()).toBe(1);
    expect(await newWpb.locator('main').textContent()).toContain('Noteer wat u ziet, niet wat u denkt.');
    await fillAll(newWpb);
    await newWpb.fill(`#a-${NEW_ITEM.code}`, "Zoë's klas werkte in eigen tempo; \"goed\" geregeld.");
    await newWpb.click('button:has-text("Versturen")');
    await expect.poll(() => newWpb.locator('.success').textContent()).toContain('het formulier is ingediend');

    // Sem's draft stays on version 1: the old label, no new item, its answers kept; its WPB submits it.
    await wpb.goto(formUrl(semRequest));
    expect(await wpb.locator('#l-DID-1').textContent()).toContain(OLD_LABEL);
    expect(await wpb.locator(`#a-${NEW_ITEM.code}`).count()).toBe(0);
    expect(await wpb.isChecked('#a-DID-1-voldoende')).toBe(true);
    expect(await wpb.inputValue('#a-FEEDBACK')).toBe('Eerste indruk: rustig begin.');
    await fillAll(wpb);
    await wpb.click('button:has-text("Versturen")');
    await expect.poll(() => wpb.locator('.success').textContent()).toContain('het formulier is ingediend');
    expect((await deps.requests.getVersion(semRequest, 2))?.formVersion).toBe(1);
    expect((await deps.requests.getVersion(zoeRequest, 1))?.formVersion).toBe(2);

    // The period's CSV has the old and the new item columns.
    await admin.goto(`${origin}/overzicht?jaar=${YEAR}&periode=1`);
    const [csv] = await Promise.all([admin.waitForEvent('download'), admin.click('a:has-text("CSV downloaden")')]);
    const text = (await readFile((await csv.path())!)).toString('utf8');
    const records = parse(text, { bom: true, delimiter: ';', columns: true, record_delimiter: ['\r\n', '\n', '\r'] }) as Record<string, string>[];
    const headers = Object.keys(records[0]!);
    const column = (code: string) => headers.find((h) => h === code || h.startsWith(`${code} `));
    expect(column('DID-1')).toBeDefined();
    expect(column(NEW_ITEM.code)).toBeDefined();
    const byStudent = new Map(records.map((r) => [r.studentnummer, r]));
    expect(byStudent.get(sem.studentNumber)![column('DID-1')!]).toBe('voldoende');
    expect(byStudent.get(sem.studentNumber)![column(NEW_ITEM.code)!]).toBe('');
    expect(byStudent.get(zoe.studentNumber)![column('DID-1')!]).toBe('goed');
    expect(byStudent.get(zoe.studentNumber)![column(NEW_ITEM.code)!]).toBe("Zoë's klas werkte in eigen tempo; \"goed\" geregeld.");

    await wpbContext.close();
    await adminContext.close();
  }, 180_000);
});
