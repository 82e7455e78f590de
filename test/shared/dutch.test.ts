import { describe, expect, it } from 'vitest';
import { dutchList, kijkwijzerTypeList } from '../../shared/dutch.ts';

describe('Dutch lists', () => {
  it('join with commas and a final "en"', () => {
    expect(dutchList([])).toBe('');
    expect(dutchList(['pedagogiek'])).toBe('pedagogiek');
    expect(dutchList(['pedagogiek', 'didactiek'])).toBe('pedagogiek en didactiek');
    expect(dutchList(['pedagogiek', 'didactiek', 'vakdidactiek'])).toBe('pedagogiek, didactiek en vakdidactiek');
  });

  it('name kijkwijzer types by their label, never by their id', () => {
    expect(kijkwijzerTypeList(['didactiek', 'digitale-didactiek', 'pedagogiek'])).toBe('didactiek, digitale didactiek en pedagogiek');
  });
});
