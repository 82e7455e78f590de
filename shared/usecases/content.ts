import { formatDutchDate, formatDutchInstant, type SchoolYear } from '#shared/calendar.ts';
import type { Clock } from '#shared/clock.ts';
import { ownTasks, type CalendarCatalog } from '#shared/content/calendar-catalog.ts';
import type { LiveContent } from '#shared/content/live.ts';
import { NotFoundError } from '#shared/errors.ts';
import type { FormCatalog } from '#shared/forms/catalog.ts';
import { formItems, isStaffOnly, type FormDefinition } from '#shared/forms/definition.ts';
import { checkStableCodes } from '#shared/forms/stable-codes.ts';
import { logger } from '#shared/log.ts';
import { emailKey } from '#shared/roster/placement.ts';
import type { AuditStore } from '#shared/store/audit.ts';
import {
  ContentConflictError,
  contentBytes,
  MAX_CONTENT_BYTES,
  type ConceptContent,
  type ConceptOf,
  type ContentStore,
  type PublicationMeta,
} from '#shared/store/content.ts';
import { FORM_IDS, PERIODS, ROLE_LABELS, ROLES, type YearTasks } from '#shared/tasks.ts';
import { toSafeLine } from '#shared/text.ts';
import type { SheetProblem } from '#shared/xlsx/workbook.ts';

/**
 * Forms and school years as workbooks (docs/year-content.md): list every version, export one as
 * .xlsx, check an upload (every problem at once, nothing stored), keep a good upload as a concept
 * (bytes in S3, the checked content in the table), and publish a concept as the next version. A
 * publication is one transaction with its audit event; of two admins publishing the same next
 * version at once, one wins and the other is told. Every refusal stores nothing.
 */

/**
 * The workbook readers and writers (exceljs, about a megabyte) load on first use: a staff page
 * that never touches a workbook does not load them.
 */
const formWorkbooks = () => import('#shared/forms/xlsform.ts');
const yearWorkbooks = () => import('#shared/content/year-workbook.ts');

/** What the content use-cases need. */
export interface ContentDeps {
  /** The form definitions as they are live (shipped plus published). */
  forms: FormCatalog;
  /** The school years and tasks as they are live. */
  calendar: CalendarCatalog;
  /** The live content behind `forms` and `calendar`: reloaded before each use-case, invalidated after a publish. */
  content: Pick<LiveContent, 'refresh' | 'invalidate' | 'stored'>;
  contentStore: ContentStore;
  audit: Pick<AuditStore, 'prepare'>;
  clock: Clock;
}

/** Where a version comes from: shipped with the code, or published from a workbook. */
export type ContentOrigin = 'meegeleverd' | 'upload';

/** A concept as the lists show it. */
export interface ConceptEntry {
  uploadId: string;
  fileName: string;
  uploadedBy: string;
  uploadedAt: string;
  /** The version that was the latest at the upload; the concept would become `baseVersion + 1`. */
  baseVersion: number;
}

/** One form with every version and its concepts, for `/beheer/formulieren`. */
export interface FormListEntry {
  formId: string;
  title: string;
  /** Oldest first. */
  versions: { version: number; state: 'gepubliceerd'; origin: ContentOrigin; publishedAt?: string; publishedBy?: string; fileName?: string }[];
  /** Newest first. */
  concepts: ConceptEntry[];
}

/** One school year with its version and concepts, for `/beheer/schooljaren`. */
export interface YearListEntry {
  yearId: string;
  status: 'voorlopig' | 'definitief';
  origin: ContentOrigin;
  /** The version that applies: 1 for a shipped year never published, else the published number. */
  version: number;
  publishedAt?: string;
  publishedBy?: string;
  fileName?: string;
  /** Every version, oldest first. */
  versions: { version: number; origin: ContentOrigin; publishedAt?: string; publishedBy?: string; fileName?: string }[];
  /** Newest first. */
  concepts: ConceptEntry[];
}

/** The outcome of checking a form workbook. */
export type FormCheck =
  | { kind: 'invalid'; problems: SheetProblem[] }
  | { kind: 'valid'; definition: FormDefinition; nextVersion: number; changes: string[] };

/** The outcome of uploading a form workbook. */
export type FormUpload =
  | { kind: 'invalid'; problems: SheetProblem[] }
  | { kind: 'concept'; uploadId: string; definition: FormDefinition; nextVersion: number; changes: string[] };

