import { FormDefinitionError, formItems, formPhrase, parseFormDefinition } from '#shared/forms/definition.ts';
import type { FormDefinition, ItemType } from '#shared/forms/definition.ts';
import type { FormCatalog } from '#shared/forms/catalog.ts';
import { FORM_IDS } from '#shared/tasks.ts';
import type { FormId } from '#shared/tasks.ts';
import { versions as adviesWpb } from './advies-wpb.ts';
import { versions as experimentWpp10 } from './experiment-wpp10.ts';
import { versions as experimentWpp7 } from './experiment-wpp7.ts';
import { versions as experimentWpp9 } from './experiment-wpp9.ts';
import { versions as kijkwijzerDidactiek } from './kijkwijzer-didactiek.ts';
import { versions as kijkwijzerDigitaleDidactiek } from './kijkwijzer-digitale-didactiek.ts';
import { versions as kijkwijzerPedagogiek } from './kijkwijzer-pedagogiek.ts';
import { versions as kijkwijzerVakdidactiek } from './kijkwijzer-vakdidactiek.ts';

/**
 * The form registry: every version of every form in `forms/`, validated when this module loads.
 * Lookups take an optional list of definitions (default: {@link allForms}) so tests can pass
 * fixtures instead of editing the real forms.
 *
 * Each form file spells out its own items, the feedback / feed-up / feedforward block included,
 * although the kijkwijzers share that text today: a form is data the Hogeschool replaces one form at
 * a time, and a shared helper would let a change to one form silently change the published version
 * of another (old submissions render with their own version).
 */

/**
 * Validates a list of form definitions as a registry: each one against the `FormDefinition` schema,
 * and across the list: an (id, version) pair occurs once, the versions of one form keep its kind,
 * and an item code has the same answer type wherever it occurs (in any form and version), so one CSV
 * column per code is well defined. Returns the definitions ordered by form id (in `FORM_IDS` order)
 * and then by version, oldest first. Throws a {@link FormDefinitionError} naming every problem.
 */
export function parseForms(inputs: readonly unknown[]): FormDefinition[] {
  const problems: string[] = [];
  const defs: FormDefinition[] = [];
  for (const input of inputs) {
    try {
      defs.push(parseFormDefinition(input));
    } catch (error) {
      if (!(error instanceof FormDefinitionError)) throw error;
      problems.push(error.message);
    }
  }
  const seen = new Set<string>();
  const kinds = new Map<string, string>();
  const types = new Map<string, { type: ItemType; where: string }>();
  for (const def of defs) {
    const where = `${def.id} version ${def.version}`;
    if (seen.has(`${def.id}@${def.version}`)) problems.push(`${where} is defined more than once`);
    seen.add(`${def.id}@${def.version}`);
    const kind = kinds.get(def.id);
    if (kind !== undefined && kind !== def.kind) problems.push(`${where} has kind ${def.kind}, an earlier version ${kind}`);
    kinds.set(def.id, def.kind);
    for (const item of formItems(def)) {
      const first = types.get(item.code);
      if (first === undefined) types.set(item.code, { type: item.type, where });
      else if (first.type !== item.type) {
        problems.push(`item ${item.code} is ${item.type} in ${where} but ${first.type} in ${first.where}`);
      }
    }
  }
  if (problems.length > 0) throw new FormDefinitionError(problems.join('\n'));
  const order = (id: string): number => (FORM_IDS as readonly string[]).indexOf(id);
  return defs.sort((a, b) => order(a.id) - order(b.id) || a.version - b.version);
}

/** Fails fast when a form id has no definition at all, so titles and lookups never come up empty. */
function requireEveryForm(defs: FormDefinition[]): FormDefinition[] {
  const missing = FORM_IDS.filter((id) => !defs.some((def) => def.id === id));
  if (missing.length > 0) throw new FormDefinitionError(`forms/ has no definition for ${missing.join(', ')}`);
  return defs;
}

/** Every version of every form, validated at module load; ordered by form id, then version (oldest first). */
export const allForms: readonly FormDefinition[] = requireEveryForm(parseForms([
  ...kijkwijzerPedagogiek,
  ...kijkwijzerDidactiek,
  ...kijkwijzerVakdidactiek,
  ...kijkwijzerDigitaleDidactiek,
  ...adviesWpb,
  ...experimentWpp7,
  ...experimentWpp9,
  ...experimentWpp10,
]));

/**
 * A form definition: version `version` of form `id`, or its latest version when `version` is
 * omitted. Undefined for an unknown id or version (ids and versions come from stored data and URLs,
 * so this never throws).
 */
export function getForm(
  id: string,
  version?: number,
  forms: readonly FormDefinition[] = allForms,
): FormDefinition | undefined {
  const candidates = forms.filter((def) => def.id === id);
  if (version === undefined) {
    return candidates.reduce<FormDefinition | undefined>(
      (latest, def) => (latest === undefined || def.version > latest.version ? def : latest),
      undefined,
    );
  }
  return candidates.find((def) => def.version === version);
}

/** The latest version of every form, one per form id, in `FORM_IDS` order (ids without a definition are left out). */
export function latestForms(forms: readonly FormDefinition[] = allForms): FormDefinition[] {
  return FORM_IDS.flatMap((id) => getForm(id, undefined, forms) ?? []);
}

/** Whether a string is one of the form ids. */
export function isFormId(id: string): id is FormId {
  return (FORM_IDS as readonly string[]).includes(id);
}

/** The Dutch title of each form, from its latest version ("Kijkwijzer pedagogiek"). */
export const FORM_TITLES: Readonly<Record<FormId, string>> = Object.fromEntries(
  FORM_IDS.map((id) => [id, formTitle(id)]),
) as Record<FormId, string>;

/** The Dutch title of a form by id, from its latest version; the id itself for an unknown form. */
export function formTitle(id: string, forms: readonly FormDefinition[] = allForms): string {
  return getForm(id, undefined, forms)?.title ?? id;
}

/**
 * How a Dutch sentence names a form by id, from its latest version: "het advies van de
 * werkplekbegeleider", "de kijkwijzer pedagogiek" (`capital` for the start of a sentence); the id
 * itself for an unknown form.
 */
export function formReference(id: string, options: { capital?: boolean } = {}, forms: readonly FormDefinition[] = allForms): string {
  const def = getForm(id, undefined, forms);
  return def ? formPhrase(def, options) : id;
}

/**
 * The catalog of the shipped forms alone, without anything published: for tests and benches that
 * need no store. A deployment hands `allForms` to the live content (shared/content/live.ts) instead.
 */
export const formCatalog: FormCatalog = {
  all: allForms,
  get: (id, version) => getForm(id, version),
  latest: () => latestForms(),
  title: (id) => formTitle(id),
  reference: (id, options) => formReference(id, options),
};
