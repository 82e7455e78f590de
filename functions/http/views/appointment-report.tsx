import type { ShownAttachment } from '#shared/attachments/serve.ts';
import { ALLOWED_LABELS, formatSize } from '#shared/attachments/policy.ts';
import { formatDutchDate, formatDutchInstant } from '#shared/calendar.ts';
import { invited, TALK_RHYTHM, type AppointmentRecord, type AppointmentReport } from '#shared/model/appointments.ts';
import { PARTICIPANT_LABELS } from '#shared/model/appointment-rules.ts';
import type { AttachmentRef } from '#shared/model/requests.ts';
import { REPORT_ATTACHMENT_MAX_BYTES, REPORT_MAX_CHARACTERS, sentAsIs, type ReportFields, type ReportFormErrors, type ReportFormPageData } from '#shared/usecases/appointment-reports.ts';
import { Layout } from '#shared/web/layout.tsx';
import { AttachmentItems } from './attachment-list.tsx';
import { ErrorSummary } from './error-summary.tsx';

/**
 * The verslag of a driehoeksgesprek on the student's appointment page: the form (text, one
 * attachment, "Opslaan"), "Versturen naar de deelnemers", and what was sent when. Also the pieces
 * the participant's and the staff page show: the gesprek's facts and the verslag read-only.
 */

/** The file types a verslag's attachment may have, for the file field's `accept`. */
const ACCEPT = '.pdf,.jpg,.jpeg,.png,.docx,.pptx,.mp4';

/** The notices after a save or a send (the `verslag` query value of the appointment page). */
export const REPORT_NOTICES = {
  opgeslagen: 'Het verslag is opgeslagen. Het is nog niet verstuurd.',
  ongewijzigd: 'Er was niets gewijzigd, dus er is niets opnieuw opgeslagen.',
  verstuurd: 'Het verslag is verstuurd naar de deelnemers.',
  bijgewerkt: 'Het bijgewerkte verslag is verstuurd naar de deelnemers.',
  'niet-alles-verstuurd': 'Het verslag is verstuurd, maar niet iedereen kon een e-mail krijgen. Laat het de deelnemers die niets kregen zelf weten.',
  'al-verstuurd': 'Het verslag was al verstuurd en is sindsdien niet gewijzigd: er is niets opnieuw verstuurd.',
} as const;
export type ReportNotice = keyof typeof REPORT_NOTICES;

/** The notice a `verslag` query value names, if any. */
export function reportNotice(value: string | undefined): ReportNotice | undefined {
  return value !== undefined && Object.hasOwn(REPORT_NOTICES, value) ? (value as ReportNotice) : undefined;
}

