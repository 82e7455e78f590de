import { adviceStatus, kijkwijzerProgress, yearModel, type AdviceStatus } from '../digest/model.ts';
import type { KijkwijzerType } from '../calendar.ts';
import type { FormCatalog } from '../forms/catalog.ts';
import { covers, ForbiddenError, schoolsInScope, type StaffScope } from '../auth/scope.ts';
import type { PlacementStore } from '../store/placements.ts';
import type { PlacementRecord } from '../model/placements.ts';
import { versionRef, type RequestStore } from '../store/requests.ts';
import { type RequestRecord } from '../model/requests.ts';
import type { PeriodChoice } from './period.ts';
import { adviceSignal, type AdviceSignal } from './signals.ts';
import type { Clock } from '../clock.ts';
import type { ConcernRecord } from '../model/concerns.ts';
import { progressCounts, type ProgressCounts } from '../progress/counts.ts';

/** One student in the period overview. */
export interface OverviewRow {
  placement: PlacementRecord;
  /** The student's requests of the chosen period, oldest first. */
  requests: RequestRecord[];
  /** Required kijkwijzer types with no submission up to and including the chosen period. */
  missing: KijkwijzerType[];
  /** Nothing submitted in the chosen period. */
  nothingIn: boolean;
  /** The WPB's advice disagrees with the latest kijkwijzers (see signals.ts). */
  signal?: AdviceSignal;
  /**
   * Whether the WPB's advice is in, in a period whose automatic requests include it (the year's
   * own rule); absent in other periods. With the request to link to once it is in.
   */
  advice?: AdviceStatus & { request?: RequestRecord };
  /** The counts of the school year at the clock's now (lesbezoeken, driehoeksgesprekken, kijkwijzer types). */
  counts: ProgressCounts;
  /** The student's open concern about progress, if any. */
  concern?: ConcernRecord;
}

/** The overview of one period in one person's scope. */
export interface Overview {
  rows: OverviewRow[];
  /** The schools the person may filter on (every school of the year for an admin). */
  schools: string[];
}

const ADVICE_FORM = 'advies-wpb';
const ADVICE_ITEM = 'ADV-ADVIES';

const latestFirst = (a: RequestRecord, b: RequestRecord) => (b.submittedAt ?? '').localeCompare(a.submittedAt ?? '');

/**
 * Reads the year index for the schools in scope (the whole year for an admin; one school when
 * `school` is given, which must be in scope: else a 403), keeps the placements the scope covers,
 * and builds one row per student. Reads: one paginated Query per school (the placements with their
 * requests, appointments and concerns), plus two BatchGets for the signals (the advice, then the
 * kijkwijzers of students with a positive or negative advice).
 */