/** A form concept, with what it would change now. */
export type FormConceptView = ConceptOf<'form'> & {
  formId: string;
  title: string;
  /** The version it would become: `baseVersion + 1` (its definition has that number). */
  nextVersion: number;
  /** Against the version that is the latest now. */
  changes: string[];
  /** Someone published a version since the upload: publishing it is refused. */
  outdated: boolean;
};

/** The outcome of checking a school-year workbook. */
export type YearCheck =
  | { kind: 'invalid'; problems: SheetProblem[] }
  | { kind: 'valid'; year: SchoolYear; tasks: YearTasks; nextVersion: number; changes: string[] };

/** The outcome of uploading a school-year workbook. */
export type YearUpload =
  | { kind: 'invalid'; problems: SheetProblem[] }
  | { kind: 'concept'; uploadId: string; year: SchoolYear; tasks: YearTasks; nextVersion: number; changes: string[] };

/** A school-year concept, with what it would change now. */
export type YearConceptView = ConceptOf<'year'> & {
  yearId: string;
  nextVersion: number;
  changes: string[];
  outdated: boolean;
};

/** The content as it is now, not as a cached snapshot: admins must see what another container published. */
async function reload(deps: Pick<ContentDeps, 'content'>): Promise<void> {
  deps.content.invalidate();
  await deps.content.refresh();
}

/** A file name safe to store and show: the last path part, one line, at most 120 characters. */
function cleanFileName(fileName: string, fallback: string): string {
  const base = toSafeLine(fileName.split(/[\\/]/).pop() ?? '').slice(0, 120);
  return base === '' ? fallback : base;
}

function conceptEntry(concept: { uploadId: string; fileName: string; uploadedBy: string; uploadedAt: string; baseVersion: number }): ConceptEntry {
  const { uploadId, fileName, uploadedBy, uploadedAt, baseVersion } = concept;
  return { uploadId, fileName, uploadedBy, uploadedAt, baseVersion };
}

// ---------------------------------------------------------------------------------------------
// Forms

/** Every form id with every version (shipped and published) and its open concepts. */
export async function listForms(deps: ContentDeps): Promise<FormListEntry[]> {
  await reload(deps);
  const concepts = await deps.contentStore.listConcepts(deps.clock.now());
  const published = new Map(deps.content.stored.forms.map((form) => [`${form.formId}@${form.version}`, form]));
  const ids = [...new Set([...FORM_IDS, ...deps.forms.all.map((def) => def.id)])];
  return ids.flatMap((formId) => {
    const defs = deps.forms.all.filter((def) => def.id === formId);
    if (defs.length === 0) return [];
    return [
      {
        formId,
        title: deps.forms.title(formId),
        versions: defs.map((def) => {
          const stored = published.get(`${formId}@${def.version}`);
          return stored
            ? { version: def.version, state: 'gepubliceerd' as const, origin: 'upload' as const, publishedAt: stored.publishedAt, publishedBy: stored.publishedBy, fileName: stored.fileName }
            : { version: def.version, state: 'gepubliceerd' as const, origin: 'meegeleverd' as const };
        }),
        concepts: concepts.filter((concept) => concept.kind === 'form' && concept.subject === formId).map(conceptEntry),
      },
    ];
  });
}

/**
 * A version of a form (default: the latest) as an XLSForm workbook, generated from the definition
 * that is live, so it always matches what observers fill in.
 *
 * @throws NotFoundError for an unknown form id or version
 */
export async function exportForm(deps: ContentDeps, input: { formId: string; version?: number }): Promise<{ fileName: string; bytes: Uint8Array }> {
  await reload(deps);
  if (!deps.forms.get(input.formId)) throw new NotFoundError(`Er is geen formulier "${toSafeLine(input.formId).slice(0, 80)}".`);
  const def = deps.forms.get(input.formId, input.version);
  if (!def) throw new NotFoundError(`${deps.forms.title(input.formId)} heeft geen versie ${input.version}.`);
  return { fileName: `${def.id}-versie-${def.version}.xlsx`, bytes: await (await formWorkbooks()).formToWorkbook(def) };
}

/** The latest version of a form: shipped or published, in this snapshot or (just published elsewhere) in the table. */
async function latestFormVersion(deps: Pick<ContentDeps, 'forms' | 'contentStore'>, formId: string): Promise<number> {
  return Math.max(deps.forms.get(formId)?.version ?? 0, await deps.contentStore.latestVersion('form', formId));
}

