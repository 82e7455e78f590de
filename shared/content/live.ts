import { schoolYears, type SchoolYear } from '../calendar.ts';
import { formPhrase, type FormDefinition } from '../forms/definition.ts';
import type { FormCatalog } from '../forms/catalog.ts';
import { logger } from '../log.ts';
import type { StoredContent } from '../store/content.ts';
import { FORM_IDS, TASKS, type TaskFile } from '../tasks.ts';
import { calendarCatalog, ownTasks, type CalendarCatalog } from './calendar-catalog.ts';

/**
 * The content of a deployment as it is now (docs/year-content.md, "Ports"): the shipped forms,
 * school years and tasks merged with what coordinators published since, behind the two ports
 * {@link FormCatalog} (`live.forms`) and {@link CalendarCatalog} (`live.calendar`). Lookups are
 * synchronous, over a snapshot; {@link LiveContent.refresh} reloads the snapshot (one paginated
 * Query of `CONTENT`) when it is older than the expiry, {@link LiveContent.invalidate} makes the
 * next refresh reload (after a publish in this process). A load that fails keeps the snapshot
 * it had and is logged: published content may be late, the site never goes down over it.
 */

/** How long a snapshot is used before a refresh reloads it, unless configured otherwise. */
export const DEFAULT_CONTENT_TTL_MS = 60_000;

/** Where published content comes from: the content store, or a stand-in in tests. */
export interface ContentSource {
  loadAll(): Promise<StoredContent>;
}

/** A source with nothing published: the shipped content only (offline tests, tools without a table). */
export const NOTHING_PUBLISHED: ContentSource = { loadAll: async () => ({ forms: [], years: [] }) };

/** What a deployment ships; functions/ and infra/ hand in the forms (shared/ never imports forms/). */
export interface ShippedContent {
  forms: readonly FormDefinition[];
  /** Default: shared/data/school-years.json. */
  years?: readonly SchoolYear[];
  /** Default: shared/data/tasks.json. */
  tasks?: TaskFile;
}

/** One consistent view of the content: lookups never mix two loads. */
interface Snapshot {
  stored: StoredContent;
  forms: readonly FormDefinition[];
  /** Each form id's versions, oldest first. */
  byId: ReadonlyMap<string, readonly FormDefinition[]>;
  latest: FormDefinition[];
  calendar: CalendarCatalog;
}

/** What the HTTP app and the scheduled runs call: reload when due, or force the next reload. */
export interface ContentRefresh {
  /**
   * Reloads the snapshot when it is older than the expiry; never throws. `force`: reload now,
   * with a load that starts after this call (a lookup missed something published elsewhere).
   */
  refresh(options?: { force?: boolean }): Promise<void>;
  /** Makes the next {@link refresh} reload, whatever the snapshot's age. */
  invalidate(): void;
}

/**
 * Shipped plus published content, cached in memory with an expiry. A plain object (no class), so
 * it can be spread and handed around like the catalogs it carries.
 */
export interface LiveContent extends ContentRefresh {
  /** The form definitions: shipped versions, then the published ones (a port, see shared/forms/catalog.ts). */
  readonly forms: FormCatalog;
  /** The school years and tasks: shipped, each replaced or joined by its published version. */
  readonly calendar: CalendarCatalog;
  /** What was published, as last loaded: every version with who published it and when. */
  readonly stored: StoredContent;
}

/**
 * The live content over `source`, starting from the shipped content alone until the first
 * {@link ContentRefresh.refresh}. `ttlMs` is the expiry (default {@link DEFAULT_CONTENT_TTL_MS}; 0
 * reloads at every refresh); `now` the clock of the expiry (default `Date.now`).
 */
