import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formCatalog, getForm, parseForms } from '../../../forms/index.ts';
import { versions as pedagogiekVersions } from '../../../forms/kijkwijzer-pedagogiek.ts';
import { getPeriod, getSchoolYear } from '../../../shared/calendar.ts';
import { formItems, type FormDefinitionInput } from '../../../shared/forms/definition.ts';
import { exportCsv } from '../../../shared/overview/csv.ts';
import type { ExportPlan } from '../../../shared/overview/export-rows.ts';
import { versionRef, type RequestStore } from '../../../shared/store/requests.ts';
import { type AttachmentRef, type RequestRecord, type SubmissionVersion } from '../../../shared/model/requests.ts';
import { readWithPython } from '../../support/python-csv.ts';

const YEAR = '2025-2026';
const plan: ExportPlan = { choice: { year: getSchoolYear(YEAR)!, period: getPeriod(YEAR, 1)! }, queries: [{}] };
const ORIGIN = 'https://werkplekleren.example.nl';
const pedagogiek = getForm('kijkwijzer-pedagogiek')!;

/** One submission to export: the texts a person typed, and how many attachments it has. */
interface Submission {
  studentName: string;
  observerName: string;
  feedback: string;
  feedup: string;
  /** An answer of an item the period's forms do not have: goes to "overige antwoorden". */
  other: string;
  attachments: number;
}

/**
 * The two RequestStore methods the export reads (a GSI2 page of requests, their latest versions),
 * over arrays: a fake of the port, so fast-check can try hundreds of files in a second.
 */
function storeOf(submissions: Submission[], pageSize: number): RequestStore {
  const requests: RequestRecord[] = [];
  const versions = new Map<string, SubmissionVersion>();
  submissions.forEach((s, i) => {
    const studentNumber = String(700_000 + i);
    const requestId = `req${i}`;
    const person = (name: string, email: string) => ({ name, email });
    requests.push({
      schoolYear: YEAR,
      studentNumber,
      requestId,
      formId: pedagogiek.id,
      observerRole: 'wpb',
      observer: person(s.observerName, `wpb${i}@school.example.nl`),
      lessonDate: '2025-11-05',
      period: 1,
      deadline: '2025-11-12',
      state: 'ingediend',
      latestVersion: 1,
      submittedAt: '2025-11-07T13:30:00Z',
      linkId: `link${i}`,
      linkHash: `hash${i}`,
      createdAt: '2025-11-01T08:00:00Z',
      origin: 'student',
      student: person(s.studentName, `student${i}@hr.example.nl`),
      school: 'Wolfert van Borselen',
      vak: 'Nederlands',
    });
    const attachments: AttachmentRef[] = Array.from({ length: s.attachments }, (_, n) => ({
      id: `att${i}x${n}`.padEnd(22, 'A'),
      key: `attachments/${i}/${n}`,
      name: `bijlage ${n}.pdf`,
      size: 100,
      type: 'application/pdf',
      addedAt: '2025-11-07T13:00:00Z',
    }));
    const answers: Record<string, string> = {
      ...Object.fromEntries(formItems(pedagogiek).filter((item) => item.type === 'scale').map((item) => [item.code, 'goed'])),
      FEEDBACK: s.feedback,
      FEEDUP: s.feedup,
      'OUD-1': s.other,
    };
    versions.set(versionRef({ studentNumber, requestId, version: 1 }), {
      requestId,
      version: 1,
      formId: pedagogiek.id,
      formVersion: pedagogiek.version,
      answers,
      status: 'ingediend',
      savedAt: '2025-11-07T13:30:00Z',
      savedBy: `wpb${i}@school.example.nl`,
      attachments,
    });
  });
  const fake: Pick<RequestStore, 'submittedPages' | 'getVersions'> = {
    async *submittedPages() {
      for (let i = 0; i < requests.length; i += pageSize) yield requests.slice(i, i + pageSize).map((r) => ({ ...r }));
    },
    async getVersions(refs) {
      return new Map(refs.flatMap((ref) => {
        const key = versionRef(ref);
        const version = versions.get(key);
        return version ? [[key, version] as const] : [];
      }));
    },
  };
  return fake as RequestStore;
}

async function exported(submissions: Submission[], delimiter: ';' | ',', pageSize = 2): Promise<Uint8Array> {
  return new Uint8Array(await new Response(exportCsv({ requests: storeOf(submissions, pageSize), forms: formCatalog }, plan, { delimiter, origin: ORIGIN })).arrayBuffer());
}

/**
 * Reads a CSV as a lenient reader does (Python's csv module, LibreOffice): a row ends at any
 * unquoted CR LF, LF or CR.
 */
function readBack(bytes: Uint8Array, delimiter: ';' | ','): string[][] {
  return parse(bytes, { bom: true, delimiter, record_delimiter: ['\r\n', '\n', '\r'] }) as string[][];
}

/** What a spreadsheet must show: the text, with an apostrophe before a leading formula character. */
const shown = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

