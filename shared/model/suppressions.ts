/**
 * Undeliverable addresses: a permanent bounce or a complaint marks an address, the digest planner
 * skips it on later runs, and the IO's and SCO's digests list it as "onbestelbaar".
 */

/** Why an address is suppressed. */
export type SuppressionKind = 'bounce' | 'complaint';

/** A suppressed address. */
export interface Suppression {
  email: string;
  kind: SuppressionKind;
  detail: string;
  at: string;
}
