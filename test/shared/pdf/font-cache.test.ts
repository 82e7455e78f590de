import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { getForm } from '../../../forms/index.ts';
import { formItems } from '../../../shared/forms/definition.ts';
import { MAX_WORD_LENGTH, sharedFont } from '../../../shared/pdf/font-cache.ts';
import { fontPath } from '../../../shared/pdf/font-files.ts';
import { renderPdf } from '../../../shared/pdf/render.ts';
import { submissionDocument, type SubmissionPdfInput } from '../../../shared/pdf/submission.ts';
import { pdfText, pdfWordBoxes } from '../../support/pdf.ts';

/**
 * The fonts every PDF of a process shares (shared/pdf/font-cache.ts): a word laid out or a glyph
 * decoded for one PDF is reused by the next, and the next PDF must come out exactly as if it were
 * the first. pdfkit scales the positions it gets in place, so a shared run handed out twice would
 * put every later word in the wrong place; the first test would see that in the words' boxes.
 */

const require = createRequire(import.meta.url);

async function rawFont(): Promise<fontkit.Font> {
  const font = fontkit.create(new Uint8Array(await readFile(require.resolve(fontPath('normal')))));
  if (!('layout' in font)) throw new Error('not a single font');
  return font;
}

interface Run {
  glyphs: { id: number }[];
  positions: Record<string, number>[];
  advanceWidth: number;
}

const KIJKWIJZER = getForm('kijkwijzer-pedagogiek')!;

/** A submitted kijkwijzer with every item answered in the given words, two lines per text. */
function kijkwijzer(requestId: string, words: string): SubmissionPdfInput {
  const answers: Record<string, string> = {};
  for (const item of formItems(KIJKWIJZER)) {
    answers[item.code] = item.type === 'scale' ? 'voldoende' : item.type === 'choice' ? (item.options?.[0]?.value ?? '') : item.type === 'date' ? '2025-11-10' : `${words}\n${words.split(' ').reverse().join(' ')}`;
  }
  return {
    request: {
      schoolYear: '2025-2026',
      studentNumber: '8817001',
      requestId,
      student: { name: "Zoë Çelik-'t Hooft", email: 'zoe.cache@student.example.nl' },
      school: 'Óscar Romero College',
      vak: 'Français',
      observer: { name: 'Łukasz Ğüneş-Şahin', email: 'lukasz.cache@school.example.nl' },
      observerRole: 'wpb',
      lessonDate: '2025-11-10',
      className: '3B',
      period: 2,
    },
    version: { version: 1, savedAt: '2025-11-10T12:00:00Z', answers },
    def: KIJKWIJZER,
    attachments: [{ name: 'lesplan Zoë.pdf' }],
    audience: 'staff',
  };
}

