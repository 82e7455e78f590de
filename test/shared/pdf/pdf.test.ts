import { Temporal } from 'temporal-polyfill';
import { beforeAll, describe, expect, it } from 'vitest';
import { getForm } from '../../../forms/index.ts';
import { formatDutchDate } from '../../../shared/calendar.ts';
import { parseFormDefinition, type FormDefinition } from '../../../shared/forms/definition.ts';
import { STAFF_ONLY_NOTICE, STAFF_ONLY_PART_NOTE } from '../../../shared/forms/render.tsx';
import type { AppointmentRecord } from '../../../shared/model/appointments.ts';
import { bundleDocument, bundleFileName } from '../../../shared/pdf/bundle.ts';
import { coverText, loadFonts, MISSING_GLYPH } from '../../../shared/pdf/fonts.ts';
import { coverDocument, renderPdf } from '../../../shared/pdf/render.ts';
import { submissionDocument, submissionFileName, type SubmissionPdfInput } from '../../../shared/pdf/submission.ts';
import { flat, lines as linesOf, pdfFonts, pdfInfo, pdfPages, pdfText } from '../../support/pdf.ts';

/**
 * The PDFs of issue 15 read back with poppler's pdftotext: every label, answer and name intact,
 * line breaks kept, the font embedded, characters outside the font visibly replaced, the student's
 * PDF without the part for staff, and the bundle's contents pointing at the right pages.
 */

const STUDENT = "Zoë Çelik-'t Hooft";
const OBSERVER = 'Łukasz Ğüneş-Şahin';
const NAMES = ['Zoë', 'Çelik', 'Ğüneş', 'Şahin', 'Łukasz', 'Óscar', 'Núñez', 'François', 'Ayşe'];

const request: SubmissionPdfInput['request'] = {
  schoolYear: '2025-2026',
  studentNumber: '8816001',
  requestId: 'r-20251110-pdf1',
  student: { name: STUDENT, email: 'zoe@student.example.nl' },
  school: 'Óscar Romero College',
  vak: 'Français',
  observer: { name: OBSERVER, email: 'lukasz@school.example.nl' },
  observerRole: 'wpb',
  lessonDate: '2025-11-10',
  className: '3B',
  period: 2,
};

/** A form with every item type: scale, choice, multi, date, text, a note, and the closing feedback items. */
const everyType: FormDefinition = parseFormDefinition({
  id: 'experiment-wpp7',
  version: 9,
  kind: 'experiment',
  title: 'Feedback op het proefexperiment',
  article: 'de',
  nameInSentence: 'feedback op het proefexperiment',
  intro: 'Een formulier met elk soort vraag.',
  draftContent: true,
  basis: 'Opgesteld in eigen woorden op basis van ICALT (Van de Grift).',
  sections: [
    {
      code: 'LES',
      title: 'De les van Núñez',
      items: [
        { code: 'LESDATUM', label: 'Lesdatum', type: 'date', required: true },
        { code: 'UITLEG', label: 'Uitleg is duidelijk', type: 'scale', required: true },
        {
          code: 'VORM',
          label: 'Werkvorm',
          type: 'choice',
          required: true,
          options: [
            { value: 'klassikaal', label: 'Klassikaal onderwijs' },
            { value: 'groepjes', label: 'In groepjes (coöperatief)' },
          ],
        },
        {
          code: 'MIDDELEN',
          label: 'Gebruikte middelen',
          type: 'multi',
          required: true,
          options: [
            { value: 'bord', label: 'Digibord' },
            { value: 'boek', label: 'Leerboek' },
            { value: 'laptop', label: 'Laptops' },
          ],
        },
        { code: 'OPMERKING', label: 'Let op', help: 'Lees dit eerst.', type: 'note', required: false },
        { code: 'EXTRA', label: 'Nog iets?', type: 'text', required: false },
      ],
    },
    {
      code: 'AFSLUITING',
      title: 'Feedback',
      items: [
        { code: 'FEEDBACK', label: 'Feedback: hoe ging het?', type: 'text', required: true },
        { code: 'FEEDUP', label: 'Feed-up: waar werk je naartoe?', type: 'text', required: true },
        { code: 'FEEDFORWARD', label: 'Feedforward: wat is de volgende stap?', type: 'text', required: true },
      ],
    },
  ],
});

