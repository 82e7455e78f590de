import { Temporal } from 'temporal-polyfill';
import { formatDutchDate, formatDutchInstant, periodLabel } from '../calendar.ts';
import { TIME_ZONE } from '../clock.ts';
import { formatAnswer } from '../forms/answers.ts';
import { isAnswerItem, isStaffOnly, studentPart, type FormDefinition, type FormItem, type FormSection } from '../forms/definition.ts';
import { STAFF_ONLY_NOTICE, STAFF_ONLY_PART_NOTE } from '../forms/render.tsx';
import { OBSERVER_LABELS } from '../model/request-rules.ts';
import type { RequestRecord, SubmissionVersion } from '../model/requests.ts';
import { documentBase, factsTable, fitsOnePage, footer, MUTED, noticeBox, type PdfContent, type PdfDocument, type PdfStack, type PdfText } from './document.ts';

/**
 * The PDF of one submitted form (docs/groeidossier.md) as a document definition: pure data in,
 * pdfmake content out; render.ts makes the bytes. It follows the read-only view of the pages
 * (shared/forms/render.tsx, `AnswersView`): the same order, labels and answers, with a header
 * that says whose form it is, the concept notice of a form in draft content, the attachments by
 * name, and a footer with the page number and the request's reference on every page. The
 * student's PDF leaves out the sections for the SO and IO only, as their page does.
 */

/** Who the PDF is for: the student reads no section for staff only; staff (and the observer who wrote it) read all. */
export type PdfAudience = 'student' | 'staff';

/** The request's fields a PDF shows. */
export type PdfRequest = Pick<
  RequestRecord,
  'schoolYear' | 'studentNumber' | 'requestId' | 'student' | 'school' | 'vak' | 'observer' | 'observerRole' | 'lessonDate' | 'className' | 'period'
>;

/** One submitted version of a form, with everything its PDF shows. */
export interface SubmissionPdfInput {
  request: PdfRequest;
  /** The submitted version shown. */
  version: Pick<SubmissionVersion, 'version' | 'savedAt' | 'answers'>;
  /** The form's definition in the version it was submitted in (`SubmissionVersion.formVersion`), never a later one. */
  def: FormDefinition;
  /** The attachments of that version, by name. */
  attachments: readonly { name: string }[];
  audience: PdfAudience;
}

/** How a PDF names the request it shows, in its header and footer: `<year>/<student number>/<request id>`, as the staff path does. */
export function requestReference(request: Pick<RequestRecord, 'schoolYear' | 'studentNumber' | 'requestId'>): string {
  return `${request.schoolYear}/${request.studentNumber}/${request.requestId}`;
}

/** What the concept notice says (as `DraftContentNotice` on the pages). */
const DRAFT_NOTICE = 'Dit zijn voorlopige vragen; Hogeschool Rotterdam kan ze vervangen door de officiële teksten.';

/** What an item without an answer shows (as on the pages). */
const EMPTY_ANSWER: PdfText = { text: 'niet ingevuld', italics: true, color: MUTED };

/** The day of an instant in Amsterdam, `YYYY-MM-DD`. */
export function amsterdamDay(instant: string): string {
  return Temporal.Instant.from(instant).toZonedDateTimeISO(TIME_ZONE).toPlainDate().toString();
}

/** The form as the audience reads it: for the student without the sections for staff only and their answers. */
export function audiencePart(input: Pick<SubmissionPdfInput, 'def' | 'version' | 'audience'>): { def: FormDefinition; answers: Readonly<Record<string, string>>; staffOnlyPart: boolean } {
  if (input.audience === 'staff') return { def: input.def, answers: input.version.answers, staffOnlyPart: false };
  return studentPart(input.def, input.version.answers);
}

/** The header of a submission: who, where, when, which form and version, which request. */
function headerRows(input: SubmissionPdfInput): [string, string][] {
  const { request, version, def } = input;
  return [
    ['Student', request.student.name],
    ['Studentnummer', request.studentNumber],
    ['School', request.school],
    ['Vak', request.vak],
    ['Schooljaar', request.schoolYear],
    ['Ingevuld door', `${request.observer.name}, ${OBSERVER_LABELS[request.observerRole]}`],
    ['Lesdatum', request.lessonDate ? formatDutchDate(request.lessonDate) : 'niet van toepassing'],
    ...(request.className ? [['Klas', request.className] as [string, string]] : []),
    ['Periode', periodLabel({ number: request.period })],
    ['Ingediend op', formatDutchInstant(version.savedAt, { time: 'minute' })],
    ['Formulier', `${def.title}, formulierversie ${def.version}`],
    ['Ingediende versie', String(version.version)],
    ['Aanvraag', requestReference(request)],
  ];
}

