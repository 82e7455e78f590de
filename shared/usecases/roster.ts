import { DomainError } from '#shared/errors.ts';
import type { FormCatalog } from '#shared/forms/catalog.ts';
import { ForbiddenError } from '#shared/auth/scope.ts';
import { logger } from '#shared/log.ts';
import { afterImport } from '#shared/usecases/welcome.ts';
import type { RequestDeps } from '#shared/usecases/observation.ts';
import { importPlacements, type ImportSummary } from '#shared/roster/import.ts';
import { parseRoster, type RosterParseResult } from '#shared/roster/parse.ts';
import { emailKey, samePlacement, type Placement, type StaffRole } from '#shared/roster/placement.ts';
import { ROSTER_UPLOAD_VALID_HOURS, RosterUploadChangedError, type PendingRosterUpload } from '#shared/model/roster-uploads.ts';
import type { RosterUploadStore } from '#shared/store/roster-uploads.ts';
import type { PlacementStore } from '#shared/store/placements.ts';
import type { PlacementRecord } from '#shared/model/placements.ts';

/**
 * Roster management for admins: a file is previewed (parsed, compared with what is stored, its
 * bytes kept), then confirmed (exactly those bytes imported, new students welcomed, the automatic
 * requests of the current period sent). The browser only ever holds the upload's id.
 */

/** The largest roster file accepted: a roster of a few hundred students is tens of kilobytes. */
export const ROSTER_MAX_BYTES = 2 * 1024 * 1024;

/** What the roster use-cases need. */
export interface RosterDeps extends RequestDeps {
  placements: PlacementStore;
  /** Roster files between their preview and their confirmation. */
  rosterUploads: RosterUploadStore;
  forms: FormCatalog;
}

/** A roster file above {@link ROSTER_MAX_BYTES}. */
export class RosterTooLargeError extends DomainError {
  constructor() {
    super(`Het bestand is groter dan ${ROSTER_MAX_BYTES / 1024 / 1024} MB. Een rooster is een CSV-bestand van hooguit enkele honderden kilobytes; controleer of u het goede bestand kiest.`, 413);
  }
}

/** A confirmation of an upload that was imported already, or never existed, or whose preview expired. */
export class RosterUploadGoneError extends DomainError {
  constructor(message = 'Dit rooster is al verwerkt, of de upload bestaat niet (meer). Er is nu niets geïmporteerd. Upload het bestand opnieuw als u het nog eens wilt importeren.') {
    super(message, 410);
  }
}

/** The stored bytes of an upload no longer match what was previewed: nothing is imported. */
export class RosterChangedSincePreviewError extends DomainError {
  constructor() {
    super('Het bestand is na de controle gewijzigd en is daarom niet geïmporteerd. Upload het opnieuw.', 409);
  }
}

/** What the import would do with one row. */
export interface PreviewRow {
  placement: Placement;
  status: 'nieuw' | 'gewijzigd' | 'ongewijzigd';
  /** The roster columns that change, for a changed row. */
  changes: string[];
}

/** The outcome of {@link previewRoster}. */
export type RosterPreview =
  /** The file has problems: nothing was stored. */
  | { kind: 'invalid'; fileName: string; size: number; parsed: RosterParseResult }
  /** The file is fine: what a confirmation would do, and the id to confirm it with. */
  | { kind: 'ready'; fileName: string; size: number; parsed: RosterParseResult; rows: PreviewRow[]; uploadId: string };

/**
 * Parses a roster file and tells, row by row, what importing it would do. Writes no placement: a
 * good file's bytes are stored for its confirmation by `uploadedBy` (see {@link confirmRosterUpload}).
 *
 * @throws RosterTooLargeError above {@link ROSTER_MAX_BYTES}
 */
export async function previewRoster(
  deps: Pick<RosterDeps, 'placements' | 'rosterUploads' | 'clock' | 'calendar'>,
  input: { fileName: string; bytes: Uint8Array; uploadedBy: string },
): Promise<RosterPreview> {
  if (input.bytes.byteLength > ROSTER_MAX_BYTES) throw new RosterTooLargeError();
  const fileName = input.fileName || 'rooster.csv';
  const size = input.bytes.byteLength;
  const parsed = parseRoster(input.bytes, { knownYears: deps.calendar.years.map((y) => y.id) });
  if (!parsed.ok) return { kind: 'invalid', fileName, size, parsed };

  // Only reads: what the import would do, row by row.
  const existing = await deps.placements.getMany(parsed.placements);
  const rows = parsed.placements.map((placement) => classify(placement, existing.get(`${placement.schoolYear}#${placement.studentNumber}`)));
  const upload = await deps.rosterUploads.put(input.bytes, input.uploadedBy, deps.clock.now());
  return { kind: 'ready', fileName, size, parsed, rows, uploadId: upload.id };
}

