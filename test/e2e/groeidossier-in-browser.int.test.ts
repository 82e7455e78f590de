import { mkdir, readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type ServerType } from '@hono/node-server';
import ExcelJS from 'exceljs';
import type { Browser, Download, Page } from 'playwright-core';
import { createApp } from '../../functions/http/app.tsx';
import { getForm } from '../../forms/index.ts';
import { getPeriod, getSchoolYear } from '../../shared/calendar.ts';
import { fixedClock, parseInstant } from '../../shared/clock.ts';
import { formatAnswer } from '../../shared/forms/answers.ts';
import { formItems, isAnswerItem, studentPart } from '../../shared/forms/definition.ts';
import type { RequestRecord } from '../../shared/model/requests.ts';
import { SHEET_NAME } from '../../shared/overview/xlsx.ts';
import { createRequest } from '../../shared/usecases/observation.ts';
import { ensureStudentLink } from '../../shared/usecases/welcome.ts';
import { freePort } from '../../infra/local/stack.ts';
import { appDeps } from '../support/app.ts';
import { freshBucket, freshTable, localClients } from '../support/aws.ts';
import { launchBrowser } from '../support/browser.ts';
import { inboxOf, tokenIn } from '../support/inbox.ts';
import { lines, pdfPages, pdfText } from '../support/pdf.ts';
import { staffPlacement } from '../support/staff.ts';

/**
 * The groeidossier in a real Chromium (issue 15, "done when"): the student opens their page from
 * the welcome email, follows the links a user would click to a submitted kijkwijzer and downloads
 * its PDF and the year's bundle; an IO signs in and downloads the period's workbook from the
 * overview. Each download is saved and read back: the PDFs with pdftotext, the workbook with
 * exceljs. Screenshots of the student's page and of the submission view go to
 * test-results/groeidossier/.
 */

const YEAR = '2025-2026';
const FORM_ID = 'kijkwijzer-pedagogiek';
const OUT = join(new URL('../..', import.meta.url).pathname, 'test-results', 'groeidossier');

/** What the WPB typed: two lines, as a textarea gives them. */
const FIRST_LINE = 'Eerste punt: rustige start, iedereen wist wat de bedoeling was.';
const SECOND_LINE = "Tweede punt: Zoë's instructie was kort en helder.";
const TWO_LINES = `${FIRST_LINE}\n${SECOND_LINE}`;