/**
 * Checks a form workbook: the workbook itself (readFormWorkbook); the version it starts from
 * (`settings.version`) against the form's latest, so a workbook downloaded before someone else's
 * publication cannot undo it; the item codes against every published version of every form (an
 * item code keeps its type and meaning); and its size as stored. Stores nothing.
 */
export async function checkFormUpload(deps: ContentDeps, input: { bytes: Uint8Array }): Promise<FormCheck> {
  await reload(deps);
  const read = await (await formWorkbooks()).readFormWorkbook(input.bytes);
  if (!read.ok) return { kind: 'invalid', problems: read.problems };
  const formId = read.definition.id;
  const latest = await latestFormVersion(deps, formId);
  const nextVersion = latest + 1;
  const definition: FormDefinition = { ...read.definition, version: nextVersion };
  const problems = [
    ...startingVersionProblems({
      subject: read.definition.title,
      version: read.definition.version,
      latest,
      publication: deps.content.stored.forms.find((form) => form.formId === formId && form.version === latest),
      at: { sheet: 'settings', row: SETTINGS_ROW, column: 'version' },
    }),
    ...checkStableCodes(read.definition, deps.forms.all, read.rowOf),
    ...sizeProblems({ kind: 'form', definition }, { sheet: 'survey', what: 'Het formulier', advice: 'verdeel het over minder vragen' }),
  ];
  if (problems.length > 0) return { kind: 'invalid', problems };
  return { kind: 'valid', definition, nextVersion, changes: formChanges(deps.forms.get(definition.id), definition) };
}

/** Checks a form workbook and, when it is good, keeps it as a concept of the next version. */
export async function uploadForm(deps: ContentDeps, input: { fileName: string; bytes: Uint8Array; by: string }): Promise<FormUpload> {
  const check = await checkFormUpload(deps, input);
  if (check.kind === 'invalid') return check;
  const concept = await deps.contentStore.putConcept(
    {
      kind: 'form',
      subject: check.definition.id,
      baseVersion: check.nextVersion - 1,
      definition: check.definition,
      fileName: cleanFileName(input.fileName, `${check.definition.id}.xlsx`),
      uploadedBy: emailKey(input.by),
      bytes: input.bytes,
    },
    deps.clock.now(),
  );
  return { kind: 'concept', uploadId: concept.uploadId, definition: check.definition, nextVersion: check.nextVersion, changes: check.changes };
}

const CONCEPT_GONE = 'Dit concept bestaat niet (meer): het is al gepubliceerd, of het is na 7 dagen verlopen. Upload de werkmap opnieuw.';

/**
 * A form concept, with its changes against the version that is the latest now.
 *
 * @throws NotFoundError for an unknown, published or expired concept
 */
export async function getFormConcept(deps: ContentDeps, uploadId: string): Promise<FormConceptView> {
  const concept = await deps.contentStore.getConcept('form', uploadId, deps.clock.now());
  if (!concept) throw new NotFoundError(CONCEPT_GONE);
  await reload(deps);
  const formId = concept.subject;
  const latest = await latestFormVersion(deps, formId);
  return {
    ...concept,
    formId,
    title: concept.definition.title,
    nextVersion: concept.baseVersion + 1,
    changes: formChanges(deps.forms.get(formId), concept.definition),
    outdated: latest !== concept.baseVersion,
  };
}

/**
 * Publishes a form concept as the next version: the version item, the audit event and the removal
 * of the concept in one transaction; then this process's live content is reloaded.
 *
 * @throws NotFoundError for an unknown, published or expired concept; ContentConflictError when
 *   another version was published since the upload, or at the same moment
 */