export function liveContent(shipped: ShippedContent, source: ContentSource, options: { ttlMs?: number; now?: () => number } = {}): LiveContent {
  const ttlMs = options.ttlMs ?? DEFAULT_CONTENT_TTL_MS;
  const now = options.now ?? Date.now;
  let snapshot = merge(shipped, { forms: [], years: [] });
  let loadedAt: number | undefined;
  let loading: Promise<void> | undefined;

  const load = async (): Promise<void> => {
    const started = now();
    try {
      snapshot = merge(shipped, await source.loadAll());
    } catch (error) {
      logger.error('published content not loaded; the previous content stays', { error: (error as Error).name });
    }
    // A failed load is tried again after the expiry, not at every request.
    loadedAt = started;
  };

  const get = (id: string, version?: number): FormDefinition | undefined => {
    const versions = snapshot.byId.get(id);
    if (!versions) return undefined;
    if (version === undefined) return versions[versions.length - 1];
    const found = versions.find((def) => def.version === version);
    // A version above the latest known was published since this snapshot (a form saved in another
    // process): the next refresh reloads rather than wait for the expiry.
    if (!found && version > versions[versions.length - 1]!.version) loadedAt = undefined;
    return found;
  };

  // `all`, `years`, `tasks` and `stored` are getters: read at each use, they follow the snapshot.
  return {
    forms: {
      get all() {
        return snapshot.forms;
      },
      get,
      latest: () => [...snapshot.latest],
      title: (id) => get(id)?.title ?? id,
      reference: (id, phrase) => {
        const def = get(id);
        return def ? formPhrase(def, phrase) : id;
      },
    },
    calendar: {
      get years() {
        return snapshot.calendar.years;
      },
      get tasks() {
        return snapshot.calendar.tasks;
      },
      tasksFor: (yearId, role, period) => snapshot.calendar.tasksFor(yearId, role, period),
      isProvisional: (yearId) => snapshot.calendar.isProvisional(yearId),
    },
    get stored() {
      return snapshot.stored;
    },
    /**
     * Reloads the snapshot when it is older than the expiry (or was invalidated, or never
     * loaded), or at once when forced. Refreshes at the same moment share one load; a forced one
     * first lets a load under way finish (it may have started before what it is looking for was
     * published) and then starts its own or joins one started after it. Never throws: a failed
     * load keeps the snapshot and is tried again at the next refresh after the expiry.
     */
    async refresh(options = {}) {
      if (options.force) await loading;
      else if (loadedAt !== undefined && now() - loadedAt < ttlMs) return;
      loading ??= load().finally(() => {
        loading = undefined;
      });
      await loading;
    },
    invalidate() {
      loadedAt = undefined;
    },
  };
}

/** The snapshot of shipped content plus the stored versions. */
function merge(shipped: ShippedContent, stored: StoredContent): Snapshot {
  // Forms: a stored version is added after the shipped ones; one with a shipped version's number wins.
  const byKey = new Map<string, FormDefinition>();
  for (const def of shipped.forms) byKey.set(`${def.id}@${def.version}`, def);
  for (const form of stored.forms) {
    const key = `${form.formId}@${form.version}`;
    if (byKey.has(key)) logger.warn('a published form version replaces a shipped one', { formId: form.formId, version: form.version });
    byKey.set(key, form.definition);
  }
  const order = (id: string) => {
    const index = (FORM_IDS as readonly string[]).indexOf(id);
    return index === -1 ? FORM_IDS.length : index;
  };
  const forms = [...byKey.values()].sort((a, b) => order(a.id) - order(b.id) || a.id.localeCompare(b.id) || a.version - b.version);
  const byId = new Map<string, FormDefinition[]>();
  for (const def of forms) byId.set(def.id, [...(byId.get(def.id) ?? []), def]);
  const latest = [...byId.values()].map((versions) => versions[versions.length - 1]!);

  // School years: a published year replaces the shipped year with its id (and its tasks), or joins.
  const years = new Map<string, SchoolYear>((shipped.years ?? schoolYears).map((year) => [year.id, year]));
  const shippedTasks = shipped.tasks ?? TASKS;
  const tasks: TaskFile = { ...shippedTasks, years: { ...shippedTasks.years } };
  const replaced = new Set(stored.years.map(({ yearId }) => yearId));
  // A shipped year that takes its tasks from a year being replaced keeps the shipped tasks it had.
  for (const [yearId, entry] of Object.entries(shippedTasks.years)) {
    if (entry.sameAs !== undefined && replaced.has(entry.sameAs) && !replaced.has(yearId)) tasks.years[yearId] = ownTasks(shippedTasks, yearId);
  }
  for (const { yearId, latest: version } of stored.years) {
    years.set(yearId, version.year);
    tasks.years[yearId] = version.tasks;
  }
  const chronological = [...years.values()].sort((a, b) => a.start.localeCompare(b.start));

  return { stored, forms, byId, latest, calendar: calendarCatalog(chronological, tasks) };
}
