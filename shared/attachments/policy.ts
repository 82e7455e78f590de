/**
 * The attachment rules, as pure functions: which files are allowed, how many, how large, and how a
 * user's file name is made safe to store and to send back in a Content-Disposition header.
 *
 * What the browser declares (name, size, type) is only a first filter for a friendly message; the
 * gate is `AttachmentStore.verify` in `store.ts`, which checks the stored bytes.
 */

/** The at most this many attachments one form (request) may have. */
export const MAX_FILES_PER_FORM = 5;

/** Default largest attachment, in bytes (20 MB); callers pass their own from config. */
export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

/** Longest file name {@link safeFileName} returns, in code points, extension included. */
export const MAX_FILE_NAME_LENGTH = 120;

/** Name used when nothing usable is left of the user's file name. */
export const FALLBACK_FILE_NAME = 'bijlage';

/** One allowed kind of file. */
export interface AllowedType {
  /** The canonical extension, also the label users see ("pdf", "jpg"). */
  readonly ext: string;
  /** File name extensions (lower case, no dot) that declare this type. */
  readonly extensions: readonly string[];
  /** MIME types a browser may declare for it; the first is canonical and is what S3 stores. */
  readonly mimeTypes: readonly [string, ...string[]];
  /** What the file-type library reports for such bytes (`fileTypeFromBuffer`). */
  readonly detected: { readonly ext: string; readonly mime: string };
  /** An Office Open XML zip package, which magic bytes alone may only call "zip". */
  readonly officeZip: boolean;
}

const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const PPTX_MIME = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';

/** The allowed types: extension → declared MIME type(s) → what file-type detects. */
export const ALLOWED_TYPES: readonly AllowedType[] = [
  {
    ext: 'pdf',
    extensions: ['pdf'],
    mimeTypes: ['application/pdf', 'application/x-pdf'],
    detected: { ext: 'pdf', mime: 'application/pdf' },
    officeZip: false,
  },
  {
    ext: 'jpg',
    extensions: ['jpg', 'jpeg'],
    mimeTypes: ['image/jpeg', 'image/pjpeg'],
    detected: { ext: 'jpg', mime: 'image/jpeg' },
    officeZip: false,
  },
  {
    ext: 'png',
    extensions: ['png'],
    mimeTypes: ['image/png', 'image/x-png'],
    detected: { ext: 'png', mime: 'image/png' },
    officeZip: false,
  },
  {
    ext: 'docx',
    extensions: ['docx'],
    mimeTypes: [DOCX_MIME],
    detected: { ext: 'docx', mime: DOCX_MIME },
    officeZip: true,
  },
  {
    ext: 'pptx',
    extensions: ['pptx'],
    mimeTypes: [PPTX_MIME],
    detected: { ext: 'pptx', mime: PPTX_MIME },
    officeZip: true,
  },
  {
    ext: 'mp4',
    extensions: ['mp4'],
    mimeTypes: ['video/mp4'],
    detected: { ext: 'mp4', mime: 'video/mp4' },
    officeZip: false,
  },
];

/** The allowed types as users read them: "pdf, jpg, png, docx, pptx en mp4". */
export const ALLOWED_LABELS = ALLOWED_TYPES.map((type) => type.ext).join(', ').replace(/, ([^,]*)$/, ' en $1');

/** The canonical MIME type S3 stores for an allowed type. */
export function canonicalMime(type: AllowedType): string {
  return type.mimeTypes[0];
}

/** The allowed type a file name extension (without dot, any case) declares, if any. */
export function allowedTypeByExtension(extension: string): AllowedType | undefined {
  const ext = extension.toLowerCase();
  return ALLOWED_TYPES.find((type) => type.extensions.includes(ext));
}

/** The allowed type a declared MIME type names (parameters and case ignored), if any. */
export function allowedTypeByMime(mime: string): AllowedType | undefined {
  const bare = bareMime(mime);
  return ALLOWED_TYPES.find((type) => type.mimeTypes.includes(bare));
}

/** The allowed type matching what file-type detected in the bytes, if any. */
export function allowedTypeByDetected(detected: { ext: string; mime: string }): AllowedType | undefined {
  return ALLOWED_TYPES.find((type) => type.detected.ext === detected.ext && type.detected.mime === detected.mime);
}

/**
 * Decides docx or pptx from the entry names of a zip's central directory, for when file-type only
 * says "zip" (its scan of the first bytes stops before it reaches `[Content_Types].xml`). An Office
 * Open XML package has `[Content_Types].xml` and its parts under `word/` or `ppt/`; the same
 * directory rule file-type itself uses. A package with a `vbaProject.bin` holds macros (docm, pptm)
 * and is refused.
 */
