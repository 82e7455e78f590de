import { describe, expect, it } from 'vitest';
import { formCatalog, getForm, parseForms } from '../../../forms/index.ts';
import { versions as pedagogiekVersions } from '../../../forms/kijkwijzer-pedagogiek.ts';
import type { FormCatalog } from '../../../shared/forms/catalog.ts';
import { formItems, type FormDefinitionInput } from '../../../shared/forms/definition.ts';
import { adviceSignal, scoreCounts, type ScoredForm } from '../../../shared/overview/signals.ts';

const pedagogiek = getForm('kijkwijzer-pedagogiek')!;
const scaleCodes = formItems(pedagogiek).filter((item) => item.type === 'scale').map((item) => item.code);

/** A pedagogiek kijkwijzer whose first `low` scale items are "matig" and the rest "goed". */
function kijkwijzer(low: number, rest: 'goed' | 'niet-gezien' = 'goed'): ScoredForm {
  const answers = Object.fromEntries(scaleCodes.map((code, i) => [code, i < low ? 'matig' : rest]));
  return { formId: pedagogiek.id, formVersion: pedagogiek.version, answers };
}

/** A pedagogiek kijkwijzer with these answers to its first scale items, the rest "niet gezien". */
function scored(values: readonly string[]): ScoredForm {
  expect(scaleCodes.length).toBeGreaterThanOrEqual(values.length);
  const answers = Object.fromEntries(scaleCodes.map((code, i) => [code, values[i] ?? 'niet-gezien']));
  return { formId: pedagogiek.id, formVersion: pedagogiek.version, answers };
}

describe('adviceSignal', () => {
  it('flags a positive advice when more than half of the scored items are below voldoende', () => {
    const signal = adviceSignal(formCatalog, 'positief', [kijkwijzer(scaleCodes.length)]);

    expect(signal).toMatchObject({ kind: 'positief-bij-lage-scores', below: scaleCodes.length, scored: scaleCodes.length });
  });

  it('flags a negative advice when more than half of the scored items are voldoende or goed (the reverse)', () => {
    const signal = adviceSignal(formCatalog, 'negatief', [kijkwijzer(1)]);

    expect(signal).toMatchObject({ kind: 'negatief-bij-goede-scores', below: 1, scored: scaleCodes.length });
  });

  it('does not flag at exactly half, nor "twijfel", nor without scored items', () => {
    // Two "matig" and two "goed", the rest not seen: 2 of the 4 scored items below voldoende.
    const half = scored(['matig', 'matig', 'goed', 'goed']);

    expect(adviceSignal(formCatalog, 'positief', [half])).toBeUndefined();
    expect(adviceSignal(formCatalog, 'negatief', [half])).toBeUndefined();
    expect(adviceSignal(formCatalog, 'twijfel', [kijkwijzer(scaleCodes.length)])).toBeUndefined();
    expect(adviceSignal(formCatalog, 'positief', [kijkwijzer(0, 'niet-gezien')])).toBeUndefined();
    expect(adviceSignal(formCatalog, undefined, [kijkwijzer(scaleCodes.length)])).toBeUndefined();
  });

  it('flags one past half: 3 of 5 scored items below voldoende for a positive advice, 3 of 5 at or above for a negative one', () => {
    expect(adviceSignal(formCatalog, 'positief', [scored(['matig', 'matig', 'matig', 'goed', 'goed'])])).toMatchObject({ below: 3, scored: 5 });
    expect(adviceSignal(formCatalog, 'negatief', [scored(['matig', 'matig', 'goed', 'goed', 'goed'])])).toMatchObject({ below: 2, scored: 5 });
  });

  it('leaves "niet gezien" out of the count', () => {
    const signal = adviceSignal(formCatalog, 'positief', [kijkwijzer(2, 'niet-gezien')]);

    expect(signal).toMatchObject({ kind: 'positief-bij-lage-scores', below: 2, scored: 2 });
  });
});

/**
 * A published version 2 of the pedagogiek kijkwijzer in the Hogeschool's own words: every scale
 * item scores "zwak", "op weg", "sterk", "uitstekend" or "niet gezien", with a note first.
 */
function ownWords(): { forms: Pick<FormCatalog, 'get'>; codes: string[] } {
  const v2 = structuredClone(pedagogiekVersions[0]) as FormDefinitionInput;
  v2.version = 2;
  for (const section of v2.sections) {
    for (const item of section.items) {
      if (item.type !== 'scale') continue;
      item.options = [
        { value: 'zwak', label: 'zwak', scale: 'onder' },
        { value: 'op-weg', label: 'op weg', scale: 'voldoende' },
        { value: 'sterk', label: 'sterk', scale: 'boven' },
        { value: 'uitstekend', label: 'uitstekend', scale: 'boven' },
        { value: 'niet-gezien', label: 'niet gezien', scale: 'niet-gezien' },
      ];
    }
  }
  v2.sections[0]?.items.unshift({ code: 'PED-UITLEG', label: "Kijk naar de hele les van Zoë, ook naar 't begin.", type: 'note', required: false });
  const all = parseForms([...pedagogiekVersions, v2]);
  const def = getForm('kijkwijzer-pedagogiek', 2, all)!;
  return { forms: { get: (id, version) => getForm(id, version, all) }, codes: formItems(def).filter((item) => item.type === 'scale').map((item) => item.code) };
}

describe('signals from a kijkwijzer with its own scale words', () => {
  const { forms, codes } = ownWords();
  const answered = (values: readonly string[]): ScoredForm => ({
    formId: 'kijkwijzer-pedagogiek',
    formVersion: 2,
    answers: Object.fromEntries(codes.map((code, i) => [code, values[i] ?? 'niet-gezien'])),
  });

  it('counts each answer by the position of its option, not by its word', () => {
    expect(scoreCounts(forms, [answered(['zwak', 'zwak', 'op-weg', 'sterk', 'uitstekend'])])).toEqual({ below: 2, atOrAbove: 3 });
  });

  it('flags a positive advice when most of these scores are below voldoende', () => {
    expect(adviceSignal(forms, 'positief', [answered(['zwak', 'zwak', 'zwak', 'sterk'])])).toEqual({
      kind: 'positief-bij-lage-scores',
      advice: 'positief',
      below: 3,
      scored: 4,
    });
  });

  it('flags a negative advice when most of these scores are voldoende or above', () => {
    expect(adviceSignal(forms, 'negatief', [answered(['op-weg', 'sterk', 'uitstekend', 'zwak'])])).toMatchObject({
      kind: 'negatief-bij-goede-scores',
      below: 1,
      scored: 4,
    });
  });

  it('leaves "niet gezien" and words of the default scale out of the count', () => {
    expect(scoreCounts(forms, [answered(['zwak', 'goed', 'matig'])])).toEqual({ below: 1, atOrAbove: 0 });
  });

  it('still counts version 1 with the default words', () => {
    const v1: ScoredForm = { formId: 'kijkwijzer-pedagogiek', formVersion: 1, answers: { 'PED-1': 'matig', 'PED-2': 'goed', 'PED-3': 'voldoende' } };
    expect(scoreCounts(forms, [v1, answered(['sterk'])])).toEqual({ below: 1, atOrAbove: 3 });
  });
});