export async function loadOverview(
  deps: { placements: PlacementStore; requests: RequestStore; forms: Pick<FormCatalog, 'get'>; clock: Clock },
  scope: StaffScope,
  choice: PeriodChoice,
  school?: string,
): Promise<Overview> {
  const yearId = choice.year.id;
  const allowed = schoolsInScope(scope, yearId);
  if (school !== undefined && allowed !== undefined && !allowed.includes(school)) {
    throw new ForbiddenError('U heeft geen studenten op deze school in dit schooljaar.');
  }
  const targets: (string | undefined)[] = school !== undefined ? [school] : (allowed ?? [undefined]);
  const items: Record<string, unknown>[] = [];
  for (const target of targets) {
    for await (const page of deps.placements.yearItems(yearId, undefined, target)) items.push(...page);
  }
  const model = yearModel(items);
  const placements = [...model.placements.values()]
    .filter((p) => covers(scope, p))
    .sort((a, b) => a.school.localeCompare(b.school, 'nl') || a.student.name.localeCompare(b.student.name, 'nl') || a.studentNumber.localeCompare(b.studentNumber));
  const n = choice.period.number;
  const upToPeriod = new Map(placements.map((p) => [p.studentNumber, (model.requests.get(p.studentNumber) ?? []).filter((r) => r.period <= n)]));

  const signals = await loadSignals(deps, upToPeriod);
  const now = deps.clock.now();
  const rows = placements.map((placement): OverviewRow => {
    const all = upToPeriod.get(placement.studentNumber) ?? [];
    const requests = all.filter((r) => r.period === n);
    const signal = signals.get(placement.studentNumber);
    const advice = adviceOf(choice.period, model.requests.get(placement.studentNumber) ?? []);
    const counts = progressCounts(choice.year, model.requests.get(placement.studentNumber) ?? [], model.appointments.get(placement.studentNumber) ?? [], now);
    const concern = (model.concerns.get(placement.studentNumber) ?? []).find((c) => c.state === 'open');
    return {
      placement,
      requests,
      missing: kijkwijzerProgress(choice.year, all).missing,
      nothingIn: !requests.some((r) => r.state === 'ingediend'),
      ...(signal ? { signal } : {}),
      ...(advice ? { advice } : {}),
      counts,
      ...(concern ? { concern } : {}),
    };
  });
  const schools = allowed ?? [...new Set([...model.placements.values()].map((p) => p.school))].sort((a, b) => a.localeCompare(b, 'nl'));
  return { rows, schools };
}

/** The advice's status of one student in the chosen period, with its latest submitted request (see adviceStatus). */
function adviceOf(period: PeriodChoice['period'], requests: readonly RequestRecord[]): OverviewRow['advice'] {
  const status = adviceStatus(period, requests);
  if (!status) return undefined;
  const request = requests.filter((r) => r.formId === ADVICE_FORM && r.state === 'ingediend' && r.submittedAt === status.submittedAt).at(-1);
  return request ? { ...status, request } : status;
}

async function loadSignals(
  deps: { requests: RequestStore; forms: Pick<FormCatalog, 'get'> },
  requestsByStudent: ReadonlyMap<string, RequestRecord[]>,
): Promise<Map<string, AdviceSignal>> {
  const store = deps.requests;
  const submitted = (r: RequestRecord) => r.state === 'ingediend' && r.latestVersion > 0;
  const adviceRequests = [...requestsByStudent.values()].flatMap((list) => list.filter((r) => submitted(r) && r.formId === ADVICE_FORM).sort(latestFirst).slice(0, 1));
  if (adviceRequests.length === 0) return new Map();
  const adviceVersions = await store.getVersions(adviceRequests.map((r) => ({ ...r, version: r.latestVersion })));
  const advice = new Map<string, string>();
  for (const r of adviceRequests) {
    const value = adviceVersions.get(versionRef({ ...r, version: r.latestVersion }))?.answers[ADVICE_ITEM];
    if (value === 'positief' || value === 'negatief') advice.set(r.studentNumber, value);
  }
  const kijkwijzers = [...advice.keys()].flatMap((studentNumber) => {
    const latestPerForm = new Map<string, RequestRecord>();
    for (const r of (requestsByStudent.get(studentNumber) ?? []).filter((r) => submitted(r) && r.formId.startsWith('kijkwijzer-')).sort(latestFirst)) {
      if (!latestPerForm.has(r.formId)) latestPerForm.set(r.formId, r);
    }
    return [...latestPerForm.values()];
  });
  const versions = await store.getVersions(kijkwijzers.map((r) => ({ ...r, version: r.latestVersion })));
  const signals = new Map<string, AdviceSignal>();
  for (const [studentNumber, value] of advice) {
    const scored = kijkwijzers
      .filter((r) => r.studentNumber === studentNumber)
      .flatMap((r) => versions.get(versionRef({ ...r, version: r.latestVersion })) ?? []);
    const signal = adviceSignal(deps.forms, value, scored);
    if (signal) signals.set(studentNumber, signal);
  }
  return signals;
}
