import { Temporal } from 'temporal-polyfill';
import * as z from 'zod';
import { reportAttachmentKeys, newAttachmentId } from '../attachments/object-keys.ts';
import { canonicalMime, checkDeclared } from '../attachments/policy.ts';
import { attachmentsWithVerdicts, openForServing, type AttachmentServingDeps, type ServableAttachment, type ShownAttachment } from '../attachments/serve.ts';
import { placementInScope, type Staff } from '../auth/scope.ts';
import { formatDutchDate } from '../calendar.ts';
import type { Clock } from '../clock.ts';
import { NotFoundError } from '../errors.ts';
import { checkLink, hashToken, isWellFormedToken, tokenFor } from '../links.ts';
import { logger } from '../log.ts';
import type { Mailer } from '../mail/mailer.ts';
import { reportEmail } from '../mail/report-emails.ts';
import { appointmentTitle, isHeld, whenText } from '../model/appointment-rules.ts';
import { linkActor } from '../model/audit.ts';
import { AppointmentConflictError, AppointmentStateError, invited, type AppointmentRecord, type AppointmentReport, type Participant, type ReportAttachment } from '../model/appointments.ts';
import type { AttachmentRef } from '../model/requests.ts';
import type { PlacementRecord } from '../model/placements.ts';
import type { AppointmentReportStore } from '../store/appointment-reports.ts';
import { CANCELLED_REPORT } from '../store/appointment-reports.ts';
import type { AttachmentStore } from '../store/attachments.ts';
import { keys } from '../store/keys.ts';
import type { PlacementStore } from '../store/placements.ts';
import type { ScanStatusReader } from '../store/scans.ts';
import { safeText } from '../text.ts';
import { recordAudit, type AuditDeps } from './audit.ts';
import { LinkGoneError, LinkNotFoundError, openLink, type OpenLinkDeps } from './links.ts';

/**
 * The verslag of a driehoeksgesprek (docs/workflow.md, "Appointments"): the student writes it
 * after the gesprek (text, optionally one attachment, posted through the app), sends it to the
 * participants from the service, and the participants read it from their appointment link
 * (`/a/<token>`) or, as staff in scope, after signing in.
 */

/** The largest attachment of a verslag, in bytes: it is posted through the app, whose requests stay under Lambda's 6 MB. */
export const REPORT_ATTACHMENT_MAX_BYTES = 4 * 1024 * 1024;

/** The longest verslag, in characters. */
export const REPORT_MAX_CHARACTERS = 5000;

/** What the verslag needs; AppDeps has it all. */
export interface ReportDeps extends OpenLinkDeps, AuditDeps {
  appointmentReports: Pick<AppointmentReportStore, 'get' | 'getByKeys' | 'saveReport' | 'markSent' | 'recordScanVerdict'>;
  attachments: Pick<AttachmentStore, 'putUpload' | 'accept' | 'removeAllVersions' | 'open'>;
  scans: Pick<ScanStatusReader, 'verdict'>;
  mailer: Mailer;
  clock: Clock;
  linkSecret: string;
  publicOrigin: string;
  /** The app's largest upload; a verslag's attachment is also held to {@link REPORT_ATTACHMENT_MAX_BYTES}. */
  maxUploadBytes: number;
}

/** What the staff read needs. */
export interface StaffReportDeps extends AuditDeps {
  placements: Pick<PlacementStore, 'get'>;
  appointmentReports: Pick<AppointmentReportStore, 'get' | 'listForPlacement' | 'recordScanVerdict'>;
  attachments: Pick<AttachmentStore, 'open'>;
  scans: Pick<ScanStatusReader, 'verdict'>;
  clock: Clock;
}

/** Whether the verslag was sent and has not changed since. */
export function sentAsIs(report: AppointmentReport | undefined): boolean {
  return report?.sentAt !== undefined && Temporal.Instant.compare(Temporal.Instant.from(report.writtenAt), Temporal.Instant.from(report.sentAt)) <= 0;
}

const NO_APPOINTMENT = 'Deze afspraak bestaat niet.';
const LESBEZOEK = 'Bij een lesbezoek hoort geen verslag: de observatoren vullen de kijkwijzer in. Een verslag schrijf je bij een driehoeksgesprek.';