/** "Kennismakingsgesprek": the gesprek's type as a heading names it. */
export function talkLabel(appointment: Pick<AppointmentRecord, 'talkType'>): string {
  const label = appointment.talkType ? TALK_RHYTHM[appointment.talkType].label : 'driehoeksgesprek';
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/** A text with its line breaks as typed. */
export function MultilineText(props: { text: string }) {
  return (
    <div class="verslag-tekst" style="white-space: pre-wrap; background: #fff; border: 1px solid #c8c8c8; padding: .75rem 1rem">
      {props.text}
    </div>
  );
}

/** The gesprek's facts: type, date and time, place, note, the student and who is invited. */
export function AppointmentFacts(props: { appointment: AppointmentRecord }) {
  const { appointment } = props;
  return (
    <table>
      <tbody>
        <tr>
          <th scope="row">Soort</th>
          <td>{appointment.kind === 'gesprek' ? `Driehoeksgesprek: ${talkLabel(appointment).toLowerCase()}` : 'Lesbezoek'}</td>
        </tr>
        <tr>
          <th scope="row">Datum en tijd</th>
          <td>
            {formatDutchDate(appointment.date)}, {appointment.start}–{appointment.end}
          </td>
        </tr>
        {appointment.location && (
          <tr>
            <th scope="row">Plaats</th>
            <td>{appointment.location}</td>
          </tr>
        )}
        {appointment.className && (
          <tr>
            <th scope="row">Klas</th>
            <td>{appointment.className}</td>
          </tr>
        )}
        <tr>
          <th scope="row">Student</th>
          <td>
            {appointment.student.name} <span class="muted">({appointment.student.email})</span>
          </td>
        </tr>
        {invited(appointment).map((p) => (
          <tr>
            <th scope="row">{capitalised(PARTICIPANT_LABELS[p.role])}</th>
            <td>
              {p.person.name} <span class="muted">({p.person.email})</span>
            </td>
          </tr>
        ))}
        {appointment.note && (
          <tr>
            <th scope="row">Opmerking</th>
            <td style="white-space: pre-wrap">{appointment.note}</td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** When the verslag was written and sent, in a sentence. */
function sentLine(report: AppointmentReport): string {
  const written = formatDutchInstant(report.writtenAt, { time: 'minute' });
  if (!report.sentAt) return `Opgeslagen op ${written}; nog niet verstuurd.`;
  const sent = formatDutchInstant(report.sentAt, { time: 'minute' });
  return sentAsIs(report) ? `Verstuurd op ${sent}.` : `Verstuurd op ${sent}; daarna gewijzigd op ${written}. Die wijziging is nog niet verstuurd.`;
}

/** The verslag read-only (participants and staff): its text, its attachment and when it was sent. */
export function ReportReadOnly(props: { report: AppointmentReport; attachment: ShownAttachment | undefined; attachmentHref: string }) {
  const { report, attachment, attachmentHref } = props;
  return (
    <>
      <p class="muted">
        Verstuurd op {formatDutchInstant(report.sentAt ?? report.writtenAt, { time: 'minute' })}
        {!sentAsIs(report) && <>; bijgewerkt op {formatDutchInstant(report.writtenAt, { time: 'minute' })}</>}.
      </p>
      <MultilineText text={report.text} />
      {attachment && (
        <>
          <h3>Bijlage</h3>
          <AttachmentItems attachments={[attachment]} href={() => attachmentHref} />
        </>
      )}
    </>
  );
}

/** What the student's list says instead of a link when the scan blocked the file. */
const BLOCKED: Record<'threat' | 'unscannable', string> = {
  threat: 'geblokkeerd: mogelijk een virus. Kies een ander bestand',
  unscannable: 'geblokkeerd: kon niet op virussen worden gecontroleerd. Kies een ander bestand',
};

/**
 * The student's own attachment: a link unless the scan blocked it. Without a known verdict the
 * link is there too, with a note: the download answers "wordt nog gecontroleerd" (409) until the
 * scan is done, and records the verdict once it is.
 */
function OwnAttachment(props: { attachment: AttachmentRef | ShownAttachment; href: string }) {
  const { attachment, href } = props;
  const verdict = 'verdict' in attachment ? attachment.verdict : (attachment.scanVerdict ?? 'pending');
  return (
    <ul>
      <li>
        {verdict === 'threat' || verdict === 'unscannable' ? (
          <>
            <span>{attachment.name}</span> <span class="muted">({BLOCKED[verdict]})</span>
          </>
        ) : (
          <>
            <a href={href}>{attachment.name}</a> <span class="muted">({formatSize(attachment.size)}{verdict === 'pending' ? '; wordt op virussen gecontroleerd, openen kan zodra dat klaar is' : ''})</span>
          </>
        )}
      </li>
    </ul>
  );
}

/** What the verslag section of the student's appointment page shows. */
export interface ReportSectionProps {
  token: string;
  appointment: AppointmentRecord;
  /** Whether the gesprek was held (its end has passed at the clock's now). */
  held: boolean;
  /** The stored attachment with its scan verdict; without it, the verdict recorded on the appointment. */
  attachment?: ShownAttachment | undefined;
  /** The form as the student filled it in, and what is wrong (after a refused save). */
  values?: ReportFields;
  errors?: ReportFormErrors;
  /** What just happened (a save, a send): the `verslag` query value of the appointment page; unknown values show nothing. */
  notice?: string | undefined;
}

/**
 * The verslag section of a driehoeksgesprek on the student's appointment page (nothing for a
 * lesbezoek): before the gesprek what will come, after it the form and "Versturen naar de
 * deelnemers", for a cancelled one that there is no verslag.
 */
export function ReportSection(props: ReportSectionProps) {
  const { token, appointment, held, values = {}, errors = {} } = props;
  const notice = reportNotice(props.notice);
  if (appointment.kind !== 'gesprek') return <></>;
  const report = appointment.report;
  const base = `/s/${token}/afspraken/${appointment.appointmentId}/verslag`;
  const recipients = invited(appointment);
  const names = recipients.map((p) => p.person.name).join(', ');
  const stored: AttachmentRef | ShownAttachment | undefined =
    props.attachment ?? (report?.attachment ? { ...report.attachment, addedAt: report.writtenAt } : undefined);
  return (
    <section id="verslag" aria-labelledby="verslag-kop">
      <h2 id="verslag-kop">Verslag</h2>
      {notice && (
        <p class="success" role="status">
          {REPORT_NOTICES[notice]}
        </p>
      )}
      {appointment.state === 'geannuleerd' ? (
        <p class="muted">Dit gesprek is geannuleerd; er hoort geen verslag bij.</p>
      ) : !held ? (
        <p class="muted">
          Na afloop van het gesprek ({formatDutchDate(appointment.date)}, tot {appointment.end}) schrijf je hier het verslag en stuur je het naar {names || 'de deelnemers'}.
        </p>
      ) : (
        <>
          <p>{report ? sentLine(report) : 'Nog geen verslag opgeslagen.'}</p>
          <ErrorSummary errors={errors} prefix="veld" id="foutmeldingen" heading="Controleer het verslag:" />
          <form method="post" action={base} enctype="multipart/form-data" novalidate>
            <label for="veld-tekst">Verslag van het gesprek</label>
            {errors.tekst && (
              <p class="field-error" id="fout-tekst">
                {errors.tekst}
              </p>
            )}
            <p class="muted" id="uitleg-tekst">
              Hoogstens {REPORT_MAX_CHARACTERS} tekens. Wat jullie bespraken en afspraken; witregels blijven staan.
            </p>
            <textarea
              id="veld-tekst"
              name="tekst"
              rows={14}
              maxlength={REPORT_MAX_CHARACTERS}
              aria-invalid={errors.tekst ? 'true' : undefined}
              aria-describedby={[errors.tekst ? 'fout-tekst' : '', 'uitleg-tekst'].filter(Boolean).join(' ')}
            >
              {values.tekst ?? report?.text ?? ''}
            </textarea>
            {stored && (
              <>
                <p>Bijlage:</p>
                <OwnAttachment attachment={stored} href={`${base}/bijlage`} />
                <label class="choice">
                  <input type="checkbox" name="bijlageVerwijderen" value="ja" checked={values.bijlageVerwijderen === 'ja'} /> Bijlage verwijderen
                </label>
              </>
            )}
            <label for="veld-bijlage">{stored ? 'Andere bijlage (vervangt de huidige, optioneel)' : 'Bijlage (optioneel)'}</label>
            {errors.bijlage && (
              <p class="field-error" id="fout-bijlage">
                {errors.bijlage}
              </p>
            )}
            <p class="muted" id="uitleg-bijlage">
              Eén bestand van hoogstens {formatSize(REPORT_ATTACHMENT_MAX_BYTES)}: {ALLOWED_LABELS}.
            </p>
            <input
              type="file"
              id="veld-bijlage"
              name="bijlage"
              accept={ACCEPT}
              aria-invalid={errors.bijlage ? 'true' : undefined}
              aria-describedby={[errors.bijlage ? 'fout-bijlage' : '', 'uitleg-bijlage'].filter(Boolean).join(' ')}
            />
            <div class="actions">
              <button type="submit">Opslaan</button>
            </div>
          </form>
          {report && !sentAsIs(report) && (
            <form method="post" action={`${base}/versturen`}>
              <p>
                {report.sentAt ? 'De deelnemers krijgen het bijgewerkte verslag per e-mail' : 'De deelnemers krijgen het verslag per e-mail'}
                {names && <>: {names}</>}. Sla eerst op wat je hierboven hebt gewijzigd.
              </p>
              <div class="actions">
                <button type="submit" class="secondary">
                  Versturen naar de deelnemers
                </button>
              </div>
            </form>
          )}
          {report?.sentAt && (
            <p class="muted">De deelnemers lezen het verslag ook via de link in hun e-mail; daar staat steeds de laatst opgeslagen versie.</p>
          )}
        </>
      )}
    </section>
  );
}

/** The verslag form on a page of its own: after a save that was not right, with the text kept and what is wrong. */
export function ReportFormPage(props: ReportFormPageData) {
  const { token, appointment } = props;
  return (
    <Layout title={`Verslag ${talkLabel(appointment).toLowerCase()}`}>
      <p>
        <a href={`/s/${token}/afspraken/${appointment.appointmentId}`}>Terug naar de afspraak</a>
      </p>
      <h1>
        {talkLabel(appointment)} van {formatDutchDate(appointment.date)}
      </h1>
      <AppointmentFacts appointment={appointment} />
      <ReportSection token={token} appointment={appointment} held attachment={props.attachment} values={props.values} errors={props.errors} />
    </Layout>
  );
}
