import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type ExcelJS from 'exceljs';
import { Temporal } from 'temporal-polyfill';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/http/app.tsx';
import { appDeps, TEST_ORIGIN } from '../../support/app.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';
import { cellAt, editWorkbook, openWorkbook, rowWhere, sheet } from '../../support/edit-workbook.ts';
import { getWithSession, movableClock, postForm, signIn, staffPlacement } from '../../support/staff.ts';

/**
 * Hostile probes on /beheer/formulieren and /beheer/schooljaren (issue 13): replays, ids of the
 * other kind or of no kind, cross-site posts, workbooks that lie about their form, that are huge,
 * hold invisible or control characters or markup, break the year's rules, and downloads of
 * versions that do not exist. Every answer must be a Dutch 4xx (never a 500, never a stack), with
 * nothing stored, and every text shown escaped.
 */

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>';
const FORM = 'kijkwijzer-didactiek';

type App = ReturnType<typeof createApp>;

const unescape = (text: string) => text.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');

/** The problems of a 422 page, unescaped. */
async function problemsOf(response: Response): Promise<string[]> {
  const html = await response.text();
  const start = html.indexOf('aria-label="Problemen"');
  if (start < 0) return [];
  const list = html.slice(start).match(/^[^>]*>([\s\S]*?)<\/ol>/)?.[1] ?? '';
  return [...list.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => unescape(m[1]!));
}

/** A Dutch error page of this status: no 500 page, no stack, no internals. */
async function expectDutchRefusal(response: Response, status: number, what: string): Promise<string> {
  const text = await response.text();
  expect(response.status, what).toBe(status);
  expect(response.headers.get('content-type') ?? '', what).toContain('text/html');
  expect(text, what).toContain('lang="nl"');
  expect(text, what).not.toContain('Probeer het later opnieuw');
  expect(text, what).not.toMatch(/\bat .*\.(ts|js|tsx):\d+/);
  expect(text, what).not.toMatch(/Error:|TypeError|ValidationException|undefined/);
  return text;
}

/** The concept id a redirect after an upload points to. */
function conceptIdOf(response: Response, area: 'formulieren' | 'schooljaren'): string {
  const id = response.headers.get('location')?.match(new RegExp(`^/beheer/${area}/concept/([A-Za-z0-9_-]{22})$`))?.[1];
  if (!id) throw new Error(`no concept in ${response.status} ${response.headers.get('location')}`);
  return id;
}

/** The shared setup of both halves: a fresh table and bucket, two admins and an IO. */
async function setUp(suffix: string) {
  const clients = localClients();
  const tableName = await freshTable(clients);
  const bucket = await freshBucket(clients);
  const clock = movableClock('2025-11-10T09:00');
  const admins = [`admin.${suffix}@hr.example.nl`, `admin2.${suffix}@hr.example.nl`];
  const deps = appDeps(clients, { tableName, bucket }, clock, { adminEmails: admins });
  const app = createApp({ ...deps, signInRateLimits: { perAddress: 1000, perClient: 1000 } });
  await deps.placements.create(staffPlacement(suffix === 'hf' ? '879131' : '879132', suffix), clock.now().toString());
  const sessions = { admin: await signIn(app, admins[0]!), otherAdmin: await signIn(app, admins[1]!), io: await signIn(app, `io.${suffix}@hr.example.nl`) };

  const items = async (partition: string): Promise<Record<string, unknown>[]> => {
    const result = await clients.doc.send(
      new QueryCommand({ TableName: tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': partition }, ConsistentRead: true }),
    );
    return result.Items ?? [];
  };
  const storedWorkbooks = async (): Promise<string[]> => {
    const listed = await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'content/' }));
    return (listed.Contents ?? []).map((o) => o.Key!);
  };
  /** Everything the content pages may write: versions, concepts, audit events and workbook bytes. */
  const snapshot = async () => ({
    content: (await items('CONTENT')).map((item) => item.SK),
    drafts: (await items('CONTENTDRAFT')).map((item) => item.SK),
    audit: (await items('AUDIT#CONTENT')).length,
    files: await storedWorkbooks(),
  });
  return { clients, app, clock, admins, sessions, items, snapshot };
}

function uploadTo(app: App, path: string, session: string, bytes: Uint8Array, options: { name?: string; origin?: string | null } = {}) {
  const form = new FormData();
  form.append('bestand', new File([bytes as Uint8Array<ArrayBuffer>], options.name ?? 'werkmap.xlsx', { type: XLSX }));
  const origin = options.origin === undefined ? TEST_ORIGIN : options.origin;
  return app.request(path, { method: 'POST', headers: { ...(origin ? { Origin: origin } : {}), Cookie: `__Host-sessie=${session}` }, body: form });
}

async function download(app: App, path: string, session: string): Promise<Uint8Array> {
  const response = await getWithSession(app, path, session);
  expect(response.status, path).toBe(200);
  return new Uint8Array(await response.arrayBuffer());
}

// =============================================================================================