/** Why no verslag can be written of this appointment now, thrown: a lesbezoek (404), cancelled (409), not yet held (409). */
function refuseReport(appointment: AppointmentRecord, now: Temporal.Instant): void {
  if (appointment.kind !== 'gesprek') throw new NotFoundError(LESBEZOEK);
  if (appointment.state === 'geannuleerd') throw new AppointmentStateError(CANCELLED_REPORT);
  if (!isHeld(appointment, now)) {
    throw new AppointmentStateError(
      `Dit gesprek is nog niet gehouden: het is op ${formatDutchDate(appointment.date)} van ${appointment.start} tot ${appointment.end}. Het verslag schrijf en verstuur je na afloop van het gesprek.`,
    );
  }
}

/** The student's appointment `appointmentId`, by their page link (404/410 as the link says); another placement's id is a 404. */
async function studentAppointment(deps: ReportDeps, token: string, appointmentId: string): Promise<AppointmentRecord> {
  const link = await openLink(deps, token, 'student');
  const { schoolYear, studentNumber } = keys.placementOf(link.ownerPk);
  const appointment = /^[A-Za-z0-9_-]{1,64}$/.test(appointmentId) ? await deps.appointmentReports.get(schoolYear, studentNumber, appointmentId) : undefined;
  if (!appointment) throw new NotFoundError(NO_APPOINTMENT);
  return appointment;
}

/** The verslag's attachment as the attachment lists show it (an AttachmentRef: added when the verslag was written). */
function refOf(report: AppointmentReport, attachment: ReportAttachment): AttachmentRef {
  return { ...attachment, addedAt: report.writtenAt };
}

/** What serving the verslag's attachment needs. */
interface ServingDeps {
  attachments: Pick<AttachmentStore, 'open'>;
  scans: Pick<ScanStatusReader, 'verdict'>;
  appointmentReports: Pick<AppointmentReportStore, 'recordScanVerdict'>;
}

/**
 * The serving path of every attachment (shared/attachments/serve.ts) over the verslag's one
 * attachment: the same scan gate (only `clean` is served, exactly the verified version), its
 * verdict recorded on the appointment.
 */
function servingOf(deps: ServingDeps, appointment: AppointmentRecord, ref: AttachmentRef) {
  const servingDeps: AttachmentServingDeps = {
    attachments: deps.attachments,
    scans: deps.scans,
    requests: {
      listAttachments: async () => [ref],
      recordScanVerdict: (_request, attachmentId, verdict) => deps.appointmentReports.recordScanVerdict(appointment, attachmentId, verdict),
    },
  };
  // The "request" key only names the appointment in logs and in the verdict's recording above.
  const key = { schoolYear: appointment.schoolYear, studentNumber: appointment.studentNumber, requestId: `appointment-${appointment.appointmentId}` };
  return {
    shown: async (): Promise<ShownAttachment> => (await attachmentsWithVerdicts(servingDeps, key, [ref]))[0]!,
    open: (): Promise<ServableAttachment> => openForServing(servingDeps, key, ref.id, [ref]),
  };
}

/** The verslag's attachment with its current scan verdict, for a page; undefined without one. */
async function shownAttachment(deps: ServingDeps, appointment: AppointmentRecord): Promise<ShownAttachment | undefined> {
  const report = appointment.report;
  if (!report?.attachment) return undefined;
  return servingOf(deps, appointment, refOf(report, report.attachment)).shown();
}

/**
 * Opens the verslag's attachment for serving, or throws why not (none: 404; see openForServing),
 * and records "gedownload" by `actor` after the checks when `record` (a GET, not a HEAD), as every
 * download of a form's attachment is recorded (shared/usecases/attachments.ts).
 */
async function openReportAttachmentOf(
  deps: ServingDeps & AuditDeps,
  appointment: AppointmentRecord,
  audit: { actor: string; record: boolean },
): Promise<ServableAttachment> {
  const report = appointment.report;
  if (!report?.attachment) throw new NotFoundError('Bij dit verslag hoort geen bijlage.');
  const served = await servingOf(deps, appointment, refOf(report, report.attachment)).open();
  if (audit.record) {
    await recordAudit(deps, appointment, {
      actor: audit.actor,
      action: 'gedownload',
      detail: `${served.attachment.name}, bijlage van het verslag van ${appointmentTitle(appointment).toLowerCase()} op ${whenText(appointment)} (afspraak ${appointment.appointmentId})`,
    });
  }
  return served;
}

