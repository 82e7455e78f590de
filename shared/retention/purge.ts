import { ATTACHMENTS_PREFIX } from '../attachments/policy.ts';
import { PLACEMENT_ROLES } from '../roster/placement.ts';
import { keys, linkKeys } from '../store/keys.ts';
import { keyOf, RetentionStore, type ItemKey, type RetentionStoreOptions } from '../store/retention.ts';
import type { Temporal } from 'temporal-polyfill';
import { dueSchoolYears, schoolYearStart } from './policy.ts';

/** What the purge talks to: the table and the attachments bucket (through store/retention.ts). */
export type PurgeDeps = RetentionStoreOptions;

/** What was (or, in a dry run, would be) deleted for one school year. */
export interface PurgeCounts {
  schoolYear: string;
  /** Placements (students) whose partition was emptied. */
  placements: number;
  /** Items in those partitions: placement, history, requests, versions, attachments, audit, student link. */
  items: number;
  /** Role membership keys in the person index (`PERSON#<email>`), derived from the placement and its history; one already gone counts too. */
  memberships: number;
  /** Access link keys (`LINK#<hash>`): the current and replaced links of requests and the student page; one already gone counts too. */
  links: number;
  /** CSV export events of the year's periods (`AUDIT#EXPORT#<year>#<period>`). */
  exportEvents: number;
  /** Attachment objects under `attachments/<year>/`. */
  objects: number;
}

/** The periods a school year may have export events for (four teaching periods, and room to spare). */
const EXPORT_PERIODS = [1, 2, 3, 4, 5, 6];

/**
 * Deletes everything stored for one school year (docs/retention.md): the attachments under
 * `attachments/<year>/`, every item of each placement's partition (`PLC#<year>#<nr>`), the role
 * memberships and access links derived from them, and the year's CSV export events.
 *
 * Safe to interrupt and run again: the attachments go first, and within a partition the items
 * the year index finds go last (the placement item very last), so a rerun finds whatever is left
 * and finishes it. With `dryRun` nothing is deleted and the counts say what would be.
 */
export async function purgeSchoolYear(schoolYear: string, deps: PurgeDeps, options: { dryRun?: boolean } = {}): Promise<PurgeCounts> {
  schoolYearStart(schoolYear); // throws on a malformed id, before anything is read
  const dryRun = options.dryRun === true;
  const counts: PurgeCounts = { schoolYear, placements: 0, items: 0, memberships: 0, links: 0, exportEvents: 0, objects: 0 };

  const store = new RetentionStore(deps);

  for await (const objects of store.objectPages(`${ATTACHMENTS_PREFIX}${schoolYear}/`)) {
    counts.objects += objects.length;
    if (!dryRun) await store.deleteObjects(objects);
  }

  for (const partition of await store.yearPartitions(schoolYear)) {
    const items = await store.partitionItems(partition);
    if (items.length === 0) continue;
    const memberships = new Map<string, ItemKey>();
    const links = new Map<string, ItemKey>();
    for (const item of items) {
      // The placement and its history name everyone who held a role on it.
      if (keys.isPlacementSort(String(item.SK)) || keys.isHistorySort(String(item.SK))) {
        for (const role of PLACEMENT_ROLES) {
          const email = (item[role] as { email?: unknown } | undefined)?.email;
          if (typeof email !== 'string') continue;
          const key = keys.membership(email, role, schoolYear, String(item.studentNumber));
          memberships.set(`${key.PK}|${key.SK}`, key);
        }
      }
      // Requests and the student link carry the hash of their current link, requests also those they
      // replaced; a gesprek carries its participants' appointment links.
      const superseded = Array.isArray(item.supersededLinkHashes) ? item.supersededLinkHashes : [];
      const participants = Array.isArray(item.participants) ? (item.participants as unknown[]) : [];
      const participantLinks = participants.map((participant) => (participant as { linkHash?: unknown } | null)?.linkHash);
      for (const hash of [item.linkHash, ...superseded, ...participantLinks]) {
        if (typeof hash === 'string') links.set(hash, linkKeys(hash));
      }
    }
    // What the year index finds (placement, requests, student link) goes after everything else,
    // the placement item last: a run cut off anywhere leaves an indexed item behind, so the next
    // run finds this partition again and finishes it.
    const indexed = (item: Record<string, unknown>) => typeof item.GSI1PK === 'string';
    const isPlacement = (item: Record<string, unknown>) => keys.isPlacementSort(String(item.SK));
    const unindexed = items.filter((item) => !indexed(item)).map(keyOf);
    const indexedFirst = items.filter((item) => indexed(item) && !isPlacement(item)).map(keyOf);
    const placement = items.filter(isPlacement).map(keyOf);
    counts.placements += placement.length;
    counts.items += items.length;
    counts.memberships += memberships.size;
    counts.links += links.size;
    if (dryRun) continue;
    await store.deleteItems([...links.values(), ...memberships.values(), ...unindexed]);
    await store.deleteItems(indexedFirst);
    await store.deleteItems(placement);
  }

  for (const period of EXPORT_PERIODS) {
    const events = await store.exportEvents(schoolYear, period);
    counts.exportEvents += events.length;
    if (!dryRun) await store.deleteItems(events);
  }
  return counts;
}

/** Whether a purge found anything at all. */
export function foundAnything(counts: PurgeCounts): boolean {
  return counts.placements + counts.items + counts.memberships + counts.links + counts.exportEvents + counts.objects > 0;
}

/**
 * Purges every school year that is due at `now` (see {@link dueSchoolYears}), oldest first, and
 * returns the counts of those in which something was found. Years purged before cost a few
 * empty reads each.
 */
export async function purgeDueYears(
  now: Temporal.Instant,
  retentionYears: number,
  deps: PurgeDeps,
  options: { dryRun?: boolean } = {},
): Promise<PurgeCounts[]> {
  const results: PurgeCounts[] = [];
  for (const schoolYear of dueSchoolYears(now, retentionYears)) {
    const counts = await purgeSchoolYear(schoolYear, deps, options);
    if (foundAnything(counts)) results.push(counts);
  }
  return results;
}
