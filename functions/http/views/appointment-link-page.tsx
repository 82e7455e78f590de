import { formatDutchDate } from '#shared/calendar.ts';
import { PARTICIPANT_LABELS } from '#shared/model/appointment-rules.ts';
import type { AppointmentLinkPageData } from '#shared/usecases/appointment-reports.ts';
import { Layout } from '#shared/web/layout.tsx';
import { AppointmentFacts, ReportReadOnly, talkLabel } from './appointment-report.tsx';

/**
 * A participant's page of a driehoeksgesprek (`/a/<token>`): the gesprek's facts, who takes part,
 * and, once the student sent it, the verslag with its attachment. Participants are addressed with "u".
 */
export function AppointmentLinkPage(props: AppointmentLinkPageData & { token: string }) {
  const { appointment, participant, report, attachment, held, token } = props;
  const title = appointment.kind === 'gesprek' ? talkLabel(appointment) : 'Lesbezoek';
  return (
    <Layout title={`${title} ${appointment.student.name}`}>
      <h1>
        {title} van {appointment.student.name}
      </h1>
      <p class="muted">
        U bekijkt dit als {PARTICIPANT_LABELS[participant.role]}, {participant.person.name}. Deze link is persoonlijk: stuur hem niet door.
      </p>
      <h2>Het gesprek</h2>
      <AppointmentFacts appointment={appointment} />
      {appointment.kind === 'gesprek' && (
        <>
          <h2>Verslag</h2>
          {report ? (
            <ReportReadOnly report={report} attachment={attachment} attachmentHref={`/a/${token}/bijlage`} />
          ) : (
            <p class="muted">
              {held
                ? `${appointment.student.name} heeft het verslag nog niet verstuurd. U krijgt een e-mail zodra dat gebeurt.`
                : `Na het gesprek van ${formatDutchDate(appointment.date)} schrijft ${appointment.student.name} het verslag; u krijgt het per e-mail en leest het ook hier.`}
            </p>
          )}
        </>
      )}
    </Layout>
  );
}