// ---------------------------------------------------------------------------------------------
// The student: write, save and send

/** The verslag's text as posted: CR LF and CR become LF, trimmed; then at most 5000 visible characters and line breaks. */
const ReportText = safeText(
  z
    .string({ error: 'Schrijf eerst het verslag.' })
    .transform((text) => text.replace(/\r\n?/g, '\n').trim())
    .pipe(
      z
        .string()
        .min(1, 'Schrijf eerst het verslag: het tekstvak is leeg.')
        .max(REPORT_MAX_CHARACTERS, `Het verslag mag hoogstens ${REPORT_MAX_CHARACTERS} tekens lang zijn.`),
    ),
  'Het verslag',
);

/** The fields of the verslag form. */
export type ReportField = 'tekst' | 'bijlage';

/** What the student filled in (a field left out is absent): the text, and whether to remove the attachment. */
export interface ReportFields {
  tekst?: string;
  bijlageVerwijderen?: string;
}

/** A file posted with the verslag, as the browser named and typed it (both untrusted). */
export interface PostedFile {
  name: string;
  type: string;
  bytes: Uint8Array;
}

/** The Dutch message of each field that is not right. */
export type ReportFormErrors = Partial<Record<ReportField, string>>;

/** The verslag form again, with what the student filled in and what is wrong. */
export interface ReportFormPageData {
  token: string;
  appointment: AppointmentRecord;
  /** The stored attachment, with its scan verdict. */
  attachment: ShownAttachment | undefined;
  values: ReportFields;
  errors: ReportFormErrors;
}

/** The outcome of saving: saved (or nothing changed), or the form again with what is wrong. */
export type SaveReportResult = { kind: 'saved'; appointment: AppointmentRecord; changed: boolean } | { kind: 'invalid'; page: ReportFormPageData };

/**
 * The student saves the verslag of a held gesprek (a draft, any number of times): text (required,
 * at most 5000 characters, line breaks allowed, no control or invisible characters) and optionally
 * one attachment (at most 4 MB, the types of the forms' attachments, checked by its bytes),
 * which replaces the one stored; `bijlageVerwijderen=ja` removes it. A field that is not right
 * brings the form back with the text kept; nothing is stored then. Saving what is stored already
 * (a double click) writes nothing. A lesbezoek is a 404, a cancelled or not yet held gesprek a
 * Dutch 409, another placement's appointment id a 404.
 */
