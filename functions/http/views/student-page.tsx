import { formatDutchDate, periodLabel } from '#shared/calendar.ts';
import { STAFF_ONLY_PART_NOTE } from '#shared/forms/render.tsx';
import { OBSERVER_LABELS } from '#shared/model/request-rules.ts';
import { OBSERVER_ROLES, type RequestRecord } from '#shared/model/requests.ts';
import type { RequestFields, RequestFormErrors, StudentPageData } from '#shared/usecases/observation.ts';
import type { PlanningState } from '#shared/usecases/appointments.ts';
import { ErrorSummary } from './error-summary.tsx';
import { StudentAppointments } from './student-appointments.tsx';
import { ProgressCountsList } from './progress-counts.tsx';
import { Layout } from '#shared/web/layout.tsx';

const STATE_LABELS: Record<RequestRecord['state'], string> = {
  gevraagd: 'gevraagd',
  concept: 'concept',
  ingediend: 'ingediend',
  ingetrokken: 'ingetrokken',
};

/** What the student's page shows besides its data: the link's token, a confirmation, or the request form again with what is wrong. */
export interface StudentPageProps extends StudentPageData {
  token: string;
  requested?: boolean;
  withdrawn?: boolean;
  values?: RequestFields;
  errors?: RequestFormErrors;
  /** A lesbezoek or driehoeksgesprek plan posted again: its values, messages or warnings. */
  planning?: PlanningState;
}

