/**
 * How every Lambda function is bundled, in one place: `infra/constructs/app-function.ts` gives
 * these settings to CDK's NodejsFunction (which runs the local esbuild with them), and
 * `infra/bundle-size.ts` (the size budgets and `npm run bench`) runs esbuild's JS API with the same
 * settings through {@link lambdaEsbuildOptions}. Change them here and both follow.
 *
 * Deliberately free of CDK and esbuild at run time, so that the CDK app and the measurements can
 * both import it cheaply.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';
import { FONT_ASSETS } from '#shared/pdf/font-files.ts';

/**
 * Lets CommonJS dependencies that call `require()` (of Node built-ins) run inside the ESM bundle.
 * The alias keeps the banner's import from clashing with a `createRequire` that esbuild emits
 * itself when bundled code imports it from `node:module`.
 */
export const REQUIRE_SHIM =
  "import { createRequire as __bannerCreateRequire } from 'node:module'; const require = __bannerCreateRequire(import.meta.url);";

/** The module {@link LAMBDA_BUNDLING}'s `alias` puts in place of what the PDFs never use (infra/pdf-stub.ts), absolute: esbuild runs from other folders too. */
export const PDF_STUB = fileURLToPath(new URL('./pdf-stub.ts', import.meta.url));

/**
 * fontkit's CommonJS build, absolute: the one copy of fontkit in the bundles. pdfkit `require`s
 * fontkit and shared/pdf/fonts.ts `import`s it; fontkit's `exports` map gives the two different
 * files, which esbuild would both bundle (260 kB more) and which would then be two fontkits.
 */
export const FONTKIT = createRequire(import.meta.url).resolve('fontkit');

/**
 * The esbuild settings of every Lambda bundle. The AWS SDK is bundled (no externals): the code
 * then runs with the SDK versions pinned in package-lock.json, and tree-shaking keeps only the
 * clients a function imports.
 */
export const LAMBDA_BUNDLING = {
  /** Matches the nodejs22.x runtime. */
  target: 'node22',
  /** NodejsFunction always passes `--platform=node`; listed for the esbuild API, which defaults to browser. */
  platform: 'node',
  /** ESM, so the handlers' top-level await works; CDK then names the output `index.mjs`. */
  format: 'esm',
  minify: true,
  /** A linked `index.mjs.map` next to the bundle (CDK's `SourceMapMode.DEFAULT`). */
  sourceMap: true,
  /** Mappings are enough for stack traces; embedding the sources would double the asset. */
  sourcesContent: false,
  /** Prefer packages' ESM builds, which tree-shake better than their CommonJS ones. */
  mainFields: ['module', 'main'],
  banner: REQUIRE_SHIM,
  /** Nothing external: the AWS SDK included (CDK: `bundleAwsSDK: true`, `externalModules: []`). */
  externalModules: [],
  /**
   * Imports bundled as {@link PDF_STUB}, a module whose exports throw a clear error: the parts of
   * the PDF libraries (the http function's lazy `render` chunk) that serve only formats the PDFs
   * never use. fontkit's WOFF2 decoder (`brotli`, 486 kB; the PDFs embed TrueType only), pdfkit's
   * PNG images and encryption, pdfmake's SVG (`xmldoc`, which brings `sax`). Nothing else in any
   * function imports them (docs/groeidossier.md, "Bundle size"). Only the bundles: vitest and tsx
   * load the real packages. And `fontkit` as {@link FONTKIT}, so that pdfkit and our code share one.
   */
  alias: {
    fontkit: FONTKIT,
    'brotli/decompress.js': PDF_STUB,
    'png-js': PDF_STUB,
    xmldoc: PDF_STUB,
    '@noble/ciphers/aes': PDF_STUB,
    '@noble/hashes/sha2': PDF_STUB,
  },
} as const satisfies {
  target: string;
  platform: 'node';
  format: 'esm' | 'cjs';
  minify: boolean;
  sourceMap: boolean;
  sourcesContent: boolean;
  mainFields: readonly string[];
  banner: string;
  externalModules: readonly string[];
  alias: Readonly<Record<string, string>>;
};