export async function saveReport(
  deps: ReportDeps,
  input: { token: string; appointmentId: string; fields: ReportFields; file?: PostedFile | undefined },
): Promise<SaveReportResult> {
  const appointment = await studentAppointment(deps, input.token, input.appointmentId);
  const now = deps.clock.now();
  refuseReport(appointment, now);
  const stored = appointment.report;
  const errors: ReportFormErrors = {};
  const text = ReportText.safeParse(input.fields.tekst ?? '');
  if (!text.success) errors.tekst = text.error.issues[0]?.message ?? 'Schrijf eerst het verslag.';
  const maxBytes = Math.min(REPORT_ATTACHMENT_MAX_BYTES, deps.maxUploadBytes);
  const declared = input.file && checkDeclared({ name: input.file.name, size: input.file.bytes.byteLength, type: input.file.type }, { maxBytes });
  if (declared && !declared.ok) errors.bijlage = declared.reason;
  const invalid = async (): Promise<SaveReportResult> => ({
    kind: 'invalid',
    page: { token: input.token, appointment, attachment: await shownAttachment(deps, appointment), values: input.fields, errors },
  });
  if (!text.success || Object.keys(errors).length > 0) return invalid();

  let attachment: ReportAttachment | undefined = input.fields.bijlageVerwijderen === 'ja' ? undefined : stored?.attachment;
  if (input.file && declared?.ok) {
    const id = newAttachmentId();
    const objectKeys = reportAttachmentKeys({ schoolYear: appointment.schoolYear, studentNumber: appointment.studentNumber, appointmentId: appointment.appointmentId, attachmentId: id });
    const declaredType = canonicalMime(declared.type);
    await deps.attachments.putUpload(objectKeys.upload, input.file.bytes, declaredType);
    const verified = await deps.attachments.accept(objectKeys.upload, objectKeys.served, { declaredType, maxBytes });
    if (!verified.ok) {
      errors.bijlage = verified.reason;
      return invalid();
    }
    attachment = {
      id,
      key: objectKeys.served,
      name: declared.fileName,
      size: verified.size,
      type: verified.type.mime,
      ...(verified.versionId ? { versionId: verified.versionId } : {}),
      ...(verified.etag ? { etag: verified.etag } : {}),
    };
  }

  if (stored && stored.text === text.data && stored.attachment?.id === attachment?.id) return { kind: 'saved', appointment, changed: false };
  // After a send, a change must read as one even on a clock that stands still (NOW in a demo).
  const sentAt = stored?.sentAt ? Temporal.Instant.from(stored.sentAt) : undefined;
  const writtenAt = sentAt && Temporal.Instant.compare(now, sentAt) <= 0 ? sentAt.add({ milliseconds: 1 }) : now;
  const report: AppointmentReport = {
    text: text.data,
    writtenAt: writtenAt.toString(),
    ...(stored?.sentAt ? { sentAt: stored.sentAt } : {}),
    ...(attachment ? { attachment } : {}),
  };
  let saved: AppointmentRecord;
  try {
    saved = await deps.appointmentReports.saveReport(appointment, report, now.toString());
  } catch (error) {
    // The new attachment is listed nowhere: remove it, whatever stopped the write.
    if (attachment && attachment !== stored?.attachment) await removeObject(deps, attachment, appointment);
    throw error;
  }
  const removed = stored?.attachment && stored.attachment.id !== attachment?.id ? stored.attachment : undefined;
  if (removed) await removeObject(deps, removed, appointment);
  // As a form's draft is logged ("concept opgeslagen"): once sent, a change is what the participants read on their link.
  await recordAudit(deps, appointment, {
    actor: linkActor('student'),
    action: 'verslag opgeslagen',
    detail: `verslag van ${appointmentTitle(appointment)} op ${whenText(appointment)}, ${text.data.length} tekens${attachment ? `, bijlage ${attachment.name}` : ''}${removed ? `; bijlage ${removed.name} verwijderd` : ''} (afspraak ${appointment.appointmentId})`,
  });
  return { kind: 'saved', appointment: saved, changed: true };
}

/** Deletes an attachment's bytes, every version; best-effort (what is left goes with the school year's retention purge). */
async function removeObject(deps: Pick<ReportDeps, 'attachments'>, attachment: ReportAttachment, appointment: AppointmentRecord): Promise<void> {
  try {
    await deps.attachments.removeAllVersions(attachment.key);
  } catch (error) {
    logger.error('deleting a verslag attachment failed', { appointmentId: appointment.appointmentId, error: String((error as Error).name) });
  }
}

/** The outcome of sending: sent (to how many, whether as an update, how many failed), or nothing to send (a replay). */
export type SendReportResult = { kind: 'sent'; recipients: number; updated: boolean; unsent: number } | { kind: 'unchanged' };

/**
 * The student sends the saved verslag: every invited participant gets one email with the text and
 * their appointment link. Sending again after a change sends the new text as "Bijgewerkt verslag";
 * a replay with nothing changed (a double click, a reload) sends nothing. The sending is marked
 * first, with a write conditional on the verslag that was read, so of two sends at once only one
 * emails. A failed email is logged and counted, and does not undo the others.
 */
