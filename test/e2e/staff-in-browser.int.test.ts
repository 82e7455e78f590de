import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type ServerType } from '@hono/node-server';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { createApp } from '../../functions/http/app.tsx';
import { SIGN_IN_SENT } from '../../functions/http/views/sign-in-page.tsx';
import { getForm } from '../../forms/index.ts';
import { getPeriod, getSchoolYear } from '../../shared/calendar.ts';
import { fixedClock, parseInstant } from '../../shared/clock.ts';
import { formatAnswer } from '../../shared/forms/answers.ts';
import { formItems } from '../../shared/forms/definition.ts';
import { createRequest } from '../../shared/usecases/observation.ts';
import type { Placement } from '../../shared/roster/placement.ts';
import { freePort } from '../../infra/local/stack.ts';
import { appDeps } from '../support/app.ts';
import { freshBucket, freshTable, localClients } from '../support/aws.ts';
import { launchBrowser } from '../support/browser.ts';
import { inboxOf } from '../support/inbox.ts';
import { readWithPython } from '../support/python-csv.ts';
import { staffPlacement } from '../support/staff.ts';
import { tokenFor } from '../../shared/links.ts';
import type { RequestRecord } from '../../shared/model/requests.ts';
import { postToS3, type UploadPlan } from '../support/uploads.ts';

const YEAR = '2025-2026';
const choice = { year: getSchoolYear(YEAR)!, period: getPeriod(YEAR, 1)! };
const IO = 'io.e2e@hr.example.nl';

/** Answers a careless CSV writer would break: separators, quotes, line breaks, emoji, a formula. */
const NASTY = 'Punt; komma, "aanhalingstekens"\r\nnieuwe regel 🎉 en Zoë';
const FORMULA = '=HYPERLINK("http://x","klik")';
const TIP = "Zoë: 'meer' rust; \"echt\" 👍\nvan 't Hek zegt: top";
/** What a WPB types in the browser: plain line breaks and nothing else special (the CSV used to split it). */
const MULTILINE = 'Goede les\nVolgende keer meer tijd';
const QUOTED = 'Let op; "echt" goed 👍';

/** A small but real PDF: file-type recognises it by its `%PDF` header. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');

/** A record's cell of an item code. */
function cellOf(record: Record<string, string>, code: string): string | undefined {
  return record[Object.keys(record).find((h) => h.startsWith(`${code} `))!];
}

