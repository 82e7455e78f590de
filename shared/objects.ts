/** Small helpers on plain objects. */

/**
 * The object without its `undefined` properties, so that spreading it over defaults keeps the
 * default where an override is given as `undefined` (`{ ...defaults, ...withoutUndefined(overrides) }`).
 */
export function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