describe('the groeidossier downloads in a real browser, on the local stand-ins', () => {
  let browser: Browser;
  let server: ServerType;
  let origin: string;
  let deps: ReturnType<typeof appDeps>;
  let request: RequestRecord;
  const def = getForm(FORM_ID)!;
  const placement = staffPlacement('840001', 'groeidossier', {
    student: { name: "Zoë Çelik-van 't Hof", email: 'zoe.840001@student.example.nl' },
    wpb: { name: 'Łukasz Ósmañ', email: 'lukasz.840001@wolfert.example.nl' },
  });
  /** Every item answered: the scales "goed", the texts their code, FEEDBACK the two lines. */
  const answers: Record<string, string> = {};

  beforeAll(async () => {
    await mkdir(OUT, { recursive: true });
    const port = await freePort();
    origin = `http://localhost:${port}`;
    const clients = localClients();
    deps = appDeps(clients, { tableName: await freshTable(clients), bucket: await freshBucket(clients) }, fixedClock(parseInstant('2025-11-10T09:00')), { publicOrigin: origin });
    const app = createApp(deps);
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
    });
    expect((server.address() as AddressInfo).port).toBe(port);

    await deps.placements.create(placement, '2025-09-01T08:00:00Z');
    await ensureStudentLink(deps, placement);
    // The WPB's submitted kijkwijzer of period 1.
    request = await createRequest(deps, placement, { formId: FORM_ID, observerRole: 'wpb', lessonDate: '2025-11-05', className: 'H2b' }, { origin: 'student', choice: { year: getSchoolYear(YEAR)!, period: getPeriod(YEAR, 1)! } });
    for (const item of formItems(def)) {
      if (item.type === 'scale') answers[item.code] = 'goed';
      else if (item.type === 'text') answers[item.code] = `Antwoord op ${item.code}`;
      else if (item.type === 'date') answers[item.code] = '2025-11-05';
      else answers[item.code] = item.options?.[0]?.value ?? '';
    }
    answers.FEEDBACK = TWO_LINES;
    await deps.requests.saveVersion(request, 0, {
      formId: FORM_ID,
      formVersion: def.version,
      answers,
      status: 'ingediend',
      savedAt: '2025-11-07T14:30:00Z',
      savedBy: placement.wpb.email,
      attachments: [],
    });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  /** Clicks a link and saves the download it starts under test-results/groeidossier/. */
  async function download(page: Page, link: string): Promise<{ download: Download; bytes: Buffer }> {
    const [started] = await Promise.all([page.waitForEvent('download'), page.click(link)]);
    const path = join(OUT, started.suggestedFilename());
    await started.saveAs(path);
    return { download: started, bytes: await readFile(path) };
  }

  it('lets the student download the PDF of a submitted kijkwijzer and the year as one PDF, by the links on their pages', async () => {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1000, height: 900 } });
    const page = await context.newPage();

    // The student's page, from the link in the welcome email.
    const welcome = (await inboxOf(placement.student.email))[0];
    await page.goto(`${origin}/s/${tokenIn(welcome, 's')}`);
    expect(await page.locator('h1').textContent()).toBe('Mijn werkplekleren');
    const bundleLink = page.locator('a:has-text("Groeidossier als pdf")');
    expect(await bundleLink.isVisible()).toBe(true);
    await page.screenshot({ path: join(OUT, 'student-page.png'), fullPage: true });

    // The submitted kijkwijzer's read-only view, with its download link.
    await page.click(`a:has-text("${def.title}")`);
    await page.waitForURL(`**/formulieren/${request.requestId}`);
    expect(await page.locator('h1').textContent()).toBe(def.title);
    expect(await page.locator('main').textContent()).toContain(FIRST_LINE);
    await page.screenshot({ path: join(OUT, 'submission-view.png'), fullPage: true });

    // "Download als pdf": a file download whose text is the form as the student reads it.
    const form = await download(page, 'a:has-text("Download als pdf")');
    expect(form.download.suggestedFilename()).toBe("Zoë-Çelik-van-'t-Hof-Kijkwijzer-pedagogiek-2025-11-07.pdf");
    expect(form.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = await pdfText(form.bytes);
    expect(text).toContain("Zoë Çelik-van 't Hof");
    expect(text).toContain('Łukasz Ósmañ');
    // Every label and answer, in the form's order; the two lines as two lines, one after the other.
    const shown = studentPart(def, answers).def;
    let at = text.indexOf(def.title);
    expect(at).toBeGreaterThanOrEqual(0);
    for (const item of shown.sections.flatMap((section) => section.items).filter(isAnswerItem)) {
      const label = text.indexOf(item.label, at);
      expect(label, item.label).toBeGreaterThan(at);
      const answer = item.code === 'FEEDBACK' ? FIRST_LINE : item.type === 'text' ? answers[item.code]! : formatAnswer(def, item.code, answers[item.code]!);
      at = text.indexOf(answer, label + item.label.length);
      expect(at, `${item.code}: ${answer}`).toBeGreaterThan(label);
    }
    const textLines = lines(text);
    expect(textLines[textLines.indexOf(FIRST_LINE) + 1]).toBe(SECOND_LINE);

    // Back on the student's page, "Groeidossier als pdf": the year in one file, the form in its contents.
    await page.click('a:has-text("Terug naar Mijn werkplekleren")');
    await page.waitForURL(`${origin}/s/*`);
    const bundle = await download(page, 'a:has-text("Groeidossier als pdf")');
    expect(bundle.download.suggestedFilename()).toBe("Groeidossier-Zoë-Çelik-van-'t-Hof-2025-2026-2025-11-10.pdf");
    const pages = await pdfPages(bundle.bytes);
    expect(pages[0]).toContain('Groeidossier');
    expect(pages[0]).toContain("Zoë Çelik-van 't Hof");
    // The contents page lists the form with the page it starts on (read with the layout kept: entry and number on one line).
    const contents = await pdfText(bundle.bytes, { layout: true, first: 2, last: 2 });
    expect(contents).toContain('Inhoud');
    const entry = new RegExp(`^\\s*${def.title} \\(OP1, Łukasz Ósmañ\\)\\s+(\\d+)\\s*$`, 'm').exec(contents);
    expect(entry, contents).not.toBeNull();
    const listed = Number(entry![1]);
    expect(pages[listed - 1], `page ${listed}`).toContain(`${def.title} (OP1, Łukasz Ósmañ)`);
    expect(pages.slice(listed - 1).join('\n')).toContain(TWO_LINES);
    await context.close();
  }, 60_000);

  it('lets a signed-in IO download the period as an Excel workbook from the overview', async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();

    // Signs in through the emailed link.
    await page.goto(`${origin}/inloggen`);
    await page.fill('#email', placement.io.email);
    await page.click('button:has-text("Stuur mij een inloglink")');
    await expect.poll(() => page.locator('.success').count()).toBe(1);
    const mail = (await inboxOf(placement.io.email)).find((m) => m.subject === 'Inloggen bij Werkplekleren N2');
    const link = mail?.body.text?.match(new RegExp(`${origin}/inloggen/[A-Za-z0-9_-]{43}`))?.[0];
    expect(link).toBeDefined();
    await page.goto(link!);
    await page.click('button:has-text("Inloggen")');
    await page.waitForURL(`${origin}/overzicht`);

    // "Download Excel" comes before the CSV, and gives the period's workbook.
    const links = await page.locator('main a').allTextContents();
    expect(links.indexOf('Download Excel')).toBeGreaterThanOrEqual(0);
    expect(links.indexOf('Download Excel')).toBeLessThan(links.indexOf('CSV downloaden'));
    const workbook = await download(page, 'a:has-text("Download Excel")');
    expect(workbook.download.suggestedFilename()).toBe('werkplekleren-2025-2026-OP1.xlsx');

    const book = new ExcelJS.Workbook();
    await book.xlsx.load(workbook.bytes as unknown as ArrayBuffer);
    const sheet = book.getWorksheet(SHEET_NAME)!;
    expect(sheet).toBeDefined();
    const headers = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    const column = (header: string) => headers.indexOf(header) + 1;
    const rows = Array.from({ length: sheet.rowCount - 1 }, (_, i) => sheet.getRow(i + 2));
    const row = rows.find((r) => r.getCell(column('studentnummer')).value === placement.studentNumber);
    expect(row, 'the student\'s row').toBeDefined();
    expect(row!.getCell(column('student')).value).toBe("Zoë Çelik-van 't Hof");
    // Dates are Excel dates: the submission time as the wall-clock time in Amsterdam, the lesson's day.
    const submittedAt = row!.getCell(column('ingediend op')).value;
    expect(submittedAt).toBeInstanceOf(Date);
    expect((submittedAt as Date).toISOString()).toBe('2025-11-07T15:30:00.000Z');
    const lessonDate = row!.getCell(column('lesdatum')).value;
    expect(lessonDate).toBeInstanceOf(Date);
    expect((lessonDate as Date).toISOString()).toBe('2025-11-05T00:00:00.000Z');
    // The two-line answer is one cell with its line break.
    const feedback = headers.findIndex((h) => h === 'FEEDBACK' || h.startsWith('FEEDBACK '));
    expect(row!.getCell(feedback + 1).value).toBe(TWO_LINES);
    await context.close();
  }, 60_000);
});