/**
 * esbuild API options equal to the command NodejsFunction runs for {@link LAMBDA_BUNDLING}
 * (`esbuild --bundle <entry> --target=node22 --platform=node --format=esm --outfile=…/index.mjs
 * --minify --sourcemap --sources-content=false --banner:js=… --main-fields=module,main --alias:…`), plus a
 * metafile. Add `entryPoints` or `stdin`.
 */
export function lambdaEsbuildOptions(outfile: string, absWorkingDir: string): BuildOptions {
  return {
    bundle: true,
    target: LAMBDA_BUNDLING.target,
    platform: LAMBDA_BUNDLING.platform,
    format: LAMBDA_BUNDLING.format,
    outfile,
    minify: LAMBDA_BUNDLING.minify,
    sourcemap: LAMBDA_BUNDLING.sourceMap,
    sourcesContent: LAMBDA_BUNDLING.sourcesContent,
    mainFields: [...LAMBDA_BUNDLING.mainFields],
    banner: { js: LAMBDA_BUNDLING.banner },
    external: [...LAMBDA_BUNDLING.externalModules],
    alias: { ...LAMBDA_BUNDLING.alias },
    absWorkingDir,
    logLevel: 'error',
    metafile: true,
  };
}

/**
 * Code splitting, for the http function only (see docs/bundles.md, "Code splitting of the http
 * function"): the same settings as {@link LAMBDA_BUNDLING}, but esbuild writes an output folder
 * instead of one file: the entry `index.mjs` (so the handler stays `index.handler`) and the chunks it
 * imports, statically or with `import()`, under `chunks/`. The SDK's own `import()` targets (the
 * credential providers a Lambda role never needs) and the staff group (functions/http/staff.ts)
 * then load only when used. ESM only: esbuild splits nothing else.
 *
 * The {@link REQUIRE_SHIM} banner goes on every output file: each chunk is a module of its own, so a
 * chunk holding a CommonJS dependency (or esbuild's `__require` helper) needs its own `require`,
 * and the shim's names are module-scoped, so they cannot clash between chunks.
 */
export const LAMBDA_SPLITTING = {
  /** The functions (`functions/<name>/`) bundled this way: http-function.ts and the size budgets read it. */
  functions: ['http'],
  format: 'esm',
  /** The entry's name: `index` + {@link LAMBDA_SPLITTING.outExtension} = `index.mjs`, as CDK names it. */
  entryNames: 'index',
  chunkNames: 'chunks/[name]-[hash]',
  /** `.mjs`, so Node loads entry and chunks as ESM without a package.json in the asset. */
  outExtension: '.mjs',
} as const satisfies { functions: readonly string[]; format: 'esm'; entryNames: string; chunkNames: string; outExtension: string };

/** Whether the function `functions/<name>/` is bundled with code splitting ({@link LAMBDA_SPLITTING}). */
export function isSplitFunction(name: string): boolean {
  return (LAMBDA_SPLITTING.functions as readonly string[]).includes(name);
}

/**
 * esbuild API options for a split build into `outdir` ({@link LAMBDA_SPLITTING}), otherwise equal to
 * {@link lambdaEsbuildOptions}. Add `entryPoints` (one).
 */
export function lambdaSplitEsbuildOptions(outdir: string, absWorkingDir: string): BuildOptions {
  const { outfile: _outfile, ...options } = lambdaEsbuildOptions('index.mjs', absWorkingDir);
  return {
    ...options,
    format: LAMBDA_SPLITTING.format,
    splitting: true,
    outdir,
    entryNames: LAMBDA_SPLITTING.entryNames,
    chunkNames: LAMBDA_SPLITTING.chunkNames,
    outExtension: { '.js': LAMBDA_SPLITTING.outExtension },
  };
}

