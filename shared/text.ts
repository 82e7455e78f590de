/**
 * The character rules for text people type that the service writes elsewhere: into calendar feeds
 * (ICS), email headers, CSV cells and pages. One module, so every entry point refuses the same
 * characters and every output neutralises the same ones.
 *
 * Refused: the Unicode categories
 * - Cc, control characters: C0 (U+0000–U+001F, with CR, LF and TAB), DEL and C1 (U+0080–U+009F,
 *   with NEL U+0085). CR and LF end an ICS property or an email header, so one in a name adds
 *   lines of the attacker's choosing to a calendar feed;
 * - Zl and Zp, U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR, which editors and some
 *   calendar clients treat as line breaks;
 * - Cf, format characters: invisible characters that change how text reads without being seen,
 *   such as the bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069; "Jan",
 *   U+202E, "fdp.exe" shows as "Janexe.pdf"), the bidi marks (U+200E, U+200F, U+061C), zero-width
 *   space U+200B, word joiner U+2060, BOM U+FEFF, soft hyphen U+00AD and the tag characters;
 * - Cs, lone surrogates, which are not text and cannot be written as UTF-8.
 *
 * Allowed among the format characters: ZERO WIDTH NON-JOINER and ZERO WIDTH JOINER (U+200C, U+200D),
 * which Persian and Indic names need to be spelt right and emoji sequences use. Letters of any
 * script (ë, Ó, Ç, ş, ı, Arabic) are never refused.
 *
 * Multi-line text (a question, an answer) may also hold CR, LF and TAB, nothing else of these.
 */

import type * as z from 'zod';

/** One refused character: a control, line or paragraph separator, format character or lone surrogate. */
const UNSAFE = /(?!\u200C|\u200D)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
/** The same, for multi-line text: CR, LF and TAB allowed. */
const UNSAFE_MULTILINE = /(?!\u200C|\u200D|[\t\n\r])[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

/** Where a refused character is and what it is. */
export interface UnsafeCharacter {
  /** Position in the text, counting from 1 in characters as a person counts them (code points). */
  position: number;
  /** `U+000A` and so on. */
  codePoint: string;
  /** What it is, in Dutch: "een regeleinde", "een nulteken", "een onzichtbaar teken", ... */
  description: string;
}

/** The first refused character of a one-line text (a name, an email address, a class), if any. */
export function findUnsafeInLine(text: string): UnsafeCharacter | undefined {
  return findUnsafe(text, UNSAFE);
}

/** The first refused character of a multi-line text (CR, LF and TAB allowed), if any. */
export function findUnsafeInText(text: string): UnsafeCharacter | undefined {
  return findUnsafe(text, UNSAFE_MULTILINE);
}

/** Whether a one-line text holds no refused character. */
export function isSafeLine(text: string): boolean {
  return !UNSAFE.test(text);
}

/** Whether a multi-line text holds no refused character apart from CR, LF and TAB. */
export function isSafeText(text: string): boolean {
  return !UNSAFE_MULTILINE.test(text);
}

/**
 * The Dutch message for a text with a refused character, without the field's name: "bevat een
 * regeleinde (U+000A) op positie 4; alleen zichtbare tekst op één regel is toegestaan".
 */
export function unsafeLineMessage(text: string): string {
  const found = findUnsafeInLine(text);
  return found ? `bevat ${found.description} (${found.codePoint}) op positie ${found.position}; alleen zichtbare tekst op één regel is toegestaan` : '';
}

/** As {@link unsafeLineMessage}, for multi-line text. */
export function unsafeTextMessage(text: string): string {
  const found = findUnsafeInText(text);
  return found ? `bevat ${found.description} (${found.codePoint}) op positie ${found.position}; alleen zichtbare tekst en regeleinden zijn toegestaan` : '';
}

/**
 * Text safe to show in an error message or a terminal: every refused character (and CR, LF, TAB)
 * written as `[U+000A]`, so a person sees where it is and nothing is reversed or overwritten.
 */
export function visible(text: string): string {
  return text.replace(new RegExp(UNSAFE.source, 'gu'), (char) => `[${codePointOf(char)}]`);
}

/**
 * One line of harmless text for a place that ends at a line break (an ICS property, an email
 * subject): every control character, line or paragraph separator becomes a space, every other
 * refused character is dropped, runs of spaces are one. For data stored before the rules, or
 * from elsewhere; new input is refused instead.
 */
export function toSafeLine(text: string): string {
  return text
    .replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ')
    .replace(new RegExp(UNSAFE.source, 'gu'), '')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/**
 * Multi-line harmless text: CR LF, CR, U+2028 and U+2029 become LF, TAB a space, every other
 * refused character is dropped. The writer (ical-generator) escapes the LFs.
 */
export function toSafeText(text: string): string {
  return text
    .replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n')
    .replace(/\t/g, ' ')
    .replace(new RegExp(UNSAFE_MULTILINE.source, 'gu'), '');
}

/**
 * A zod string schema that also refuses any refused character of a one-line text, with the Dutch
 * message of {@link unsafeLineMessage}, after `subject` when given ("De klas bevat een regeleinde
 * ..."). Checks run in order: put it after `.trim()` to judge what is stored.
 */
export function safeLine<T extends z.ZodType<string>>(schema: T, subject?: string): T {
  return schema.refine(isSafeLine, { error: (issue) => withSubject(subject, unsafeLineMessage(String(issue.input))) }) as T;
}

/** As {@link safeLine}, for multi-line text (CR, LF and TAB allowed). */
export function safeText<T extends z.ZodType<string>>(schema: T, subject?: string): T {
  return schema.refine(isSafeText, { error: (issue) => withSubject(subject, unsafeTextMessage(String(issue.input))) }) as T;
}

function withSubject(subject: string | undefined, message: string): string {
  return subject ? `${subject} ${message}.` : message;
}

function findUnsafe(text: string, pattern: RegExp): UnsafeCharacter | undefined {
  let position = 0;
  for (const char of text) {
    position++;
    if (pattern.test(char)) return { position, codePoint: codePointOf(char), description: describe(char) };
  }
  return undefined;
}

function codePointOf(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

function describe(char: string): string {
  const code = char.codePointAt(0)!;
  if (char === '\r' || char === '\n' || char === '\u0085' || char === '\u2028' || char === '\u2029') return 'een regeleinde';
  if (char === '\t') return 'een tab';
  if (code === 0) return 'een nulteken';
  if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069) || code === 0x200e || code === 0x200f || code === 0x061c) {
    return 'een onzichtbaar teken dat de leesrichting verandert';
  }
  if (/\p{Cc}/u.test(char)) return 'een stuurteken';
  if (/\p{Cs}/u.test(char)) return 'een ongeldig teken';
  return 'een onzichtbaar teken';
}
