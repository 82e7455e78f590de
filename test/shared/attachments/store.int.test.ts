import { crc32, deflateSync } from 'node:zlib';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { fileTypeFromBuffer } from 'file-type';
import { beforeAll, describe, expect, it } from 'vitest';
import { reasons } from '#shared/attachments/policy.ts';
import { AttachmentChangedError, AttachmentStore, SNIFF_BYTES, type PresignedUpload, type VerifyResult } from '#shared/store/attachments.ts';
import { attachmentKey, newAttachmentId, uploadKey } from '#shared/attachments/object-keys.ts';
import type { AwsClients } from '#shared/store/clients.ts';
import { freshBucket, localClients, objectExists } from '../../support/aws.ts';
import { infectedPdf, waitForScanTag } from '../../support/malware.ts';

const PDF = 'application/pdf';
const PNG = 'image/png';
const JPEG = 'image/jpeg';
const MP4 = 'video/mp4';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';

// --- Small but real files, built byte by byte. ---

const ascii = (text: string) => new TextEncoder().encode(text);

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A one-page PDF with an empty page. */
const pdfBytes = ascii(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n' +
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n' +
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n' +
    'trailer << /Root 1 0 R >>\n%%EOF\n',
);

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const header = new Uint8Array(8);
  const view = new DataView(header.buffer);
  view.setUint32(0, data.length);
  header.set(ascii(type), 4);
  const crc = new Uint8Array(4);
  new DataView(crc.buffer).setUint32(0, crc32(concat(ascii(type), data)));
  return concat(header, data, crc);
}

/** A valid 1×1 grey PNG: signature, IHDR, IDAT (zlib), IEND, with correct CRCs. */
const pngBytes = (() => {
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, 1); // width
  view.setUint32(4, 1); // height
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale, deflate, no filter, no interlace
  return concat(
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(new Uint8Array([0, 0x80]))),
    pngChunk('IEND', new Uint8Array()),
  );
})();

/** A JFIF JPEG header (SOI, APP0) and end marker: what file-type and viewers look at first. */
const jpegBytes = concat(
  new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
  ascii('JFIF\0'),
  new Uint8Array([0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9]),
);

/** An ISO base media file: an `ftyp` box with brand isom, then an empty `mdat`. */
const mp4Bytes = (() => {
  const ftyp = new Uint8Array(24);
  const view = new DataView(ftyp.buffer);
  view.setUint32(0, 24);
  ftyp.set(ascii('ftypisom'), 4);
  view.setUint32(12, 0x200);
  ftyp.set(ascii('isommp41'), 16);
  return concat(ftyp, new Uint8Array([0, 0, 0, 8]), ascii('mdat'));
})();

/** A Windows executable: the `MZ` DOS header, then padding. */
const exeBytes = concat(ascii('MZ'), new Uint8Array(510).fill(0x90));

/** A zip archive with stored (uncompressed) entries, local headers, central directory and end record. */
function zip(entries: [name: string, content: string][]): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const [name, content] of entries) {
    const nameBytes = ascii(name);
    const data = ascii(content);
    const crc = crc32(data);
    const local = new Uint8Array(30);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(12, 0x21, true); // 1980-01-01
    lv.setUint32(14, crc, true);
    lv.setUint32(18, data.length, true);
    lv.setUint32(22, data.length, true);
    lv.setUint16(26, nameBytes.length, true);
    const central = new Uint8Array(46);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(14, 0x21, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, data.length, true);
    cv.setUint32(24, data.length, true);
    cv.setUint16(28, nameBytes.length, true);
    cv.setUint32(42, offset, true);
    const localEntry = concat(local, nameBytes, data);
    locals.push(localEntry);
    centrals.push(concat(central, nameBytes));
    offset += localEntry.length;
  }
  const directory = concat(...centrals);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, directory.length, true);
  ev.setUint32(16, offset, true);
  return concat(...locals, directory, end);
}

const contentTypes = (main: string, partName: string) =>
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  `<Override PartName="${partName}" ContentType="${main}"/></Types>`;
const wordContentTypes = contentTypes(
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
  '/word/document.xml',
);
const rels = '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>';