const FEEDBACK_LINES = ['Eerste regel: de uitleg van Zoë was helder.', 'Tweede regel: François en Ayşe werkten goed samen.', '', 'Vierde regel, na een lege regel.'];

const everyAnswer: Record<string, string> = {
  LESDATUM: '2025-11-10',
  UITLEG: 'goed',
  VORM: 'groepjes',
  MIDDELEN: 'bord laptop',
  FEEDBACK: FEEDBACK_LINES.join('\n'),
  FEEDUP: 'Naar zelfstandig lesgeven in klas 3B.',
  FEEDFORWARD: 'Volgende keer: differentiëren.\r\nMet een tweede regel.',
};

function input(overrides: Partial<SubmissionPdfInput> = {}): SubmissionPdfInput {
  return {
    request,
    version: { version: 3, savedAt: '2025-11-10T23:30:00Z', answers: everyAnswer },
    def: everyType,
    attachments: [{ name: 'Lesplan Zoë Çelik.pdf' }, { name: 'Foto bord Ğüneş.jpg' }],
    audience: 'staff',
    ...overrides,
  };
}

/** The text lines of a PDF without its footers: what flows from page to page. */
function bodyLines(text: string): string[] {
  return linesOf(text).filter((line) => !/^pagina \d+ van \d+$/.test(line.trim()) && !line.startsWith('Aanvraag 2025-2026/'));
}