export async function publishForm(deps: ContentDeps, input: { uploadId: string; by: string }): Promise<{ formId: string; version: number }> {
  const now = deps.clock.now();
  const concept = await deps.contentStore.getConcept('form', input.uploadId, now);
  if (!concept) throw new NotFoundError(CONCEPT_GONE);
  await reload(deps);
  const formId = concept.subject;
  const title = deps.forms.title(formId);
  const latest = await latestFormVersion(deps, formId);
  if (latest !== concept.baseVersion) throw conflict(latest, title);
  // Another form may have been published since the upload with one of this concept's new codes.
  const clashes = checkStableCodes(concept.definition, deps.forms.all, () => undefined);
  if (clashes.length > 0) {
    throw new ContentConflictError(
      `Sinds de upload is een ander formulier gepubliceerd dat niet samengaat met dit concept. ${clashes.map((clash) => clash.message).join(' ')} Upload daarna de werkmap opnieuw.`,
    );
  }
  const version = concept.baseVersion + 1;
  const by = emailKey(input.by);
  const audit = deps.audit.prepare(
    { content: true },
    { actor: by, action: 'gepubliceerd', detail: `formulier ${formId} versie ${version} (${concept.definition.title}), uit ${concept.fileName}` },
    now,
  );
  try {
    await deps.contentStore.publishForm(
      {
        formId,
        version,
        definition: { ...concept.definition, version },
        publishedAt: now.toString(),
        publishedBy: by,
        workbookKey: concept.workbookKey,
        fileName: concept.fileName,
      },
      audit.write,
      { uploadId: concept.uploadId },
    );
  } catch (error) {
    throw publishRefusal(error, version, title);
  }
  logger.info('content published', { kind: 'form', formId, version });
  await reload(deps);
  return { formId, version };
}

/** Dutch lines saying what a candidate changes against the latest version (nothing for a first version). */
export function formChanges(latest: FormDefinition | undefined, candidate: FormDefinition): string[] {
  if (!latest) return [];
  const changes: string[] = [];
  if (latest.title !== candidate.title) changes.push(`Titel: "${latest.title}" wordt "${candidate.title}".`);
  if (latest.intro !== candidate.intro) changes.push('De inleiding is gewijzigd.');
  const before = new Map(formItems(latest).map((item) => [item.code, item]));
  const after = new Map(formItems(candidate).map((item) => [item.code, item]));
  for (const [code, item] of after) {
    const old = before.get(code);
    if (!old) changes.push(`Nieuw: ${code} "${item.label}".`);
    else if (old.label !== item.label) changes.push(`Nieuwe tekst voor ${code}: "${old.label}" wordt "${item.label}".`);
    else if ((old.help ?? '') !== (item.help ?? '')) changes.push(`De toelichting bij ${code} is gewijzigd.`);
  }
  for (const [code, item] of before) {
    if (!after.has(code)) changes.push(`Verwijderd: ${code} "${item.label}".`);
  }
  const staffBefore = new Set(latest.sections.filter(isStaffOnly).map((section) => section.code));
  for (const section of candidate.sections) {
    if (isStaffOnly(section) !== staffBefore.has(section.code)) {
      changes.push(isStaffOnly(section) ? `Alleen voor SO en IO: onderdeel ${section.code} "${section.title}"; de student leest het niet.` : `De student leest nu ook onderdeel ${section.code} "${section.title}".`);
    }
  }
  return changes;
}

// ---------------------------------------------------------------------------------------------
// School years

/** The version of a school year that applies now: published (snapshot or table), 1 for a shipped year, 0 for none. */
async function currentYearVersion(deps: Pick<ContentDeps, 'calendar' | 'content' | 'contentStore'>, yearId: string): Promise<number> {
  const stored = await deps.contentStore.latestVersion('year', yearId);
  if (stored > 0) return stored;
  return deps.calendar.years.some((year) => year.id === yearId) ? 1 : 0;
}

/** Every school year (chronological) with its status, its version and who published it, and its open concepts. */
export async function listYears(deps: ContentDeps): Promise<YearListEntry[]> {
  await reload(deps);
  const concepts = await deps.contentStore.listConcepts(deps.clock.now());
  const published = new Map(deps.content.stored.years.map((history) => [history.yearId, history]));
  const entries: YearListEntry[] = deps.calendar.years.map((year) => {
    const history = published.get(year.id);
    const versions: YearListEntry['versions'] = (history?.versions ?? []).map((v) => ({
      version: v.version,
      origin: 'upload',
      publishedAt: v.publishedAt,
      publishedBy: v.publishedBy,
      fileName: v.fileName,
    }));
    // A shipped year counts as version 1: its first publication is version 2.
    if (!history || history.versions[0]!.version > 1) versions.unshift({ version: 1, origin: 'meegeleverd' });
    const latest = versions[versions.length - 1]!;
    return {
      yearId: year.id,
      status: deps.calendar.isProvisional(year.id) ? 'voorlopig' : 'definitief',
      ...latest,
      versions,
      concepts: concepts.filter((concept) => concept.kind === 'year' && concept.subject === year.id).map(conceptEntry),
    };
  });
  // Concepts of a year that is not in the calendar yet get an entry of their own.
  for (const concept of concepts) {
    if (concept.kind !== 'year' || entries.some((entry) => entry.yearId === concept.subject)) continue;
    entries.push({
      yearId: concept.subject,
      status: concept.year.provisional ? 'voorlopig' : 'definitief',
      origin: 'upload',
      version: 0,
      versions: [],
      concepts: concepts.filter((c) => c.kind === 'year' && c.subject === concept.subject).map(conceptEntry),
    });
  }
  return entries;
}