/** A docx as Word writes it: `[Content_Types].xml` first, so file-type names it from the first bytes. */
const docxBytes = zip([
  ['[Content_Types].xml', wordContentTypes],
  ['_rels/.rels', rels],
  ['word/document.xml', '<w:document/>'],
]);

/** A docx whose first entries are large: in the first 4100 bytes file-type only sees "zip". */
const docxLateContentTypes = zip([
  ['_rels/.rels', rels],
  ['word/document.xml', `<w:document>${'<w:p/>'.repeat(1500)}</w:document>`],
  ['[Content_Types].xml', wordContentTypes],
]);

const pptxBytes = zip([
  [
    '[Content_Types].xml',
    contentTypes(
      'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml',
      '/ppt/presentation.xml',
    ),
  ],
  ['_rels/.rels', rels],
  ['ppt/presentation.xml', '<p:presentation/>'],
]);

/** An ordinary zip archive: no Office package. */
const plainZip = zip([
  ['notes.txt', 'x'.repeat(5000)],
  ['more.txt', 'y'],
]);

// --- The tests. ---

describe('AttachmentStore against s3rver', () => {
  let clients: AwsClients;
  let bucket: string;
  let store: AttachmentStore;

  beforeAll(async () => {
    clients = localClients();
    bucket = await freshBucket(clients);
    store = new AttachmentStore(clients.s3, bucket);
  });

  const newKey = () =>
    attachmentKey({
      schoolYear: '2025-2026',
      studentNumber: '1012001',
      requestId: 'req-1',
      attachmentId: newAttachmentId(),
    });

  /** Posts like a browser: every field in the order given, the file last. */
  async function post(
    upload: PresignedUpload,
    bytes: Uint8Array,
    fileName: string,
    overrides: Record<string, string> = {},
  ): Promise<Response> {
    const form = new FormData();
    for (const [name, value] of Object.entries({ ...upload.fields, ...overrides })) form.append(name, value);
    form.append('file', new Blob([new Uint8Array(bytes)]), fileName);
    return fetch(upload.url, { method: 'POST', body: form });
  }

  /** Presigns for `contentType`, posts `bytes` and returns the key. */
  async function upload(bytes: Uint8Array, contentType: string, maxBytes?: number): Promise<string> {
    const key = newKey();
    const presigned = await store.presignUpload({ key, contentType, maxBytes });
    const response = await post(presigned, bytes, 'bestand');
    expect(response.status).toBe(204);
    return key;
  }

  const exists = (key: string) => objectExists(clients, bucket, key);

  function refusal(result: VerifyResult) {
    if (result.ok) throw new Error(`expected a refusal, got ${result.type.ext}`);
    return result;
  }

  describe('presignUpload', () => {
    it('signs a policy for the exact key, 1..maxBytes bytes and the content type', async () => {
      const key = newKey();

      const { url, fields } = await store.presignUpload({ key, contentType: PDF, maxBytes: 5000 });

      expect(url).toBe(`${new URL(url).origin}/${bucket}`);
      expect(fields).toMatchObject({ key, 'Content-Type': PDF });
      const policy = JSON.parse(Buffer.from(fields.Policy!, 'base64').toString('utf8')) as {
        expiration: string;
        conditions: unknown[];
      };
      expect(policy.conditions).toEqual(
        expect.arrayContaining([
          { key },
          { bucket },
          ['content-length-range', 1, 5000],
          ['eq', '$Content-Type', PDF],
          { 'Content-Type': PDF },
        ]),
      );
      const ttl = Date.parse(policy.expiration) - Date.now();
      expect(ttl).toBeGreaterThan(590_000);
      expect(ttl).toBeLessThanOrEqual(600_000);
    });

    it('adds a redirect for plain HTML forms, which s3rver follows with a 303', async () => {
      const key = newKey();
      const presigned = await store.presignUpload({
        key,
        contentType: PDF,
        successActionRedirect: 'http://localhost:3000/bijlage-klaar',
      });

      const response = await fetch(presigned.url, {
        method: 'POST',
        body: (() => {
          const form = new FormData();
          for (const [name, value] of Object.entries(presigned.fields)) form.append(name, value);
          form.append('file', new Blob([new Uint8Array(pdfBytes)]), 'lesplan.pdf');
          return form;
        })(),
        redirect: 'manual',
      });

      expect(response.status).toBe(303);
      const location = new URL(response.headers.get('location')!);
      expect(location.pathname).toBe('/bijlage-klaar');
      expect(location.searchParams.get('key')).toBe(key);
    });

    it('refuses to sign a content type that is not an allowed canonical type', async () => {
      await expect(store.presignUpload({ key: newKey(), contentType: 'text/html' })).rejects.toThrow();
      await expect(store.presignUpload({ key: newKey(), contentType: 'image/pjpeg' })).rejects.toThrow();
    });
  });

  describe('verify', () => {
    it.each([
      ['a PDF', pdfBytes, PDF, 'pdf'],
      ['a PNG', pngBytes, PNG, 'png'],
      ['a JPEG', jpegBytes, JPEG, 'jpg'],
      ['an MP4', mp4Bytes, MP4, 'mp4'],
      ['a docx', docxBytes, DOCX, 'docx'],
      ['a pptx', pptxBytes, PPTX, 'pptx'],
    ])('accepts %s uploaded through the presigned POST', async (_label, bytes, contentType, ext) => {
      const key = await upload(bytes, contentType);

      const result = await store.verify(key, { declaredType: contentType });

      expect(result).toMatchObject({ ok: true, size: bytes.length, type: { ext, mime: contentType } });
      expect(await exists(key)).toBe(true);
    });

    it('accepts a docx whose [Content_Types].xml lies past the first 4100 bytes, from the central directory', async () => {
      expect(await fileTypeFromBuffer(docxLateContentTypes.subarray(0, SNIFF_BYTES))).toMatchObject({ ext: 'zip' });
      const key = await upload(docxLateContentTypes, DOCX);

      const result = await store.verify(key, { declaredType: DOCX });

      expect(result).toMatchObject({ ok: true, type: { ext: 'docx' } });
    });

    it('refuses a plain zip declared as docx, and deletes it', async () => {
      const key = await upload(plainZip, DOCX);

      const result = refusal(await store.verify(key, { declaredType: DOCX }));

      expect(result.reason).toBe(reasons.contentNotAllowed);
      expect(await exists(key)).toBe(false);
    });

    it('refuses a Windows executable renamed to .pdf, and deletes it', async () => {
      const key = await upload(exeBytes, PDF);

      const result = refusal(await store.verify(key, { declaredType: PDF }));

      expect(result).toMatchObject({ code: 'not-allowed' });
      expect(result.reason).toBe(
        'De inhoud van het bestand hoort niet bij een toegestaan bestandstype. Toegestaan: pdf, jpg, png, docx, pptx en mp4.',
      );
      expect(await exists(key)).toBe(false);
    });

    it('refuses a file larger than maxBytes, which s3rver stored despite the policy, and deletes it', async () => {
      const maxBytes = 1024;
      const big = concat(pdfBytes, new Uint8Array(4096).fill(0x20));
      // s3rver ignores content-length-range: the 4 KB upload against a 1 KB policy succeeds.
      const key = await upload(big, PDF, maxBytes);
      expect(await exists(key)).toBe(true);

      const result = refusal(await store.verify(key, { declaredType: PDF, maxBytes }));

      expect(result).toEqual({ ok: false, code: 'too-large', reason: 'Het bestand is groter dan 1 kB.' });
      expect(await exists(key)).toBe(false);
    });

    it('refuses an empty file, which s3rver stored despite the policy, and deletes it', async () => {
      const key = await upload(new Uint8Array(), PDF);

      const result = refusal(await store.verify(key, { declaredType: PDF }));

      expect(result).toEqual({ ok: false, code: 'empty', reason: 'Het bestand is leeg.' });
      expect(await exists(key)).toBe(false);
    });

    it('refuses content of another allowed type than declared, and deletes it', async () => {
      const key = await upload(pngBytes, PDF);

      const result = refusal(await store.verify(key, { declaredType: PDF }));

      expect(result).toEqual({
        ok: false,
        code: 'mismatch',
        reason: 'Dit bestand is een png-bestand en geen pdf-bestand. Kies het juiste bestand.',
      });
      expect(await exists(key)).toBe(false);
    });

    it('refuses a docx declared as pptx', async () => {
      const key = await upload(docxBytes, PPTX);

      expect(refusal(await store.verify(key, { declaredType: PPTX })).code).toBe('mismatch');
    });

    it('refuses an upload whose Content-Type field was changed (s3rver ignores the eq condition), and deletes it', async () => {
      const key = newKey();
      const presigned = await store.presignUpload({ key, contentType: PDF });
      const response = await post(presigned, pdfBytes, 'lesplan.pdf', { 'Content-Type': 'text/html' });
      expect(response.status).toBe(204);

      const result = refusal(await store.verify(key, { declaredType: PDF }));

      expect(result).toEqual({ ok: false, code: 'upload-type', reason: reasons.uploadTypeChanged });
      expect(await exists(key)).toBe(false);
    });

    it('finds nothing at the server-made key when the key field was changed (s3rver ignores the key condition)', async () => {
      const key = newKey();
      const elsewhere = newKey();
      const presigned = await store.presignUpload({ key, contentType: PDF });
      const response = await post(presigned, pdfBytes, 'lesplan.pdf', { key: elsewhere });
      expect(response.status).toBe(204);
      expect(await exists(elsewhere)).toBe(true);

      const result = refusal(await store.verify(key, { declaredType: PDF }));

      expect(result.code).toBe('not-found');
    });

    it('says in Dutch that a missing object is not found', async () => {
      const result = refusal(await store.verify(newKey(), { declaredType: PDF }));

      expect(result).toEqual({ ok: false, code: 'not-found', reason: reasons.notFound });
      expect(result.reason).toContain('niet gevonden');
    });

    it('refuses an object stored with a type that is not allowed, and deletes it', async () => {
      const key = newKey();
      await clients.s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: ascii('<html></html>'), ContentType: 'text/html' }),
      );

      const result = refusal(await store.verify(key, { declaredType: 'text/html' }));

      expect(result).toEqual({ ok: false, code: 'not-allowed', reason: reasons.typeNotAllowed });
      expect(await exists(key)).toBe(false);
    });
  });

  describe('accept', () => {
    it('copies the verified bytes to the served key without the upload\'s tags, and spends the upload key', async () => {
      // An infected PDF (it passes the type check) uploaded to uploads/, which nothing scans, and
      // tagged clean by hand (as a crafted POST could try): the served copy must carry its own
      // scan's verdict, never the upload's tag.
      const bytes = infectedPdf();
      const source = uploadKey({ schoolYear: '2025-2026', studentNumber: '1012001', requestId: 'req-1', attachmentId: newAttachmentId() });
      const presigned = await store.presignUpload({ key: source, contentType: PDF });
      expect((await post(presigned, bytes, 'bestand')).status).toBe(204);
      await clients.s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: source, Tagging: { TagSet: [{ Key: 'GuardDutyMalwareScanStatus', Value: 'NO_THREATS_FOUND' }] } }));
      const served = newKey();

      const result = await store.accept(source, served, { declaredType: PDF });

      expect(result).toMatchObject({ ok: true, size: bytes.length, type: { ext: 'pdf', mime: PDF } });
      expect(await exists(source)).toBe(false);
      const copy = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: served }));
      expect(new Uint8Array(await copy.Body!.transformToByteArray())).toEqual(bytes);
      expect(copy.ContentType).toBe(PDF);
      expect(await waitForScanTag(clients.s3, bucket, served)).toBe('THREATS_FOUND');
    });

    it('copies nothing when the upload is refused, and deletes the upload', async () => {
      const source = await upload(pngBytes, PDF);
      const served = newKey();

      const result = await store.accept(source, served, { declaredType: PDF });

      expect(result).toMatchObject({ ok: false, code: 'mismatch' });
      expect(await exists(source)).toBe(false);
      expect(await exists(served)).toBe(false);
    });
  });

  describe('open', () => {
    it('streams the bytes while their ETag is the verified one', async () => {
      const source = await upload(pdfBytes, PDF);
      const served = newKey();
      const accepted = await store.accept(source, served, { declaredType: PDF });
      if (!accepted.ok) throw new Error(accepted.reason);

      const opened = await store.open(served, { versionId: accepted.versionId, etag: accepted.etag });

      expect(opened.size).toBe(pdfBytes.length);
      expect(new Uint8Array(await new Response(opened.body).arrayBuffer())).toEqual(pdfBytes);
    });

    it('refuses bytes whose ETag is not the verified one', async () => {
      const source = await upload(pdfBytes, PDF);
      const served = newKey();
      const accepted = await store.accept(source, served, { declaredType: PDF });
      if (!accepted.ok) throw new Error(accepted.reason);
      await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: served, Body: pngBytes, ContentType: PDF }));

      await expect(store.open(served, { versionId: accepted.versionId, etag: accepted.etag })).rejects.toBeInstanceOf(AttachmentChangedError);
    });
  });

  describe('removeAllVersions', () => {
    it('deletes the object for good on s3rver, which keeps no versions', async () => {
      const key = await upload(pdfBytes, PDF);

      await store.removeAllVersions(key);

      expect(await exists(key)).toBe(false);
    });

    it('deletes every version and delete marker of exactly that key in a versioned bucket', async () => {
      // s3rver has no versions: the S3 answers are stubbed here, the deletes recorded.
      const s3 = mockClient(S3Client);
      const key = 'attachments/2025-2026/1012001/req-1/abc';
      s3.on(ListObjectVersionsCommand)
        .resolvesOnce({
          IsTruncated: true,
          NextKeyMarker: key,
          NextVersionIdMarker: 'v2',
          Versions: [{ Key: key, VersionId: 'v1' }, { Key: key, VersionId: 'v2' }],
        })
        .resolvesOnce({
          IsTruncated: false,
          Versions: [{ Key: `${key}-longer`, VersionId: 'x1' }],
          DeleteMarkers: [{ Key: key, VersionId: 'm1' }],
        });
      s3.on(DeleteObjectCommand).resolves({});
      const versioned = new AttachmentStore(new S3Client({ region: 'eu-west-1' }), 'bucket');

      const count = await versioned.removeAllVersions(key);

      expect(count).toBe(3);
      expect(s3.commandCalls(DeleteObjectCommand).map((call) => call.args[0].input)).toEqual([
        { Bucket: 'bucket', Key: key, VersionId: 'v1' },
        { Bucket: 'bucket', Key: key, VersionId: 'v2' },
        { Bucket: 'bucket', Key: key, VersionId: 'm1' },
      ]);
      expect(s3.commandCalls(ListObjectVersionsCommand)[1]!.args[0].input).toMatchObject({ KeyMarker: key, VersionIdMarker: 'v2' });
      s3.restore();
    });
  });

  describe('remove', () => {
    it('deletes the object', async () => {
      const key = await upload(pdfBytes, PDF);

      await store.remove(key);

      expect(await exists(key)).toBe(false);
    });
  });
});

describe('attachmentKey', () => {
  it('builds the key from server-made parts only', () => {
    expect(
      attachmentKey({ schoolYear: '2025-2026', studentNumber: '1012001', requestId: 'r1', attachmentId: 'a_b-c' }),
    ).toBe('attachments/2025-2026/1012001/r1/a_b-c');
  });

  it.each([
    { schoolYear: '../2025', studentNumber: '1012001', requestId: 'r1', attachmentId: 'a' },
    { schoolYear: '2025-2026', studentNumber: '10/12', requestId: 'r1', attachmentId: 'a' },
    { schoolYear: '2025-2026', studentNumber: '1012001', requestId: '..', attachmentId: 'a' },
    { schoolYear: '2025-2026', studentNumber: '1012001', requestId: 'r1', attachmentId: 'lesplan.pdf' },
  ])('throws on a part that could carry a path or user text: %o', (parts) => {
    expect(() => attachmentKey(parts)).toThrow();
  });
});

describe('newAttachmentId', () => {
  it('is random and URL-safe', () => {
    const ids = new Set(Array.from({ length: 100 }, () => newAttachmentId()));

    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