/** The student's own page ("Mijn werkplekleren"): the period, the year's progress, the requests and the request form. */
export function StudentPage(props: StudentPageProps) {
  const { token, placement, year, period, requests, values = {}, errors = {} } = props;
  return (
    <Layout title="Mijn werkplekleren">
      <h1>Mijn werkplekleren</h1>
      <p>
        {placement.student.name} · {placement.vak} · {placement.school} · schooljaar {year.id}
        {year.provisional && (
          <>
            {' '}
            <span class="badge">voorlopig</span>
          </>
        )}
      </p>
      {year.provisional && (
        <p class="notice">
          <strong>Voorlopig.</strong> {year.note}
        </p>
      )}
      {props.requested && (
        <p class="success" role="status">
          Je aanvraag is verstuurd. De observator krijgt een e-mail met een link naar het formulier.
        </p>
      )}
      {props.withdrawn && (
        <p class="success" role="status">
          Je aanvraag is ingetrokken. De observator heeft een e-mail gekregen dat het formulier niet meer nodig is.
        </p>
      )}

      <h2>{period ? `${period.current ? 'Deze periode' : 'Binnenkort'}: ${periodLabel(period.period)}` : 'Geen periode'}</h2>
      {period ? (
        <>
          <p>
            {period.current ? 'Deadline' : `Vanaf ${formatDutchDate(period.period.start)}; deadline`}: <strong>{formatDutchDate(period.period.deadline)}</strong>
          </p>
          <ul>
            {period.tasks.map((task) => (
              <li>{task}</li>
            ))}
          </ul>
        </>
      ) : (
        <p>
          {props.yearAhead
            ? `Schooljaar ${year.id} is nog niet begonnen: het begint op ${formatDutchDate(year.start)}.`
            : 'Voor dit schooljaar is er geen lopende of komende periode meer.'}
        </p>
      )}
      <p>
        <a href={`/s/${token}/agenda.ics`}>Zet de deadlines in je agenda</a> (een agendabestand met de deadlines en taken van elke periode)
      </p>
      <p>
        <a href={`/s/${token}/groeidossier.pdf`}>Groeidossier als pdf</a> (je ingediende formulieren, lesbezoeken en driehoeksgesprekken van dit schooljaar in één bestand)
      </p>

      <h2 id="voortgang">Voortgang</h2>
      <p class="muted">Schooljaar {year.id}: wat er is gedaan en gepland, volgens de afspraken van dit schooljaar.</p>
      <ProgressCountsList counts={props.counts} />

      <h2>Mijn aanvragen</h2>
      {requests.length === 0 ? (
        <p>Je hebt nog niets aangevraagd.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Formulier</th>
              <th scope="col">Observator</th>
              <th scope="col">Les</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {requests.map(({ request: r, title, withdrawable, staffOnlyPart }) => (
              <tr>
                <td data-label="Formulier">
                  {r.state === 'ingediend' ? <a href={`/s/${token}/formulieren/${r.requestId}`}>{title}</a> : title}
                  <br />
                  <span class="muted">{periodLabel({ number: r.period })}</span>
                  {staffOnlyPart && <p class="muted">{STAFF_ONLY_PART_NOTE}</p>}
                </td>
                <td data-label="Observator">
                  {r.observer.name}
                  <br />
                  <span class="muted">{r.observerRole.toUpperCase()}</span>
                </td>
                <td data-label="Les">
                  {r.lessonDate ? formatDutchDate(r.lessonDate) : '–'}
                  {r.className && <> · klas {r.className}</>}
                </td>
                <td data-label="Status">
                  <span class={`state state-${r.state}`}>{STATE_LABELS[r.state]}</span>
                  {withdrawable && (
                    <form method="post" action={`/s/${token}/aanvragen/${r.requestId}/intrekken`} class="inline">
                      <button type="submit" class="small secondary">
                        Intrekken<span class="visually-hidden"> ({title} bij {r.observer.name})</span>
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <StudentAppointments token={token} placement={placement} year={year} kijkwijzers={props.kijkwijzers} appointments={props.appointments} {...(props.planning ? { planning: props.planning } : {})} />

      <AskForm {...props} values={values} errors={errors} />
    </Layout>
  );
}

/** "Lesobservatie aanvragen": the form, with the messages of a request that was not right. */
function AskForm(props: StudentPageProps & { values: RequestFields; errors: RequestFormErrors }) {
  const { token, placement, year, kijkwijzers, lessonRange, values, errors } = props;
  return (
    <>
      <h2 id="aanvragen">Lesobservatie aanvragen</h2>
      <ErrorSummary errors={errors} prefix="veld" id="foutmeldingen" heading="Controleer de aanvraag:" />
      <form method="post" action={`/s/${token}/aanvragen`} novalidate>
        <label for="veld-formId">Kijkwijzer</label>
        <select id="veld-formId" name="formId" aria-invalid={errors.formId ? 'true' : undefined}>
          {kijkwijzers.map(({ id, title }) => (
            <option value={id} selected={values.formId === id}>
              {title}
            </option>
          ))}
        </select>
        <fieldset aria-invalid={errors.observerRole ? 'true' : undefined}>
          <legend id="veld-observerRole">Wie observeert de les?</legend>
          {OBSERVER_ROLES.map((role) => (
            <label class="choice">
              <input type="radio" name="observerRole" value={role} checked={(values.observerRole ?? 'wpb') === role} />{' '}
              {placement[role].name}, {OBSERVER_LABELS[role]}
            </label>
          ))}
        </fieldset>
        <label for="veld-lessonDate">Lesdatum</label>
        {errors.lessonDate && (
          <p class="field-error" id="fout-lessonDate">
            {errors.lessonDate}
          </p>
        )}
        {lessonRange && (
          <p class="muted" id="uitleg-lessonDate">
            Een les uit schooljaar {year.id}, uiterlijk op {formatDutchDate(lessonRange.max)}, de deadline van {periodLabel({ number: lessonRange.period })}.
          </p>
        )}
        <input
          type="date"
          id="veld-lessonDate"
          name="lessonDate"
          value={values.lessonDate ?? ''}
          required
          {...(lessonRange ? { min: lessonRange.min, max: lessonRange.max } : {})}
          aria-invalid={errors.lessonDate ? 'true' : undefined}
          aria-describedby={[errors.lessonDate ? 'fout-lessonDate' : '', lessonRange ? 'uitleg-lessonDate' : ''].filter(Boolean).join(' ') || undefined}
        />
        <label for="veld-className">Klas (optioneel)</label>
        <input type="text" id="veld-className" name="className" value={values.className ?? ''} maxlength={40} autocomplete="off" />
        <label for="veld-question">Vraag aan de observator (optioneel)</label>
        <textarea id="veld-question" name="question" rows={3} maxlength={1000}>
          {values.question ?? ''}
        </textarea>
        <div class="actions">
          <button type="submit">Aanvraag versturen</button>
        </div>
      </form>
    </>
  );
}