export function officeTypeFromZipEntries(names: readonly string[]): AllowedType | undefined {
  if (!names.includes('[Content_Types].xml')) return undefined;
  if (names.some((name) => name.toLowerCase().endsWith('vbaproject.bin'))) return undefined;
  const word = names.some((name) => name.startsWith('word/'));
  const presentation = names.some((name) => name.startsWith('ppt/'));
  if (word === presentation) return undefined;
  return allowedTypeByExtension(word ? 'docx' : 'pptx');
}

/** Dutch reasons shown to the user when a file is refused. */
export const reasons = {
  typeNotAllowed: `Dit bestandstype is niet toegestaan. Toegestaan: ${ALLOWED_LABELS}.`,
  tooLarge: (maxBytes: number) => `Het bestand is groter dan ${formatSize(maxBytes)}.`,
  tooMany: (max: number = MAX_FILES_PER_FORM) => `Er zijn al ${max} bijlagen; verwijder er eerst een.`,
  empty: 'Het bestand is leeg.',
  notFound: 'Het bestand is niet gevonden. Upload het opnieuw.',
  uploadTypeChanged: 'Het bestand is met een ander bestandstype geüpload dan was opgegeven. Upload het opnieuw.',
  contentNotAllowed: `De inhoud van het bestand hoort niet bij een toegestaan bestandstype. Toegestaan: ${ALLOWED_LABELS}.`,
  contentMismatch: (declared: AllowedType, detected: AllowedType) =>
    `Dit bestand is een ${detected.ext}-bestand en geen ${declared.ext}-bestand. Kies het juiste bestand.`,
  changedDuringCheck: 'Het bestand is tijdens de controle vervangen. Upload het opnieuw.',
  unknownUpload: 'Deze upload is onbekend of al afgerond. Kies het bestand opnieuw en upload het nog eens.',
  removeAfterSubmit: 'Dit formulier is al ingediend: de bijlagen horen nu bij het ingediende formulier en kunnen niet meer worden verwijderd.',
} as const;

const sizeFormat = new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 1 });

/** A byte count as Dutch users read it: "20 MB", "1,5 MB", "1 kB", "500 bytes". */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${sizeFormat.format(bytes / (1024 * 1024))} MB`;
  if (bytes >= 1024) return `${sizeFormat.format(bytes / 1024)} kB`;
  return `${bytes} bytes`;
}

/** What the browser says about a file before it is uploaded. */
export interface DeclaredFile {
  /** The file name as the browser gives it (untrusted). */
  name: string;
  /** Size in bytes (untrusted). */
  size: number;
  /** Declared MIME type; browsers send "" or application/octet-stream when they do not know. */
  type: string;
}

/** Outcome of {@link checkDeclared}. */
export type DeclaredCheck =
  | {
      ok: true;
      /** The allowed type; upload and verify with its {@link canonicalMime}. */
      type: AllowedType;
      /** The name to store and later offer for download. */
      fileName: string;
    }
  | { ok: false; reason: string };

/**
 * Checks what the browser declares against the rules, in the order a user can act on: the number of
 * attachments, the type (by extension and declared MIME type), emptiness, size.
 * Passing this check says nothing about the bytes; `AttachmentStore.verify` (store.ts) does that.
 *
 * @param options.maxBytes largest allowed size, default {@link DEFAULT_MAX_BYTES}
 * @param options.existingCount attachments the form already has, default 0
 */
export function checkDeclared(
  file: DeclaredFile,
  options: { maxBytes?: number; existingCount?: number } = {},
): DeclaredCheck {
  const maxBytes = assertMaxBytes(options.maxBytes ?? DEFAULT_MAX_BYTES);
  if ((options.existingCount ?? 0) >= MAX_FILES_PER_FORM) return { ok: false, reason: reasons.tooMany() };

  const fileName = safeFileName(file.name);
  const type = declaredType(fileName, file.type);
  if (!type) return { ok: false, reason: reasons.typeNotAllowed };
  if (!(file.size > 0)) return { ok: false, reason: reasons.empty };
  if (file.size > maxBytes) return { ok: false, reason: reasons.tooLarge(maxBytes) };
  return { ok: true, type, fileName };
}

/**
 * The type a name and a MIME type declare together. The extension decides; a browser that does not
 * know the type ("" or application/octet-stream, common for docx without Office installed) is not
 * held against the user. A known MIME type must agree with the extension.
 */
function declaredType(fileName: string, mime: string): AllowedType | undefined {
  const bare = bareMime(mime);
  const unknownMime = bare === '' || bare === 'application/octet-stream';
  const extension = /\.([^.]+)$/u.exec(fileName)?.[1];
  const byExtension = extension === undefined ? undefined : allowedTypeByExtension(extension);
  if (!byExtension) return undefined;
  if (unknownMime) return byExtension;
  return allowedTypeByMime(bare) === byExtension ? byExtension : undefined;
}

function bareMime(mime: string): string {
  return (mime.split(';')[0] ?? '').trim().toLowerCase();
}

/** Throws on a nonsensical limit: that is a programming or config error, not user input. */
export function assertMaxBytes(maxBytes: number): number {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new RangeError(`maxBytes must be a positive integer, got ${maxBytes}`);
  }
  return maxBytes;
}

// Line breaks, NUL and other controls become a space (they separate words, and would otherwise end
// a header line). Lone surrogates cannot be percent-encoded.
const BREAKING = /[\p{Cc}\p{Zl}\p{Zp}\p{Cs}]/gu;
// Invisible format characters (bidi overrides that disguise "exe.pdf" as "fdp.exe", zero-width
// spaces), quotes and the characters Windows refuses in names are dropped.
const DROPPED = /[\p{Cf}"<>:|?*]/gu;
const EXTENSION = /\.([\p{L}\p{N}]{1,10})$/u;

/**
 * Makes a user's file name safe to store, to show and to put in a Content-Disposition header:
 * - any path is dropped (`../../etc/passwd` → `passwd`, `C:\Users\a.pdf` → `a.pdf`);
 * - line breaks and control characters become spaces; invisible format characters, `"` and
 *   `< > : | ? *` go; whitespace collapses to single spaces;
 * - leading dots (hidden files, `..`) and trailing dots and spaces go;
 * - letters with diacritics stay (in NFC: `Zoë.pdf` stays `Zoë.pdf`);
 * - at most {@link MAX_FILE_NAME_LENGTH} code points, keeping the extension;
 * - never empty: `bijlage`, plus the extension when there was one (`.pdf` → `bijlage.pdf`).
 * The function is idempotent.
 */