export async function sendReport(deps: ReportDeps, input: { token: string; appointmentId: string }): Promise<SendReportResult> {
  const appointment = await studentAppointment(deps, input.token, input.appointmentId);
  refuseReport(appointment, deps.clock.now());
  const report = appointment.report;
  if (!report) throw new AppointmentStateError('Er is nog geen verslag om te versturen. Schrijf het verslag en sla het eerst op.');
  if (sentAsIs(report)) return { kind: 'unchanged' };
  const recipients = invited(appointment).filter((p): p is Participant & { linkId: string } => p.linkId !== undefined);
  if (recipients.length === 0) throw new AppointmentStateError('Er is niemand meer uitgenodigd voor dit gesprek, dus er is niemand om het verslag naar te sturen.');
  // Sent no earlier than written (a change saved on a clock that stands still is 1 ms after the last send): else it would never read as sent.
  const now = deps.clock.now();
  const writtenAt = Temporal.Instant.from(report.writtenAt);
  const sentAt = Temporal.Instant.compare(now, writtenAt) < 0 ? writtenAt : now;
  let sent: AppointmentRecord;
  try {
    sent = await deps.appointmentReports.markSent(appointment, sentAt.toString());
  } catch (error) {
    if (!(error instanceof AppointmentConflictError)) throw error;
    // Sent by a parallel click meanwhile: nothing left to send.
    const reread = await deps.appointmentReports.get(appointment.schoolYear, appointment.studentNumber, appointment.appointmentId);
    if (reread && sentAsIs(reread.report) && reread.report?.writtenAt === report.writtenAt) return { kind: 'unchanged' };
    throw error;
  }
  const updated = report.sentAt !== undefined;
  let unsent = 0;
  for (const participant of recipients) {
    try {
      await deps.mailer.send(reportEmail(deps, sent, participant, { updated }));
    } catch (error) {
      unsent++;
      logger.error('verslag email failed', { appointmentId: appointment.appointmentId, role: participant.role, error: String((error as Error).name) });
    }
  }
  await recordAudit(deps, appointment, {
    actor: linkActor('student'),
    action: 'verslag verstuurd',
    detail: `${updated ? 'bijgewerkt verslag' : 'verslag'} van ${appointmentTitle(appointment)} op ${whenText(appointment)} aan ${recipients.map((p) => `${p.person.name} (${p.role.toUpperCase()})`).join(', ')}${unsent > 0 ? `; ${unsent} e-mail(s) mislukt` : ''} (afspraak ${appointment.appointmentId})`,
  });
  return { kind: 'sent', recipients: recipients.length, updated, unsent };
}

/** The student opens the verslag's attachment (only its verified, clean bytes; see openForServing); `record`: a GET, logged as "gedownload". */
export async function openStudentReportAttachment(deps: ReportDeps, input: { token: string; appointmentId: string; record: boolean }): Promise<ServableAttachment> {
  const appointment = await studentAppointment(deps, input.token, input.appointmentId);
  if (appointment.kind !== 'gesprek') throw new NotFoundError(LESBEZOEK);
  return openReportAttachmentOf(deps, appointment, { actor: linkActor('student'), record: input.record });
}

/** The verslag's attachment of the student's appointment with its scan verdict, for their appointment page (undefined without one). */
export async function studentReportAttachment(deps: ReportDeps, appointment: AppointmentRecord): Promise<ShownAttachment | undefined> {
  return shownAttachment(deps, appointment);
}

// ---------------------------------------------------------------------------------------------
// The participants: their appointment link

/** What a participant's link shows: the gesprek, who takes part, and (once sent) the verslag. */
export interface AppointmentLinkPageData {
  appointment: AppointmentRecord;
  /** Whose link it is. */
  participant: Participant;
  /** The sent verslag; absent until the student sends it. */
  report: AppointmentReport | undefined;
  /** Its attachment with its scan verdict. */
  attachment: ShownAttachment | undefined;
  /** Whether the gesprek is over (its end has passed). */
  held: boolean;
}

/** The link's appointment and participant: 404 for an unknown or tampered token, 410 (with why) when it no longer opens. */
async function openParticipantLink(deps: ReportDeps, token: string): Promise<{ appointment: AppointmentRecord; participant: Participant }> {
  if (!isWellFormedToken(token)) throw new LinkNotFoundError();
  const hash = hashToken(token);
  const link = await deps.links.get(hash);
  const verdict = checkLink(link, 'appointment', deps.clock.now());
  if (!link || (('status' in verdict) && verdict.status === 404)) throw new LinkNotFoundError();
  const appointment = await deps.appointmentReports.getByKeys({ PK: link.ownerPk, SK: link.ownerSk });
  const participant = appointment?.participants.find((p) => p.linkId !== undefined && hashToken(tokenFor(deps.linkSecret, p.linkId)) === hash);
  if (!appointment || !participant) throw new LinkNotFoundError();
  if (appointment.state === 'geannuleerd' || participant.state === 'geannuleerd') {
    const whose = appointment.state === 'geannuleerd' ? 'Dit gesprek is geannuleerd' : 'U bent niet meer uitgenodigd voor dit gesprek';
    throw new LinkGoneError(participant.role, `${whose} (${formatDutchDate(appointment.date)}, ${appointment.start}–${appointment.end}), dus deze link werkt niet meer. Vragen? Neem contact op met ${appointment.student.name}.`, 'Deze afspraak gaat niet door');
  }
  if ('status' in verdict) throw new LinkGoneError(participant.role);
  return { appointment, participant };
}

