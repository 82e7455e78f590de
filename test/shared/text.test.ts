import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findUnsafeInLine, isSafeLine, isSafeText, toSafeLine, toSafeText, unsafeLineMessage, visible } from '../../shared/text.ts';

/** Names as people have them, in several scripts, with a joiner Persian spelling needs. */
const GOOD = ["Daniëlle van 't Hoff", 'Óscar Çelik', 'Ayşe Yılmaz', 'محمد', 'Ĳsbrand Ðorđević', 'می\u200Cخواهم', '👩\u200D🏫 Juf', 'Zoë-Anne O’Neil'];

/** Characters that change what a line is or how it reads, one of each kind. */
const BAD = ['\r', '\n', '\t', '\u0000', '\u0007', '\u007F', '\u0085', '\u009B', '\u2028', '\u2029', '\u202A', '\u202E', '\u2066', '\u2069', '\u200E', '\u200F', '\u061C', '\u200B', '\u2060', '\uFEFF', '\u00AD', '\u{E0041}', '\uD800'];

describe('the character rules', () => {
  it('accepts names in any script, with diacritics, apostrophes and joiners', () => {
    for (const name of GOOD) expect([name, isSafeLine(name), isSafeText(name)]).toEqual([name, true, true]);
  });

  it('refuses each control, separator, bidi and invisible format character in a line, naming it and its position', () => {
    for (const char of BAD) {
      expect(isSafeLine(`Jan${char}Bakker`), visible(char)).toBe(false);
      expect(findUnsafeInLine(`Jan${char}Bakker`)?.position).toBe(4);
    }
    expect(unsafeLineMessage('Jan\u202EBakker')).toBe('bevat een onzichtbaar teken dat de leesrichting verandert (U+202E) op positie 4; alleen zichtbare tekst op één regel is toegestaan');
  });

  it('lets multi-line text keep CR, LF and TAB, and nothing else of these', () => {
    expect(isSafeText('Goede les\r\nVolgende keer\tmeer tijd\n')).toBe(true);
    for (const char of BAD.filter((c) => !'\r\n\t'.includes(c))) expect(isSafeText(`a${char}b`), visible(char)).toBe(false);
  });

  it('makes any text one safe line, and any text safe multi-line text, keeping every letter', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...BAD, ...GOOD), fc.string({ unit: 'grapheme', maxLength: 4 }))).map((parts) => parts.join('')), (text) => {
        const line = toSafeLine(text);
        const multi = toSafeText(text);
        expect(isSafeLine(line)).toBe(true);
        expect(isSafeText(multi)).toBe(true);
        expect(multi).not.toMatch(/[\r\t]/);
        const letters = (s: string) => s.replace(/[^\p{L}\p{N}]/gu, '');
        expect(letters(line)).toBe(letters(text));
        expect(letters(multi)).toBe(letters(text));
      }),
      { numRuns: 500 },
    );
  });
});
