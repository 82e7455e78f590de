/**
 * How every Lambda function is bundled, in one place: `infra/constructs/app-function.ts` gives
 * these settings to CDK's NodejsFunction (which runs the local esbuild with them), and
 * `infra/bundle-size.ts` (the size budgets and `npm run bench`) runs esbuild's JS API with the same
 * settings through {@link lambdaEsbuildOptions}. Change them here and both follow.
 *
 * Deliberately free of CDK and esbuild at run time, so that the CDK app and the measurements can
 * both import it cheaply.
 */
import type { BuildOptions } from 'esbuild';

/**
 * Lets CommonJS dependencies that call `require()` (of Node built-ins) run inside the ESM bundle.
 * The alias keeps the banner's import from clashing with a `createRequire` that esbuild emits
 * itself when bundled code imports it from `node:module`.
 */
export const REQUIRE_SHIM =
  "import { createRequire as __bannerCreateRequire } from 'node:module'; const require = __bannerCreateRequire(import.meta.url);";

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
};

/**
 * esbuild API options equal to the command NodejsFunction runs for {@link LAMBDA_BUNDLING}
 * (`esbuild --bundle <entry> --target=node22 --platform=node --format=esm --outfile=…/index.mjs
 * --minify --sourcemap --sources-content=false --banner:js=… --main-fields=module,main`), plus a
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
    absWorkingDir,
    logLevel: 'error',
    metafile: true,
  };
}
