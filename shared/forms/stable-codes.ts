import type { SheetProblem } from '../xlsx/workbook.ts';
import { formItems } from './definition.ts';
import type { FormDefinition, FormItem, ItemType } from './definition.ts';

/**
 * Item codes are stable: a code is an answer key and a CSV column across every version, so it
 * keeps its type and its meaning for good. A new version of a form (a workbook before it is
 * published) is checked against every published version of every form:
 *
 * - a code keeps its type, wherever it was used (any form, any version);
 * - a code of exactly one other form stays that form's (codes several forms share by design, such
 *   as FEEDBACK, FEEDUP, FEEDFORWARD, GOED and LESDATUM, may be used by any form);
 * - a code removed from this form (in an earlier version, not in the latest) does not come back
 *   for something else: it may come back only with a label it had;
 * - the label of a code in the latest version may change (a wording change).
 *
 * Section codes are free, and so are a section's readers: an item may move into or out of a section
 * for the SO and IO only, as who reads an answer follows the version it was given with. Problems
 * point at the item's row on the `survey` sheet.
 */

/** The Dutch name of an item type inside a sentence: "een schaalvraag". */
const TYPE_NAMES: Readonly<Record<ItemType, string>> = {
  scale: 'een schaalvraag',
  text: 'een open vraag',
  date: 'een datumvraag',
  choice: 'een keuzevraag',
  multi: 'een vraag met meer antwoorden',
  note: 'een tekst zonder vraag (note)',
};

/** One published use of a code. */
interface Use {
  def: FormDefinition;
  item: FormItem;
}

/**
 * The problems of a candidate version's item codes against `published` (every published version
 * of every form, shipped and stored); empty when every code keeps its type and meaning.
 * `rowOf` gives the survey row of a code in the candidate's workbook.
 */
export function checkStableCodes(
  candidate: FormDefinition,
  published: readonly FormDefinition[],
  rowOf: (code: string) => number | undefined,
): SheetProblem[] {
  const uses = new Map<string, Use[]>();
  for (const def of published) {
    for (const item of formItems(def)) uses.set(item.code, [...(uses.get(item.code) ?? []), { def, item }]);
  }
  const latestOf = (id: string): FormDefinition | undefined =>
    published.filter((def) => def.id === id).reduce<FormDefinition | undefined>((latest, def) => (latest === undefined || def.version > latest.version ? def : latest), undefined);
  const latest = latestOf(candidate.id);
  const latestCodes = new Set(latest ? formItems(latest).map((item) => item.code) : []);

  const problems: SheetProblem[] = [];
  for (const item of formItems(candidate)) {
    const earlier = uses.get(item.code) ?? [];
    if (earlier.length === 0) continue;
    const at = (column: string, message: string): void => {
      problems.push(withRow({ sheet: 'survey', column, message }, rowOf(item.code)));
    };
    const forms = new Set(earlier.map((use) => use.def.id));
    if (forms.size === 1 && !forms.has(candidate.id)) {
      const other = latestOf([...forms][0]!)!;
      at('name', `Code ${item.code} hoort bij het formulier ${other.title} (${other.id}); een code hoort bij één formulier. Geef deze vraag een nieuwe code.`);
      continue;
    }
    const otherType = earlier.find((use) => use.item.type !== item.type);
    if (otherType) {
      const where = otherType.def.id === candidate.id ? 'in eerdere versies' : `in het formulier ${latestOf(otherType.def.id)!.title}`;
      at('type', `Code ${item.code} is ${where} ${TYPE_NAMES[otherType.item.type]}; een code houdt altijd hetzelfde soort vraag. Geef deze vraag een nieuwe code.`);
      continue;
    }
    const own = earlier.filter((use) => use.def.id === candidate.id);
    if (own.length === 0 || latestCodes.has(item.code) || own.some((use) => use.item.label === item.label)) continue;
    const last = own.reduce((a, b) => (b.def.version > a.def.version ? b : a));
    at(
      'name',
      `Code ${item.code} stond tot en met versie ${last.def.version} van dit formulier bij de vraag "${last.item.label}" en is daarna verwijderd; een verwijderde code krijgt geen andere betekenis. Geef deze vraag een nieuwe code, of gebruik weer het label van toen.`,
    );
  }
  return problems;
}

function withRow(problem: SheetProblem, row: number | undefined): SheetProblem {
  return row === undefined ? problem : { sheet: problem.sheet, row, column: problem.column, message: problem.message };
}
