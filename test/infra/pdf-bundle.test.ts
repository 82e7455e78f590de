import { readdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyLambdaFiles } from '#infra/bundle-size.ts';
import { lambdaFileCommands, lambdaSplitEsbuildCommand, lambdaSplitEsbuildOptions, LAMBDA_BUNDLING, FONTKIT, LAMBDA_FILES, PDF_STUB } from '#infra/bundling.ts';
import unsupportedFormat, { XmlDocument } from '#infra/pdf-stub.ts';
import type { renderPdf as RenderPdf } from '../../shared/pdf/render.ts';
import type { PdfDocument } from '../../shared/pdf/document.ts';
import { pdfFonts, pdfText } from '../support/pdf.ts';

/**
 * The PDF renderer as the http function's bundle holds it (infra/bundling.ts): built with the Lambda
 * settings (split, ESM, minified) into a folder outside the repository, with only the files CDK
 * copies beside it (`LAMBDA_FILES`), and run from there. pdfmake, pdfkit and fontkit must work
 * bundled (no `__dirname`, no files of their own), the font must come from the copied files, and
 * what the settings alias away (`LAMBDA_BUNDLING.alias`: WOFF2, PNG, SVG, encryption) must not be
 * missed.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the PDF renderer in the Lambda bundle', () => {
  let dir = '';
  let renderPdf: typeof RenderPdf;
  let metafile: Metafile;
  const doc: PdfDocument = {
    content: [{ text: "Zoë Çelik-'t Hooft", bold: true }, 'Ğüneş Şahin, Łukasz, Óscar 👍'],
    footer: (page, pages) => `pagina ${page} van ${pages}`,
    info: { title: 'Proef' },
    styles: {},
    defaultStyle: { fontSize: 10 },
    pageSize: 'A4',
    pageMargins: [50, 50, 50, 60],
    language: 'nl-NL',
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'werkplekleren-pdf-bundle-'));
    ({ metafile } = await build({
      ...lambdaSplitEsbuildOptions(dir, root),
      stdin: { contents: "export { renderPdf } from './shared/pdf/render.ts';", resolveDir: root, sourcefile: 'pdf-entry.ts', loader: 'ts' },
    }) as { metafile: Metafile });
    await copyLambdaFiles('http', dir);
    ({ renderPdf } = (await import(pathToFileURL(join(dir, 'index.mjs')).href)) as { renderPdf: typeof RenderPdf });
  }, 60_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('copies the four DejaVu Sans faces and the licence into the asset, under node_modules', async () => {
    expect(LAMBDA_FILES.http).toEqual([
      'dejavu-fonts-ttf/ttf/DejaVuSans.ttf',
      'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf',
      'dejavu-fonts-ttf/ttf/DejaVuSans-Oblique.ttf',
      'dejavu-fonts-ttf/ttf/DejaVuSans-BoldOblique.ttf',
      'dejavu-fonts-ttf/LICENSE',
    ]);
    expect((await readdir(join(dir, 'node_modules/dejavu-fonts-ttf/ttf'))).sort()).toEqual(['DejaVuSans-Bold.ttf', 'DejaVuSans-BoldOblique.ttf', 'DejaVuSans-Oblique.ttf', 'DejaVuSans.ttf']);
    // CDK's hook runs the same copies, into the asset folder it names.
    const commands = lambdaFileCommands('http', '/asset-output');
    expect(commands).toHaveLength(5);
    expect(commands[0]).toMatch(/^mkdir -p \/asset-output\/node_modules\/dejavu-fonts-ttf\/ttf && cp \S+\/node_modules\/dejavu-fonts-ttf\/ttf\/DejaVuSans\.ttf \/asset-output\/node_modules\/dejavu-fonts-ttf\/ttf\/DejaVuSans\.ttf$/);
    expect(lambdaFileCommands('ses-events', '/asset-output')).toEqual([]);
  });

  it('renders a PDF from the bundle with the copied font embedded, the text intact and the emoji replaced', async () => {
    const bytes = await renderPdf(doc);
    const text = await pdfText(bytes);
    expect(text).toContain("Zoë Çelik-'t Hooft");
    expect(text).toContain('Ğüneş Şahin, Łukasz, Óscar □');
    expect(await pdfFonts(bytes)).toMatch(/\+DejaVuSans-Bold +CID TrueType +Identity-H +yes +yes +yes/);
  });

  it('leaves out the WOFF2 decoder, PNG, SVG and encryption: the stub stands in for them', () => {
    const inputs = Object.keys(metafile.inputs);
    for (const left of ['brotli', 'png-js', 'xmldoc', 'sax', '@noble/ciphers']) expect(inputs.filter((input) => input.includes(`node_modules/${left}/`)), left).toEqual([]);
    expect(inputs.filter((input) => /node_modules\/@noble\/hashes\/.*sha2/.test(input))).toEqual([]);
    expect(inputs).toContain('infra/pdf-stub.ts');
    // fontkit and pdfkit themselves are there, and the DejaVu faces are not bundled as JavaScript.
    // One fontkit, the CommonJS build pdfkit requires, although shared/pdf/fonts.ts imports it as ESM.
    expect(inputs.filter((input) => input.includes('node_modules/fontkit/'))).toEqual(['node_modules/fontkit/dist/main.cjs']);
    expect(inputs.filter((input) => input.endsWith('.ttf'))).toEqual([]);
    // The same aliases reach CDK's split build (its command line) as the esbuild API.
    const command = lambdaSplitEsbuildCommand('esbuild', '/src/functions/http/handler.ts', '/asset-output');
    for (const [from, to] of Object.entries(LAMBDA_BUNDLING.alias)) expect(command).toContain(`--alias:${from}=${to}`);
    expect(Object.entries(LAMBDA_BUNDLING.alias).filter(([, to]) => to !== PDF_STUB)).toEqual([['fontkit', FONTKIT]]);
  });

  it('says clearly what is left out should a PDF ever need it, in the bundle and in the stub', async () => {
    const svg = { ...doc, content: [{ svg: '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>' }] } as unknown as PdfDocument;
    await expect(renderPdf(svg)).rejects.toThrow('Reading SVG (xmldoc) is left out of the Lambda bundle (infra/bundling.ts, LAMBDA_BUNDLING.alias)');
    expect(() => unsupportedFormat()).toThrow(/^Decoding a WOFF2 font \(brotli\) or a PNG image \(png-js\) is left out of the Lambda bundle/);
    expect(() => new (XmlDocument as unknown as new () => unknown)()).toThrow(/SVG/);
  });
});
