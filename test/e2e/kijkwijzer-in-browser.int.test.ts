import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type ServerType } from '@hono/node-server';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { createApp } from '../../functions/http/app.tsx';
import { fixedClock, parseInstant } from '../../shared/clock.ts';
import { ensureStudentLink } from '../../shared/requests.ts';
import { Placement } from '../../shared/roster/placement.ts';
import { ensureBucket } from '../../shared/store/bucket.ts';
import { appDeps } from '../support/app.ts';
import { freshTable, localClients } from '../support/aws.ts';
import { launchBrowser } from '../support/browser.ts';
import { inboxOf, tokenIn } from '../support/inbox.ts';
import { freePort } from '../../infra/local/stack.ts';
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';

/** A minimal valid PDF, as a WPB's lesson plan would start. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

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

    // An attachment goes straight to S3 and is verified by the app.
    await page.setInputFiles('#bijlage', { name: 'lesplan.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.click('#bijlage-uploaden');
    await expect.poll(() => page.locator('a:has-text("lesplan.pdf")').count(), { timeout: 15_000 }).toBe(1);

    // The form is completed and submitted.
    for (const id of ['#a-FEEDUP', '#a-FEEDFORWARD']) await page.fill(id, 'Volgende keer: check of iedereen de opdracht snapt.');
    const otherTexts = page.locator('textarea:not(#a-FEEDBACK):not(#a-FEEDUP):not(#a-FEEDFORWARD)');
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
    const [attachment] = await deps.requests.listAttachments(request!);
    expect(attachment?.name).toBe('lesplan.pdf');
    const head = await clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: attachment!.key }));
    expect(head.ContentLength).toBe(PDF.length);

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
});
