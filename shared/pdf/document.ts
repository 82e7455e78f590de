/**
 * The document definitions the PDFs are made of: the part of pdfmake's content model that
 * submission.ts and bundle.ts use, as types, and the styles they share. Plain data, no pdfmake:
 * render.ts (imported lazily) lays them out with the font.
 *
 * pdfmake keeps the line breaks of a text (`\n`), wraps lines at spaces and breaks a word longer
 * than the line, so a text answer is written as given.
 */

/** Inline text: a string, a run with its own style, or several of them on the same lines. */
export type PdfInline = string | PdfText | readonly PdfInline[];

/** What a node may set of its style. */
export interface PdfStyle {
  bold?: boolean;
  italics?: boolean;
  fontSize?: number;
  color?: string;
  /** Left, top, right, bottom, in points. */
  margin?: readonly [number, number, number, number];
  alignment?: 'left' | 'center' | 'right';
  lineHeight?: number;
  /** A named style of the document's `styles`. */
  style?: string;
  /** Starts a new page before this node. */
  pageBreak?: 'before';
}

/** A paragraph. `tocItem`: listed in the document's contents ({@link PdfToc}) with its page. */
export interface PdfText extends PdfStyle {
  text: PdfInline;
  tocItem?: boolean;
  /** How the contents lists it, when not in the document's contents style. */
  tocStyle?: PdfStyle;
  tocMargin?: readonly [number, number, number, number];
}

/** Nodes one below the other. */
export interface PdfStack extends PdfStyle {
  stack: readonly PdfContent[];
  /** Kept on one page when it fits. */
  unbreakable?: boolean;
}

/** A bulleted list. */
export interface PdfList extends PdfStyle {
  ul: readonly PdfContent[];
}

/** A table: its column widths (points, `*` for the rest, `auto`) and rows of cells. */
export interface PdfTable extends PdfStyle {
  table: {
    widths: readonly (number | '*' | 'auto')[];
    body: readonly (readonly PdfContent[])[];
    /** Rows are never split over two pages. */
    dontBreakRows?: boolean;
  };
  layout?: 'noBorders' | 'lightHorizontalLines' | PdfTableLayout;
}

/** A table's lines and padding. */
export interface PdfTableLayout {
  hLineWidth?: (row: number) => number;
  vLineWidth?: (column: number) => number;
  hLineColor?: (row: number) => string;
  fillColor?: (row: number) => string | null;
  paddingLeft?: (column: number) => number;
  paddingRight?: (column: number) => number;
  paddingTop?: (row: number) => number;
  paddingBottom?: (row: number) => number;
}

/** The contents: every {@link PdfText} with `tocItem`, with the page it is on, filled in after layout. */
export interface PdfToc extends PdfStyle {
  toc: { title?: PdfContent; textStyle?: PdfStyle; numberStyle?: PdfStyle; outlines?: boolean };
}

/** One node of a document. */
export type PdfContent = string | PdfText | PdfStack | PdfList | PdfTable | PdfToc;

/** A whole document, without its font (render.ts sets that). */
export interface PdfDocument {
  content: readonly PdfContent[];
  /** Each page's footer, from its number and the number of pages. */
  footer: (page: number, pages: number) => PdfContent;
  info: { title: string; subject?: string; author?: string };
  styles: Readonly<Record<string, PdfStyle>>;
  defaultStyle: PdfStyle;
  pageSize: 'A4';
  pageMargins: readonly [number, number, number, number];
  language: 'nl-NL';
}

/** Page margins: left, top, right, bottom (A4, room for the footer). */
export const PAGE_MARGINS = [50, 50, 50, 60] as const;

/** The grey of secondary text (help, "niet ingevuld", the footer): #595959 on white is above 7:1. */
export const MUTED = '#595959';

/** The styles both kinds of document use. */
export const STYLES: Readonly<Record<string, PdfStyle>> = {
  title: { fontSize: 18, bold: true, margin: [0, 0, 0, 8] },
  section: { fontSize: 13, bold: true, margin: [0, 14, 0, 6] },
  label: { bold: true, margin: [0, 6, 0, 2] },
  muted: { color: MUTED },
  notice: { margin: [0, 6, 0, 6] },
};

/**
 * Whether a block is short enough to keep on one page (`unbreakable`): a heading then stays with
 * what follows it. A long text is left free to flow over pages.
 */
export function fitsOnePage(text: string): boolean {
  return text.length <= 600 && text.split('\n').length <= 12;
}

/** Rows of label and value (a text, or a node such as a list) as a table with thin lines between the rows. */
export function factsTable(rows: readonly (readonly [string, PdfContent])[]): PdfTable {
  return {
    table: { widths: [130, '*'], body: rows.map(([label, value]) => [{ text: label, bold: true }, typeof value === 'string' ? { text: value } : value]), dontBreakRows: true },
    layout: {
      hLineWidth: (row) => (row === 0 || row === rows.length ? 0 : 0.5),
      vLineWidth: () => 0,
      hLineColor: () => '#d9d9d9',
      paddingLeft: (column) => (column === 0 ? 0 : 6),
      paddingRight: () => 0,
      paddingTop: () => 3,
      paddingBottom: () => 3,
    },
    margin: [0, 4, 0, 10],
  };
}

/** A shaded box (a notice), as the pages show theirs. */
export function noticeBox(content: readonly PdfContent[], fill = '#fff4d6'): PdfTable {
  return {
    table: { widths: ['*'], body: [[{ stack: content }]] },
    layout: {
      hLineWidth: () => 0,
      vLineWidth: () => 0,
      fillColor: () => fill,
      paddingLeft: () => 8,
      paddingRight: () => 8,
      paddingTop: () => 6,
      paddingBottom: () => 6,
    },
    margin: [0, 4, 0, 10],
  };
}

/** A footer: what the document is on the left, "pagina N van M" on the right. */
export function footer(left: string): (page: number, pages: number) => PdfTable {
  return (page, pages) => ({
    table: { widths: ['*', 'auto'], body: [[{ text: left }, { text: `pagina ${page} van ${pages}`, alignment: 'right' }]] },
    layout: 'noBorders',
    fontSize: 8,
    color: MUTED,
    margin: [PAGE_MARGINS[0], 20, PAGE_MARGINS[2], 0],
  });
}

/** The settings every document shares. */
export function documentBase(): Pick<PdfDocument, 'styles' | 'defaultStyle' | 'pageSize' | 'pageMargins' | 'language'> {
  return {
    styles: STYLES,
    defaultStyle: { fontSize: 10, lineHeight: 1.15 },
    pageSize: 'A4',
    pageMargins: PAGE_MARGINS,
    language: 'nl-NL',
  };
}
