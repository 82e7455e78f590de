import type { Font } from 'fontkit';

/**
 * A parsed face as every PDF of the process shares it (fonts.ts): the fontkit font, with what
 * pdfkit asks of it for each document remembered across documents. pdfkit keeps a layout cache
 * and a glyph subset per document, so without this every PDF shaped the same words and decoded
 * the same glyph outlines anew; with it, a warm Lambda does that once per word and per glyph
 * (docs/groeidossier.md, "Speed").
 *
 * Two things are remembered, both pure functions of the font:
 * - `layout(text)` without features (pdfkit lays text out word by word): the glyphs and their
 *   positions. pdfkit scales the positions it gets in place, so every call gets fresh copies of
 *   them; the glyph objects are the font's own, shared anyway.
 * - a glyph's decoded outline (`_decode()`), which fontkit's subsetter reads for every glyph it
 *   copies into a document's font, to find the parts of a composite glyph. A font without
 *   variations (DejaVu Sans has none) decodes a glyph the same way every time.
 *
 * Both are bounded: only words of at most {@link MAX_WORD_LENGTH} characters are kept (a longer
 * run without spaces, such as a pasted link or a hostile answer, is laid out as before, for its
 * own document only), and once the words kept hold {@link MAX_GLYPHS} glyphs the word cache starts
 * over: a few MB at most, however many different words the forms hold. Decoded glyphs are at most
 * the font's own (about 6,000 for DejaVu Sans). fontkit is not changed: the font is wrapped in a
 * `Proxy` that passes everything else through, so a later fontkit that no longer has `_decode`
 * only loses that saving.
 */

/**
 * Glyphs (over all words kept) before the word cache starts over: about 15,000 Dutch words, far
 * more than months of forms use, in about 6 MB (a position of four numbers and a glyph reference each).
 */
export const MAX_GLYPHS = 100_000;

/** The longest word kept (pdfkit lays out a word with the space after it): Dutch words are far shorter. */
export const MAX_WORD_LENGTH = 48;

/** A glyph run as pdfkit reads it: the glyphs, their positions and the run's width. */
interface GlyphRun {
  glyphs: readonly unknown[];
  positions: readonly Record<string, number>[];
}

/** A fontkit glyph: its outline decoder is the one thing touched. */
interface Glyph {
  _decode?: () => unknown;
}

/** The glyph run fontkit would give, with positions of its own: pdfkit may scale them in place. */
function copyRun(run: GlyphRun): GlyphRun & { advanceWidth: number } {
  const positions = run.positions.map((position) => ({ ...position }));
  return {
    glyphs: run.glyphs,
    positions,
    get advanceWidth() {
      let width = 0;
      for (const position of positions) width += position['xAdvance'] ?? 0;
      return width;
    },
  };
}

/** The font with its word layouts and glyph outlines remembered across documents. */
export function sharedFont(font: Font, { maxGlyphs = MAX_GLYPHS }: { maxGlyphs?: number } = {}): Font {
  const runs = new Map<string, GlyphRun>();
  let glyphs = 0;
  const decoded = new WeakSet<object>();

  const layout = (text: string, features?: unknown, ...rest: unknown[]): unknown => {
    if (features !== undefined || rest.length > 0 || text.length > MAX_WORD_LENGTH) return (font.layout as (...args: unknown[]) => unknown)(text, features, ...rest);
    let run = runs.get(text);
    if (run === undefined) {
      const laid = font.layout(text) as GlyphRun;
      // Kept as numbers only: the copy every call gets is made from these, never handed out itself.
      run = { glyphs: laid.glyphs, positions: laid.positions.map((position) => ({ ...position })) };
      if (glyphs + run.positions.length > maxGlyphs) {
        runs.clear();
        glyphs = 0;
      }
      runs.set(text, run);
      glyphs += run.positions.length;
    }
    return copyRun(run);
  };

  const getGlyph = (...args: unknown[]): unknown => {
    const glyph = (font as unknown as { getGlyph: (...a: unknown[]) => Glyph | null }).getGlyph(...args);
    if (glyph !== null && typeof glyph === 'object' && !decoded.has(glyph) && typeof glyph._decode === 'function') {
      decoded.add(glyph);
      const decode = glyph._decode.bind(glyph);
      let outline: { value: unknown } | undefined;
      glyph._decode = () => (outline ??= { value: decode() }).value;
    }
    return glyph;
  };

  return new Proxy(font, {
    get(target, property) {
      if (property === 'layout') return layout;
      if (property === 'getGlyph') return getGlyph;
      return Reflect.get(target, property, target);
    },
  });
}
