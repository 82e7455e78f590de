/**
 * Where the PDFs' font comes from (fonts.ts reads it): DejaVu Sans, four faces, from the npm
 * package `dejavu-fonts-ttf`. Constants only, so infra/bundling.ts can list the files the Lambda
 * asset needs without loading anything.
 */

/** The faces pdfmake asks for, by its names. */
export const FONT_FACES = ['normal', 'bold', 'italics', 'bolditalics'] as const;
export type FontFace = (typeof FONT_FACES)[number];

/** The package the font comes from. */
export const FONT_PACKAGE = 'dejavu-fonts-ttf';

/** The font file of each face, under `<package>/ttf/`. */
export const FONT_FILES: Readonly<Record<FontFace, string>> = {
  normal: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  italics: 'DejaVuSans-Oblique.ttf',
  bolditalics: 'DejaVuSans-BoldOblique.ttf',
};

/** A face's file as a module path (`dejavu-fonts-ttf/ttf/DejaVuSans.ttf`): what Node's resolution finds under a `node_modules/`. */
export function fontPath(face: FontFace): string {
  return `${FONT_PACKAGE}/ttf/${FONT_FILES[face]}`;
}

/** Every file the PDFs read at run time, as module paths: the four faces and the font's licence. */
export const FONT_ASSETS: readonly string[] = [...FONT_FACES.map(fontPath), `${FONT_PACKAGE}/LICENSE`];
