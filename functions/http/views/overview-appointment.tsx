import type { Temporal } from 'temporal-polyfill';
import { formatDutchDate, formatDutchInstant } from '#shared/calendar.ts';
import { appointmentStatus, appointmentTitle, isHeld, whenText } from '#shared/model/appointment-rules.ts';
import { invited, type AppointmentRecord } from '#shared/model/appointments.ts';
import { sentAsIs, type StaffAppointmentPageData } from '#shared/usecases/appointment-reports.ts';
import { Layout } from '#shared/web/layout.tsx';
import { AppointmentFacts, ReportReadOnly, talkLabel } from './appointment-report.tsx';

/** One of a student's appointments as signed-in staff read it (`/overzicht/afspraak/<year>/<nr>/<id>`): its facts and, once sent, the verslag. */
export function StaffAppointmentPage(props: StaffAppointmentPageData) {
  const { placement, appointment, report, attachment, held } = props;
  const title = appointment.kind === 'gesprek' ? talkLabel(appointment) : 'Lesbezoek';
  const base = `/overzicht/afspraak/${appointment.schoolYear}/${appointment.studentNumber}/${appointment.appointmentId}`;
  return (
    <Layout title={`${title} · ${placement.student.name}`}>
      <p>
        <a href={`/overzicht/student/${placement.schoolYear}/${placement.studentNumber}`}>Terug naar {placement.student.name}</a>
      </p>
      <h1>
        {title} van {formatDutchDate(appointment.date)} <span class="muted">({placement.student.name})</span>
      </h1>
      {appointment.state === 'geannuleerd' && (
        <p class="notice">Geannuleerd{appointment.cancelledAt && <> op {formatDutchInstant(appointment.cancelledAt, { time: 'minute' })}</>}.</p>
      )}
      <AppointmentFacts appointment={appointment} />
      {appointment.kind === 'gesprek' && (
        <>
          <h2>Verslag</h2>
          {report ? (
            <ReportReadOnly report={report} attachment={attachment} attachmentHref={`${base}/bijlage`} />
          ) : (
            <p class="muted">
              {appointment.state === 'geannuleerd' ? 'Geen verslag: het gesprek is geannuleerd.' : held ? 'Het verslag is nog niet verstuurd.' : 'Het gesprek moet nog plaatsvinden.'}
            </p>
          )}
        </>
      )}
    </Layout>
  );
}

/** What the verslag column says of an appointment. */
function reportState(appointment: AppointmentRecord, now: Temporal.Instant): string {
  if (appointment.kind !== 'gesprek') return '–';
  const report = appointment.report;
  if (report?.sentAt) return `verstuurd op ${formatDutchInstant(report.sentAt, { time: 'minute' })}${sentAsIs(report) ? '' : ' (daarna gewijzigd)'}`;
  if (appointment.state === 'geannuleerd') return '–';
  return isHeld(appointment, now) ? 'nog niet verstuurd' : 'na het gesprek';
}

/** The student's appointments on the staff page of the student, each with a link to its page (and verslag). */
export function AppointmentsSection(props: { appointments: readonly AppointmentRecord[]; now: Temporal.Instant }) {
  const { appointments, now } = props;
  return (
    <>
      <h2 id="afspraken">Lesbezoeken en driehoeksgesprekken</h2>
      {appointments.length === 0 ? (
        <p class="muted">Nog niets gepland.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Afspraak</th>
              <th scope="col">Datum</th>
              <th scope="col">Deelnemers</th>
              <th scope="col">Status</th>
              <th scope="col">Verslag</th>
            </tr>
          </thead>
          <tbody>
            {appointments.map((a) => (
              <tr data-appointment={a.appointmentId}>
                <td data-label="Afspraak">
                  <a href={`/overzicht/afspraak/${a.schoolYear}/${a.studentNumber}/${a.appointmentId}`}>{appointmentTitle(a)}</a>
                </td>
                <td data-label="Datum">{whenText(a)}</td>
                <td data-label="Deelnemers">{invited(a).map((p) => `${p.role.toUpperCase()} ${p.person.name}`).join(', ') || '–'}</td>
                <td data-label="Status">{appointmentStatus(a, now)}</td>
                <td data-label="Verslag">{reportState(a, now)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
