/**
 * What the Lambda bundles hold instead of the parts of pdfmake, pdfkit and fontkit that serve only
 * formats the PDFs never use (infra/bundling.ts, `LAMBDA_BUNDLING.alias`; docs/groeidossier.md,
 * "Bundle size"): the WOFF2 decoder (`brotli`, 486 kB of dictionary), PNG images (`png-js`), SVG
 * (`xmldoc` with `sax`) and encryption (`@noble/ciphers/aes`, `@noble/hashes/sha2`). The PDFs
 * embed TrueType fonts only, have no images, no SVG and no password. Each export throws a clear
 * error should a change ever reach one of them, instead of writing a broken PDF. vitest and tsx
 * load the real packages: only the bundles are trimmed, and test/infra/pdf-bundle.test.ts renders
 * from one.
 */

function leftOut(what: string): never {
  throw new Error(`${what} is left out of the Lambda bundle (infra/bundling.ts, LAMBDA_BUNDLING.alias): the PDFs embed TrueType fonts only, without images, SVG or passwords`);
}

/**
 * `brotli/decompress.js`'s default export (fontkit, for WOFF2 fonts) and `png-js`'s (pdfkit, for
 * PNG images): a function, so that `new PNG(…)` throws this error too.
 */
export default function unsupportedFormat(): never {
  return leftOut('Decoding a WOFF2 font (brotli) or a PNG image (png-js)');
}

/** `xmldoc` (pdfmake, for SVG). */
export function XmlDocument(): never {
  return leftOut('Reading SVG (xmldoc)');
}

/** `@noble/ciphers/aes` (pdfkit, for encrypted PDFs). */
export function cbc(): never {
  return leftOut('Encrypting a PDF (@noble/ciphers)');
}

/** `@noble/ciphers/aes` (pdfkit, for encrypted PDFs). */
export function ecb(): never {
  return leftOut('Encrypting a PDF (@noble/ciphers)');
}

/** `@noble/hashes/sha2` (pdfkit, for the keys of encrypted PDFs). */
export function sha256(): never {
  return leftOut('Encrypting a PDF (@noble/hashes/sha2)');
}
