import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import PDFDocument, { type FontkitFont } from 'pdfkit';
import { FONT_FACES, fontPath, type FontFace } from './font-files.ts';

/**
 * The font of every PDF (docs/groeidossier.md): DejaVu Sans from the npm package `dejavu-fonts-ttf`,
 * embedded as a subset. It covers Dutch and the names on a Rotterdam roster (ë, é, ç, Ç, ğ, ş, Ó, ú,
 * ł), Greek, Cyrillic, Hebrew and Arabic; the oblique faces have no Arabic. A character the face it
 * is set in has no glyph for (most emoji, CJK) is replaced by a visible {@link MISSING_GLYPH} before
 * layout ({@link coverText}): never dropped silently, never a crash.
 *
 * The font files (font-files.ts) are read from disk on first use, found by Node's module
 * resolution from this module (`dejavu-fonts-ttf/ttf/…`): in the repository that is
 * `node_modules/`, in the Lambda asset the copies infra/bundling.ts puts beside the bundle
 * (`LAMBDA_FILES`), at the same path under `node_modules/`. So vitest, tsx (npm start, the
 * benches) and the bundle all read the same files, and none needs a loader for `.ttf`.
 */

/** What stands in for a character the font has no glyph for: WHITE SQUARE, which every face has. */
export const MISSING_GLYPH = '□';

/** The font's four faces as bytes, and for each whether it has a glyph for a code point. */
export interface LoadedFonts {
  bytes: Readonly<Record<FontFace, Uint8Array>>;
  covers: Readonly<Record<FontFace, (codePoint: number) => boolean>>;
}

let loaded: Promise<LoadedFonts> | undefined;

/** The fonts, read once per process (about 2.7 MB for the four faces). */
export function loadFonts(): Promise<LoadedFonts> {
  loaded ??= readFonts().catch((error: unknown) => {
    // A failed read is tried again by the next PDF, not remembered.
    loaded = undefined;
    throw error;
  });
  return loaded;
}

async function readFonts(): Promise<LoadedFonts> {
  const require = createRequire(import.meta.url);
  const entries = await Promise.all(
    FONT_FACES.map(async (face) => [face, new Uint8Array(await readFile(require.resolve(fontPath(face))))] as const),
  );
  const bytes = Object.fromEntries(entries) as Record<FontFace, Uint8Array>;
  const covers = Object.fromEntries(FONT_FACES.map((face) => [face, coverageOf(bytes[face])])) as Record<FontFace, (codePoint: number) => boolean>;
  return { bytes, covers };
}

/**
 * Whether the font has a glyph for a code point, asked of the fontkit font that pdfkit opens for
 * it (the one its layout uses). pdfkit keeps that font on its current font's `font`: checked here,
 * so a pdfkit that no longer does fails the first PDF loudly instead of dropping characters.
 */
function coverageOf(bytes: Uint8Array): (codePoint: number) => boolean {
  const doc = new PDFDocument({ autoFirstPage: false, font: null });
  const font = (doc.font(bytes) as unknown as { _font?: { font?: Partial<FontkitFont> } })._font?.font;
  doc.end();
  if (typeof font?.hasGlyphForCodePoint !== 'function') throw new Error('pdfkit no longer exposes the fontkit font: the glyph coverage check cannot run');
  const known = new Map<number, boolean>();
  return (codePoint) => {
    let has = known.get(codePoint);
    if (has === undefined) {
      has = font.hasGlyphForCodePoint!(codePoint);
      known.set(codePoint, has);
    }
    return has;
  };
}

const graphemes = new Intl.Segmenter('nl', { granularity: 'grapheme' });

/**
 * Text as it can be set in a face: line breaks kept (CR LF and CR become LF), a tab as four spaces
 * (the font has no tab glyph), and each character as a reader sees it (a grapheme: a letter with
 * its accents, an emoji with its modifiers and joiners) kept when the face has every code point
 * of it, else one {@link MISSING_GLYPH}.
 */
export function coverText(text: string, covers: (codePoint: number) => boolean): string {
  let result = '';
  for (const { segment } of graphemes.segment(text.replace(/\r\n?/g, '\n'))) {
    if (segment === '\n') result += segment;
    else if (segment === '\t') result += '    ';
    else result += [...segment].every((char) => covers(char.codePointAt(0)!)) ? segment : MISSING_GLYPH;
  }
  return result;
}