describe('a submission as PDF', () => {
  let bytes: Uint8Array;
  let text: string;
  let layout: string;

  beforeAll(async () => {
    bytes = await renderPdf(submissionDocument(input()));
    [text, layout] = await Promise.all([pdfText(bytes), pdfText(bytes, { layout: true })]);
  });

  it('is a PDF whose only font is DejaVu Sans, embedded as a subset', async () => {
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
    const fonts = (await pdfFonts(bytes)).split('\n').slice(2).filter((line) => line.trim() !== '');
    expect(fonts.length).toBeGreaterThan(0);
    for (const line of fonts) expect(line).toMatch(/^[A-Z]{6}\+DejaVuSans(-Bold|-Oblique|-BoldOblique)? +CID TrueType +Identity-H +yes +yes +yes/);
    expect((await pdfInfo(bytes)).Title).toBe(`Feedback op het proefexperiment van ${STUDENT}`);
  });

  it('has the header: student, number, school, vak, observer, lesson date, period, submitted in Amsterdam, form and version, reference', () => {
    const rows = [
      ['Student', STUDENT],
      ['Studentnummer', '8816001'],
      ['School', 'Óscar Romero College'],
      ['Vak', 'Français'],
      ['Schooljaar', '2025-2026'],
      ['Ingevuld door', `${OBSERVER}, werkplekbegeleider (WPB)`],
      ['Lesdatum', 'maandag 10 november 2025'],
      ['Klas', '3B'],
      ['Periode', 'periode 2 (OP2)'],
      // 23:30 UTC is 00:30 the next day in Amsterdam.
      ['Ingediend op', 'dinsdag 11 november 2025 om 00:30'],
      ['Formulier', 'Feedback op het proefexperiment, formulierversie 9'],
      ['Ingediende versie', '3'],
      ['Aanvraag', '2025-2026/8816001/r-20251110-pdf1'],
    ];
    for (const [label, value] of rows) expect(layout).toMatch(new RegExp(`^${label} +${value!.replace(/[().]/g, '\\$&')}$`, 'm'));
  });

  it('shows every section and item with the label of the chosen option, a multi answer as a list, a date in Dutch', () => {
    const lines = linesOf(text);
    for (const title of ['De les van Núñez', 'Feedback', 'Bijlagen']) expect(lines).toContain(title);
    for (const item of ['Lesdatum', 'Uitleg is duidelijk', 'Werkvorm', 'Gebruikte middelen', 'Nog iets?', 'Feedback: hoe ging het?', 'Feed-up: waar werk je naartoe?', 'Feedforward: wat is de volgende stap?']) {
      expect(lines).toContain(item);
    }
    // The last occurrence: the header has a Lesdatum too.
    const after = (label: string) => lines[lines.lastIndexOf(label) + 1];
    expect(after('Lesdatum')).toBe(formatDutchDate('2025-11-10'));
    expect(after('Uitleg is duidelijk')).toBe('goed');
    expect(after('Werkvorm')).toBe('In groepjes (coöperatief)');
    expect(lines.slice(lines.indexOf('Gebruikte middelen') + 1, lines.indexOf('Gebruikte middelen') + 3).map((line) => line.replace(/^\W+/, ''))).toEqual(['Digibord', 'Laptops']);
    expect(text).not.toContain('Leerboek');
    expect(after('Nog iets?')).toBe('niet ingevuld');
    // The note: its text and help, no answer.
    expect(lines.slice(lines.indexOf('Let op'), lines.indexOf('Let op') + 2)).toEqual(['Let op', 'Lees dit eerst.']);
  });

  it('keeps the line breaks of a text answer: each line on its own, in order, the empty line too', () => {
    const lines = linesOf(text);
    const start = lines.indexOf(FEEDBACK_LINES[0]!);
    expect(start).toBeGreaterThan(0);
    expect(lines.slice(start, start + 3)).toEqual(FEEDBACK_LINES.filter((line) => line !== ''));
    // pdftotext drops an empty line inside a paragraph unless it keeps the layout.
    const laidOut = linesOf(layout);
    const at = laidOut.indexOf(FEEDBACK_LINES[0]!);
    expect(laidOut.slice(at, at + 4)).toEqual(FEEDBACK_LINES);
    // CR LF is a line break too.
    expect(lines.slice(lines.indexOf('Volgende keer: differentiëren.'), lines.indexOf('Volgende keer: differentiëren.') + 2)).toEqual(['Volgende keer: differentiëren.', 'Met een tweede regel.']);
  });

  it('shows the concept notice of a form in draft content, with its basis, and none for official content', async () => {
    expect(flat(text)).toContain('Concept-inhoud. Dit zijn voorlopige vragen; Hogeschool Rotterdam kan ze vervangen door de officiële teksten.');
    expect(flat(text)).toContain('Opgesteld in eigen woorden op basis van ICALT (Van de Grift).');
    const official = await pdfText(await renderPdf(submissionDocument(input({ def: { ...everyType, draftContent: false } }))));
    expect(official).not.toContain('Concept-inhoud');
  });

  it('lists the attachments by name, and the footer has the page number and the request on every page', async () => {
    expect(text).toContain('Lesplan Zoë Çelik.pdf');
    expect(text).toContain('Foto bord Ğüneş.jpg');
    const pages = await pdfPages(bytes);
    pages.forEach((page, index) => {
      expect(page).toContain(`pagina ${index + 1} van ${pages.length}`);
      expect(page).toContain('Aanvraag 2025-2026/8816001/r-20251110-pdf1, versie 3');
    });
  });

  it('names the file after the student, the form and the day it was submitted in Amsterdam', () => {
    expect(submissionFileName(input())).toBe("Zoë-Çelik-'t-Hooft-Feedback-op-het-proefexperiment-2025-11-11.pdf");
  });
});

