/* global module */
/**
 * The layer rules of docs/architecture.md, checked by `npm run depcruise` (the first step of
 * `npm test`):
 *
 *   infra/  ──(entry paths only)──▶  functions/  ──▶  shared/  ◀──  forms/
 *
 * Type-only imports count (`tsPreCompilationDeps`): a type cycle is a cycle, and a type a layer
 * may not see is as much a shortcut as a value.
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'infra-uses-functions-only-through-entry-paths',
      comment:
        'infra/ may use a function only through its entry path: functions/<name>/handler.ts, or functions/http/app.tsx, deps.ts and env.ts. Anything deeper is the function\'s own business.',
      severity: 'error',
      from: { path: '^infra/' },
      to: { path: '^functions/', pathNot: '^functions/([^/]+/handler\\.ts|http/(app\\.tsx|deps\\.ts|env\\.ts))$' },
    },
    {
      name: 'functions-never-import-infra',
      comment: 'functions/ run on Lambda: they use shared/ and forms/, never the CDK app or the local stack in infra/.',
      severity: 'error',
      from: { path: '^functions/' },
      to: { path: '^infra/' },
    },
    {
      name: 'shared-imports-only-shared',
      comment:
        'shared/ is the domain and its adapters: it never imports functions/, infra/ or forms/. The form definitions reach it as the FormCatalog port (shared/forms/catalog.ts, deps.forms).',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(functions|infra|forms)/' },
    },
    {
      name: 'forms-never-import-functions-or-infra',
      comment: 'forms/ holds the form definitions: it uses shared/ (definition types and helpers) only.',
      severity: 'error',
      from: { path: '^forms/' },
      to: { path: '^(functions|infra)/' },
    },
    {
      name: 'no-cycles',
      comment: 'No import cycles, type-only imports included.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-unresolvable-imports',
      comment: 'An import that does not resolve cannot be checked against the rules above.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/' },
    // Type-only imports are dependencies too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // The `#shared/*`, `#forms/*` aliases are package.json "imports"; resolve them as Node does.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
