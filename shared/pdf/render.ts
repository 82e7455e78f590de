import printerModule from 'pdfmake/js/Printer.js';
import type { PdfContent, PdfDocument, PdfInline, PdfStyle } from './document.ts';
import { FONT_FACES, type FontFace } from './font-files.ts';
import { coverText, loadFonts, type LoadedFonts, type ParsedFont } from './fonts.ts';

/**
 * A document definition (document.ts) as the bytes of a PDF, laid out by pdfmake 0.3 on pdfkit
 * with the embedded DejaVu Sans (fonts.ts). Server-side, no browser: the text is real PDF text,
 * selectable and extractable in reading order.
 *
 * The use-cases import this module with `import()`, so pdfmake, pdfkit, fontkit and the font
 * reading are a chunk of their own that only a PDF download loads (docs/bundles.md).
 *
 * pdfmake is used through its `Printer` (js/Printer.js), not its default export: that one is a
 * process-wide instance whose virtual file system reads `__dirname`, which an ESM bundle does not
 * have, and which warns on every call without URL and file access policies. Here the fonts come
 * from an in-memory file system of their four faces, no URL is ever fetched and no local file
 * read. The faces are fontkit fonts parsed once per process (fonts.ts), which pdfkit 0.20 takes in
 * place of font bytes.
 */

/** The font family name the documents use. */
const FAMILY = 'DejaVuSans';

/** Babel's CommonJS output: Node and esbuild give the whole `module.exports`, some loaders its `default`. */
const printerExport = printerModule as typeof printerModule | typeof printerModule.default;
const PdfPrinter = 'default' in printerExport ? printerExport.default : printerExport;

/** Bold and italics as inherited down the content. */
interface Face {
  bold: boolean;
  italics: boolean;
}

function faceName({ bold, italics }: Face): FontFace {
  if (bold && italics) return 'bolditalics';
  if (bold) return 'bold';
  return italics ? 'italics' : 'normal';
}

/** The face a node sets: its named styles first, then its own `bold` and `italics`, as pdfmake applies them. */
function faceOf(node: PdfStyle, inherited: Face, styles: Readonly<Record<string, PdfStyle>>): Face {
  const named = node.style === undefined ? undefined : styles[node.style];
  return {
    bold: node.bold ?? named?.bold ?? inherited.bold,
    italics: node.italics ?? named?.italics ?? inherited.italics,
  };
}

/**
 * The document with every text as its face can set it ({@link coverText}): a character the face
 * has no glyph for is replaced before layout, so pdfmake never measures or draws a missing glyph.
 */
export function coverDocument(doc: PdfDocument, fonts: Pick<LoadedFonts, 'covers'>): PdfDocument {
  const styles = doc.styles;
  const base = faceOf(doc.defaultStyle, { bold: false, italics: false }, styles);
  const inline = (text: PdfInline, face: Face): PdfInline => {
    if (typeof text === 'string') return coverText(text, fonts.covers[faceName(face)]);
    if (Array.isArray(text)) return (text as readonly PdfInline[]).map((part) => inline(part, face));
    return node(text as PdfContent, face) as PdfInline;
  };
  const node = (content: PdfContent, inherited: Face): PdfContent => {
    if (typeof content === 'string') return coverText(content, fonts.covers[faceName(inherited)]);
    const face = faceOf(content, inherited, styles);
    if ('text' in content) return { ...content, text: inline(content.text, face) };
    if ('stack' in content) return { ...content, stack: content.stack.map((child) => node(child, face)) };
    if ('ul' in content) return { ...content, ul: content.ul.map((child) => node(child, face)) };
    if ('table' in content) return { ...content, table: { ...content.table, body: content.table.body.map((row) => row.map((cell) => node(cell, face))) } };
    if ('toc' in content) return { ...content, toc: { ...content.toc, ...(content.toc.title === undefined ? {} : { title: node(content.toc.title, face) }) } };
    return content;
  };
  return {
    ...doc,
    content: doc.content.map((child) => node(child, base)),
    footer: (page, pages) => node(doc.footer(page, pages), base),
    info: { ...doc.info, title: coverText(doc.info.title, fonts.covers.normal) },
  };
}

/** Renders a document to the bytes of a PDF. */
export async function renderPdf(doc: PdfDocument): Promise<Uint8Array> {
  const fonts = await loadFonts();
  const covered = coverDocument(doc, fonts);
  // pdfmake reads each face it uses by name from this file system and hands what it reads to
  // pdfkit's `font()`: here that is the face parsed once per process (fonts.ts), not its bytes.
  const files = new Map<string, ParsedFont>(FONT_FACES.map((face) => [`${FAMILY}-${face}`, fonts.faces[face]]));
  const printer = new PdfPrinter(
    { [FAMILY]: { normal: `${FAMILY}-normal`, bold: `${FAMILY}-bold`, italics: `${FAMILY}-italics`, bolditalics: `${FAMILY}-bolditalics` } },
    {
      existsSync: (path) => files.has(path),
      readFileSync: (path) => {
        const bytes = files.get(path);
        if (!bytes) throw new Error(`no font ${path}`);
        return bytes;
      },
      writeFileSync: () => {
        throw new Error('the PDFs fetch nothing');
      },
    },
    // Nothing to resolve: the documents name no URL (no remote fonts or images).
    { resolve: async () => undefined, resolved: async () => undefined },
    // No local file is ever read.
    () => false,
  );
  const pdf = await printer.createPdfKitDocument({
    ...covered,
    defaultStyle: { ...covered.defaultStyle, font: FAMILY },
    info: { ...covered.info, creator: 'Werkplekleren N2', producer: 'pdfmake' },
  });
  const chunks: Uint8Array[] = [];
  const done = new Promise<void>((resolve, reject) => {
    pdf.on('data', (chunk: Uint8Array) => chunks.push(chunk));
    pdf.on('end', resolve);
    pdf.on('error', reject);
  });
  pdf.end();
  await done;
  return Buffer.concat(chunks);
}
