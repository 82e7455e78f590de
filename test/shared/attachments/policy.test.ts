import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALLOWED_TYPES,
  allowedTypeByDetected,
  allowedTypeByExtension,
  canonicalMime,
  checkDeclared,
  contentDisposition,
  DEFAULT_MAX_BYTES,
  formatSize,
  MAX_FILE_NAME_LENGTH,
  MAX_FILES_PER_FORM,
  officeTypeFromZipEntries,
  reasons,
  safeFileName,
  type DeclaredCheck,
} from '#shared/attachments/policy.ts';

const PDF = 'application/pdf';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';

function reasonOf(result: DeclaredCheck): string {
  if (result.ok) throw new Error(`expected a refusal, got ${result.type.ext}`);
  return result.reason;
}

/** Parses the two filename parameters back out of a header value made by contentDisposition. */
function parseDisposition(header: string): { type: string; filename: string; filenameStar: string } {
  const match = /^(\w+); filename="([^"\\]*)"; filename\*=UTF-8''([A-Za-z0-9!#$&+\-.^_`|~%]*)$/.exec(header);
  if (!match) throw new Error(`not a well-formed header: ${header}`);
  return { type: match[1]!, filename: match[2]!, filenameStar: decodeURIComponent(match[3]!) };
}

describe('safeFileName', () => {
  it('drops a relative Unix path, keeping only the last segment', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
  });

  it('drops a relative Windows path', () => {
    expect(safeFileName('..\\..\\win.ini')).toBe('win.ini');
  });

  it('drops absolute paths on both systems', () => {
    expect(safeFileName('/var/tmp/lesplan.pdf')).toBe('lesplan.pdf');
    expect(safeFileName('C:\\Users\\Zoë\\Documents\\lesplan.pdf')).toBe('lesplan.pdf');
  });

  it('turns CR/LF into a space, so no header can be injected, and drops the colon', () => {
    expect(safeFileName('rapport\r\nX-Injected: 1.pdf')).toBe('rapport X-Injected 1.pdf');
  });

  it('drops double quotes', () => {
    expect(safeFileName('"quoted".pdf')).toBe('quoted.pdf');
  });

  it('keeps diacritics and apostrophes', () => {
    expect(safeFileName("Zoë's lesplan.docx")).toBe("Zoë's lesplan.docx");
    expect(safeFileName('Zoë.pdf')).toBe('Zoë.pdf');
  });

  it('composes decomposed accents (as macOS sends them) into NFC', () => {
    expect(safeFileName('Zoe\u0308.pdf')).toBe('Zoë.pdf');
  });

  it('drops bidi overrides that disguise an extension', () => {
    expect(safeFileName('factuur\u202Efdp.exe')).toBe('factuurfdp.exe');
  });

  it('collapses whitespace and trims trailing dots and spaces', () => {
    expect(safeFileName('  mijn \t  lesplan   week 3 .. .pdf')).toBe('mijn lesplan week 3.pdf');
  });

  it('drops leading dots, so no hidden or parent-directory name remains', () => {
    expect(safeFileName('.htaccess')).toBe('bijlage.htaccess');
    expect(safeFileName('...verslag.pdf')).toBe('verslag.pdf');
  });

  it('limits a very long name to 120 characters and keeps the extension', () => {
    const result = safeFileName(`${'ë'.repeat(500)}.docx`);

    expect([...result]).toHaveLength(MAX_FILE_NAME_LENGTH);
    expect(result.endsWith('ë.docx')).toBe(true);
  });

  it('limits a very long name without extension to 120 characters', () => {
    expect([...safeFileName('a'.repeat(1000))]).toHaveLength(MAX_FILE_NAME_LENGTH);
  });

  it('never cuts an emoji in half when it shortens', () => {
    const result = safeFileName(`${'😀'.repeat(200)}.png`);

    expect(result).toBe(`${'😀'.repeat(MAX_FILE_NAME_LENGTH - 4)}.png`);
  });

  it('falls back to "bijlage" for empty and dots-only names', () => {
    expect(safeFileName('')).toBe('bijlage');
    expect(safeFileName('   ')).toBe('bijlage');
    expect(safeFileName('..')).toBe('bijlage');
    expect(safeFileName('....')).toBe('bijlage');
    expect(safeFileName('../..')).toBe('bijlage');
    expect(safeFileName('dir/')).toBe('bijlage');
  });

  it('falls back to "bijlage" plus the extension when only the extension is left', () => {
    expect(safeFileName('.pdf')).toBe('bijlage.pdf');
    expect(safeFileName('"".pdf')).toBe('bijlage.pdf');
    expect(safeFileName('\r\n.pdf')).toBe('bijlage.pdf');
  });

  it('returns a non-empty name without separators, line breaks, NUL or quotes for any input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string()), (name) => {
        const result = safeFileName(name);
        expect(result.length).toBeGreaterThan(0);
        expect(result).not.toMatch(/[/\\\r\n\0"]/);
        expect([...result].length).toBeLessThanOrEqual(MAX_FILE_NAME_LENGTH);
      }),
      { numRuns: 2000 },
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' })), (name) => {
        const once = safeFileName(name);
        expect(safeFileName(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('checkDeclared', () => {
  const pdf = { name: 'lesplan.pdf', size: 1000, type: PDF };

  it('accepts an allowed file and returns its type and safe name', () => {
    const result = checkDeclared({ name: '../lesplan.pdf', size: 1000, type: PDF });

    expect(result).toMatchObject({ ok: true, fileName: 'lesplan.pdf', type: { ext: 'pdf' } });
  });

  it.each([
    ['verslag.pdf', PDF, 'pdf'],
    ['foto.jpg', 'image/jpeg', 'jpg'],
    ['FOTO.JPEG', 'image/jpeg', 'jpg'],
    ['bord.png', 'image/png', 'png'],
    ['lesplan.docx', DOCX, 'docx'],
    ['les.pptx', PPTX, 'pptx'],
    ['les.mp4', 'video/mp4', 'mp4'],
  ])('accepts %s declared as %s', (name, type, ext) => {
    expect(checkDeclared({ name, size: 10, type })).toMatchObject({ ok: true, type: { ext } });
  });

  it('accepts an allowed extension when the browser does not know the type', () => {
    expect(checkDeclared({ name: 'lesplan.docx', size: 10, type: '' })).toMatchObject({ ok: true });
    expect(checkDeclared({ name: 'lesplan.docx', size: 10, type: 'application/octet-stream' })).toMatchObject({
      ok: true,
    });
  });

  it('refuses a type that is not allowed', () => {
    expect(reasonOf(checkDeclared({ name: 'setup.exe', size: 10, type: 'application/x-msdownload' }))).toBe(
      'Dit bestandstype is niet toegestaan. Toegestaan: pdf, jpg, png, docx, pptx en mp4.',
    );
  });

  it('refuses a name without extension', () => {
    expect(reasonOf(checkDeclared({ name: 'lesplan', size: 10, type: PDF }))).toBe(reasons.typeNotAllowed);
  });

  it('refuses a declared MIME type that contradicts the extension', () => {
    expect(reasonOf(checkDeclared({ name: 'lesplan.pdf', size: 10, type: 'text/html' }))).toBe(
      reasons.typeNotAllowed,
    );
    expect(reasonOf(checkDeclared({ name: 'foto.png', size: 10, type: 'image/jpeg' }))).toBe(reasons.typeNotAllowed);
  });

  it('refuses a file larger than 20 MB by default', () => {
    expect(reasonOf(checkDeclared({ ...pdf, size: DEFAULT_MAX_BYTES + 1 }))).toBe('Het bestand is groter dan 20 MB.');
  });

  it('accepts a file of exactly the limit', () => {
    expect(checkDeclared({ ...pdf, size: DEFAULT_MAX_BYTES })).toMatchObject({ ok: true });
  });

  it('uses the limit the caller configures', () => {
    expect(reasonOf(checkDeclared({ ...pdf, size: 6 * 1024 * 1024 }, { maxBytes: 5 * 1024 * 1024 }))).toBe(
      'Het bestand is groter dan 5 MB.',
    );
  });

  it('refuses a sixth attachment', () => {
    expect(reasonOf(checkDeclared(pdf, { existingCount: MAX_FILES_PER_FORM }))).toBe(
      'Er zijn al 5 bijlagen; verwijder er eerst een.',
    );
  });

  it('accepts a fifth attachment', () => {
    expect(checkDeclared(pdf, { existingCount: MAX_FILES_PER_FORM - 1 })).toMatchObject({ ok: true });
  });

  it('refuses an empty file', () => {
    expect(reasonOf(checkDeclared({ ...pdf, size: 0 }))).toBe('Het bestand is leeg.');
  });

  it('refuses a size that is not a positive number as empty', () => {
    expect(reasonOf(checkDeclared({ ...pdf, size: Number.NaN }))).toBe(reasons.empty);
    expect(reasonOf(checkDeclared({ ...pdf, size: -1 }))).toBe(reasons.empty);
  });

  it('throws on a nonsensical limit, which is a configuration error', () => {
    expect(() => checkDeclared(pdf, { maxBytes: 0 })).toThrow(RangeError);
  });
});

describe('formatSize', () => {
  it('writes sizes the Dutch way', () => {
    expect(formatSize(20 * 1024 * 1024)).toBe('20 MB');
    expect(formatSize(1.5 * 1024 * 1024)).toBe('1,5 MB');
    expect(formatSize(1024)).toBe('1 kB');
    expect(formatSize(500)).toBe('500 bytes');
  });
});

describe('the allowed-type table', () => {
  it('maps every entry from extension to canonical MIME type to what file-type detects', () => {
    for (const type of ALLOWED_TYPES) {
      expect(allowedTypeByExtension(type.ext)).toBe(type);
      expect(canonicalMime(type)).toBe(type.detected.mime);
      expect(allowedTypeByDetected(type.detected)).toBe(type);
    }
  });

  it('does not allow what file-type calls a zip, an exe or a QuickTime movie', () => {
    expect(allowedTypeByDetected({ ext: 'zip', mime: 'application/zip' })).toBeUndefined();
    expect(allowedTypeByDetected({ ext: 'exe', mime: 'application/x-msdownload' })).toBeUndefined();
    expect(allowedTypeByDetected({ ext: 'mov', mime: 'video/quicktime' })).toBeUndefined();
  });
});

describe('officeTypeFromZipEntries', () => {
  const word = ['[Content_Types].xml', '_rels/.rels', 'word/document.xml'];

  it('recognises a Word package', () => {
    expect(officeTypeFromZipEntries(word)?.ext).toBe('docx');
  });

  it('recognises a PowerPoint package', () => {
    expect(officeTypeFromZipEntries(['[Content_Types].xml', 'ppt/presentation.xml'])?.ext).toBe('pptx');
  });

  it('refuses a zip without [Content_Types].xml', () => {
    expect(officeTypeFromZipEntries(['word/document.xml'])).toBeUndefined();
  });

  it('refuses a package with macros', () => {
    expect(officeTypeFromZipEntries([...word, 'word/vbaProject.bin'])).toBeUndefined();
  });

  it('refuses a package that claims to be both', () => {
    expect(officeTypeFromZipEntries([...word, 'ppt/presentation.xml'])).toBeUndefined();
  });

  it('refuses a spreadsheet', () => {
    expect(officeTypeFromZipEntries(['[Content_Types].xml', 'xl/workbook.xml'])).toBeUndefined();
  });
});

describe('contentDisposition', () => {
  it('sends an ASCII name unchanged in both parameters', () => {
    const header = contentDisposition('lesplan week 3.pdf');

    expect(header).toBe(`attachment; filename="lesplan week 3.pdf"; filename*=UTF-8''lesplan%20week%203.pdf`);
    expect(parseDisposition(header)).toEqual({
      type: 'attachment',
      filename: 'lesplan week 3.pdf',
      filenameStar: 'lesplan week 3.pdf',
    });
  });

  it('round-trips a non-ASCII name through filename* and gives an ASCII fallback', () => {
    const parsed = parseDisposition(contentDisposition("Zoë's lesplan (v2)*.docx"));

    expect(parsed.filenameStar).toBe("Zoë's lesplan (v2).docx");
    expect(parsed.filename).toBe("Zoe's lesplan (v2).docx");
  });

  it('percent-encodes the characters RFC 5987 does not allow bare', () => {
    expect(contentDisposition("a'b(c).pdf")).toContain("filename*=UTF-8''a%27b%28c%29.pdf");
  });

  it('replaces characters outside ASCII and % in the fallback', () => {
    const parsed = parseDisposition(contentDisposition('verslag 100% 日本.pdf'));

    expect(parsed.filename).toBe('verslag 100_ __.pdf');
    expect(parsed.filenameStar).toBe('verslag 100% 日本.pdf');
  });

  it('makes an injection attempt harmless', () => {
    const header = contentDisposition('../x"; filename=evil.exe\r\nSet-Cookie: a=b.pdf');

    expect(header).not.toMatch(/[\r\n]/);
    expect(parseDisposition(header).filenameStar).toBe('x; filename=evil.exe Set-Cookie a=b.pdf');
  });

  it('gives a well-formed header that round-trips for any input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' })), (name) => {
        expect(parseDisposition(contentDisposition(name)).filenameStar).toBe(safeFileName(name));
      }),
      { numRuns: 1000 },
    );
  });
});
