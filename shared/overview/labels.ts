import type { ObserverRole } from '../model/requests.ts';

/** Short Dutch names of the observer roles, for tables and the CSV. */
export const OBSERVER_LABELS_SHORT: Readonly<Record<ObserverRole, string>> = { wpb: 'WPB', so: 'SO', io: 'IO' };