/** Text as people type and paste it, full of what a CSV writer must get right. */
const typed = fc
  .array(
    fc.oneof(
      fc.constantFrom('\n', '\r\n', '\r', ';', ',', '"', '""', '=', '+', '-', '@', '\t', ' ', "'t", 'Zoë', 'Ó', '🎉', '@SUM(1,2)', '=HYPERLINK("x";"y")'),
      fc.string({ maxLength: 6 }),
    ),
    { minLength: 1, maxLength: 12 },
  )
  .map((parts) => parts.join(''))
  // The export writes a blank answer as an empty cell; that is not what these tests are about.
  .filter((text) => text.trim() !== '');

const submission: fc.Arbitrary<Submission> = fc.record({
  studentName: typed,
  observerName: typed,
  feedback: typed,
  feedup: typed,
  other: typed,
  attachments: fc.integer({ min: 0, max: 3 }),
});

describe('the CSV export, read back by an independent reader', () => {
  it('gives one row per submission, every row as wide as the header, every text intact but for the formula guard', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(submission, { minLength: 1, maxLength: 6 }), fc.constantFrom(';' as const, ',' as const), async (submissions, delimiter) => {
        const [header, ...rows] = readBack(await exported(submissions, delimiter), delimiter);

        expect(rows).toHaveLength(submissions.length);
        for (const row of rows) expect(row).toHaveLength(header!.length);
        const cell = (row: string[], name: string) => row[header!.findIndex((h) => h === name || h.startsWith(`${name} `))]!;
        submissions.forEach((s, i) => {
          const row = rows[i]!;
          expect(cell(row, 'studentnummer')).toBe(String(700_000 + i));
          expect(cell(row, 'student')).toBe(shown(s.studentName));
          expect(cell(row, 'observator naam')).toBe(shown(s.observerName));
          expect(cell(row, 'FEEDBACK')).toBe(shown(s.feedback));
          expect(cell(row, 'FEEDUP')).toBe(shown(s.feedup));
          expect(cell(row, 'overige antwoorden')).toBe(`OUD-1: ${s.other}`);
          const links = cell(row, 'bijlagen');
          expect(links === '' ? [] : links.split('\n')).toEqual(
            Array.from({ length: s.attachments }, (_, n) => `${ORIGIN}/overzicht/bijlage/${YEAR}/${700_000 + i}/req${i}/${`att${i}x${n}`.padEnd(22, 'A')}`),
          );
        });
      }),
      { numRuns: 300 },
    );
  });

  it('keeps an answer with only plain line breaks, and two attachments, in one row for Python and csv-parse alike', async () => {
    const plain: Submission = { studentName: 'Zoë de Vries', observerName: "Jan van 't Hek", feedback: 'Goede les\nVolgende keer meer tijd', feedup: 'Rustig', other: 'x', attachments: 2 };
    const other: Submission = { ...plain, studentName: 'Óscar Çelik', feedback: 'Prima', attachments: 0 };

    for (const delimiter of [';', ','] as const) {
      const bytes = await exported([plain, other, plain], delimiter);

      for (const [reader, [header, ...rows]] of [['python', readWithPython(bytes, delimiter)], ['csv-parse', readBack(bytes, delimiter)]] as const) {
        expect(rows, `${reader} ${delimiter}`).toHaveLength(3);
        const at = (name: string) => header!.findIndex((h) => h === name || h.startsWith(`${name} `));
        expect(rows.map((row) => row.length), reader).toEqual([header!.length, header!.length, header!.length]);
        expect(rows.map((row) => row[at('FEEDBACK')]), reader).toEqual(['Goede les\nVolgende keer meer tijd', 'Prima', 'Goede les\nVolgende keer meer tijd']);
        expect(rows.map((row) => row[at('bijlagen')]!.split('\n').filter(Boolean).length), reader).toEqual([2, 0, 2]);
        expect(rows.map((row) => row[at('student')]), reader).toEqual(['Zoë de Vries', 'Óscar Çelik', 'Zoë de Vries']);
      }
    }
  });

  it('ends every record with CR LF and quotes a cell that holds a line break, so a second line "@SUM(1,2)" is never a cell of its own', async () => {
    const bytes = await exported([{ studentName: 'Zoë', observerName: 'Jan', feedback: 'Goed gedaan\n@SUM(1,2)', feedup: 'x', other: 'y', attachments: 0 }], ';');
    const text = new TextDecoder().decode(bytes);

    expect(text).toContain(';"Goed gedaan\n@SUM(1,2)";');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(readWithPython(bytes, ';').flat()).not.toContain('@SUM(1,2)');
  });
});

/**
 * Version 2 of the pedagogiek kijkwijzer, as a coordinator would publish it: PED-8 removed, PED-1
 * relabelled, a note, a multi item PED-9 and a scale in its own words PED-10 added.
 */
