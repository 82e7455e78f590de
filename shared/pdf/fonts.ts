import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import { sharedFont } from './font-cache.ts';
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

/** A face parsed by fontkit: what pdfkit lays out and subsets, and what the coverage check asks. */
export type ParsedFont = fontkit.Font;

/** The font's four faces, each parsed once, and for each whether it has a glyph for a code point. */
export interface LoadedFonts {
  faces: Readonly<Record<FontFace, ParsedFont>>;
  covers: Readonly<Record<FontFace, (codePoint: number) => boolean>>;
}

let loaded: Promise<LoadedFonts> | undefined;

/**
 * The fonts, read and parsed once per process (about 2.7 MB for the four faces). Every PDF of the
 * process gets the same parsed fonts (pdfkit 0.20 takes a fontkit font where it took bytes): fontkit
 * decodes a table the first time it is read and keeps it, so the kerning and substitution tables
 * (most of DejaVu's bytes) are decoded by the first PDF only, not by every one, and font-cache.ts
 * remembers the words laid out and the glyphs decoded. Each document still makes its own subset
 * of the glyphs it uses.
 */
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
    FONT_FACES.map(async (face) => [face, parseFace(new Uint8Array(await readFile(require.resolve(fontPath(face)))), face)] as const),
  );
  const faces = Object.fromEntries(entries) as Record<FontFace, ParsedFont>;
  const covers = Object.fromEntries(FONT_FACES.map((face) => [face, coverageOf(faces[face])])) as Record<FontFace, (codePoint: number) => boolean>;
  return { faces, covers };
}

/** A TrueType file as a fontkit font; a collection or a file fontkit cannot read fails loudly. */
function parseFace(bytes: Uint8Array, face: FontFace): ParsedFont {
  const font = fontkit.create(bytes);
  if (!('layout' in font)) throw new Error(`the ${face} face is a font collection, not one TrueType font`);
  return sharedFont(font);
}

/** Whether a face has a glyph for a code point, remembered per code point. */
function coverageOf(font: ParsedFont): (codePoint: number) => boolean {
  const known = new Map<number, boolean>();
  return (codePoint) => {
    let has = known.get(codePoint);
    if (has === undefined) {
      has = font.hasGlyphForCodePoint(codePoint);
      known.set(codePoint, has);
    }
    return has;
  };
}

const graphemes = new Intl.Segmenter('nl', { granularity: 'grapheme' });

/** The code points of nearly every text here: printable ASCII, Latin-1 and Latin Extended-A (ë, Ç, ğ, ş, ł), without controls. */
const PLAIN_RANGES = [
  [0x20, 0x7e],
  [0xa0, 0x17f],
] as const;

/**
 * A text of line breaks and {@link PLAIN_RANGES} only: it has no tab, no CR and no combining mark,
 * so each character is a grapheme of its own and {@link coverText} would give it back unchanged
 * when the face has all of those characters.
 */
const PLAIN_TEXT = /^[\n\x20-\x7e\u00a0-\u017f]*$/;

const coversPlain = new WeakMap<(codePoint: number) => boolean, boolean>();

/** Whether a face has every character of {@link PLAIN_RANGES} (DejaVu Sans has, in all four faces); asked once per face. */
function coversPlainText(covers: (codePoint: number) => boolean): boolean {
  let all = coversPlain.get(covers);
  if (all === undefined) {
    all = PLAIN_RANGES.every(([from, to]) => Array.from({ length: to - from + 1 }, (_, i) => from + i).every(covers));
    coversPlain.set(covers, all);
  }
  return all;
}

/**
 * Text as it can be set in a face: line breaks kept (CR LF and CR become LF), a tab as four spaces
 * (the font has no tab glyph), and each character as a reader sees it (a grapheme: a letter with
 * its accents, an emoji with its modifiers and joiners) kept when the face has every code point
 * of it, else one {@link MISSING_GLYPH}. Plain Latin text, nearly all text here, is checked with
 * one regular expression instead of grapheme by grapheme.
 */
export function coverText(text: string, covers: (codePoint: number) => boolean): string {
  if (PLAIN_TEXT.test(text) && coversPlainText(covers)) return text;
  let result = '';
  for (const { segment } of graphemes.segment(text.replace(/\r\n?/g, '\n'))) {
    if (segment === '\n') result += segment;
    else if (segment === '\t') result += '    ';
    else result += [...segment].every((char) => covers(char.codePointAt(0)!)) ? segment : MISSING_GLYPH;
  }
  return result;
}
