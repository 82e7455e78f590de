import { Temporal } from 'temporal-polyfill';
import { formatDutchDate, formatDutchInstant } from '../calendar.ts';
import { appointmentStatus, appointmentTitle, PARTICIPANT_LABELS, whenText } from '../model/appointment-rules.ts';
import type { AppointmentRecord } from '../model/appointments.ts';
import type { Placement } from '../roster/placement.ts';
import { documentBase, factsTable, fitsOnePage, footer, MUTED, type PdfContent, type PdfDocument, type PdfStack, type PdfText } from './document.ts';
import { amsterdamDay, fileNameWords, submissionContent, type PdfAudience, type SubmissionPdfInput } from './submission.ts';

/**
 * The year's bundle of one student (docs/groeidossier.md): one PDF to hand in as the groeidossier.
 * A title page, a contents page with the page of each entry (pdfmake fills in the numbers after
 * layout), every submitted form of the school year in order of period and then submission time,
 * each from a new page and rendered as its own PDF is (submission.ts), and then the lesbezoeken and
 * driehoeksgesprekken with their date, time, participants and state, and a gesprek's verslag. Pure:
 * data in, a document definition out.
 */

/** Everything the bundle shows. */
export interface BundlePdfInput {
  placement: Pick<Placement, 'schoolYear' | 'studentNumber' | 'student' | 'school' | 'vak'>;
  /** The submitted forms of the year (each in its latest submitted version), in any order. */
  submissions: readonly Omit<SubmissionPdfInput, 'audience'>[];
  /** The student's lesbezoeken and driehoeksgesprekken of the year, in any order. */
  appointments: readonly AppointmentRecord[];
  /** The Dutch title of a form by id (a lesbezoek's kijkwijzers). */
  formTitle: (formId: string) => string;
  /** The student's bundle leaves out the sections for staff only, and shows their verslag once written; staff read a verslag once sent. */
  audience: PdfAudience;
  /** When the bundle is made: the state of each appointment (held or not) and the title page's date. */
  now: Temporal.Instant;
}

/** The forms in order of period, then submission time. */
export function bundleOrder<T extends Pick<SubmissionPdfInput, 'request' | 'version'>>(submissions: readonly T[]): T[] {
  return [...submissions].sort(
    (a, b) => a.request.period - b.request.period || Temporal.Instant.compare(Temporal.Instant.from(a.version.savedAt), Temporal.Instant.from(b.version.savedAt)),
  );
}

/** The appointments by date and start time. */
function appointmentOrder(appointments: readonly AppointmentRecord[]): AppointmentRecord[] {
  return [...appointments].sort((a, b) => Temporal.PlainDate.compare(a.date, b.date) || a.start.localeCompare(b.start));
}

const STATUS_LABELS = { gepland: 'gepland', gehouden: 'gehouden', geannuleerd: 'geannuleerd' } as const;

/** The verslag the reader sees: the student's own once written, staff's once sent (as their pages show it). */
function shownReport(appointment: AppointmentRecord, audience: PdfAudience): string | undefined {
  const report = appointment.report;
  if (!report || (audience === 'staff' && report.sentAt === undefined)) return undefined;
  return report.text;
}

/** One appointment: its title (an entry of the contents), then its facts and, for a gesprek, its verslag. */
function appointmentContent(appointment: AppointmentRecord, input: Pick<BundlePdfInput, 'audience' | 'now' | 'formTitle' | 'placement'>, submitted: ReadonlySet<string>): PdfContent[] {
  const participants = [
    `${input.placement.student.name}, student`,
    ...appointment.participants.map((p) => {
      const form = p.formId ? ` (${input.formTitle(p.formId)}${p.requestId && submitted.has(p.requestId) ? ', ingediend' : ''})` : '';
      return `${p.person.name}, ${PARTICIPANT_LABELS[p.role]}${form}${p.state === 'geannuleerd' ? ', afgemeld' : ''}`;
    }),
  ];
  const rows: [string, PdfContent][] = [
    ['Datum en tijd', whenText(appointment)],
    ['Status', STATUS_LABELS[appointmentStatus(appointment, input.now)]],
    ...(appointment.location ? [['Locatie', appointment.location] as [string, PdfContent]] : []),
    ...(appointment.note ? [['Toelichting', appointment.note] as [string, PdfContent]] : []),
    ['Deelnemers', { ul: participants }],
  ];
  const title: PdfText = {
    text: `${appointmentTitle(appointment)}, ${formatDutchDate(appointment.date)}`,
    style: 'subsection',
    tocItem: true,
    tocMargin: [12, 0, 0, 0],
  };
  const head: PdfStack = { stack: [title, factsTable(rows)], unbreakable: true };
  if (appointment.kind !== 'gesprek') return [head];
  const report = appointment.state === 'geannuleerd' ? undefined : shownReport(appointment, input.audience);
  const missing = appointment.state === 'geannuleerd' ? 'Geen verslag: dit gesprek is geannuleerd.' : input.audience === 'student' ? 'Nog geen verslag geschreven.' : 'Nog geen verslag verstuurd.';
  return [
    head,
    {
      stack: [{ text: 'Verslag', style: 'label' }, report === undefined ? { text: missing, italics: true, color: MUTED } : { text: report }],
      unbreakable: fitsOnePage(report ?? ''),
      margin: [0, 0, 0, 12],
    },
  ];
}