describe('/beheer/formulieren under attack', () => {
  let setup: Awaited<ReturnType<typeof setUp>>;
  let app: App;
  let shipped: Uint8Array;

  const upload = (bytes: Uint8Array, options: { name?: string; origin?: string | null; session?: string } = {}) =>
    uploadTo(app, '/beheer/formulieren', options.session ?? setup.sessions.admin, bytes, options);
  const publish = (id: string, session = setup.sessions.admin) => postForm(app, `/beheer/formulieren/concept/${id}/publiceren`, {}, { cookie: session });
  const edit = (bytes: Uint8Array, change: (workbook: ExcelJS.Workbook) => void) => editWorkbook(bytes, change);
  /** The shipped didactiek with DID-2's label changed: a good workbook. */
  const relabelled = (bytes: Uint8Array, label: string) =>
    edit(bytes, (workbook) => {
      const survey = sheet(workbook, 'survey');
      cellAt(survey, rowWhere(survey, 'name', 'DID-2'), 'label').value = label;
    });
  /** The latest version of the didactiek, as downloaded now. */
  const latest = async () => {
    const versions = (await setup.items('CONTENT')).filter((item) => String(item.SK).startsWith(`FORM#${FORM}#`));
    return download(app, `/beheer/formulieren/${FORM}/${versions.length + 1}.xlsx`, setup.sessions.admin);
  };

  beforeAll(async () => {
    setup = await setUp('hf');
    app = setup.app;
    shipped = await download(app, `/beheer/formulieren/${FORM}/1.xlsx`, setup.sessions.admin);
  });

  it('answers a replayed Publiceren with a Dutch 404 and publishes once, with one audit event', async () => {
    const id = conceptIdOf(await upload(await relabelled(shipped, 'Eerste wijziging van Zoë')), 'formulieren');

    const first = await publish(id);
    const replays = await Promise.all([publish(id), publish(id), publish(id, setup.sessions.otherAdmin)]);

    expect(first.status).toBe(200);
    for (const replay of replays) expect(await expectDutchRefusal(replay, 404, 'replay')).toContain('Dit concept bestaat niet (meer)');
    expect((await setup.items('CONTENT')).map((item) => item.SK)).toEqual([`FORM#${FORM}#V#0002`]);
    expect(await setup.items('AUDIT#CONTENT')).toHaveLength(1);
    // The concept page and its preview are gone too.
    await expectDutchRefusal(await getWithSession(app, `/beheer/formulieren/concept/${id}`, setup.sessions.admin), 404, 'concept page');
    await expectDutchRefusal(await getWithSession(app, `/beheer/formulieren/concept/${id}/voorbeeld`, setup.sessions.admin), 404, 'preview');
  });

  it('lets admin B publish what admin A uploaded, and the audit and the list name B as the publisher', async () => {
    const before = (await setup.items('AUDIT#CONTENT')).length;
    const id = conceptIdOf(await upload(await relabelled(await latest(), 'Wijziging van beheerder A'), { name: 'van-a.xlsx' }), 'formulieren');

    const published = await publish(id, setup.sessions.otherAdmin);

    expect(published.status).toBe(200);
    const version = (await setup.items('CONTENT')).find((item) => item.SK === `FORM#${FORM}#V#0003`);
    expect(version?.publishedBy).toBe(setup.admins[1]);
    const audit = await setup.items('AUDIT#CONTENT');
    expect(audit).toHaveLength(before + 1);
    const event = audit.find((item) => String(item.detail).includes('versie 3'))!;
    expect(event.actor).toBe(setup.admins[1]);
    expect(event.action).toBe('gepubliceerd');
    expect(event.detail).toContain(FORM);
    expect(event.detail).toContain('van-a.xlsx');
    const list = await (await getWithSession(app, '/beheer/formulieren', setup.sessions.admin)).text();
    expect(list).toMatch(new RegExp(`data-form="${FORM}" data-version="3"[\\s\\S]*?${setup.admins[1]!.replace('.', '\\.')}`));
  });

  it('finds no form concept under a school-year concept id, nor the other way round, and publishes nothing', async () => {
    const year = await download(app, '/beheer/schooljaren/2025-2026.xlsx', setup.sessions.admin);
    const yearId = conceptIdOf(await uploadTo(app, '/beheer/schooljaren', setup.sessions.admin, year), 'schooljaren');
    const formId = conceptIdOf(await upload(await relabelled(await latest(), 'Nog een wijziging')), 'formulieren');
    const before = await setup.snapshot();

    const answers = [
      ['form page, year id', await getWithSession(app, `/beheer/formulieren/concept/${yearId}`, setup.sessions.admin)],
      ['form preview, year id', await getWithSession(app, `/beheer/formulieren/concept/${yearId}/voorbeeld`, setup.sessions.admin)],
      ['form publish, year id', await publish(yearId)],
      ['year page, form id', await getWithSession(app, `/beheer/schooljaren/concept/${formId}`, setup.sessions.admin)],
      ['year publish, form id', await postForm(app, `/beheer/schooljaren/concept/${formId}/publiceren`, {}, { cookie: setup.sessions.admin })],
    ] as const;

    for (const [what, response] of answers) expect(await expectDutchRefusal(response, 404, what)).toContain('Dit concept bestaat niet (meer)');
    expect(await setup.snapshot()).toEqual(before);
  });

  it('answers ids that are no upload id (traversal, encoded, huge, control characters) with a Dutch 404', async () => {
    const ids = [
      '..%2F..%2Fformulieren',
      '%2e%2e%2f%2e%2e%2fschooljaren',
      'A'.repeat(21),
      'A'.repeat(23),
      'A'.repeat(20_000),
      'AAAAAAAAAAAAAAAAAAAA%00A',
      'AAAAAAAAAAAAAAAAAAAA%E2%80%AE',
      'form%23AAAAAAAAAAAAAAAAAAAAAA',
      '%F0%9F%98%80'.repeat(11),
    ];
    const before = await setup.snapshot();
    for (const id of ids) {
      const what = id.slice(0, 40);
      const page = await getWithSession(app, `/beheer/formulieren/concept/${id}`, setup.sessions.admin);
      expect([404, 414], what).toContain(page.status);
      if (page.status === 404) await expectDutchRefusal(page, 404, what);
      const posted = await publish(id);
      expect([404, 414], what).toContain(posted.status);
      if (posted.status === 404) await expectDutchRefusal(posted, 404, what);
    }
    expect(await setup.snapshot()).toEqual(before);
  });

  it('refuses cross-site uploads and publications with a Dutch 403, and stores and publishes nothing', async () => {
    const good = await relabelled(await latest(), 'Wijziging van elders');
    const id = conceptIdOf(await upload(good), 'formulieren');
    const before = await setup.snapshot();

    const answers = [
      ['upload from another site', await upload(good, { origin: 'https://evil.example' })],
      ['upload without Origin', await upload(good, { origin: null })],
      ['upload with Origin null', await upload(good, { origin: 'null' })],
      ['upload from a look-alike', await upload(good, { origin: `${TEST_ORIGIN}.evil.example` })],
      ['publish from another site', await postForm(app, `/beheer/formulieren/concept/${id}/publiceren`, {}, { cookie: setup.sessions.admin, origin: 'https://evil.example' })],
      ['publish without Origin', await postForm(app, `/beheer/formulieren/concept/${id}/publiceren`, {}, { cookie: setup.sessions.admin, origin: null })],
      ['year upload from another site', await uploadTo(app, '/beheer/schooljaren', setup.sessions.admin, good, { origin: 'https://evil.example' })],
    ] as const;

    for (const [what, response] of answers) {
      expect(await expectDutchRefusal(response, 403, what)).toContain('niet vanaf deze website verstuurd');
    }
    expect(await setup.snapshot()).toEqual(before);
    // The concept is still there for the admin's own Publiceren.
    expect((await getWithSession(app, `/beheer/formulieren/concept/${id}`, setup.sessions.admin)).status).toBe(200);
  });

  it('refuses a workbook that names another form than the questions it holds, at the cells, and stores nothing', async () => {
    const before = await setup.snapshot();
    const asPedagogiek = await edit(shipped, (workbook) => {
      const settings = sheet(workbook, 'settings');
      cellAt(settings, 2, 'form_id').value = 'kijkwijzer-pedagogiek';
      cellAt(settings, 2, 'kijkwijzer_type').value = 'pedagogiek';
    });
    const unknown = await edit(shipped, (workbook) => {
      cellAt(sheet(workbook, 'settings'), 2, 'form_id').value = 'kijkwijzer-../../advies-wpb';
    });

    const stolen = await upload(asPedagogiek);
    const invented = await upload(unknown);

    expect(stolen.status).toBe(422);
    const stolenProblems = await problemsOf(stolen);
    expect(stolenProblems.some((line) => /^blad survey, rij \d+, kolom name: Code DID-1 hoort bij het formulier Kijkwijzer didactiek/.test(line))).toBe(true);
    expect(invented.status).toBe(422);
    expect((await problemsOf(invented)).some((line) => line.startsWith('blad settings, rij 2, kolom form_id: Onbekend formulier'))).toBe(true);
    expect(await setup.snapshot()).toEqual(before);
  });

  it('refuses a workbook whose version cell says 99 at that cell, saying which version to leave there, and stores nothing', async () => {
    const current = (await setup.items('CONTENT')).filter((item) => String(item.SK).startsWith(`FORM#${FORM}#`)).length + 1;
    const bytes = await edit(await relabelled(await latest(), 'Versie negenennegentig?'), (workbook) => {
      cellAt(sheet(workbook, 'settings'), 2, 'version').value = 99;
    });
    const before = await setup.snapshot();

    const response = await upload(bytes);

    expect(response.status).toBe(422);
    expect(await problemsOf(response)).toEqual([
      `blad settings, rij 2, kolom version: Versie 99 bestaat niet: de nieuwste versie is ${current}. Laat hier ${current} staan (de versie die u downloadde); bij publiceren wordt het versie ${current + 1}.`,
    ]);
    expect(await setup.snapshot()).toEqual(before);
  });

  it('refuses the bad workbooks a careless coordinator makes, each at its cell, and stores nothing', async () => {
    const before = await setup.snapshot();
    const base = await latest();
    const cases: [string, Uint8Array, RegExp][] = [
      [
        'FEEDBACK removed',
        await edit(base, (workbook) => {
          const survey = sheet(workbook, 'survey');
          survey.spliceRows(rowWhere(survey, 'name', 'FEEDBACK'), 1);
        }),
        /^blad survey: Een kijkwijzer eindigt met de open vragen FEEDBACK, FEEDUP, FEEDFORWARD.*FEEDBACK ontbreekt\.$/,
      ],
      [
        'required misschien',
        await edit(base, (workbook) => {
          const survey = sheet(workbook, 'survey');
          cellAt(survey, rowWhere(survey, 'name', 'DID-3'), 'required').value = 'misschien';
        }),
        /^blad survey, rij \d+, kolom required: required is ja of nee, niet "misschien"\.$/,
      ],
      [
        'a select_one list with one choice',
        await edit(base, (workbook) => {
          const survey = sheet(workbook, 'survey');
          survey.insertRow(rowWhere(survey, 'name', 'DID-3'), ['select_one een_keuze', 'DID-90', 'Kies één', null, 'nee']);
          sheet(workbook, 'choices').addRow(['een_keuze', 'alleen', 'De enige keuze', null]);
        }),
        /^blad (survey|choices), rij \d+, kolom (type|name|label): De lijst een_keuze heeft maar één keuze/,
      ],
      [
        'only the headers',
        await edit(base, (workbook) => {
          for (const name of ['survey', 'choices', 'settings']) {
            const ws = sheet(workbook, name);
            ws.spliceRows(2, ws.rowCount);
          }
        }),
        /^blad (survey|settings)/,
      ],
      [
        'select_one of a list that does not exist',
        await edit(base, (workbook) => {
          const survey = sheet(workbook, 'survey');
          cellAt(survey, rowWhere(survey, 'name', 'DID-3'), 'type').value = 'select_one bestaat_niet';
        }),
        /^blad survey, rij \d+, kolom type: De lijst bestaat_niet bestaat niet op het blad choices/,
      ],
    ];

    for (const [what, bytes, expected] of cases) {
      const response = await upload(bytes, { name: `${what}.xlsx` });
      expect(response.status, what).toBe(422);
      const problems = await problemsOf(response);
      expect(problems.length, what).toBeGreaterThan(0);
      expect(problems.some((line) => expected.test(line)), `${what}: ${problems.join(' | ')}`).toBe(true);
    }
    expect(await setup.snapshot()).toEqual(before);
  });

  it('refuses invisible and control characters in labels (also inside rich text) at their cell, and takes emoji', async () => {
    const before = await setup.snapshot();
    const base = await latest();
    const withLabel = (code: string, value: ExcelJS.CellValue) =>
      edit(base, (workbook) => {
        const survey = sheet(workbook, 'survey');
        cellAt(survey, rowWhere(survey, 'name', code), 'label').value = value;
      });
    const cases: [string, Uint8Array][] = [
      ['bidi override', await withLabel('DID-2', 'Zoë leest exe.\u202Efdp')],
      // exceljs drops a raw control character when it writes, but reads Excel's escape _x0000_ back as one.
      ['NUL as Excel writes it', await withLabel('DID-2', 'Maakt doel_x0000_ duidelijk')],
      ['BEL in rich text', await withLabel('DID-2', { richText: [{ text: 'Maakt doel' }, { font: { bold: true }, text: '_x0007_ duidelijk' }] })],
      ['zero width space', await withLabel('DID-3', 'Geeft\u200Buitleg')],
      ['line separator', await withLabel('DID-3', 'Regel\u2028twee')],
      [
        // (A BOM at either end is trimmed away with the spaces, as JavaScript's trim does; inside a label it stays and is refused.)
        'BOM in a choice label',
        await edit(base, (workbook) => {
          const choices = sheet(workbook, 'choices');
          cellAt(choices, 2, 'label').value = 'onvol\uFEFFdoende';
        }),
      ],
      [
        'bidi override in the title',
        await edit(base, (workbook) => {
          cellAt(sheet(workbook, 'settings'), 2, 'form_title').value = 'Kijkwijzer \u202Ekeitkadid';
        }),
      ],
    ];
    for (const [what, bytes] of cases) {
      const response = await upload(bytes);
      expect(response.status, what).toBe(422);
      const problems = await problemsOf(response);
      expect(problems.length, what).toBeGreaterThan(0);
      // At the cell (or, where exceljs cannot write the character at all, as no workbook), never a 500.
      for (const line of problems) expect(line, what).toMatch(/^blad (survey|choices|settings), rij \d+, kolom (label|form_title): De tekst bevat |^Dit is geen Excel-werkmap/);
    }
    expect(await setup.snapshot()).toEqual(before);

    // Emoji (with a zero width joiner) and letters of any script are text.
    const emoji = 'Zoë 👩🏽‍🏫 geeft les aan groep 3 — Ç, Ó, ş';
    const id = conceptIdOf(await upload(await withLabel('DID-2', emoji)), 'formulieren');
    const preview = unescape(await (await getWithSession(app, `/beheer/formulieren/concept/${id}/voorbeeld`, setup.sessions.admin)).text());
    expect(preview).toContain(emoji);
  });

  it('never echoes a refused character of a yes/no cell raw into the refusal (no bidi override in the Problemen list)', async () => {
    // required, concept, schaal and version are not run through checkText; their messages quote the cell with its refused characters shown as [U+202E].
    const bytes = await edit(await latest(), (workbook) => {
      const survey = sheet(workbook, 'survey');
      cellAt(survey, rowWhere(survey, 'name', 'DID-3'), 'required').value = 'ja\u202E nee';
    });

    const response = await upload(bytes);

    expect(response.status).toBe(422);
    const problems = await problemsOf(response);
    expect(problems.length).toBeGreaterThan(0);
    for (const line of problems) expect(line).not.toMatch(/[\u202A-\u202E\u2066-\u2069\p{Cc}]/u);
    expect(problems).toContainEqual(expect.stringMatching(/^blad survey, rij \d+, kolom required: required is ja of nee, niet "ja\[U\+202E\] nee"\.$/));
  });

  it('escapes markup in every text of the workbook on the list, the concept page, its changes and the preview', async () => {
    const bytes = await edit(await latest(), (workbook) => {
      const survey = sheet(workbook, 'survey');
      cellAt(survey, rowWhere(survey, 'name', 'DID-2'), 'label').value = `Vraag ${EVIL}`;
      cellAt(survey, rowWhere(survey, 'name', 'DID-2'), 'hint').value = `Hint ${EVIL}`;
      cellAt(survey, 2, 'label').value = `Onderdeel ${EVIL}`;
      cellAt(sheet(workbook, 'choices'), 2, 'label').value = `Keuze ${EVIL}`;
      const settings = sheet(workbook, 'settings');
      cellAt(settings, 2, 'form_title').value = `Titel ${EVIL}`;
      cellAt(settings, 2, 'intro').value = `Intro ${EVIL}\n</textarea></form>"'`;
      cellAt(settings, 2, 'basis').value = `Basis ${EVIL}`;
    });

    const uploaded = await upload(bytes, { name: `${EVIL}.xlsx` });
    const id = conceptIdOf(uploaded, 'formulieren');
    const pages = {
      concept: await (await getWithSession(app, `/beheer/formulieren/concept/${id}`, setup.sessions.admin)).text(),
      preview: await (await getWithSession(app, `/beheer/formulieren/concept/${id}/voorbeeld`, setup.sessions.admin)).text(),
      list: await (await getWithSession(app, '/beheer/formulieren', setup.sessions.admin)).text(),
    };

    for (const [what, html] of Object.entries(pages)) {
      expect(html, what).not.toContain('<script>alert');
      expect(html, what).not.toContain('<img src=x');
      expect(html, what).not.toContain('</textarea></form>"');
    }
    expect(pages.concept).toContain('&lt;script&gt;alert');
    expect(unescape(pages.concept)).toContain(`Nieuwe tekst voor DID-2:`);
    expect(unescape(pages.preview)).toContain(`Vraag ${EVIL}`);
    expect(unescape(pages.preview)).toContain(`Keuze ${EVIL}`);
  });

  it('escapes a file name with markup on the refusal page', async () => {
    const response = await upload(new TextEncoder().encode('geen werkmap'), { name: `${EVIL}.xlsx` });

    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;');
  });

  it('shows the file name of a refused upload without its bidi override, as the concept page does', async () => {
    const name = 'kijkwijzer\u202Exslx.exe';
    const response = await upload(new TextEncoder().encode('geen werkmap'), { name });

    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).not.toContain('\u202E');
    expect(html).toContain('in kijkwijzerxslx.exe');
  });

  it('answers downloads of versions and forms that do not exist with a Dutch 404, never a workbook', async () => {
    const paths = [
      `/beheer/formulieren/${FORM}/0.xlsx`,
      `/beheer/formulieren/${FORM}/-1.xlsx`,
      `/beheer/formulieren/${FORM}/1e9.xlsx`,
      `/beheer/formulieren/${FORM}/1000000000.xlsx`,
      `/beheer/formulieren/${FORM}/9999.xlsx`,
      `/beheer/formulieren/${FORM}/abc.xlsx`,
      `/beheer/formulieren/${FORM}/1.5.xlsx`,
      `/beheer/formulieren/${FORM}/1`,
      '/beheer/formulieren/bestaat-niet/1.xlsx',
      '/beheer/formulieren/..%2F..%2Fschooljaren/1.xlsx',
      `/beheer/formulieren/${'x'.repeat(5000)}/1.xlsx`,
      '/beheer/formulieren/%E2%80%AEkijkwijzer/1.xlsx',
      '/beheer/schooljaren/0000-0000.xlsx',
      '/beheer/schooljaren/2027-2029.xlsx',
      '/beheer/schooljaren/2025-2026.xlsx%00',
      '/beheer/schooljaren/2025-2026.csv',
    ];
    for (const path of paths) {
      const response = await getWithSession(app, path, setup.sessions.admin);
      expect(response.headers.get('content-type') ?? '', path).not.toContain(XLSX);
      await expectDutchRefusal(response, 404, path);
    }
    // A version written with leading zeros is that version: still the shipped one.
    const padded = await getWithSession(app, `/beheer/formulieren/${FORM}/0001.xlsx`, setup.sessions.admin);
    expect(padded.status).toBe(200);
    expect(padded.headers.get('content-disposition')).toBe(`attachment; filename="${FORM}-versie-1.xlsx"`);
  });

  it('never leaves /beheer by dot segments, raw or encoded', async () => {
    for (const path of ['/beheer/schooljaren/../..', '/beheer/schooljaren/%2e%2e/%2e%2e/', '/beheer/schooljaren/..%2f..%2f', '/beheer/formulieren/concept/../../schooljaren/..']) {
      const asAdmin = await getWithSession(app, path, setup.sessions.admin);
      expect(asAdmin.status, path).toBeLessThan(500);
      expect(asAdmin.headers.get('content-type') ?? '', path).not.toContain(XLSX);
      const asIo = await getWithSession(app, path, setup.sessions.io);
      expect(asIo.status, path).toBeLessThan(500);
      const body = await asIo.text();
      // Whatever an IO reaches this way is never an admin page.
      expect(body, path).not.toContain('Formulieren beheren</h1>');
      expect(body, path).not.toContain('Schooljaren beheren</h1>');
    }
  });

  it('keeps the preview to admins, and its form posts nowhere and reaches nothing', async () => {
    const id = conceptIdOf(await upload(await relabelled(await latest(), 'Voor het voorbeeld')), 'formulieren');
    const path = `/beheer/formulieren/concept/${id}/voorbeeld`;

    expect((await getWithSession(app, path, setup.sessions.io)).status).toBe(403);
    const nobody = await app.request(path);
    expect(nobody.status).toBe(303);
    expect(nobody.headers.get('location')).toBe('/inloggen');
    expect((await getWithSession(app, path, 'x'.repeat(43))).status).toBe(303);

    const preview = await getWithSession(app, path, setup.sessions.admin);
    const csp = preview.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("form-action 'none'");
    expect(csp).toContain("connect-src 'none'");
    const html = await preview.text();
    // No real link token anywhere on the page: every form and link leads to the inert preview token.
    expect(html).not.toMatch(/\/f\/[A-Za-z0-9_-]{43}/);
    expect(html).not.toMatch(/\/s\/[A-Za-z0-9_-]{43}/);
    // (An empty action is the attachment list's <template>, filled in by its script, which cannot run here.)
    for (const action of html.matchAll(/action="([^"]*)"/g)) expect(action[1]).toMatch(/^(\/f\/voorbeeld(\/|$)|$)/);

    // Even posted by hand, the preview's form stores nothing.
    const before = await setup.snapshot();
    const posted = await postForm(app, '/f/voorbeeld', { 'a-DID-1': 'goed', actie: 'indienen' });
    expect(posted.status).toBeGreaterThanOrEqual(400);
    expect(posted.status).toBeLessThan(500);
    expect(await setup.snapshot()).toEqual(before);
  });

  it('refuses a non-admin on every publication, whatever the concept, and publishes nothing', async () => {
    const id = conceptIdOf(await upload(await relabelled(await latest(), 'Door een IO?')), 'formulieren');
    const before = await setup.snapshot();

    const io = await publish(id, setup.sessions.io);
    const forged = await publish(id, 'A'.repeat(43));

    expect(io.status).toBe(403);
    expect(await io.text()).toContain('Alleen coördinatoren');
    expect(forged.status).toBe(401);
    expect(await setup.snapshot()).toEqual(before);
  });

  it('refuses a form with 5,000 questions, too big to store (its definition exceeds a DynamoDB item), with a Dutch 422, and stores nothing', async () => {
    // The workbook is 0.2 MB, well under the 2 MB limit; its definition as JSON is over 400 KB, the
    // largest item DynamoDB stores: refused before anything is written.
    const before = await setup.snapshot();
    const bytes = await edit(await latest(), (workbook) => {
      const survey = sheet(workbook, 'survey');
      const at = rowWhere(survey, 'name', 'DID-3');
      const rows = Array.from({ length: 5000 }, (_, i) => ['text', `DID-${1000 + i}`, `Hoe gaat de student om met vraag ${1000 + i} van Zoë's klas?`, null, 'nee']);
      survey.insertRows(at, rows);
    });
    expect(bytes.byteLength).toBeLessThan(2 * 1024 * 1024);

    const response = await upload(bytes, { name: 'vijfduizend.xlsx' });

    expect(response.status).toBe(422);
    expect(await problemsOf(response)).toEqual([
      expect.stringMatching(/^blad survey: Het formulier is te groot om op te slaan: \d+ kB, hoogstens 300 kB\. Maak de teksten korter of verdeel het over minder vragen\.$/),
    ]);
    expect(await setup.snapshot()).toEqual(before);
  });

  it('refuses a form with long texts (20 questions of 30,000 characters, each under Excel\'s cell limit) with a Dutch 422, and stores nothing', async () => {
    const before = await setup.snapshot();
    const long = `Zoë ${'lange tekst '.repeat(2500)}`.slice(0, 30_000);
    const bytes = await edit(await latest(), (workbook) => {
      const survey = sheet(workbook, 'survey');
      const at = rowWhere(survey, 'name', 'DID-3');
      survey.insertRows(at, Array.from({ length: 20 }, (_, i) => ['text', `DID-${200 + i}`, long, null, 'nee']));
    });

    const response = await upload(bytes, { name: 'lang.xlsx' });

    expect(response.status).toBe(422);
    // 20 × 30,000 characters (one ë each): 586 kB of labels alone, and the rest of the form.
    const size = (await problemsOf(response))
      .map((line) => line.match(/^blad survey: Het formulier is te groot om op te slaan: (\d+) kB, hoogstens 300 kB\. Maak de teksten korter of verdeel het over minder vragen\.$/)?.[1])
      .map(Number);
    expect(size).toHaveLength(1);
    expect(size[0]).toBeGreaterThanOrEqual(586);
    expect(size[0]).toBeLessThan(600);
    expect(await setup.snapshot()).toEqual(before);
  });

  it('refuses a school-year workbook on the form route and a form workbook on the year route, sheet by sheet', async () => {
    const before = await setup.snapshot();
    const year = await download(app, '/beheer/schooljaren/2025-2026.xlsx', setup.sessions.admin);

    const yearAsForm = await upload(year, { name: 'schooljaar.xlsx' });
    const formAsYear = await uploadTo(app, '/beheer/schooljaren', setup.sessions.admin, shipped, { name: 'formulier.xlsx' });

    expect(yearAsForm.status).toBe(422);
    const formProblems = await problemsOf(yearAsForm);
    expect(formProblems).toContain('blad survey: Dit blad ontbreekt. Een werkmap heeft de bladen survey, choices, settings, met precies die namen.');
    expect(formProblems.some((line) => line.startsWith('blad schooljaar: Onbekend blad.'))).toBe(true);
    expect(formAsYear.status).toBe(422);
    expect((await problemsOf(formAsYear)).some((line) => line.startsWith('blad survey: Onbekend blad.'))).toBe(true);
    expect(await setup.snapshot()).toEqual(before);
  });

  it('asks for a file when the field is text, empty or missing, and takes the last of two files', async () => {
    const post = (form: FormData) =>
      app.request('/beheer/formulieren', { method: 'POST', headers: { Origin: TEST_ORIGIN, Cookie: `__Host-sessie=${setup.sessions.admin}` }, body: form });
    const asText = new FormData();
    asText.append('bestand', 'survey;choices;settings');
    const empty = new FormData();
    empty.append('bestand', new File([], 'leeg.xlsx', { type: XLSX }));
    const other = new FormData();
    other.append('werkmap', new File([shipped as Uint8Array<ArrayBuffer>], 'werkmap.xlsx', { type: XLSX }));
    const before = await setup.snapshot();

    for (const [what, form] of [['text', asText], ['empty', empty], ['other field', other]] as const) {
      expect(await expectDutchRefusal(await post(form), 400, what)).toContain('Kies een werkmap (.xlsx-bestand) om te uploaden.');
    }
    expect(await setup.snapshot()).toEqual(before);

    const twice = new FormData();
    twice.append('bestand', new File([shipped as Uint8Array<ArrayBuffer>], 'eerste.xlsx', { type: XLSX }));
    twice.append('bestand', new File([new TextEncoder().encode('geen werkmap')], 'tweede.xlsx', { type: XLSX }));
    const answer = await post(twice);
    expect(answer.status).toBe(422);
    expect(await answer.text()).toContain('tweede.xlsx');
  });

  it('a 100,000-character label on one question is shown escaped and whole in the preview', async () => {
    const long = `${'<b>Zoë</b> '.repeat(10_000)}`.slice(0, 100_000);
    const bytes = await edit(await latest(), (workbook) => {
      const survey = sheet(workbook, 'survey');
      cellAt(survey, rowWhere(survey, 'name', 'DID-2'), 'label').value = long;
    });

    const response = await upload(bytes, { name: 'een-lange-vraag.xlsx' });

    expect(response.status).not.toBe(500);
    if (response.status === 303) {
      const id = conceptIdOf(response, 'formulieren');
      const preview = await (await getWithSession(app, `/beheer/formulieren/concept/${id}/voorbeeld`, setup.sessions.admin)).text();
      expect(preview).not.toContain('<b>Zoë</b>');
      expect(unescape(preview)).toContain(long.trim());
    } else {
      expect(response.status).toBe(422);
    }
  });

  it('refuses at Publiceren the second of two concepts that give one new item code two types, each fine when uploaded', async () => {
    // Each concept is checked against what was published at its upload; Publiceren checks again.
    const withNewCode = async (formId: string, type: string) => {
      const bytes = await download(app, `/beheer/formulieren/${formId}/1.xlsx`, setup.sessions.admin);
      return edit(bytes, (workbook) => {
        const survey = sheet(workbook, 'survey');
        survey.insertRow(3, [type, 'HOS-1', 'Een nieuwe vraag van Zoë', null, 'nee']);
      });
    };
    const asText = conceptIdOf(await upload(await withNewCode('kijkwijzer-pedagogiek', 'text')), 'formulieren');
    const asDate = conceptIdOf(await upload(await withNewCode('kijkwijzer-vakdidactiek', 'date'), { session: setup.sessions.otherAdmin }), 'formulieren');

    expect((await publish(asText)).status).toBe(200);
    const second = await publish(asDate, setup.sessions.otherAdmin);

    // HOS-1 is a text item of kijkwijzer-pedagogiek now: the second is refused, not published.
    expect(await expectDutchRefusal(second, 409, 'second')).toContain(
      'Sinds de upload is een ander formulier gepubliceerd dat niet samengaat met dit concept. Code HOS-1 hoort bij het formulier Kijkwijzer pedagogiek (kijkwijzer-pedagogiek); een code hoort bij één formulier. Geef deze vraag een nieuwe code. Upload daarna de werkmap opnieuw.',
    );
    const keys = (await setup.items('CONTENT')).map((item) => String(item.SK));
    expect(keys.some((key) => key.startsWith('FORM#kijkwijzer-vakdidactiek#'))).toBe(false);
  });
});

