import type { Placement } from './placement.ts';
import { samePlacement } from './placement.ts';
import type { PlacementStore } from '../store/placements.ts';
import { parseRoster, type RosterProblem } from './parse.ts';

/** What an import did. */
export interface ImportSummary {
  created: number;
  updated: number;
  unchanged: number;
}

/** How many placements are written at once; DynamoDB Local and on-demand tables take this well. */
const CONCURRENCY = 8;

/**
 * Writes validated placements: new ones are created, changed ones updated (the old version kept
 * as history), identical ones left alone, so importing the same file twice changes nothing.
 * Runs only after the whole file validated, so a bad file writes nothing. Each placement is one
 * transaction; a run that dies halfway is finished by running it again.
 */
export async function importPlacements(
  store: PlacementStore,
  placements: readonly Placement[],
  at: string,
): Promise<ImportSummary> {
  const existing = await store.getMany(placements);
  const summary: ImportSummary = { created: 0, updated: 0, unchanged: 0 };
  let next = 0;
  const worker = async () => {
    while (next < placements.length) {
      const placement = placements[next++];
      if (!placement) break;
      const previous = existing.get(`${placement.schoolYear}#${placement.studentNumber}`);
      if (!previous) {
        await store.create(placement, at);
        summary.created++;
      } else if (samePlacement(previous, placement)) {
        summary.unchanged++;
      } else {
        await store.update(previous, placement, at);
        summary.updated++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, placements.length) }, worker));
  return summary;
}

/** The outcome of importing a roster file. */
export type RosterImportResult =
  | { ok: true; summary: ImportSummary; placements: Placement[]; notes: string[] }
  | { ok: false; problems: RosterProblem[]; notes: string[] };

/** Parses and validates a whole roster file, then imports it; writes nothing if any row is bad. */
export async function importRosterFile(
  bytes: Uint8Array,
  deps: { store: PlacementStore; knownYears: readonly string[]; at: string },
): Promise<RosterImportResult> {
  const parsed = parseRoster(bytes, { knownYears: deps.knownYears });
  if (!parsed.ok) return parsed;
  const summary = await importPlacements(deps.store, parsed.placements, deps.at);
  return { ok: true, summary, placements: parsed.placements, notes: parsed.notes };
}