/**
 * The esbuild command line of {@link lambdaSplitEsbuildOptions} (without a metafile), for CDK's
 * `afterBundling` hook (infra/constructs/app-function.ts), which runs it in a shell after
 * NodejsFunction's own one-file build: it writes `index.mjs` and its chunks over that file.
 *
 * @param esbuild The esbuild binary. @param entry The handler, absolute. @param outdir The asset folder.
 */
export function lambdaSplitEsbuildCommand(esbuild: string, entry: string, outdir: string): string {
  const args = [
    esbuild,
    entry,
    '--bundle',
    `--target=${LAMBDA_BUNDLING.target}`,
    `--platform=${LAMBDA_BUNDLING.platform}`,
    `--format=${LAMBDA_SPLITTING.format}`,
    '--splitting',
    `--outdir=${outdir}`,
    `--entry-names=${LAMBDA_SPLITTING.entryNames}`,
    `--chunk-names=${LAMBDA_SPLITTING.chunkNames}`,
    `--out-extension:.js=${LAMBDA_SPLITTING.outExtension}`,
    ...(LAMBDA_BUNDLING.minify ? ['--minify'] : []),
    ...(LAMBDA_BUNDLING.sourceMap ? ['--sourcemap'] : []),
    `--sources-content=${LAMBDA_BUNDLING.sourcesContent}`,
    `--main-fields=${LAMBDA_BUNDLING.mainFields.join(',')}`,
    `--banner:js=${LAMBDA_BUNDLING.banner}`,
    ...LAMBDA_BUNDLING.externalModules.map((m) => `--external:${m}`),
    ...lambdaAliasArgs().map((alias) => `--alias:${alias}`),
    '--log-level=warning',
  ];
  return args.map(shellQuote).join(' ');
}

/**
 * {@link LAMBDA_BUNDLING}'s `alias` as esbuild's command line takes it (`<import>=<module>`, after
 * `--alias:`): CDK's `esbuildArgs: { '--alias': lambdaAliasArgs() }` and the split build's command.
 */
export function lambdaAliasArgs(): string[] {
  return Object.entries(LAMBDA_BUNDLING.alias).map(([from, to]) => `${from}=${to}`);
}

/**
 * Files a function reads at run time, beside its bundle: module paths (`<package>/<file>`) that the
 * code finds with Node's module resolution (`require.resolve`), so they are copied into the asset
 * at `node_modules/<package>/<file>`, where that resolution finds them from the entry and from
 * `chunks/`. Not bundled as JavaScript: the http function's PDFs read the DejaVu Sans faces
 * (shared/pdf/fonts.ts, 2.6 MB) only when a PDF is made, so they are neither in a chunk nor in the
 * size budgets (which count `.mjs` files), and vitest, tsx and the bundle read the very same files.
 * CDK copies them in `AppFunction`'s `afterBundling` hook ({@link lambdaFileCommands}); the size
 * measurement (infra/bundle-size.ts) copies them too, so its output runs as the asset does.
 */
export const LAMBDA_FILES: Readonly<Record<string, readonly string[]>> = {
  http: FONT_ASSETS,
};

/** The files function `name` reads beside its bundle: where each is in this repository, and where it goes in the asset. */
export function lambdaFiles(name: string): { from: string; to: string }[] {
  const require = createRequire(import.meta.url);
  return (LAMBDA_FILES[name] ?? []).map((path) => ({ from: require.resolve(path), to: `node_modules/${path}` }));
}

/** The shell commands that copy function `name`'s {@link lambdaFiles} into the asset folder `outdir` (none for most functions). */
export function lambdaFileCommands(name: string, outdir: string): string[] {
  return lambdaFiles(name).map(({ from, to }) => {
    const target = `${outdir}/${to}`;
    return `mkdir -p ${shellQuote(target.slice(0, target.lastIndexOf('/')))} && cp ${shellQuote(from)} ${shellQuote(target)}`;
  });
}

/** One shell word: single-quoted unless it is plainly safe. */
function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