describe('hard input in a PDF', () => {
  it('keeps the names of a Rotterdam roster intact, in the header and in the answers', async () => {
    const names = NAMES.join(' ');
    const text = await pdfText(
      await renderPdf(
        submissionDocument(input({ request: { ...request, student: { name: names, email: 'x@example.nl' } }, version: { version: 1, savedAt: '2025-11-10T10:00:00Z', answers: { ...everyAnswer, EXTRA: names } } })),
      ),
    );
    // The student's name in the header, the answer, each on a line of its own.
    expect(linesOf(text).filter((line) => line === names)).toHaveLength(2);
  });

  it('flows an answer of 5,000 characters over pages with every word, and a long word without spaces too', async () => {
    const words = Array.from({ length: 700 }, (_, i) => `woord${i}ë`);
    let answer = words.join(' ');
    answer = answer.slice(0, 5000 - 1);
    answer = answer.slice(0, answer.lastIndexOf(' '));
    const long = `https://voorbeeld.nl/${'a'.repeat(400)}/einde`;
    const bytes = await renderPdf(submissionDocument(input({ version: { version: 1, savedAt: '2025-11-10T10:00:00Z', answers: { ...everyAnswer, FEEDBACK: answer, EXTRA: long } } })));
    const pages = await pdfPages(bytes);
    expect(pages.length).toBeGreaterThan(1);
    const body = bodyLines(pages.join('\n')).join('\n');
    expect(flat(body)).toContain(answer);
    expect(body.replace(/\s+/g, '')).toContain(long);
  });

  it('shows a character the font lacks (emoji, CJK) as a visible □, keeps Arabic and Hebrew letters, and does not crash', async () => {
    const answer = 'Top 👍🏽 les! 漢字 ✓ 👨‍👩‍👧 مرحبا بالعالم שלום עולם';
    const bytes = await renderPdf(
      submissionDocument(input({ request: { ...request, student: { name: 'Zoë 🦄 Çelik', email: 'x@example.nl' } }, version: { version: 1, savedAt: '2025-11-10T10:00:00Z', answers: { ...everyAnswer, EXTRA: answer } } })),
    );
    const text = await pdfText(bytes);
    expect(text).toContain(`Top ${MISSING_GLYPH} les! ${MISSING_GLYPH}${MISSING_GLYPH} ✓ ${MISSING_GLYPH}`);
    expect(text).toContain(`Zoë ${MISSING_GLYPH} Çelik`);
    // Right-to-left text is written as given (pdfkit has no bidi): every word's letters are there.
    for (const word of ['مرحبا', 'بالعالم', 'שלום', 'עולם']) expect(text).toContain(word);
    expect(text).not.toContain('👍');
  });

  it('replaces per face: the oblique faces have no Arabic, the regular one has', async () => {
    const fonts = await loadFonts();
    const doc = coverDocument({ ...submissionDocument(input()), content: [{ text: 'مرحبا' }, { text: 'مرحبا', italics: true }, { text: [{ text: 'مرحبا', bold: true }] }] }, fonts);
    expect(doc.content).toEqual([{ text: 'مرحبا' }, { text: MISSING_GLYPH.repeat(5), italics: true }, { text: [{ text: 'مرحبا', bold: true }] }]);
  });

  it('covers text per character as a reader sees it: one □ for an emoji with its modifiers, accents and line breaks kept, a tab as spaces', () => {
    const latinOnly = (codePoint: number) => codePoint < 0x300 || (codePoint >= 0x300 && codePoint < 0x370);
    expect(coverText('e\u0301 👍🏽 a\r\nb\rc\td', latinOnly)).toBe(`e\u0301 ${MISSING_GLYPH} a\nb\nc    d`);
  });

  it('lists 200 attachment names, over as many pages as they need', async () => {
    const attachments = Array.from({ length: 200 }, (_, i) => ({ name: `Bijlage ${String(i + 1).padStart(3, '0')} van Ğüneş Şahin.pdf` }));
    const bytes = await renderPdf(submissionDocument(input({ attachments })));
    const lines = linesOf(await pdfText(bytes));
    for (const { name } of attachments) expect(lines).toContain(name);
    expect((await pdfPages(bytes)).length).toBeGreaterThan(3);
  });
});

describe('the part for the SO and IO only', () => {
  const advice = getForm('advies-wpb', 2)!;
  const SECRET = 'Alleen voor jullie: zorg over de planning van Zoë.';
  const answers = Object.fromEntries(
    advice.sections.flatMap((section) => section.items).map((item) => [item.code, item.type === 'choice' ? item.options![0]!.value : `Open antwoord bij ${item.code}`]),
  );
  answers['ADV-VERTROUWELIJK'] = SECRET;
  const adviceInput = (audience: 'student' | 'staff') => input({ def: advice, version: { version: 2, savedAt: '2026-05-06T12:03:00Z', answers }, audience, request: { ...request, period: 4 } });

  it("is left out of the student's PDF, which says such a part exists", async () => {
    const text = flat(await pdfText(await renderPdf(submissionDocument(adviceInput('student')))));
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('Alleen voor de schoolopleider en de instituutsopleider');
    expect(text).toContain(STAFF_ONLY_PART_NOTE);
    expect(text).toContain('Open antwoord bij ADV-TOELICHTING');
  });

  it("is in the staff's PDF, with the notice that the student does not read it", async () => {
    const text = flat(await pdfText(await renderPdf(submissionDocument(adviceInput('staff')))));
    expect(text).toContain(SECRET);
    expect(text).toContain(STAFF_ONLY_NOTICE);
    expect(text).not.toContain(STAFF_ONLY_PART_NOTE);
  });
});