/**
 * A school year as it applies now, as a school-year workbook.
 *
 * @throws NotFoundError for an unknown school year
 */
export async function exportYear(deps: ContentDeps, input: { yearId: string }): Promise<{ fileName: string; bytes: Uint8Array }> {
  await reload(deps);
  const year = deps.calendar.years.find((y) => y.id === input.yearId);
  if (!year) throw new NotFoundError(`Er is geen schooljaar "${toSafeLine(input.yearId).slice(0, 40)}".`);
  const { resolvedYearTasks, yearToWorkbook } = await yearWorkbooks();
  // With the version it applies as: an upload of it starts from that version (see checkYearUpload).
  const version = await currentYearVersion(deps, year.id);
  return { fileName: `schooljaar-${year.id}.xlsx`, bytes: await yearToWorkbook(year, resolvedYearTasks(deps.calendar.tasks, year.id), version) };
}

/**
 * Checks a school-year workbook (dates, periods, overlap with the other years, tasks), the version
 * it starts from (`versie`: empty only for a new year) against the year's current version, and its
 * size as stored. Stores nothing.
 */
export async function checkYearUpload(deps: ContentDeps, input: { bytes: Uint8Array }): Promise<YearCheck> {
  await reload(deps);
  const read = await (await yearWorkbooks()).readYearWorkbook(input.bytes, deps.calendar.years);
  if (!read.ok) return { kind: 'invalid', problems: read.problems };
  const yearId = read.year.id;
  const current = await currentYearVersion(deps, yearId);
  const at = { sheet: 'schooljaar', row: YEAR_ROW, column: 'versie' };
  const problems = [
    ...(current === 0
      ? newYearVersionProblems(read.version, yearId, at)
      : startingVersionProblems({
          subject: `schooljaar ${yearId}`,
          version: read.version,
          latest: current,
          publication: deps.content.stored.years.find((history) => history.yearId === yearId)?.versions.find((v) => v.version === current),
          at,
        })),
    ...sizeProblems({ kind: 'year', year: read.year, tasks: read.tasks }, { sheet: 'taken', what: 'Het schooljaar', advice: 'gebruik minder taken' }),
  ];
  if (problems.length > 0) return { kind: 'invalid', problems };
  const before = deps.calendar.years.find((year) => year.id === yearId);
  return {
    kind: 'valid',
    year: read.year,
    tasks: read.tasks,
    nextVersion: current + 1,
    changes: yearChanges(before && { year: before, tasks: ownTasks(deps.calendar.tasks, before.id) }, read),
  };
}

/** Checks a school-year workbook and, when it is good, keeps it as a concept. */
export async function uploadYear(deps: ContentDeps, input: { fileName: string; bytes: Uint8Array; by: string }): Promise<YearUpload> {
  const check = await checkYearUpload(deps, input);
  if (check.kind === 'invalid') return check;
  const concept = await deps.contentStore.putConcept(
    {
      kind: 'year',
      subject: check.year.id,
      baseVersion: check.nextVersion - 1,
      year: check.year,
      tasks: check.tasks,
      fileName: cleanFileName(input.fileName, `schooljaar-${check.year.id}.xlsx`),
      uploadedBy: emailKey(input.by),
      bytes: input.bytes,
    },
    deps.clock.now(),
  );
  return { kind: 'concept', uploadId: concept.uploadId, year: check.year, tasks: check.tasks, nextVersion: check.nextVersion, changes: check.changes };
}

/**
 * A school-year concept, with its changes against the year as it applies now.
 *
 * @throws NotFoundError for an unknown, published or expired concept
 */
