import { formatDutchDate, formatDutchInstant, periodLabel } from '#shared/calendar.ts';
import { OBSERVER_LABELS_SHORT } from '#shared/overview/labels.ts';
import type { StudentOverview } from '#shared/usecases/overview.ts';
import { Layout } from '#shared/web/layout.tsx';
import { ACTIONS_CSS, AuditLog, ReplaceWpbForm, RequestActions, type WpbFormState } from './overview-parts.tsx';
import type { ConcernFormState } from '#shared/usecases/concern-actions.ts';
import { ConcernsSection } from './overview-concerns.tsx';
import { AppointmentsSection } from './overview-appointment.tsx';
import { ProgressCountsList } from './progress-counts.tsx';

/** The staff page of one student: placement and its history, every request of the year with its actions, the WPB form and the log. */
export function StudentOverviewPage(props: StudentOverview & { notice: string | undefined; form?: WpbFormState; concernForm?: ConcernFormState | undefined }) {
  const { placement, history, requests } = props;
  const title = (formId: string) => props.titles[formId] ?? formId;
  const back = `/overzicht/student/${placement.schoolYear}/${placement.studentNumber}`;
  const roles = [
    ['Werkplekbegeleider (WPB)', placement.wpb],
    ['Schoolopleider (SO)', placement.so],
    ['Instituutsopleider (IO)', placement.io],
    ['Schoolcoördinator (SCO)', placement.sco],
  ] as const;
  return (
    <Layout title={`${placement.student.name} · overzicht`} extraCss={ACTIONS_CSS}>
      <p>
        <a href={`/overzicht?jaar=${placement.schoolYear}`}>Terug naar het overzicht</a>
      </p>
      <h1>
        {placement.student.name} <span class="muted">({placement.studentNumber})</span>
      </h1>
      {props.notice && (
        <p class="success" role="status">
          {props.notice}
        </p>
      )}
      <p>
        {placement.vak} · {placement.school} · schooljaar {placement.schoolYear} · {placement.student.email}
      </p>
      <p>
        <a href={`/overzicht/student/${placement.schoolYear}/${placement.studentNumber}/groeidossier.pdf`}>Groeidossier als pdf</a>
      </p>
      <h2>Plaatsing</h2>
      <table>
        <tbody>
          {roles.map(([label, person]) => (
            <tr>
              <th scope="row">{label}</th>
              <td>
                {person.name} <span class="muted">({person.email})</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted">
        Versie {placement.rev}
        {placement.updatedAt && <>, gewijzigd op {formatDutchInstant(placement.updatedAt, { time: 'second' })}</>}.
      </p>
      {history.length > 0 && (
        <>
          <h3>Eerdere versies</h3>
          <ul>
            {[...history].reverse().map((h) => (
              <li>
                Versie {h.rev}
                {h.updatedAt && <> (vanaf {formatDutchInstant(h.updatedAt, { time: 'second' })})</>}: WPB {h.wpb.name} ({h.wpb.email}), SO {h.so.name}, IO {h.io.name}, SCO {h.sco.name}
              </li>
            ))}
          </ul>
        </>
      )}
      {props.counts && (
        <>
          <h2 id="voortgang">Voortgang in {placement.schoolYear}</h2>
          <ProgressCountsList counts={props.counts} />
        </>
      )}
      <ConcernsSection concerns={props.concerns} placement={placement} back={back} form={props.concernForm} />
      <h2 id="wpb-vervangen">WPB vervangen</h2>
      <ReplaceWpbForm placement={placement} back={back} values={props.form?.values} errors={props.form?.errors} />
      <h2>Aanvragen in {placement.schoolYear}</h2>
      {requests.length === 0 ? (
        <p class="muted">Nog niets gevraagd.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Formulier</th>
              <th scope="col">Periode</th>
              <th scope="col">Observator</th>
              <th scope="col">Status</th>
              <th scope="col">Acties</th>
            </tr>
          </thead>
          <tbody>
            {requests.map((r) => (
              <tr data-request={r.requestId}>
                <td data-label="Formulier">
                  {r.state === 'ingediend' ? <a href={`/overzicht/formulier/${r.schoolYear}/${r.studentNumber}/${r.requestId}`}>{title(r.formId)}</a> : title(r.formId)}
                  {r.lessonDate && <span class="muted"> · les van {formatDutchDate(r.lessonDate)}</span>}
                </td>
                <td data-label="Periode">
                  {periodLabel({ number: r.period })}
                  <br />
                  <span class="muted">deadline {formatDutchDate(r.deadline)}</span>
                </td>
                <td data-label="Observator">
                  {OBSERVER_LABELS_SHORT[r.observerRole]} {r.observer.name}
                  <br />
                  <span class="muted">{r.observer.email}</span>
                </td>
                <td data-label="Status">
                  <span class={`state state-${r.state}`}>{r.state}</span>
                  {r.submittedAt && <> {formatDutchInstant(r.submittedAt, { time: 'minute' })}</>}
                </td>
                <td data-label="Acties">
                  <RequestActions request={r} title={title(r.formId)} now={props.now} graceDays={props.graceDays} back={back} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <AppointmentsSection appointments={props.appointments} now={props.now} />
      <h2>Logboek</h2>
      <AuditLog events={props.events} requests={requests} titles={props.titles} />
    </Layout>
  );
}
