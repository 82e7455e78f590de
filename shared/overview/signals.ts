import type { Answers } from '../forms/answers.ts';
import type { FormCatalog } from '../forms/catalog.ts';
import { formItems, scaleOptions } from '../forms/definition.ts';
import type { ScalePosition } from '../forms/definition.ts';

/**
 * Signals for the IO: where the WPB's advice and the observations disagree.
 *
 * The observations are the latest submitted kijkwijzer of each type (pedagogiek, didactiek, ...),
 * all their scale items together. An answer counts by the scale position of the chosen option, not
 * by its words, so a kijkwijzer with its own scale ("zwak", "sterk") gives signals too; "niet
 * gezien", unanswered items and values that are no option do not count. "Mostly" means strictly
 * more than half of the scored items:
 * - a positive advice while most scores are below voldoende (position `onder`);
 * - a negative advice while most scores are voldoende or above (`voldoende` or `boven`).
 * "Twijfel" never disagrees; without scored items there is nothing to compare.
 */

/** The positions at or above voldoende. */
const AT_OR_ABOVE: ReadonlySet<ScalePosition> = new Set(['voldoende', 'boven']);

/** A disagreement between advice and observations, with the counts behind it. */
export interface AdviceSignal {
  kind: 'positief-bij-lage-scores' | 'negatief-bij-goede-scores';
  advice: string;
  below: number;
  scored: number;
}

/** A submitted form's answers with its form id and version. */
export interface ScoredForm {
  formId: string;
  formVersion: number;
  answers: Answers;
}

/** Counts the scored scale answers of some kijkwijzers (their definitions from `forms`). */
export function scoreCounts(forms: Pick<FormCatalog, 'get'>, kijkwijzers: readonly ScoredForm[]): { below: number; atOrAbove: number } {
  let below = 0;
  let atOrAbove = 0;
  for (const form of kijkwijzers) {
    const def = forms.get(form.formId, form.formVersion);
    if (!def) continue;
    for (const item of formItems(def)) {
      if (item.type !== 'scale') continue;
      const value = form.answers[item.code];
      if (value === undefined) continue;
      const position = scaleOptions(item).find((option) => option.value === value)?.scale;
      if (position === 'onder') below++;
      else if (position !== undefined && AT_OR_ABOVE.has(position)) atOrAbove++;
    }
  }
  return { below, atOrAbove };
}

/** The signal for one student: the advice value (`ADV-ADVIES`) against the latest kijkwijzers. */
export function adviceSignal(forms: Pick<FormCatalog, 'get'>, advice: string | undefined, kijkwijzers: readonly ScoredForm[]): AdviceSignal | undefined {
  if (advice !== 'positief' && advice !== 'negatief') return undefined;
  const { below, atOrAbove } = scoreCounts(forms, kijkwijzers);
  const scored = below + atOrAbove;
  if (scored === 0) return undefined;
  if (advice === 'positief' && below * 2 > scored) return { kind: 'positief-bij-lage-scores', advice, below, scored };
  if (advice === 'negatief' && atOrAbove * 2 > scored) return { kind: 'negatief-bij-goede-scores', advice, below, scored };
  return undefined;
}