/**
 * A participant opens their appointment link (`/a/<token>`): the gesprek's details, who takes
 * part and, once the student sent it, the verslag with its attachment. An unknown token is a 404;
 * an expired or revoked link, or a cancelled gesprek or part, a 410 that says so.
 */
export async function openAppointmentLink(deps: ReportDeps, input: { token: string }): Promise<AppointmentLinkPageData> {
  const { appointment, participant } = await openParticipantLink(deps, input.token);
  const report = appointment.report?.sentAt ? appointment.report : undefined;
  return {
    appointment,
    participant,
    report,
    attachment: report ? await shownAttachment(deps, appointment) : undefined,
    held: isHeld(appointment, deps.clock.now()),
  };
}

/** A participant opens the sent verslag's attachment from their link (only its verified, clean bytes); `record`: a GET, logged as "gedownload". */
export async function openAppointmentLinkAttachment(deps: ReportDeps, input: { token: string; record: boolean }): Promise<ServableAttachment> {
  const { appointment, participant } = await openParticipantLink(deps, input.token);
  if (!appointment.report?.sentAt) throw new NotFoundError('Het verslag van dit gesprek is nog niet verstuurd.');
  return openReportAttachmentOf(deps, appointment, { actor: linkActor(participant.role), record: input.record });
}

// ---------------------------------------------------------------------------------------------
// Staff, signed in and in scope

/** An appointment as staff read it. */
export interface StaffAppointmentPageData {
  placement: PlacementRecord;
  appointment: AppointmentRecord;
  /** The sent verslag; absent until the student sends it. */
  report: AppointmentReport | undefined;
  attachment: ShownAttachment | undefined;
  held: boolean;
}

/** The appointment a staff path names, when its student is in the person's scope (404 when unknown, 403 when not theirs). */
async function staffAppointment(deps: StaffReportDeps, input: { staff: Staff; schoolYear: string; studentNumber: string; appointmentId: string }) {
  const placement = placementInScope(input.staff, await deps.placements.get(input.schoolYear, input.studentNumber));
  const appointment = /^[A-Za-z0-9_-]{1,64}$/.test(input.appointmentId) ? await deps.appointmentReports.get(placement.schoolYear, placement.studentNumber, input.appointmentId) : undefined;
  if (!appointment) throw new NotFoundError(NO_APPOINTMENT);
  return { placement, appointment };
}

/**
 * A signed-in IO, SO, SCO or coordinator reads one of a student's appointments in their scope
 * (`/overzicht/afspraak/<year>/<nr>/<id>`): its details and, once sent, the verslag.
 */
export async function openStaffAppointment(
  deps: StaffReportDeps,
  input: { staff: Staff; schoolYear: string; studentNumber: string; appointmentId: string },
): Promise<StaffAppointmentPageData> {
  const { placement, appointment } = await staffAppointment(deps, input);
  const report = appointment.report?.sentAt ? appointment.report : undefined;
  return {
    placement,
    appointment,
    report,
    attachment: report ? await shownAttachment(deps, appointment) : undefined,
    held: isHeld(appointment, deps.clock.now()),
  };
}

/** Staff in scope open the sent verslag's attachment (only its verified, clean bytes); `record`: a GET, logged as "gedownload" by them. */
export async function openStaffReportAttachment(
  deps: StaffReportDeps,
  input: { staff: Staff; schoolYear: string; studentNumber: string; appointmentId: string; record: boolean },
): Promise<ServableAttachment> {
  const { appointment } = await staffAppointment(deps, input);
  if (!appointment.report?.sentAt) throw new NotFoundError('Het verslag van dit gesprek is nog niet verstuurd.');
  return openReportAttachmentOf(deps, appointment, { actor: input.staff.email, record: input.record });
}

/** A student's appointments, for the staff page of the student (already checked to be in scope). */
export async function appointmentsOfPlacement(deps: Pick<StaffReportDeps, 'appointmentReports'>, placement: Pick<PlacementRecord, 'schoolYear' | 'studentNumber'>): Promise<AppointmentRecord[]> {
  return deps.appointmentReports.listForPlacement(placement.schoolYear, placement.studentNumber);
}