async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('an IO signs in, sees the overview and downloads the CSV in a real browser, on the local stand-ins', () => {
  let browser: Browser;
  let server: ServerType;
  let origin: string;
  let deps: ReturnType<typeof appDeps>;

  const zoe = staffPlacement('830001', 'e2e');
  const sem = staffPlacement('830002', 'e2e', { student: { name: "Sem van 't Hek", email: 'sem.830002@student.example.nl' } });
  const bram = staffPlacement('830003', 'e2e', { student: { name: 'Bram Stil', email: 'bram.830003@student.example.nl' } });
  const otherIo = staffPlacement('830004', 'ander', { student: { name: 'Piet Anders', email: 'piet.830004@student.example.nl' } });

  /** Sem's kijkwijzer, which the WPB fills in in the browser, with two attachments. */
  let semRequest: RequestRecord;

  /**
   * Adds an attachment through the same HTTP calls as the form page's script
   * (functions/http/static/upload.ts): declare the file, post it straight to S3 with the presigned
   * fields, ask the app to verify it.
   */
  async function attach(token: string, name: string, bytes: Buffer) {
    const post = (path: string, body: unknown) =>
      fetch(`${origin}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: origin }, body: JSON.stringify(body) });
    const declared = await post(`/f/${token}/bijlagen`, { name, size: bytes.length, type: 'application/pdf' });
    const plan = (await declared.json()) as UploadPlan;
    expect(declared.status, JSON.stringify(plan)).toBe(200);
    expect((await postToS3(plan, bytes)).ok).toBe(true);
    const verified = await post(`/f/${token}/bijlagen/${plan.id}`, { name: plan.name, contentType: plan.contentType });
    expect(verified.ok, await verified.clone().text()).toBe(true);
  }

  /** Every answer of a submission, by item code, as stored. */
  const submitted = new Map<string, { formId: string; answers: Record<string, string> }>();

  /** Answers for every item of a form: nasty text everywhere, `overrides` on top. */
  function answersFor(formId: string, scale: string, overrides: Record<string, string>): Record<string, string> {
    const def = getForm(formId)!;
    const answers: Record<string, string> = {};
    for (const item of formItems(def)) {
      if (item.type === 'scale') answers[item.code] = scale;
      else if (item.type === 'text') answers[item.code] = `${item.code}; "tekst" 🎉`;
      else if (item.type === 'date') answers[item.code] = '2025-11-05';
      else answers[item.code] = item.options?.[0]?.value ?? '';
    }
    return { ...answers, ...overrides };
  }

  async function ask(p: Placement, formId: string) {
    return createRequest(deps, p, { formId, observerRole: 'wpb', lessonDate: '2025-11-05' }, { origin: 'student', choice });
  }

  async function submit(p: Placement, formId: string, answers: Record<string, string>) {
    const request = await ask(p, formId);
    await deps.requests.saveVersion(request, 0, {
      formId,
      formVersion: getForm(formId)!.version,
      answers,
      status: 'ingediend',
      savedAt: '2025-11-07T14:30:00Z',
      savedBy: p.wpb.email,
      attachments: [],
    });
    submitted.set(`${p.studentNumber}#${formId}`, { formId, answers });
  }

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://localhost:${port}`;
    const clients = localClients();
    deps = appDeps(clients, { tableName: await freshTable(clients), bucket: await freshBucket(clients) }, fixedClock(parseInstant('2025-11-10T09:00')), {
      publicOrigin: origin,
    });
    const app = createApp(deps);
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
    });
    expect((server.address() as AddressInfo).port).toBe(port);

    for (const p of [zoe, sem, bram, otherIo]) await deps.placements.create(p, '2025-09-01T08:00:00Z');
    await submit(zoe, 'kijkwijzer-pedagogiek', answersFor('kijkwijzer-pedagogiek', 'voldoende', { FEEDBACK: NASTY, FEEDUP: FORMULA, FEEDFORWARD: TIP }));
    await ask(zoe, 'kijkwijzer-didactiek');
    semRequest = await ask(sem, 'kijkwijzer-didactiek');
    await submit(otherIo, 'kijkwijzer-pedagogiek', answersFor('kijkwijzer-pedagogiek', 'goed', { FEEDBACK: 'niet van deze IO' }));
    submitted.delete(`${otherIo.studentNumber}#kijkwijzer-pedagogiek`);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('signs in through the emailed link, shows the states and downloads a CSV that Dutch Excel reads intact', async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    const axe: Record<string, string[]> = {};

    // Sem's WPB adds two attachments, then types a multi-line answer and one with ; and quotes in
    // the browser and submits.
    const semToken = tokenFor(deps.linkSecret, semRequest.linkId);
    await attach(semToken, 'lesplan.pdf', PDF);
    await attach(semToken, 'lesplan; versie "2".pdf', PDF);
    await page.goto(`${origin}/f/${semToken}`);
    await page.fill('#a-FEEDBACK', MULTILINE);
    await page.fill('#a-FEEDUP', QUOTED);
    const texts = page.locator('textarea:not(#a-FEEDBACK):not(#a-FEEDUP)');
    for (let i = 0; i < (await texts.count()); i++) await texts.nth(i).fill(`Rustig; "helder" ${i}`);
    const radios = page.locator('fieldset[role=radiogroup] input[type=radio][value=goed]');
    for (let i = 0; i < (await radios.count()); i++) await radios.nth(i).check();
    await page.click('button:has-text("Versturen")');
    await expect.poll(() => page.locator('.success').textContent()).toContain('het formulier is ingediend');
    const semVersion = await deps.requests.getVersion(semRequest, 1);
    expect(semVersion?.answers.FEEDBACK).toBe(MULTILINE);
    submitted.set(`${sem.studentNumber}#kijkwijzer-didactiek`, { formId: 'kijkwijzer-didactiek', answers: semVersion!.answers });

    // The IO asks for a sign-in link.
    await page.goto(`${origin}/inloggen`);
    expect(await page.locator('h1').textContent()).toBe('Inloggen voor opleiders');
    axe.signIn = await seriousViolations(page);
    await page.fill('#email', IO);
    await page.click('button:has-text("Stuur mij een inloglink")');
    await expect.poll(() => page.locator('.success').textContent()).toBe(SIGN_IN_SENT);

    // The link arrives in the local inbox; it opens a page with an "Inloggen" button.
    const mail = (await inboxOf(IO)).find((m) => m.subject === 'Inloggen bij Werkplekleren N2');
    const link = mail?.body.text?.match(new RegExp(`${origin}/inloggen/[A-Za-z0-9_-]{43}`))?.[0];
    expect(link).toBeDefined();
    await page.goto(link!);
    expect(await page.locator('main').textContent()).toContain(`U logt in als ${IO}`);
    await page.click('button:has-text("Inloggen")');
    await page.waitForURL(`${origin}/overzicht`);

    // The __Host- cookie is set (Chromium treats http://localhost as a secure context).
    const cookie = (await context.cookies()).find((c) => c.name === '__Host-sessie');
    expect(cookie).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax', path: '/' });

    // The overview: the IO's own three students with the right states, not the other IO's.
    expect(await page.locator('h1').textContent()).toContain('periode 1 (OP1), schooljaar 2025-2026');
    const rowOf = (p: Placement) => page.locator(`tr[data-student="${p.studentNumber}"]`);
    expect(await page.locator('tbody tr').count()).toBe(3);
    expect(await rowOf(otherIo).count()).toBe(0);
    expect(await rowOf(zoe).locator('td').first().textContent()).toContain('Zoë de Vries');
    expect(await rowOf(zoe).locator('.state-ingediend').textContent()).toBe('ingediend');
    expect(await rowOf(zoe).locator('.state-gevraagd').textContent()).toBe('gevraagd');
    // The 2025-2026 rule asks for every type by the end of OP3: in OP1 a type is still to do, not missing.
    expect(await rowOf(zoe).locator('.state-nog-nodig').textContent()).toBe('nog nodig vóór einde OP3');
    expect(await rowOf(zoe).locator('.state-ontbreekt').count()).toBe(0);
    expect(await rowOf(sem).locator('td').first().textContent()).toContain("Sem van 't Hek");
    expect(await rowOf(sem).locator('.state-ingediend').count()).toBe(1);
    expect(await rowOf(bram).locator('.state-nog-nodig').textContent()).toBe('nog nodig vóór einde OP3');
    expect(await rowOf(bram).locator('.state-ingediend, .state-gevraagd').count()).toBe(0);
    expect(await rowOf(bram).textContent()).toContain('Niets ingediend deze periode.');
    axe.overview = await seriousViolations(page);

    // "CSV downloaden" gives a file download.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("CSV downloaden")')]);
    expect(download.suggestedFilename()).toBe('werkplekleren-2025-2026-OP1.csv');
    const bytes = await readFile((await download.path())!);

    // As Dutch Excel reads it: a UTF-8 BOM, `;` between fields, CRLF between records, no sep= line.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text.startsWith('\uFEFFschooljaar;periode;studentnummer;student;')).toBe(true);
    expect(text).not.toMatch(/^\uFEFF?sep=/);
    expect(text.endsWith('\r\n')).toBe(true);
    // Read as Excel and LibreOffice do: a row ends at any CR LF, LF or CR outside quotes.
    const records = parse(text, { bom: true, delimiter: ';', columns: true, record_delimiter: ['\r\n', '\n', '\r'] }) as Record<string, string>[];

    expect(records.map((r) => `${r.studentnummer} ${r.student}`).sort()).toEqual(['830001 Zoë de Vries', "830002 Sem van 't Hek"]);
    for (const record of records) {
      expect(record['observator naam']).toBe("Jan van 't Hek");
      const formId = record.formulier === 'Kijkwijzer pedagogiek' ? 'kijkwijzer-pedagogiek' : 'kijkwijzer-didactiek';
      const seeded = submitted.get(`${record.studentnummer}#${formId}`);
      expect(seeded, `${record.studentnummer} ${record.formulier}`).toBeDefined();
      const def = getForm(seeded!.formId)!;
      for (const [code, value] of Object.entries(seeded!.answers)) {
        const header = Object.keys(record).find((h) => h === code || h.startsWith(`${code} `));
        expect(header, code).toBeDefined();
        const item = formItems(def).find((i) => i.code === code)!;
        const expected = item.type === 'text' ? value : item.type === 'date' ? value : formatAnswer(def, code, value);
        expect(record[header!], `${record.studentnummer} ${code}`).toBe(code === 'FEEDUP' && value === FORMULA ? `'${FORMULA}` : expected);
      }
    }
    const zoeRecord = records.find((r) => r.studentnummer === '830001')!;
    const column = (code: string) => zoeRecord[Object.keys(zoeRecord).find((h) => h.startsWith(`${code} `))!];
    expect(column('FEEDBACK')).toBe(NASTY);
    expect(column('FEEDFORWARD')).toBe(TIP);
    // The formula answer is text to Excel: a leading apostrophe, nothing else changed.
    expect(column('FEEDUP')).toBe(`'=HYPERLINK("http://x","klik")`);

    // Sem's submission from the browser: the multi-line text intact, both attachments in one cell.
    const semRecord = records.find((r) => r.studentnummer === '830002')!;
    const semColumn = (code: string) => semRecord[Object.keys(semRecord).find((h) => h.startsWith(`${code} `))!];
    expect(semColumn('FEEDBACK')).toBe(MULTILINE);
    expect(semColumn('FEEDUP')).toBe(QUOTED);
    const links = semRecord.bijlagen!.split('\n');
    expect(links).toHaveLength(2);
    for (const link of links) expect(link).toMatch(new RegExp(`^${origin}/overzicht/bijlage/${YEAR}/830002/${semRequest.requestId}/[A-Za-z0-9_-]{22}$`));
    expect(new Set(links).size).toBe(2);

    // Python's csv module, an independent reader, finds the same: one row per submission, every
    // row as wide as the header, the texts and links intact.
    const [pyHeader, ...pyRows] = readWithPython(bytes, ';');
    expect(pyRows).toHaveLength(records.length);
    for (const row of pyRows) expect(row).toHaveLength(pyHeader!.length);
    const pySem = pyRows.find((row) => row[pyHeader!.indexOf('studentnummer')] === '830002')!;
    const pyColumn = (code: string) => pySem[pyHeader!.findIndex((h) => h.startsWith(`${code} `))];
    expect(pyColumn('FEEDBACK')).toBe(MULTILINE);
    expect(pyColumn('FEEDUP')).toBe(QUOTED);
    expect(pySem[pyHeader!.indexOf('bijlagen')]).toBe(semRecord.bijlagen);
    expect(pyRows.map((row) => row[pyHeader!.findIndex((h) => h.startsWith('FEEDBACK '))]).sort()).toEqual(records.map((r) => cellOf(r, 'FEEDBACK')).sort());

    expect(axe).toEqual({ signIn: [], overview: [] });
    await context.close();
  }, 120_000);
});
