import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type ServerType } from '@hono/node-server';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { createApp } from '../../functions/http/app.tsx';
import { fixedClock, parseInstant } from '../../shared/clock.ts';
import { ensureStudentLink } from '../../shared/usecases/welcome.ts';
import { Placement } from '../../shared/roster/placement.ts';
import { ensureBucket } from '../../shared/store/bucket.ts';
import { appDeps } from '../support/app.ts';
import { freshTable, localClients } from '../support/aws.ts';
import { launchBrowser } from '../support/browser.ts';
import { inboxOf, tokenIn } from '../support/inbox.ts';
import { waitForScanTag } from '../support/malware.ts';
import { freePort } from '../../infra/local/stack.ts';
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';

/** A minimal valid PDF, as a WPB's lesson plan would start. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

/** A 1×1 PNG, as a phone photo of the board would be (only smaller). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** An answer typed as a WPB types it: plain line breaks, nothing else special. */
const TWO_LINES = 'Eerste punt: rustige start\nTweede punt: heldere instructie';

async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('a WPB fills in a kijkwijzer in a real browser, on the local stand-ins', () => {
  let browser: Browser;
  let server: ServerType;
  let origin: string;
  const clients = localClients();
  let tableName: string;
  let bucket: string;
  let deps: ReturnType<typeof appDeps>;
  const placement = Placement.parse({
    schoolYear: '2025-2026',
    studentNumber: '5550001',
    student: { name: 'Zoë de Vries', email: 'zoe.browser@student.example.nl' },
    vak: 'Nederlands',
    school: 'Wolfert van Borselen',
    wpb: { name: "Jan van 't Hek", email: 'jan.browser@wolfert.example.nl' },
    so: { name: 'Saskia Bakker', email: 'so.browser@wolfert.example.nl' },
    io: { name: 'Ivo Jansen', email: 'io.browser@hr.example.nl' },
    sco: { name: 'Fatima El Amrani', email: 'sco.browser@wolfert.example.nl' },
  });

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://localhost:${port}`;
    tableName = await freshTable(clients);
    bucket = `e2e-${randomUUID().slice(0, 8)}`;
    await ensureBucket(clients.s3, bucket, origin);
    deps = { ...appDeps(clients, { tableName, bucket }, fixedClock(parseInstant('2025-11-10T20:00')), { publicOrigin: origin }), uploadOrigin: new URL(inject('endpoints').s3).origin };
    const app = createApp(deps);
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
    });
    expect((server.address() as AddressInfo).port).toBe(port);
    await deps.placements.create(placement, '2025-09-01T08:00:00Z');
    await ensureStudentLink(deps, placement);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('goes from the student request to a submitted form with an attachment, both emails and the student page', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const axe: Record<string, string[]> = {};

    // The student opens their page from the welcome email and asks for a kijkwijzer.
    const studentUrl = `${origin}/s/${tokenIn((await inboxOf(placement.student.email))[0], 's')}`;
    await page.goto(studentUrl);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Mijn werkplekleren');
    axe.student = await seriousViolations(page);
    await page.selectOption('#veld-formId', 'kijkwijzer-didactiek');
    await page.check('input[name=observerRole][value=wpb]');
    await page.fill('#veld-lessonDate', '2025-11-12');
    await page.fill('#veld-className', 'H2b');
    await page.fill('#veld-question', 'Let op mijn instructie');
    await page.click('button:has-text("Aanvraag versturen")');
    await expect.poll(() => page.locator('.success').textContent()).toContain('Je aanvraag is verstuurd');

    // The WPB's email arrives in the local inbox; its link opens the form.
    const wpbMail = (await inboxOf(placement.wpb.email)).at(-1);
    expect(wpbMail?.subject).toBe('Kijkwijzer didactiek voor Zoë de Vries');
    const formUrl = `${origin}/f/${tokenIn(wpbMail, 'f')}`;
    await page.goto(formUrl);
    expect(await page.locator('h1').textContent()).toBe('Kijkwijzer didactiek');
    axe.form = await seriousViolations(page);

    // An incomplete submit shows the error summary, in Dutch, with the entered value kept.
    await page.fill('#a-FEEDBACK', 'Heldere uitleg, rustige start.');
    await page.click('button:has-text("Versturen")');
    await expect.poll(() => page.locator('#foutmeldingen').isVisible()).toBe(true);
    expect(await page.inputValue('#a-FEEDBACK')).toBe('Heldere uitleg, rustige start.');
    axe.errors = await seriousViolations(page);

    // A draft is saved and reopened.
    const radios = page.locator('fieldset[role=radiogroup] input[type=radio][value=voldoende]');
    const scaleCount = await radios.count();
    for (let i = 0; i < scaleCount; i++) await radios.nth(i).check();
    await page.click('button:has-text("Opslaan als concept")');
    await expect.poll(() => page.locator('.success').textContent()).toContain('Uw concept is opgeslagen');
    await page.goto(formUrl);
    expect(await page.inputValue('#a-FEEDBACK')).toBe('Heldere uitleg, rustige start.');
    expect(await radios.first().isChecked()).toBe(true);

    // An answer is typed (with a line break) and not saved; then two attachments go straight to S3
    // and are verified by the app, without a reload: the typed answer stays in its field.
    await page.fill('#a-FEEDUP', TWO_LINES);
    await page.evaluate(() => ((globalThis as unknown as { notReloaded: boolean }).notReloaded = true));
    await page.setInputFiles('#bijlage', { name: 'lesplan.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.click('#bijlage-uploaden');
    await expect.poll(() => page.locator('#bijlagen-lijst li:has-text("lesplan.pdf")').count(), { timeout: 15_000 }).toBe(1);
    await page.setInputFiles('#bijlage', { name: 'bord.png', mimeType: 'image/png', buffer: PNG });
    await page.click('#bijlage-uploaden');
    await expect.poll(() => page.locator('#bijlagen-lijst li:has-text("bord.png")').count(), { timeout: 15_000 }).toBe(1);
    expect(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(await page.inputValue('#a-FEEDUP')).toBe(TWO_LINES);
    expect(await page.locator('#bijlage-status').textContent()).toContain('Bijlage toegevoegd: bord.png');

    // The form is completed and submitted.
    await page.fill('#a-FEEDFORWARD', 'Volgende keer: check of iedereen de opdracht snapt.');
    const otherTexts = page.locator('textarea:not(#a-FEEDBACK):not(#a-FEEDUP):not(#a-FEEDFORWARD)');
    expect(await page.inputValue('#a-FEEDUP')).toBe(TWO_LINES);
    for (let i = 0; i < (await otherTexts.count()); i++) await otherTexts.nth(i).fill('Goede vragen gesteld.');
    for (let i = 0; i < scaleCount; i++) await radios.nth(i).check();
    await page.click('button:has-text("Versturen")');
    await expect.poll(() => page.locator('.success').textContent()).toContain('het formulier is ingediend');
    axe.submitted = await seriousViolations(page);

    // The receipt and the student's email arrive.
    await expect.poll(async () => (await inboxOf(placement.wpb.email)).at(-1)?.subject).toBe('Ontvangen: Kijkwijzer didactiek voor Zoë de Vries');
    expect((await inboxOf(placement.student.email)).at(-1)?.subject).toBe("Kijkwijzer didactiek is ingediend door Jan van 't Hek");

    // The submission is in DynamoDB and the file in S3.
    const [request] = await deps.requests.listForPlacement(placement.schoolYear, placement.studentNumber);
    expect(request?.state).toBe('ingediend');
    const versions = await deps.requests.listVersions(request!);
    expect(versions.at(-1)?.answers.FEEDBACK).toBe('Heldere uitleg, rustige start.');
    expect(versions.at(-1)?.answers.FEEDUP).toBe(TWO_LINES);
    expect(versions.at(-1)?.attachments.map((a) => a.name).sort()).toEqual(['bord.png', 'lesplan.pdf']);
    const attachments = await deps.requests.listAttachments(request!);
    const pdfAttachment = attachments.find((a) => a.name === 'lesplan.pdf')!;
    const pngAttachment = attachments.find((a) => a.name === 'bord.png')!;
    const head = await clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: pdfAttachment.key }));
    expect(head.ContentLength).toBe(PDF.length);

    // Once scanned, the attachments open in the browser: the image renders, the PDF opens inline
    // (served sandboxed, with nosniff), neither is saved as a download.
    for (const a of [pdfAttachment, pngAttachment]) expect(await waitForScanTag(clients.s3, bucket, a.key)).toBe('NO_THREATS_FOUND');
    const downloads: string[] = [];
    page.on('download', (d) => downloads.push(d.suggestedFilename()));
    const image = await page.goto(`${formUrl}/bijlagen/${pngAttachment.id}`);
    expect(image?.headers()['content-type']).toBe('image/png');
    expect(await page.locator('img').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(1);
    // Chromium hands a PDF to its own viewer and shows that viewer's headers to the page: the
    // served headers are read with the same browser context's request API.
    const pdf = await page.goto(`${formUrl}/bijlagen/${pdfAttachment.id}`);
    expect(pdf?.status()).toBe(200);
    const served = await context.request.get(`${formUrl}/bijlagen/${pdfAttachment.id}`);
    expect(served.headers()).toMatchObject({
      'content-type': 'application/pdf',
      'x-content-type-options': 'nosniff',
      'content-disposition': expect.stringMatching(/^inline; filename="lesplan.pdf"/),
      'content-security-policy': expect.stringMatching(/^sandbox; /),
    });
    expect(downloads).toEqual([]);

    // The student's page shows it, with a read-only view.
    await page.goto(studentUrl);
    expect(await page.locator('.state-ingediend').count()).toBe(1);
    await page.click('a:has-text("Kijkwijzer didactiek")');
    expect(await page.locator('body').textContent()).toContain('Heldere uitleg, rustige start.');
    axe.view = await seriousViolations(page);

    await page.goto(`${origin}/f/ongeldig`);
    axe.notFound = await seriousViolations(page);

    expect(axe).toEqual({ student: [], form: [], errors: [], submitted: [], view: [], notFound: [] });
  }, 120_000);

  it('hides the upload button without JavaScript, and says so', async () => {
    const [request] = await deps.requests.listForPlacement(placement.schoolYear, placement.studentNumber);
    const wpbMail = (await inboxOf(placement.wpb.email)).find((m) => m.subject.startsWith('Kijkwijzer'));
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();

    await page.goto(`${origin}/f/${tokenIn(wpbMail, 'f')}`);

    expect(request).toBeDefined();
    expect(await page.locator('#bijlage-uploaden').isVisible()).toBe(false);
    expect(await page.locator('#bijlage').isVisible()).toBe(false);
    const notice = page.locator('noscript > p.notice');
    expect(await notice.isVisible()).toBe(true);
    expect(await notice.textContent()).toBe('Bijlagen toevoegen werkt alleen als JavaScript aanstaat. Het formulier zelf werkt ook zonder.');
    await context.close();
  }, 60_000);
});