function pedagogiekV2(): FormDefinitionInput {
  const v2 = structuredClone(pedagogiekVersions[0]) as FormDefinitionInput;
  v2.version = 2;
  const first = v2.sections[0]!;
  first.items = first.items.filter((item) => item.code !== 'PED-8');
  first.items[0]!.label = 'Gaat respectvol en rustig met leerlingen om';
  first.items.unshift({ code: 'PED-UITLEG', label: "Kijk naar de hele les, ook naar 't begin.", type: 'note', required: false });
  first.items.push(
    {
      code: 'PED-9',
      label: 'Werkvormen',
      type: 'multi',
      required: false,
      options: [
        { value: 'klassikaal', label: 'Klassikaal' },
        { value: 'groepjes', label: 'In groepjes' },
        { value: 'zelfstandig', label: 'Zelfstandig' },
      ],
    },
    {
      code: 'PED-10',
      label: 'Sfeer',
      type: 'scale',
      required: false,
      options: [
        { value: 'zwak', label: 'zwak', scale: 'onder' },
        { value: 'sterk', label: 'sterk', scale: 'boven' },
      ],
    },
  );
  return v2;
}

/** A store holding one submitted request per given version of the pedagogiek kijkwijzer. */
function storeOfVersions(submissions: { formVersion: number; studentName: string; answers: Record<string, string> }[]): RequestStore {
  const requests: RequestRecord[] = [];
  const versions = new Map<string, SubmissionVersion>();
  submissions.forEach((s, i) => {
    const studentNumber = String(800_000 + i);
    const requestId = `v${i}`;
    requests.push({
      schoolYear: YEAR,
      studentNumber,
      requestId,
      formId: 'kijkwijzer-pedagogiek',
      observerRole: 'wpb',
      observer: { name: "Jan van 't Hek", email: 'jan@school.example.nl' },
      lessonDate: '2025-11-05',
      period: 1,
      deadline: '2025-11-12',
      state: 'ingediend',
      latestVersion: 1,
      submittedAt: '2025-11-07T13:30:00Z',
      linkId: `link${i}`,
      linkHash: `hash${i}`,
      createdAt: '2025-11-01T08:00:00Z',
      origin: 'student',
      student: { name: s.studentName, email: `student${i}@hr.example.nl` },
      school: 'Wolfert van Borselen',
      vak: 'Nederlands',
    });
    versions.set(versionRef({ studentNumber, requestId, version: 1 }), {
      requestId,
      version: 1,
      formId: 'kijkwijzer-pedagogiek',
      formVersion: s.formVersion,
      answers: s.answers,
      status: 'ingediend',
      savedAt: '2025-11-07T13:30:00Z',
      savedBy: 'jan@school.example.nl',
      attachments: [],
    });
  });
  const fake: Pick<RequestStore, 'submittedPages' | 'getVersions'> = {
    async *submittedPages() {
      yield requests.map((r) => ({ ...r }));
    },
    async getVersions(refs) {
      return new Map(refs.flatMap((ref) => {
        const version = versions.get(versionRef(ref));
        return version ? [[versionRef(ref), version] as const] : [];
      }));
    },
  };
  return fake as RequestStore;
}

describe('the CSV export across versions of a form', () => {
  it('has a column for a code only the old version has and one for a code only the new version has, each empty in the other rows', async () => {
    const all = parseForms([...pedagogiekVersions, pedagogiekV2()]);
    const requests = storeOfVersions([
      { formVersion: 1, studentName: 'Zoë de Vries', answers: { 'PED-1': 'matig', 'PED-8': 'goed', FEEDBACK: 'Oude versie' } },
      { formVersion: 2, studentName: 'Óscar Çelik', answers: { 'PED-1': 'goed', 'PED-9': 'klassikaal groepjes', 'PED-10': 'sterk', FEEDBACK: 'Nieuwe versie' } },
    ]);

    const bytes = new Uint8Array(await new Response(exportCsv({ requests, forms: { all } }, plan, { delimiter: ';', origin: ORIGIN })).arrayBuffer());
    const [header, ...rows] = readBack(bytes, ';');
    const at = (code: string) => header!.findIndex((h) => h.startsWith(`${code} `));
    const cells = (code: string) => rows.map((row) => row[at(code)]);

    expect(header).toContain('PED-8 Is een herkenbaar voorbeeld voor leerlingen');
    expect(header).toContain('PED-9 Werkvormen');
    expect(header).toContain('PED-10 Sfeer');
    expect(header).toContain('PED-1 Gaat respectvol en rustig met leerlingen om');
    expect(header!.filter((h) => h.startsWith('PED-UITLEG'))).toEqual([]);
    expect(rows.map((row) => row[header!.indexOf('student')])).toEqual(['Zoë de Vries', 'Óscar Çelik']);
    expect(cells('PED-1')).toEqual(['matig', 'goed']);
    expect(cells('PED-8')).toEqual(['goed', '']);
    expect(cells('PED-9')).toEqual(['', 'Klassikaal, In groepjes']);
    expect(cells('PED-10')).toEqual(['', 'sterk']);
    expect(cells('FEEDBACK')).toEqual(['Oude versie', 'Nieuwe versie']);
    expect(rows.map((row) => row[header!.indexOf('overige antwoorden')])).toEqual(['', '']);
  });
});