describe('the fonts shared by every PDF of the process', () => {
  it('lays a PDF out exactly the same after other PDFs reused its words as when it came first', async () => {
    const first = kijkwijzer('r-cache-a', 'De les begon rustig en iedereen wist wat de bedoeling was');
    const before = await renderPdf(submissionDocument(first));
    // Other PDFs with many of the same words, in other sizes (the bundle's titles) and order.
    await renderPdf(submissionDocument(kijkwijzer('r-cache-b', 'was de bedoeling wat iedereen wist rustig begon les De')));
    await renderPdf(submissionDocument(kijkwijzer('r-cache-c', 'Volgende keer meer tijd voor vragen aan het eind van de les')));
    const after = await renderPdf(submissionDocument(first));

    const [boxesBefore, boxesAfter] = await Promise.all([pdfWordBoxes(before), pdfWordBoxes(after)]);
    expect(boxesBefore.length).toBeGreaterThan(100);
    expect(boxesAfter).toEqual(boxesBefore);
    const text = await pdfText(after);
    expect(text).toContain('De les begon rustig en iedereen wist wat de bedoeling was');
    expect(text).toContain("Zoë Çelik-'t Hooft");
    expect(text).toContain('Łukasz Ğüneş-Şahin');
    // Words end before the right margin (A4 is 595 pt wide, the margin 50 pt): nothing was laid out twice as wide or narrow.
    expect(Math.max(...boxesAfter.map((box) => box.xMax))).toBeLessThanOrEqual(595 - 50 + 0.5);
  });

  it('lays out an answer of 5,000 characters without a space, kept for no later PDF, the same twice', async () => {
    const unbroken = Array.from({ length: 5_000 }, (_, i) => 'abcdefghijklmnopqrstuvwxyzëçğşł'[(i * 7) % 31]).join('');
    const input = kijkwijzer('r-cache-long', 'kort');
    const answers = { ...input.version.answers, [formItems(KIJKWIJZER).find((item) => item.type === 'text')!.code]: unbroken };
    const doc = () => submissionDocument({ ...input, version: { ...input.version, answers } });
    const [first, second] = [await renderPdf(doc()), await renderPdf(doc())];
    const [boxesFirst, boxesSecond] = await Promise.all([pdfWordBoxes(first), pdfWordBoxes(second)]);
    expect(boxesSecond).toEqual(boxesFirst);
    // Broken over lines (and pages, with a footer between), every character there, in order.
    const pieces = boxesFirst.map((box) => box.word).filter((word) => word.length >= 5 && unbroken.includes(word));
    expect(pieces.length).toBeGreaterThan(40);
    expect(pieces.join('')).toBe(unbroken);
  });

  it('gives every layout of a word positions of its own, equal to the font laid out afresh', async () => {
    const raw = await rawFont();
    const shared = sharedFont(await rawFont());
    const first = shared.layout('Ğüneş') as Run;
    const expected = raw.layout('Ğüneş') as unknown as Run;
    expect(first.glyphs.map((glyph) => glyph.id)).toEqual(expected.glyphs.map((glyph) => glyph.id));
    expect(first.positions).toEqual(expected.positions.map((position) => ({ ...position })));
    expect(first.advanceWidth).toBe(expected.advanceWidth);

    // What pdfkit does to a run: scale its positions in place. The next layout must not see that.
    for (const position of first.positions) for (const key of Object.keys(position)) position[key]! *= 0.5;
    const second = shared.layout('Ğüneş') as Run;
    expect(second.positions).toEqual(expected.positions.map((position) => ({ ...position })));
    expect(second.advanceWidth).toBe(expected.advanceWidth);
    expect(second.positions[0]).not.toBe(first.positions[0]);
  });

  it('lays a word out once, and starts over past its limit of glyphs', async () => {
    const font = await rawFont();
    let layouts = 0;
    const counted = new Proxy(font, {
      get(target, property) {
        if (property === 'layout') return (...args: Parameters<fontkit.Font['layout']>) => (layouts++, target.layout(...args));
        return Reflect.get(target, property, target);
      },
    });
    // Room for 7 glyphs: "een" and "twee", not "drie" beside them.
    const shared = sharedFont(counted, { maxGlyphs: 7 });
    shared.layout('een');
    shared.layout('een');
    shared.layout('twee');
    expect(layouts).toBe(2);
    shared.layout('drie'); // 3 + 4 + 4 glyphs: the cache starts over with it
    shared.layout('drie');
    expect(layouts).toBe(3);
    shared.layout('een');
    expect(layouts).toBe(4);
    // With features the font is asked each time (pdfkit passes none for its word by word layout).
    shared.layout('een', ['liga']);
    shared.layout('een', ['liga']);
    expect(layouts).toBe(6);
    // A "word" longer than MAX_WORD_LENGTH (a pasted link, an answer without spaces) is never kept:
    // 20,000 of them could otherwise hold gigabytes.
    const long = 'ë'.repeat(MAX_WORD_LENGTH + 1);
    shared.layout(long);
    shared.layout(long);
    expect(layouts).toBe(8);
    shared.layout('ë'.repeat(MAX_WORD_LENGTH));
    shared.layout('ë'.repeat(MAX_WORD_LENGTH));
    expect(layouts).toBe(9);
  });

  it('decodes a glyph once, to what a fresh font decodes', async () => {
    const raw = await rawFont();
    const shared = sharedFont(await rawFont());
    type Decoding = { _decode(): unknown };
    const id = (raw.layout('ş') as unknown as Run).glyphs[0]!.id;
    const glyph = (shared as unknown as { getGlyph(id: number): Decoding }).getGlyph(id);
    const once = glyph._decode();
    expect(glyph._decode()).toBe(once);
    expect(once).toEqual((raw as unknown as { getGlyph(id: number): Decoding }).getGlyph(id)._decode());
  });
});
