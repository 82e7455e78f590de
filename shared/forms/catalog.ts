import type { FormDefinition } from './definition.ts';

/**
 * The form definitions, as a port: `shared/` never imports `forms/` (the content), it is handed a
 * catalog. Every deployment uses the live content's (shared/content/live.ts: the shipped forms of
 * `forms/index.ts` plus the versions published as workbooks); tests and benches may hand in their own.
 */
export interface FormCatalog {
  /** Every version of every form. */
  readonly all: readonly FormDefinition[];
  /** Version `version` of form `id`, or its latest version; undefined for an unknown id or version. */
  get(id: string, version?: number): FormDefinition | undefined;
  /** The latest version of every form, one per form id. */
  latest(): FormDefinition[];
  /** The Dutch title of a form by id ("Kijkwijzer pedagogiek"); the id itself for an unknown form. */
  title(id: string): string;
  /** How a sentence names a form by id ("het advies van de werkplekbegeleider"); the id for an unknown form. */
  reference(id: string, options?: { capital?: boolean }): string;
}