/** An answer item's answer as the pages show it: a multi answer as a list of its labels. */
function answerContent(def: FormDefinition, item: FormItem, value: string | undefined): PdfContent {
  if (value === undefined || value.trim() === '') return EMPTY_ANSWER;
  if (item.type === 'multi') {
    return { ul: value.split(/\s+/).filter((part) => part !== '').map((part) => formatAnswer(def, item.code, part)) };
  }
  return { text: formatAnswer(def, item.code, value) };
}

/** One item: a note's text (and help), or the label with its answer. Short items are kept on one page. */
function itemContent(def: FormDefinition, item: FormItem, answers: Readonly<Record<string, string>>): PdfStack {
  if (!isAnswerItem(item)) {
    return {
      stack: [{ text: item.label }, ...(item.help === undefined ? [] : [{ text: item.help, style: 'muted' }])],
      margin: [0, 6, 0, 2],
      unbreakable: fitsOnePage(item.label + (item.help ?? '')),
    };
  }
  const value = answers[item.code];
  return { stack: [{ text: item.label, style: 'label' }, answerContent(def, item, value)], unbreakable: fitsOnePage(value ?? '') };
}

/** A section: its title, the notice of a part for staff only, its items; the title stays with the first item. */
function sectionContent(def: FormDefinition, section: FormSection, answers: Readonly<Record<string, string>>): PdfContent[] {
  const [first, ...rest] = section.items.map((item) => itemContent(def, item, answers));
  const opening: PdfContent[] = [
    { text: section.title, style: 'section' },
    ...(isStaffOnly(section) ? [noticeBox([{ text: STAFF_ONLY_NOTICE, bold: true }], '#e8eef6')] : []),
    ...(first ? [first] : []),
  ];
  return [{ stack: opening, unbreakable: first?.unbreakable ?? true }, ...rest];
}

/** Options of {@link submissionContent}. */
export interface SubmissionContentOptions {
  /**
   * In the year's bundle: the form starts on a new page, and its title says the period and the
   * observer and is an entry of the bundle's contents.
   */
  inBundle?: boolean;
}

/** The body of a submission's PDF: title, header, notices, the sections and the attachments. */
export function submissionContent(input: SubmissionContentOptions & SubmissionPdfInput): PdfContent[] {
  const { def: fullDef, request, attachments } = input;
  const { def, answers, staffOnlyPart } = audiencePart(input);
  const title: PdfText = input.inBundle
    ? {
        // No size of its own on the second run: the contents lists this text in its own size.
        text: [fullDef.title, { text: ` (OP${request.period}, ${request.observer.name})`, bold: false }],
        style: 'title',
        tocItem: true,
        pageBreak: 'before',
      }
    : { text: fullDef.title, style: 'title' };
  return [
    title,
    factsTable(headerRows(input)),
    ...(fullDef.draftContent ? [noticeBox([{ text: [{ text: 'Concept-inhoud. ', bold: true }, DRAFT_NOTICE] }, { text: fullDef.basis, margin: [0, 4, 0, 0] }])] : []),
    ...(staffOnlyPart ? [noticeBox([{ text: STAFF_ONLY_PART_NOTE }], '#e8eef6')] : []),
    ...def.sections.flatMap((section) => sectionContent(def, section, answers)),
    { text: 'Bijlagen', style: 'section' },
    attachments.length === 0 ? { text: 'Geen bijlagen.', color: MUTED } : { ul: attachments.map((attachment) => attachment.name) },
  ];
}

/** The whole PDF of one submission: its content, the footer with the request's reference and the page numbers. */
export function submissionDocument(input: SubmissionPdfInput): PdfDocument {
  const { request, def, version } = input;
  return {
    ...documentBase(),
    content: submissionContent(input),
    footer: footer(`Aanvraag ${requestReference(request)}, versie ${version.version}`),
    info: { title: `${def.title} van ${request.student.name}`, subject: `Aanvraag ${requestReference(request)}, versie ${version.version}` },
  };
}

/**
 * A file name made of words: every run of characters a file name should not hold (path
 * separators, the ones Windows refuses, controls, spaces) becomes one hyphen. Letters of any
 * script stay; the HTTP layer adds an ASCII fallback.
 */
export function fileNameWords(...parts: string[]): string {
  return parts
    .join(' ')
    .normalize('NFC')
    .replace(/[\s/\\:*?"<>|\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
}

/** The PDF's file name: `<student>-<form>-<day submitted>.pdf`. */
export function submissionFileName(input: Pick<SubmissionPdfInput, 'request' | 'def' | 'version'>): string {
  return `${fileNameWords(input.request.student.name, input.def.title, amsterdamDay(input.version.savedAt))}.pdf`;
}