export function safeFileName(name: string): string {
  const base = name.split(/[/\\]/u).pop() ?? '';
  // Normalised after dropping: removing a character can bring a letter and its accent together.
  const cleaned = base.replace(BREAKING, ' ').replace(DROPPED, '').normalize('NFC').replace(/\s+/gu, ' ').trim();

  const extension = EXTENSION.exec(cleaned)?.[1];
  const rawStem = extension === undefined ? cleaned : cleaned.slice(0, -(extension.length + 1));
  const suffix = extension === undefined ? '' : `.${extension}`;
  const room = MAX_FILE_NAME_LENGTH - [...suffix].length;
  const stem = trimStem([...trimStem(rawStem)].slice(0, room).join('')) || FALLBACK_FILE_NAME;
  return `${stem}${suffix}`;
}

function trimStem(stem: string): string {
  return stem.replace(/^[.\s]+/u, '').replace(/[.\s]+$/u, '');
}

/**
 * A Content-Disposition header value that names the file under its (safe) name, per RFC 6266:
 * `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>` (browsers download
 * it), or the same with `inline` (browsers show it, and use the name when it is saved).
 * The name goes through {@link safeFileName} first, so no input can break out of the header.
 * The fallback, for clients that ignore `filename*`, drops diacritics (Zoë → Zoe) and replaces
 * everything else outside printable ASCII, and `%` (some clients percent-decode it), with `_`.
 */
export function contentDisposition(name: string, disposition: 'attachment' | 'inline' = 'attachment'): string {
  const safe = safeFileName(name);
  const fallback = safe
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]|["\\%]/gu, '_');
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${encodeRfc5987(safe)}`;
}

/** RFC 5987 ext-value encoding: encodeURIComponent leaves `'()*` alone, which attr-char does not allow. */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/gu,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Where attachments live in the bucket: `attachments/<schoolYear>/…` (see `attachmentKey` in store.ts). */
export const ATTACHMENTS_PREFIX = 'attachments/';

/**
 * Where browsers upload to: `uploads/<schoolYear>/…` (see `uploadKey` in store.ts). Nothing is ever
 * served from here: verification copies the checked bytes to {@link ATTACHMENTS_PREFIX} and deletes
 * the upload, so a presigned POST used again later only writes a key nobody reads. A bucket
 * lifecycle rule removes what is left here after a day.
 */
export const UPLOADS_PREFIX = 'uploads/';

/**
 * The verified types a browser may show inline (PDF, JPEG, PNG): its own viewers render them, and
 * they are served with nosniff and a sandboxing CSP. Everything else is served as a download.
 */
export const INLINE_MIME_TYPES: readonly string[] = ['application/pdf', 'image/jpeg', 'image/png'];

/** Whether a verified (canonical) MIME type is shown inline rather than downloaded. */
export function isInlineType(mime: string): boolean {
  return INLINE_MIME_TYPES.includes(bareMime(mime));
}
