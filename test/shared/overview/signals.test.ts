import { describe, expect, it } from 'vitest';
import { formCatalog, getForm } from '../../../forms/index.ts';
import { formItems } from '../../../shared/forms/definition.ts';
import { adviceSignal, type ScoredForm } from '../../../shared/overview/signals.ts';

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