/** The whole bundle. */
export function bundleDocument(input: BundlePdfInput): PdfDocument {
  const { placement, audience } = input;
  const submissions = bundleOrder(input.submissions);
  const submitted = new Set(submissions.map((s) => s.request.requestId));
  const appointments = appointmentOrder(input.appointments);
  const base = documentBase();
  const titlePage: PdfContent[] = [
    { text: 'Groeidossier', fontSize: 28, bold: true, margin: [0, 120, 0, 6] },
    { text: `Werkplekleren N2, schooljaar ${placement.schoolYear}`, fontSize: 14, margin: [0, 0, 0, 24] },
    factsTable([
      ['Student', placement.student.name],
      ['Studentnummer', placement.studentNumber],
      ['Schooljaar', placement.schoolYear],
      ['School', placement.school],
      ['Vak', placement.vak],
      ['Gemaakt op', formatDutchInstant(input.now, { time: 'minute' })],
    ]),
    {
      text:
        'Dit dossier bevat de ingediende formulieren van het schooljaar (kijkwijzers, adviezen en feedback), in volgorde van periode en indiening, ' +
        'en daarna de lesbezoeken en driehoeksgesprekken met hun verslagen.' +
        (audience === 'student' ? ' Delen die alleen de schoolopleider en de instituutsopleider lezen, staan er niet in.' : ''),
      margin: [0, 12, 0, 0],
    },
  ];
  const contents: PdfContent = {
    toc: { title: { text: 'Inhoud', style: 'title' }, textStyle: { margin: [0, 2, 0, 2] } },
    pageBreak: 'before',
  };
  const forms: PdfContent[] =
    submissions.length === 0
      ? [{ text: 'Formulieren', style: 'title', tocItem: true, pageBreak: 'before' }, { text: 'Er is dit schooljaar nog geen formulier ingediend.' }]
      : submissions.flatMap((submission) => submissionContent({ ...submission, audience, inBundle: true }));
  const meetings: PdfContent[] = [
    { text: 'Lesbezoeken en driehoeksgesprekken', style: 'title', tocItem: true, pageBreak: 'before' },
    ...(appointments.length === 0
      ? [{ text: 'Er zijn dit schooljaar nog geen lesbezoeken of driehoeksgesprekken gepland.' }]
      : appointments.flatMap((appointment) => appointmentContent(appointment, input, submitted))),
  ];
  return {
    ...base,
    styles: { ...base.styles, subsection: { fontSize: 12, bold: true, margin: [0, 12, 0, 4] } },
    content: [...titlePage, contents, ...forms, ...meetings],
    footer: footer(`Groeidossier van ${placement.student.name} (${placement.studentNumber}), schooljaar ${placement.schoolYear}`),
    info: { title: `Groeidossier van ${placement.student.name}, schooljaar ${placement.schoolYear}` },
  };
}

/** The bundle's file name: `Groeidossier-<student>-<year>-<day made>.pdf`. */
export function bundleFileName(input: Pick<BundlePdfInput, 'placement' | 'now'>): string {
  return `${fileNameWords('Groeidossier', input.placement.student.name, input.placement.schoolYear, amsterdamDay(input.now.toString()))}.pdf`;
}