// =============================================================================================

describe('/beheer/schooljaren under attack', () => {
  let setup: Awaited<ReturnType<typeof setUp>>;
  let app: App;
  let year2025: Uint8Array;
  let year2027: Uint8Array;

  const upload = (bytes: Uint8Array, options: { name?: string; origin?: string | null } = {}) =>
    uploadTo(app, '/beheer/schooljaren', setup.sessions.admin, bytes, options);
  const publish = (id: string, session = setup.sessions.admin) => postForm(app, `/beheer/schooljaren/concept/${id}/publiceren`, {}, { cookie: session });

  const SHIFT_WEEKS = 104;
  const shifted = (iso: string) => Temporal.PlainDate.from(iso).add({ weeks: SHIFT_WEEKS });
  const dutch = (day: Temporal.PlainDate) => `${String(day.day).padStart(2, '0')}-${String(day.month).padStart(2, '0')}-${day.year}`;
  const iso = (value: ExcelJS.CellValue) => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value));

  /** 2025-2026 turned into 2027-2028 (a new year). */
  function as20272028(bytes: Uint8Array): Promise<Uint8Array> {
    return editWorkbook(bytes, (workbook) => {
      const year = sheet(workbook, 'schooljaar');
      cellAt(year, 2, 'schooljaar').value = '2027-2028';
      cellAt(year, 2, 'start').value = '01-08-2027';
      cellAt(year, 2, 'einde').value = '31-07-2028';
      cellAt(year, 2, 'stage_start').value = null;
      cellAt(year, 2, 'stage_start_herkomst').value = 'afgeleid';
      cellAt(year, 2, 'stage_start_bron').value = 'Nog niet bekend.';
      const periods = sheet(workbook, 'periodes');
      for (let row = 2; row <= 5; row++) {
        for (const field of ['start', 'einde', 'deadline']) {
          const cell = cellAt(periods, row, field);
          cell.value = dutch(shifted(iso(cell.value)));
        }
      }
    });
  }

  const editYear = (bytes: Uint8Array, change: (workbook: ExcelJS.Workbook) => void) => editWorkbook(bytes, change);
  /** 2027-2028 as it applies now: downloaded once published (an upload starts from its latest version), else the workbook the attacks start from. */
  const latest2027 = async () =>
    (await setup.items('CONTENT')).some((item) => String(item.SK).startsWith('YEAR#2027-2028#')) ? download(app, '/beheer/schooljaren/2027-2028.xlsx', setup.sessions.admin) : year2027;
  /** The row of the first task of a role in a period. */
  const taskRow = (tasks: ExcelJS.Worksheet, role: string, period: number) => {
    for (let row = 2; row <= tasks.rowCount; row++) {
      if (cellAt(tasks, row, 'rol').value === role && Number(cellAt(tasks, row, 'periode').value) === period) return row;
    }
    throw new Error(`no ${role} task in OP${period}`);
  };

  beforeAll(async () => {
    setup = await setUp('hy');
    app = setup.app;
    year2025 = await download(app, '/beheer/schooljaren/2025-2026.xlsx', setup.sessions.admin);
    year2027 = await as20272028(year2025);
  });

  it('takes the 2027-2028 the attacks start from', async () => {
    const response = await upload(year2027);
    expect(response.status).toBe(303);
  });

  it('refuses the bad years a careless coordinator makes, each at its cell, and stores nothing', async () => {
    const before = await setup.snapshot();
    const cases: [string, Uint8Array, RegExp][] = [
      [
        'a year that ends before it starts',
        await editYear(year2027, (workbook) => {
          const year = sheet(workbook, 'schooljaar');
          cellAt(year, 2, 'start').value = '01-12-2027';
          cellAt(year, 2, 'einde').value = '01-09-2027';
        }),
        /^blad schooljaar, rij 2, kolom einde: /,
      ],
      [
        'year id 2027-2029',
        await editYear(year2027, (workbook) => {
          cellAt(sheet(workbook, 'schooljaar'), 2, 'schooljaar').value = '2027-2029';
        }),
        /^blad schooljaar, rij 2, kolom schooljaar: "2027-2029" is geen schooljaar/,
      ],
      [
        'year id with markup',
        await editYear(year2027, (workbook) => {
          cellAt(sheet(workbook, 'schooljaar'), 2, 'schooljaar').value = `2027-2028${EVIL}`;
        }),
        /^blad schooljaar, rij 2, kolom schooljaar: /,
      ],
      [
        'two periods numbered 2',
        await editYear(year2027, (workbook) => {
          cellAt(sheet(workbook, 'periodes'), 4, 'periode').value = 2;
        }),
        /^blad periodes, rij 4, kolom periode: Periode 2 staat er twee keer/,
      ],
      [
        'a year that overlaps 2026-2027',
        await editYear(year2027, (workbook) => {
          cellAt(sheet(workbook, 'schooljaar'), 2, 'start').value = '01-07-2027';
        }),
        /^blad schooljaar, rij 2, kolom start: /,
      ],
      [
        'a deadline after its period',
        await editYear(year2027, (workbook) => {
          const periods = sheet(workbook, 'periodes');
          cellAt(periods, 2, 'deadline').value = cellAt(periods, 3, 'einde').value;
        }),
        /^blad periodes, rij 2, kolom deadline: De deadline .* valt buiten periode 1/,
      ],
      [
        'only the headers',
        await editYear(year2027, (workbook) => {
          for (const name of ['schooljaar', 'periodes', 'taken']) {
            const ws = sheet(workbook, name);
            ws.spliceRows(2, ws.rowCount);
          }
        }),
        /^blad schooljaar: Dit blad heeft geen rij met het schooljaar/,
      ],
      [
        'an unknown role',
        await editYear(year2027, (workbook) => {
          const tasks = sheet(workbook, 'taken');
          cellAt(tasks, taskRow(tasks, 'io', 2), 'rol').value = '<b>directeur</b>';
        }),
        /^blad taken, rij \d+, kolom rol: "<b>directeur<\/b>" is geen rol/,
      ],
    ];

    for (const [what, bytes, expected] of cases) {
      const response = await upload(bytes, { name: `${what}.xlsx` });
      expect(response.status, what).toBe(422);
      const html = await response.clone().text();
      expect(html, what).not.toContain('<script>alert');
      expect(html, what).not.toContain('<b>directeur');
      const problems = await problemsOf(response);
      expect(problems.some((line) => expected.test(line)), `${what}: ${problems.join(' | ')}`).toBe(true);
    }
    expect(await setup.snapshot()).toEqual(before);
  });

  it('refuses a republished 2025-2026 that takes away every task of the WPB, and 2025-2026 keeps its tasks', async () => {
    const before = await setup.snapshot();
    const bytes = await editYear(year2025, (workbook) => {
      const tasks = sheet(workbook, 'taken');
      for (let row = tasks.rowCount; row >= 2; row--) if (cellAt(tasks, row, 'rol').value === 'wpb') tasks.spliceRows(row, 1);
    });

    const response = await upload(bytes);

    expect(response.status).toBe(422);
    const problems = await problemsOf(response);
    for (const period of [1, 2, 3, 4]) expect(problems).toContain(`blad taken: Rol wpb heeft geen taak in periode ${period}. Elke rol (student, wpb, so, io, sco) heeft in elke periode minstens één taak.`);
    expect(await setup.snapshot()).toEqual(before);
    const current = await openWorkbook(await download(app, '/beheer/schooljaren/2025-2026.xlsx', setup.sessions.admin));
    expect(() => taskRow(sheet(current, 'taken'), 'wpb', 1)).not.toThrow();
  });

  it('says in Dutch when the preview Monday is garbage, huge or impossible, never a 500', async () => {
    const id = conceptIdOf(await upload(year2027), 'schooljaren');
    for (const monday of ['x'.repeat(5000), '2028-02-30', '+275760-09-13', '-271821-04-19', '2027-13-01', '%00', '2027-09-13T00:00', '9999-12-27']) {
      const response = await getWithSession(app, `/beheer/schooljaren/concept/${id}?maandag=${encodeURIComponent(monday)}`, setup.sessions.admin);
      const html = await expectDutchRefusal(response, 400, monday.slice(0, 20));
      expect(html).toMatch(/Dat is geen datum|is geen maandag|valt buiten schooljaar 2027-2028/);
    }
  });

  it('answers a replayed Publiceren with a Dutch 404, and publishes the year once', async () => {
    const id = conceptIdOf(await upload(year2027), 'schooljaren');

    const first = await publish(id);
    const replays = await Promise.all([publish(id), publish(id, setup.sessions.otherAdmin)]);

    expect(first.status).toBe(200);
    for (const replay of replays) expect(await expectDutchRefusal(replay, 404, 'replay')).toContain('Dit concept bestaat niet (meer)');
    expect((await setup.items('CONTENT')).map((item) => item.SK)).toEqual(['YEAR#2027-2028#V#0001']);
    expect(await setup.items('AUDIT#CONTENT')).toHaveLength(1);
  });

  it('refuses an older concept of a year once another was published, with a Dutch 409', async () => {
    // Two concepts of 2027-2028 version 2, made from version 1.
    const v1 = await download(app, '/beheer/schooljaren/2027-2028.xlsx', setup.sessions.admin);
    const note = (text: string) =>
      editYear(v1, (workbook) => {
        const tasks = sheet(workbook, 'taken');
        cellAt(tasks, taskRow(tasks, 'student', 1), 'tekst').value = text;
      });
    const first = conceptIdOf(await upload(await note("Eerste versie van Zoë's taak")), 'schooljaren');
    const second = conceptIdOf(await upload(await note('Tweede versie van de taak')), 'schooljaren');

    expect((await publish(first)).status).toBe(200);
    const late = await publish(second, setup.sessions.otherAdmin);

    expect(await expectDutchRefusal(late, 409, 'late')).toContain('Iemand anders heeft intussen versie 2 van schooljaar 2027-2028 gepubliceerd');
    expect((await setup.items('CONTENT')).map((item) => item.SK)).toEqual(['YEAR#2027-2028#V#0001', 'YEAR#2027-2028#V#0002']);
  });

  it('escapes markup in task texts, the note and the sources on the concept page and in the digest preview', async () => {
    const bytes = await editYear(year2027, (workbook) => {
      const year = sheet(workbook, 'schooljaar');
      cellAt(year, 2, 'schooljaar').value = '2028-2029';
      cellAt(year, 2, 'start').value = '01-08-2028';
      cellAt(year, 2, 'einde').value = '31-07-2029';
      cellAt(year, 2, 'status').value = 'voorlopig';
      cellAt(year, 2, 'toelichting').value = `Voorlopig ${EVIL}`;
      const periods = sheet(workbook, 'periodes');
      for (let row = 2; row <= 5; row++) {
        for (const field of ['start', 'einde', 'deadline']) {
          const cell = cellAt(periods, row, field);
          const day = Temporal.PlainDate.from(iso(cell.value).split('-').reverse().join('-')).add({ weeks: 52 });
          cell.value = dutch(day);
        }
      }
      cellAt(periods, 2, 'start_herkomst').value = 'afgeleid';
      cellAt(periods, 2, 'start_bron').value = `Afgeleid ${EVIL}`;
      const tasks = sheet(workbook, 'taken');
      for (const role of ['student', 'wpb', 'so', 'io', 'sco']) cellAt(tasks, taskRow(tasks, role, 1), 'tekst').value = `Taak ${EVIL}`;
    });

    const response = await upload(bytes, { name: `${EVIL}.xlsx` });
    const id = conceptIdOf(response, 'schooljaren');
    const page = await getWithSession(app, `/beheer/schooljaren/concept/${id}`, setup.sessions.admin);
    const html = await page.text();
    const list = await (await getWithSession(app, '/beheer/schooljaren', setup.sessions.admin)).text();

    expect(page.status).toBe(200);
    for (const text of [html, list]) {
      expect(text).not.toContain('<script>alert');
      expect(text).not.toContain('<img src=x');
    }
    expect(unescape(html)).toContain(`Taak ${EVIL}`);
    expect(unescape(html)).toContain(`Voorlopig ${EVIL}`);
    // The digest preview shows the task text (escaped, inside the student's digest).
    expect(unescape(html.match(/data-digest="student">([\s\S]*?)<\/div>/)?.[1] ?? '')).toContain(`Taak ${EVIL}`);
  });

  it('refuses invisible and control characters in task texts, the note and the sources, which would go into emails and pages', async () => {
    // As the form reader does (shared/text.ts: "every entry point refuses the same characters").
    const before = await setup.snapshot();
    const cases: [string, Uint8Array][] = [
      [
        'bidi override in a task',
        await editYear(year2025, (workbook) => {
          const tasks = sheet(workbook, 'taken');
          cellAt(tasks, taskRow(tasks, 'student', 1), 'tekst').value = 'Lever je formulier in bij \u202Etxet.exe';
        }),
      ],
      [
        'zero width space in the note',
        await editYear(year2025, (workbook) => {
          const year = sheet(workbook, 'schooljaar');
          cellAt(year, 2, 'status').value = 'voorlopig';
          cellAt(year, 2, 'toelichting').value = 'Voorlopig\u200B: de data volgen.';
        }),
      ],
      [
        'line separator in a source',
        await editYear(year2025, (workbook) => {
          cellAt(sheet(workbook, 'schooljaar'), 2, 'bron').value = 'Handleiding\u2028BEGIN:VEVENT';
        }),
      ],
    ];
    for (const [what, bytes] of cases) {
      const response = await upload(bytes);
      expect(response.status, what).toBe(422);
      // At the cell, with the character and its position; nothing else is wrong with these years.
      expect(await problemsOf(response), what).toEqual([
        expect.stringMatching(/^blad (taken|schooljaar), rij \d+, kolom (tekst|toelichting|bron): De tekst bevat .* \(U\+(202E|200B|2028)\) op positie \d+; /),
      ]);
    }
    expect(await setup.snapshot()).toEqual(before);
  });

  it('refuses a non-admin and a cross-site post on the school-year routes, and publishes nothing', async () => {
    const id = conceptIdOf(await upload(await latest2027()), 'schooljaren');
    const before = await setup.snapshot();

    const io = await publish(id, setup.sessions.io);
    const ioUpload = await uploadTo(app, '/beheer/schooljaren', setup.sessions.io, year2027);
    const crossSite = await postForm(app, `/beheer/schooljaren/concept/${id}/publiceren`, {}, { cookie: setup.sessions.admin, origin: 'https://evil.example' });
    const ioPage = await getWithSession(app, `/beheer/schooljaren/concept/${id}`, setup.sessions.io);

    expect(io.status).toBe(403);
    expect(ioUpload.status).toBe(403);
    expect(ioPage.status).toBe(403);
    expect(await expectDutchRefusal(crossSite, 403, 'cross-site')).toContain('niet vanaf deze website verstuurd');
    expect(await setup.snapshot()).toEqual(before);
  });

  it('forgets a concept after 7 days: its page and Publiceren answer a Dutch 404, and the list no longer shows it', async () => {
    const id = conceptIdOf(await upload(await latest2027(), { name: 'te-laat.xlsx' }), 'schooljaren');
    expect(await (await getWithSession(app, '/beheer/schooljaren', setup.sessions.admin)).text()).toContain(`data-concept="${id}"`);

    setup.clock.advance(7 * 24 * 3600 * 1000 + 60_000);
    const admin = await signIn(app, setup.admins[0]!);
    const before = await setup.snapshot();

    expect(await expectDutchRefusal(await getWithSession(app, `/beheer/schooljaren/concept/${id}`, admin), 404, 'page')).toContain('na 7 dagen verlopen');
    expect(await expectDutchRefusal(await publish(id, admin), 404, 'publish')).toContain('Dit concept bestaat niet (meer)');
    expect(await (await getWithSession(app, '/beheer/schooljaren', admin)).text()).not.toContain(`data-concept="${id}"`);
    expect((await setup.snapshot()).content).toEqual(before.content);
  });
});
