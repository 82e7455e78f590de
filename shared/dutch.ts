import type { KijkwijzerType } from './calendar.ts';

/**
 * Small helpers for Dutch sentences, shared by pages and emails so that every list reads the same.
 */

/** "a", "a en b", "a, b en c". */
export function dutchList(values: readonly string[]): string {
  if (values.length <= 1) return values.join('');
  return `${values.slice(0, -1).join(', ')} en ${values.at(-1)}`;
}

/** A number with its noun in the right form: "1 taak", "0 taken", "3 taken". */
export function countOf(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The text with its first letter in upper case. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** How a sentence names each kijkwijzer type: its label, never its id ("digitale didactiek"). */
export const KIJKWIJZER_TYPE_LABELS: Readonly<Record<KijkwijzerType, string>> = {
  pedagogiek: 'pedagogiek',
  didactiek: 'didactiek',
  vakdidactiek: 'vakdidactiek',
  'digitale-didactiek': 'digitale didactiek',
};

/** Kijkwijzer types as a Dutch list of labels: "pedagogiek, didactiek en digitale didactiek". */
export function kijkwijzerTypeList(types: readonly string[]): string {
  return dutchList(types.map((type) => KIJKWIJZER_TYPE_LABELS[type as KijkwijzerType] ?? type));
}