describe('the year as one PDF', () => {
  const kijkwijzer = getForm('kijkwijzer-pedagogiek')!;
  const kijkwijzerAnswers = Object.fromEntries(kijkwijzer.sections.flatMap((s) => s.items).map((item) => [item.code, item.type === 'scale' ? 'voldoende' : `Tekst bij ${item.code}`]));
  const form = (requestId: string, period: number, savedAt: string, observer: string, def = kijkwijzer, answers = kijkwijzerAnswers) => ({
    request: { ...request, requestId, period, observer: { name: observer, email: 'o@example.nl' } },
    version: { version: 1, savedAt, answers },
    def,
    attachments: [],
  });
  const appointment = (overrides: Partial<AppointmentRecord>): AppointmentRecord => ({
    schoolYear: '2025-2026',
    studentNumber: '8816001',
    appointmentId: 'a1',
    kind: 'gesprek',
    talkType: 'kennismaking',
    date: '2025-10-02',
    start: '15:00',
    end: '15:45',
    period: 1,
    participants: [{ role: 'wpb', person: { name: "Jan van 't Hek", email: 'jan@example.nl' }, state: 'uitgenodigd', linkId: 'l1' }],
    state: 'gepland',
    sequence: 0,
    rev: 0,
    createdAt: '2025-09-20T10:00:00Z',
    updatedAt: '2025-09-20T10:00:00Z',
    student: request.student,
    school: request.school,
    vak: request.vak,
    ...overrides,
  });
  const VERSLAG = ['We spraken over de planning.', 'Zoë kiest klas 3B voor het experiment.'];
  const bundle = (audience: 'student' | 'staff') =>
    bundleDocument({
      placement: { schoolYear: '2025-2026', studentNumber: '8816001', student: request.student, school: request.school, vak: request.vak },
      // Out of order on purpose: the bundle orders by period, then submission time.
      submissions: [
        form('r-op3', 3, '2026-03-01T10:00:00Z', 'Óscar Núñez'),
        form('r-op1-later', 1, '2025-10-20T10:00:00Z', 'Ayşe Yılmaz'),
        form('r-op1', 1, '2025-10-06T10:00:00Z', "Jan van 't Hek"),
        form('r-op2', 2, '2025-12-01T10:00:00Z', 'François Dubois', everyType, everyAnswer),
      ],
      appointments: [
        appointment({ appointmentId: 'g2', date: '2026-02-10', talkType: 'tussentijds', report: { text: 'Nog niet verstuurd verslag.', writtenAt: '2026-02-11T10:00:00Z' } }),
        appointment({ report: { text: VERSLAG.join('\n'), writtenAt: '2025-10-03T10:00:00Z', sentAt: '2025-10-03T10:05:00Z' } }),
        appointment({
          appointmentId: 'l1',
          kind: 'lesbezoek',
          talkType: undefined,
          className: '3B',
          date: '2025-11-10',
          start: '09:00',
          end: '09:50',
          participants: [{ role: 'wpb', person: { name: "Jan van 't Hek", email: 'jan@example.nl' }, state: 'uitgenodigd', formId: 'kijkwijzer-pedagogiek', requestId: 'r-op1-later' }],
        }),
        appointment({ appointmentId: 'g3', date: '2026-04-01', talkType: 'eind', state: 'geannuleerd' }),
        appointment({ appointmentId: 'g4', date: '2026-04-20', talkType: 'op4' }),
      ],
      formTitle: (id) => getForm(id)?.title ?? id,
      audience,
      now: Temporal.Instant.from('2026-03-15T12:00:00Z'),
    });
  let bytes: Uint8Array;
  let pages: string[];

  beforeAll(async () => {
    bytes = await renderPdf(bundle('student'));
    pages = await pdfPages(bytes);
  });

  it('starts with a title page and a contents page', () => {
    expect(pages[0]).toContain('Groeidossier');
    expect(pages[0]).toContain(STUDENT);
    expect(flat(pages[0]!)).toContain('Werkplekleren N2, schooljaar 2025-2026');
    expect(pages[1]).toMatch(/^Inhoud$/m);
  });

  it('lists every form in order of period and submission time, then the appointments, each with the page it starts on', async () => {
    const contents = await pdfText(bytes, { layout: true, first: 2, last: 2 });
    const entries = contents
      .split('\n')
      .map((line) => /^(\S.*?\S) {2,}(\d+)$/.exec(line.trim()))
      .filter((match) => match !== null)
      .map((match) => ({ title: match[1]!, page: Number(match[2]) }));
    expect(entries.map((entry) => entry.title)).toEqual([
      `${kijkwijzer.title} (OP1, Jan van 't Hek)`,
      `${kijkwijzer.title} (OP1, Ayşe Yılmaz)`,
      `${everyType.title} (OP2, François Dubois)`,
      `${kijkwijzer.title} (OP3, Óscar Núñez)`,
      'Lesbezoeken en driehoeksgesprekken',
      'Driehoeksgesprek (kennismakingsgesprek), donderdag 2 oktober 2025',
      'Lesbezoek in klas 3B, maandag 10 november 2025',
      'Driehoeksgesprek (tussentijds gesprek), dinsdag 10 februari 2026',
      'Driehoeksgesprek (eindgesprek (CGI)), woensdag 1 april 2026',
      'Driehoeksgesprek (gesprek in OP4), maandag 20 april 2026',
    ]);
    for (const entry of entries) {
      const page = flat(pages[entry.page - 1]!);
      expect(page, `${entry.title} on page ${entry.page}`).toContain(entry.title);
    }
    // Each form starts its own page: its title is the first line there.
    for (const entry of entries.slice(0, 5)) expect(pages[entry.page - 1]!.trimStart().startsWith(entry.title.split(' (')[0]!)).toBe(true);
  });

  it('shows each appointment with its date, time, participants and state, and a verslag with its line breaks', () => {
    const all = pages.join('\n');
    const lines = linesOf(all);
    expect(flat(all)).toContain('donderdag 2 oktober 2025, 15:00–15:45');
    expect(flat(all)).toContain('maandag 10 november 2025, 09:00–09:50');
    expect(flat(all)).toContain(`Jan van 't Hek, werkplekbegeleider (WPB) (${kijkwijzer.title}, ingediend)`);
    expect(flat(all)).toContain(`${STUDENT}, student`);
    for (const state of ['gehouden', 'gepland', 'geannuleerd']) expect(lines, state).toContain(state);
    const at = lines.indexOf(VERSLAG[0]!);
    expect(lines.slice(at, at + 2)).toEqual(VERSLAG);
    expect(all).toContain('Geen verslag: dit gesprek is geannuleerd.');
    expect(all).toContain('Nog geen verslag geschreven.');
  });

  it("gives the student their verslag once written, and staff only once sent", async () => {
    expect(pages.join('\n')).toContain('Nog niet verstuurd verslag.');
    const staff = await pdfText(await renderPdf(bundle('staff')));
    expect(staff).not.toContain('Nog niet verstuurd verslag.');
    expect(staff).toContain('Nog geen verslag verstuurd.');
    expect(staff).toContain(VERSLAG[0]);
  });

  it('says so when nothing was submitted or planned yet, and names the file after the student and the year', async () => {
    const empty = await pdfText(
      await renderPdf(
        bundleDocument({
          placement: { schoolYear: '2025-2026', studentNumber: '8816001', student: request.student, school: request.school, vak: request.vak },
          submissions: [],
          appointments: [],
          formTitle: (id) => id,
          audience: 'student',
          now: Temporal.Instant.from('2025-09-15T12:00:00Z'),
        }),
      ),
    );
    expect(empty).toContain('Er is dit schooljaar nog geen formulier ingediend.');
    expect(empty).toContain('Er zijn dit schooljaar nog geen lesbezoeken of driehoeksgesprekken gepland.');
    expect(bundleFileName({ placement: { student: request.student, schoolYear: '2025-2026' } as never, now: Temporal.Instant.from('2026-03-15T12:00:00Z') })).toBe(
      "Groeidossier-Zoë-Çelik-'t-Hooft-2025-2026-2026-03-15.pdf",
    );
  });
});