export async function getYearConcept(deps: ContentDeps, uploadId: string): Promise<YearConceptView> {
  const concept = await deps.contentStore.getConcept('year', uploadId, deps.clock.now());
  if (!concept) throw new NotFoundError(CONCEPT_GONE);
  await reload(deps);
  const yearId = concept.subject;
  const before = deps.calendar.years.find((year) => year.id === yearId);
  return {
    ...concept,
    yearId,
    nextVersion: concept.baseVersion + 1,
    changes: yearChanges(before && { year: before, tasks: ownTasks(deps.calendar.tasks, yearId) }, concept),
    outdated: (await currentYearVersion(deps, yearId)) !== concept.baseVersion,
  };
}

/**
 * Publishes a school-year concept as the year's next version, as {@link publishForm} does a form.
 * From the next request or digest the year applies as published.
 *
 * @throws NotFoundError for an unknown, published or expired concept; ContentConflictError when
 *   another version was published since the upload, or at the same moment
 */
export async function publishYear(deps: ContentDeps, input: { uploadId: string; by: string }): Promise<{ yearId: string; version: number }> {
  const now = deps.clock.now();
  const concept = await deps.contentStore.getConcept('year', input.uploadId, now);
  if (!concept) throw new NotFoundError(CONCEPT_GONE);
  await reload(deps);
  const yearId = concept.subject;
  const title = `schooljaar ${yearId}`;
  const current = await currentYearVersion(deps, yearId);
  if (current !== concept.baseVersion) throw conflict(current, title);
  const version = concept.baseVersion + 1;
  const by = emailKey(input.by);
  const audit = deps.audit.prepare(
    { content: true },
    { actor: by, action: 'gepubliceerd', detail: `schooljaar ${yearId} versie ${version} (${concept.year.provisional ? 'voorlopig' : 'definitief'}), uit ${concept.fileName}` },
    now,
  );
  try {
    await deps.contentStore.publishYear(
      {
        yearId,
        version,
        year: concept.year,
        tasks: concept.tasks,
        publishedAt: now.toString(),
        publishedBy: by,
        workbookKey: concept.workbookKey,
        fileName: concept.fileName,
      },
      audit.write,
      { uploadId: concept.uploadId },
    );
  } catch (error) {
    throw publishRefusal(error, version, title);
  }
  logger.info('content published', { kind: 'year', yearId, version });
  await reload(deps);
  return { yearId, version };
}

/** Dutch lines saying what a school-year candidate changes against the year as it applies now. */
export function yearChanges(
  before: { year: SchoolYear; tasks: YearTasks } | undefined,
  after: { year: SchoolYear; tasks: YearTasks },
): string[] {
  if (!before) return [`Nieuw schooljaar ${after.year.id}.`];
  const changes: string[] = [];
  const status = (year: SchoolYear) => (year.provisional ? 'voorlopig' : 'definitief');
  if (status(before.year) !== status(after.year)) changes.push(`Status: ${status(before.year)} wordt ${status(after.year)}.`);
  const date = (day: string | null) => (day === null ? 'geen' : formatDutchDate(day));
  const compare = (label: string, old: string | null, now: string | null) => {
    if (old !== now) changes.push(`${label}: ${date(old)} wordt ${date(now)}.`);
  };
  compare('Begin van het schooljaar', before.year.start, after.year.start);
  compare('Einde van het schooljaar', before.year.end, after.year.end);
  compare('Begin van de stage', before.year.placementStart, after.year.placementStart);
  if (before.year.placementDays.join(',') !== after.year.placementDays.join(',')) {
    changes.push(`Stagedagen: ${before.year.placementDays.join(', ')} wordt ${after.year.placementDays.join(', ')}.`);
  }
  if (before.year.kijkwijzerTypes.join(',') !== after.year.kijkwijzerTypes.join(',')) {
    changes.push(`Kijkwijzertypes: ${before.year.kijkwijzerTypes.join(', ')} wordt ${after.year.kijkwijzerTypes.join(', ')}.`);
  }
  for (const period of PERIODS) {
    const old = before.year.periods[period - 1];
    const now = after.year.periods[period - 1];
    if (!old || !now) continue;
    compare(`OP${period} begin`, old.start, now.start);
    compare(`OP${period} einde`, old.end, now.end);
    compare(`OP${period} deadline`, old.deadline, now.deadline);
    if (old.autoRequests.join(',') !== now.autoRequests.join(',')) {
      changes.push(`OP${period} automatisch gevraagd: ${old.autoRequests.join(', ') || 'niets'} wordt ${now.autoRequests.join(', ') || 'niets'}.`);
    }
  }
  for (const role of ROLES) {
    const count = (tasks: YearTasks) => PERIODS.reduce((sum, period) => sum + (tasks[role]?.[`OP${period}`]?.length ?? 0), 0);
    const texts = (tasks: YearTasks) => PERIODS.flatMap((period) => (tasks[role]?.[`OP${period}`] ?? []).map((task) => task.text)).join('\n');
    if (count(before.tasks) !== count(after.tasks)) changes.push(`Taken ${ROLE_LABELS[role]}: ${count(before.tasks)} wordt ${count(after.tasks)}.`);
    else if (texts(before.tasks) !== texts(after.tasks)) changes.push(`Taken ${ROLE_LABELS[role]}: teksten gewijzigd.`);
  }
  return changes;
}

