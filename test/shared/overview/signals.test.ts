import { describe, expect, it } from 'vitest';
import { getForm } from '../../../forms/index.ts';
import { formItems } from '../../../shared/forms/definition.ts';
import { adviceSignal, type ScoredForm } from '../../../shared/overview/signals.ts';

const pedagogiek = getForm('kijkwijzer-pedagogiek')!;
const scaleCodes = formItems(pedagogiek).filter((item) => item.type === 'scale').map((item) => item.code);

/** A pedagogiek kijkwijzer whose first `low` scale items are "matig" and the rest "goed". */
function kijkwijzer(low: number, rest: 'goed' | 'niet-gezien' = 'goed'): ScoredForm {
  const answers = Object.fromEntries(scaleCodes.map((code, i) => [code, i < low ? 'matig' : rest]));
  return { formId: pedagogiek.id, formVersion: pedagogiek.version, answers };
}

describe('adviceSignal', () => {
  it('flags a positive advice when more than half of the scored items are below voldoende', () => {
    const signal = adviceSignal('positief', [kijkwijzer(scaleCodes.length)]);

    expect(signal).toMatchObject({ kind: 'positief-bij-lage-scores', below: scaleCodes.length, scored: scaleCodes.length });
  });

  it('flags a negative advice when more than half of the scored items are voldoende or goed (the reverse)', () => {
    const signal = adviceSignal('negatief', [kijkwijzer(1)]);

    expect(signal).toMatchObject({ kind: 'negatief-bij-goede-scores', below: 1, scored: scaleCodes.length });
  });

  it('does not flag at exactly half, nor "twijfel", nor without scored items', () => {
    const half = scaleCodes.length / 2;

    expect(Number.isInteger(half) ? adviceSignal('positief', [kijkwijzer(half)]) : undefined).toBeUndefined();
    expect(adviceSignal('twijfel', [kijkwijzer(scaleCodes.length)])).toBeUndefined();
    expect(adviceSignal('positief', [kijkwijzer(0, 'niet-gezien')])).toBeUndefined();
    expect(adviceSignal(undefined, [kijkwijzer(scaleCodes.length)])).toBeUndefined();
  });

  it('leaves "niet gezien" out of the count', () => {
    const signal = adviceSignal('positief', [kijkwijzer(2, 'niet-gezien')]);

    expect(signal).toMatchObject({ kind: 'positief-bij-lage-scores', below: 2, scored: 2 });
  });
});