/** The outcome of {@link confirmRosterUpload}. */
export type RosterConfirmation =
  | { kind: 'imported'; summary: ImportSummary; after: { welcomed: number; autoRequests: number }; notes: string[] }
  /** The stored file no longer parses (only when the calendar data changed since the preview): nothing imported. */
  | { kind: 'invalid'; size: number; parsed: RosterParseResult };

/**
 * Imports a previewed roster file: only by the admin who uploaded it, within
 * {@link ROSTER_UPLOAD_VALID_HOURS} hours, once (of two confirmations at the same moment exactly
 * one imports), and exactly the bytes that were previewed. Then welcomes new students and sends
 * the automatic requests of the current period.
 *
 * @throws RosterUploadGoneError when imported already, unknown or expired; ForbiddenError when
 *   another admin uploaded it; RosterChangedSincePreviewError when the stored bytes changed
 */
export async function confirmRosterUpload(deps: RosterDeps, input: { uploadId: string; email: string }): Promise<RosterConfirmation> {
  const claimed = await deps.rosterUploads.claim(input.uploadId, input.email, deps.clock.now());
  if (claimed === 'gone') throw new RosterUploadGoneError();
  if (claimed === 'expired') {
    throw new RosterUploadGoneError(`De controle van dit rooster is verlopen (na ${ROSTER_UPLOAD_VALID_HOURS} uur). Er is niets geïmporteerd; upload het bestand opnieuw.`);
  }
  if (claimed === 'not-yours') throw new ForbiddenError('Dit rooster is door een andere beheerder geüpload; alleen die kan het bevestigen.');

  let result: RosterConfirmation;
  try {
    const bytes = await deps.rosterUploads.read(claimed);
    // Parsed again from the stored bytes: the browser only ever sends the upload's id.
    const parsed = parseRoster(bytes, { knownYears: deps.calendar.years.map((y) => y.id) });
    if (parsed.ok) {
      const summary = await importPlacements(deps.placements, parsed.placements, deps.clock.now().toString());
      const after = await afterImport(deps, parsed.placements);
      result = { kind: 'imported', summary, after, notes: parsed.notes };
    } else {
      result = { kind: 'invalid', size: claimed.size, parsed };
    }
  } catch (error) {
    if (error instanceof RosterUploadChangedError) {
      await removeQuietly(deps.rosterUploads, claimed);
      throw new RosterChangedSincePreviewError();
    }
    // Nothing or only part was written; the import is idempotent, so the owner may simply confirm again.
    await deps.rosterUploads.release(claimed).catch(() => undefined);
    throw error;
  }
  await removeQuietly(deps.rosterUploads, claimed);
  return result;
}

async function removeQuietly(store: Pick<RosterUploadStore, 'remove'>, upload: PendingRosterUpload): Promise<void> {
  try {
    await store.remove(upload);
  } catch (error) {
    // The bucket's lifecycle rule removes what is left under roster-uploads/ after a day.
    logger.error('roster upload not removed', { error: String((error as Error).name) });
  }
}

const PERSON_COLUMNS: Record<'student' | StaffRole, string> = { student: 'student', wpb: 'wpb', so: 'so', io: 'io', sco: 'sco' };

function classify(placement: Placement, previous: PlacementRecord | undefined): PreviewRow {
  if (!previous) return { placement, status: 'nieuw', changes: [] };
  if (samePlacement(previous, placement)) return { placement, status: 'ongewijzigd', changes: [] };
  const changes: string[] = [];
  if (previous.vak !== placement.vak) changes.push('vak');
  if (previous.school !== placement.school) changes.push('school');
  for (const [role, column] of Object.entries(PERSON_COLUMNS) as [keyof typeof PERSON_COLUMNS, string][]) {
    if (previous[role].name !== placement[role].name) changes.push(`${column}_naam`);
    if (emailKey(previous[role].email) !== emailKey(placement[role].email)) changes.push(`${column}_email`);
  }
  return { placement, status: 'gewijzigd', changes };
}