// ---------------------------------------------------------------------------------------------

/** The Dutch refusal of a publication that lost to another one. */
function conflict(version: number, title: string): ContentConflictError {
  return new ContentConflictError(
    `Iemand anders heeft intussen versie ${version} van ${title} gepubliceerd. Upload uw werkmap opnieuw om te zien wat er veranderd is.`,
  );
}

/** A failed publication transaction as the admin is told it. */
function publishRefusal(error: unknown, version: number, title: string): unknown {
  if (!(error instanceof ContentConflictError) || error.reason === 'busy') return error;
  return error.reason === 'concept-gone' ? new NotFoundError(CONCEPT_GONE) : conflict(version, title);
}

/** The row of the one-row sheets: `settings` of a form workbook, `schooljaar` of a school-year workbook. */
const SETTINGS_ROW = 2;
const YEAR_ROW = 2;

/** " (door x op 10 november 2025 om 09:00)" for a published version; nothing for a shipped one. */
function byWhomWhen(publication: PublicationMeta | undefined): string {
  return publication ? ` (door ${publication.publishedBy} op ${formatDutchInstant(publication.publishedAt, { time: 'minute' })})` : '';
}

/**
 * The version a workbook starts from, against the latest version: that one (as downloaded), or
 * the next (as it will be published), is fine; an older one would silently undo what was
 * published since; a higher one does not exist. An empty version (a school year's `versie`) is
 * refused for content that exists.
 */
function startingVersionProblems(input: {
  /** What the workbook is of, in a sentence: "schooljaar 2025-2026". */
  subject: string;
  version: number | undefined;
  latest: number;
  publication: PublicationMeta | undefined;
  at: { sheet: string; row: number; column: string };
}): SheetProblem[] {
  const { version, latest, at } = input;
  const download = 'Download de nieuwste versie en breng uw wijzigingen daarin aan.';
  if (version === undefined) {
    return [{ ...at, message: `${at.column} is leeg, maar ${input.subject} bestaat al: de nieuwste versie is ${latest}${byWhomWhen(input.publication)}. ${download}` }];
  }
  if (version === latest || version === latest + 1) return [];
  if (version < latest) {
    return [{ ...at, message: `Deze werkmap gaat uit van versie ${version}, maar versie ${latest} is intussen gepubliceerd${byWhomWhen(input.publication)}. ${download}` }];
  }
  return [
    {
      ...at,
      message: `Versie ${version} bestaat niet: de nieuwste versie is ${latest}. Laat hier ${latest} staan (de versie die u downloadde); bij publiceren wordt het versie ${latest + 1}.`,
    },
  ];
}

/** The `versie` of a school year that was never published: empty (or 0, or 1) becomes version 1. */
function newYearVersionProblems(version: number | undefined, yearId: string, at: { sheet: string; row: number; column: string }): SheetProblem[] {
  if (version === undefined || version <= 1) return [];
  return [{ ...at, message: `Versie ${version} bestaat niet: schooljaar ${yearId} is nog niet gepubliceerd. Laat dit vak leeg; bij publiceren wordt het versie 1.` }];
}

/** Content too big for a table item is refused before anything is stored. */
function sizeProblems(content: ConceptContent, where: { sheet: string; what: string; advice: string }): SheetProblem[] {
  const bytes = contentBytes(content);
  if (bytes <= MAX_CONTENT_BYTES) return [];
  return [
    {
      sheet: where.sheet,
      message: `${where.what} is te groot om op te slaan: ${Math.ceil(bytes / 1024)} kB, hoogstens ${MAX_CONTENT_BYTES / 1024} kB. Maak de teksten korter of ${where.advice}.`,
    },
  ];
}
