import { raw } from 'hono/html';
import type { SchoolYear } from '#shared/calendar.ts';
import { dutchList } from '#shared/dutch.ts';
import { PARTICIPANT_LABELS, whenText, type AppointmentStatus, type AppointmentView } from '#shared/model/appointment-rules.ts';
import { PARTICIPANT_ROLES, TALK_RHYTHM, TALK_TYPES, type ParticipantRole, type TalkType } from '#shared/model/appointments.ts';
import type { RequestState } from '#shared/model/requests.ts';
import type { Placement } from '#shared/roster/placement.ts';
import type { FieldErrors, PlanningState, PostedFields } from '#shared/usecases/appointments.ts';
import { ErrorSummary } from './error-summary.tsx';

/** The Dutch label of an appointment's status on the pages. */
export const STATUS_LABELS: Readonly<Record<AppointmentStatus, string>> = {
  gepland: 'gepland',
  gehouden: 'geweest',
  geannuleerd: 'geannuleerd',
};

/** The Dutch label of a kijkwijzer's state beside its observer. */
export const FORM_STATE_LABELS: Readonly<Record<RequestState, string>> = {
  gevraagd: 'kijkwijzer nog niet ingevuld',
  concept: 'kijkwijzer in concept',
  ingediend: 'kijkwijzer ingediend',
  ingetrokken: 'kijkwijzer ingetrokken',
};

/** Each talk type as the plan form offers it, with the periods it belongs in. */
const TALK_OPTIONS: Readonly<Record<TalkType, string>> = {
  kennismaking: `Kennismakingsgesprek (OP${TALK_RHYTHM.kennismaking.periods.join(' of OP')})`,
  tussentijds: `Tussentijds gesprek (OP${TALK_RHYTHM.tussentijds.periods.join(' of OP')})`,
  op4: 'Gesprek in OP4',
  eind: 'Eindgesprek (CGI), aan het eind van het jaar',
};

/** The last value of a posted field, for an input's value. */
export const valueOf = (values: PostedFields, name: string): string => {
  const value = values[name];
  return typeof value === 'string' ? value : (value?.at(-1) ?? '');
};

/** Whether a checkbox group's posted values hold `value`. */
const checked = (values: PostedFields, name: string, value: string): boolean => {
  const posted = values[name];
  return typeof posted === 'string' ? posted === value : (posted?.includes(value) ?? false);
};

/** What the section needs: the student's link, their placement and year, the kijkwijzers, the appointments, a plan form shown again. */
export interface StudentAppointmentsProps {
  token: string;
  placement: Placement;
  year: SchoolYear;
  kijkwijzers: { id: string; title: string }[];
  appointments: AppointmentView[];
  planning?: PlanningState;
}

/**
 * "Lesbezoeken en driehoeksgesprekken" on the student's page: the planned appointments (each a link
 * to its page) and the two plan forms, with the messages or the warnings of a plan that was posted.
 * On a phone the table's rows stack (BASE_CSS).
 */
export function StudentAppointments(props: StudentAppointmentsProps) {
  const { token, year, appointments, planning } = props;
  return (
    <section aria-labelledby="afspraken">
      {/* The student's page is laid out by others' views: this section brings its own few styles (the CSP allows inline styles). */}
      <style>{raw(APPOINTMENT_CSS)}</style>
      <h2 id="afspraken">Lesbezoeken en driehoeksgesprekken</h2>
      <p>
        Plan hier een lesbezoek (je WPB, SO en/of IO observeert een les met een kijkwijzer) of een driehoeksgesprek. Iedereen die je uitnodigt krijgt een
        e-mail met een uitnodiging voor de agenda.
      </p>
      {appointments.length === 0 ? (
        <p>Je hebt nog geen lesbezoek of driehoeksgesprek gepland.</p>
      ) : (
        <table id="afspraken-lijst">
          <thead>
            <tr>
              <th scope="col">Afspraak</th>
              <th scope="col">Wanneer</th>
              <th scope="col">Deelnemers</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {appointments.map(({ appointment: a, title, status, participants }) => (
              <tr>
                <td data-label="Afspraak">
                  <a href={`/s/${token}/afspraken/${a.appointmentId}`}>{title}</a>
                </td>
                <td data-label="Wanneer">{whenText(a)}</td>
                <td data-label="Deelnemers">
                  <ul class="plain">
                    {participants.map(({ participant: p, request }) => (
                      <li>
                        {p.person.name} <span class="muted">({p.role.toUpperCase()})</span>
                        {p.state === 'geannuleerd' ? (
                          <span class="muted"> · afgemeld</span>
                        ) : (
                          request && <span class="muted"> · {FORM_STATE_LABELS[request.state]}</span>
                        )}
                      </li>
                    ))}
                  </ul>
                </td>
                <td data-label="Status">
                  <span class={`state state-${status}`}>{STATUS_LABELS[status]}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p class="notice" id="stagedagen">
        Je stagedagen zijn {dutchList(year.placementDays)}. Plan een lesbezoek bij voorkeur op een van die dagen; een andere dag kan ook.
      </p>
      <LesbezoekForm {...props} {...(planning?.kind === 'lesbezoek' ? { planning } : { planning: undefined })} />
      <GesprekForm {...props} {...(planning?.kind === 'gesprek' ? { planning } : { planning: undefined })} />
    </section>
  );
}

/**
 * The warnings of a posted plan (or move) with the button that confirms them: the posted values
 * again as hidden fields plus `bevestigd=ja`, so what is confirmed is exactly what was warned about.
 */
export function WarningBox(props: { warnings: string[]; values: PostedFields; action: string; id: string; button: string; rest: string }) {
  if (props.warnings.length === 0) return null;
  return (
    <div class="notice" role="alert" tabindex={-1} id={props.id}>
      <p>
        <strong>Let op:</strong>
      </p>
      <ul>
        {props.warnings.map((warning) => (
          <li>{warning}</li>
        ))}
      </ul>
      <form method="post" action={props.action}>
        {Object.entries(props.values)
          .filter(([name]) => name !== 'bevestigd')
          .flatMap(([name, value]) => (typeof value === 'string' ? [value] : (value ?? [])).map((v) => <input type="hidden" name={name} value={v} />))}
        <input type="hidden" name="bevestigd" value="ja" />
        <div class="actions">
          <button type="submit">{props.button}</button>
        </div>
      </form>
      <p>{props.rest}</p>
    </div>
  );
}

/** A field's message under its label, when there is one. */
export function FieldError(props: { id: string; message: string | undefined }) {
  return props.message ? (
    <p class="field-error" id={props.id}>
      {props.message}
    </p>
  ) : null;
}

/** The date and times of a plan or move form, with their messages. */
export function WhenFields(props: { prefix: string; values: PostedFields; errors: FieldErrors; year: SchoolYear; labels: [date: string, start: string, end: string]; hint?: string }) {
  const { prefix, values, errors, year } = props;
  const field = (name: 'date' | 'start' | 'end', label: string, type: 'date' | 'time') => {
    const errorId = `${prefix}-fout-${name}`;
    const hintId = name === 'date' && props.hint ? `${prefix}-uitleg-date` : '';
    return (
      <>
        <label for={`${prefix}-${name}`}>{label}</label>
        <FieldError id={errorId} message={errors[name]} />
        {hintId && (
          <p class="muted" id={hintId}>
            {props.hint}
          </p>
        )}
        <input
          type={type}
          id={`${prefix}-${name}`}
          name={name}
          value={valueOf(values, name)}
          required
          {...(type === 'date' ? { min: year.start, max: year.end } : { step: 300 })}
          aria-invalid={errors[name] ? 'true' : undefined}
          aria-describedby={[errors[name] ? errorId : '', hintId].filter(Boolean).join(' ') || undefined}
        />
      </>
    );
  };
  return (
    <>
      {field('date', props.labels[0], 'date')}
      <div class="time-pair">
        <div>{field('start', props.labels[1], 'time')}</div>
        <div>{field('end', props.labels[2], 'time')}</div>
      </div>
    </>
  );
}

/**
 * The plan form's own id, fresh on every page (the appointment gets it): a double click or a
 * replay of one form plans once (shared/usecases/appointments.ts). "Toch plannen" re-posts it with
 * the other values; the form below a warning gets a new one, as it may plan something else.
 */
function PlanId() {
  return <input type="hidden" name="planId" value={crypto.randomUUID()} />;
}

/** "Lesbezoek plannen": date, times, class, and per observer a checkbox and a kijkwijzer. */
function LesbezoekForm(props: StudentAppointmentsProps) {
  const { token, placement, year, kijkwijzers, planning } = props;
  const values = planning?.values ?? {};
  const errors = planning?.errors ?? {};
  const action = `/s/${token}/lesbezoeken`;
  return (
    <>
      <h3 id="lesbezoek-plannen">Lesbezoek plannen</h3>
      <ErrorSummary errors={errors} prefix="lesbezoek" id="lesbezoek-fouten" heading="Controleer het lesbezoek:" />
      <WarningBox
        warnings={planning?.warnings ?? []}
        values={values}
        action={action}
        id="lesbezoek-waarschuwing"
        button="Toch plannen"
        rest="Of pas hieronder de gegevens aan en plan opnieuw."
      />
      <form method="post" action={action} novalidate>
        <PlanId />
        <WhenFields
          prefix="lesbezoek"
          values={values}
          errors={errors}
          year={year}
          labels={['Datum van het lesbezoek', 'Begintijd van de les', 'Eindtijd van de les']}
          hint={`Een dag in schooljaar ${year.id}. Je stagedagen zijn ${dutchList(year.placementDays)}.`}
        />
        <label for="lesbezoek-className">Klas van de les (optioneel)</label>
        <FieldError id="lesbezoek-fout-className" message={errors.className} />
        <input type="text" id="lesbezoek-className" name="className" value={valueOf(values, 'className')} maxlength={40} autocomplete="off" />
        <fieldset id="lesbezoek-observers" aria-invalid={errors.observers ? 'true' : undefined}>
          <legend>Wie observeert de les, en met welke kijkwijzer?</legend>
          <FieldError id="lesbezoek-fout-observers" message={errors.observers} />
          {PARTICIPANT_ROLES.map((role) => (
            <div class="observer">
              <label class="choice" for={`lesbezoek-observer-${role}`}>
                <input type="checkbox" id={`lesbezoek-observer-${role}`} name="observers" value={role} checked={checked(values, 'observers', role)} />{' '}
                {placement[role].name}, {PARTICIPANT_LABELS[role]}
              </label>
              <label for={`lesbezoek-formId-${role}`}>Kijkwijzer voor {placement[role].name}</label>
              <FieldError id={`lesbezoek-fout-formId-${role}`} message={errors[`formId-${role}`]} />
              <select id={`lesbezoek-formId-${role}`} name={`formId-${role}`} aria-invalid={errors[`formId-${role}`] ? 'true' : undefined}>
                {kijkwijzers.map(({ id, title }) => (
                  <option value={id} selected={valueOf(values, `formId-${role}`) === id}>
                    {title}
                  </option>
                ))}
              </select>
            </div>
          ))}
        </fieldset>
        <div class="actions">
          <button type="submit">Lesbezoek plannen</button>
        </div>
      </form>
    </>
  );
}

/** "Driehoeksgesprek plannen": type, date, times, place, the WPB and/or the SO, and the IO who is always there. */
function GesprekForm(props: StudentAppointmentsProps) {
  const { token, placement, year, planning } = props;
  const values = planning?.values ?? {};
  const errors = planning?.errors ?? {};
  const action = `/s/${token}/gesprekken`;
  const partners: ParticipantRole[] = ['wpb', 'so'];
  return (
    <>
      <h3 id="gesprek-plannen">Driehoeksgesprek plannen</h3>
      <ErrorSummary errors={errors} prefix="gesprek" id="gesprek-fouten" heading="Controleer het driehoeksgesprek:" />
      <WarningBox
        warnings={planning?.warnings ?? []}
        values={values}
        action={action}
        id="gesprek-waarschuwing"
        button="Toch plannen"
        rest="Of pas hieronder de gegevens aan en plan opnieuw."
      />
      <form method="post" action={action} novalidate>
        <PlanId />
        <label for="gesprek-talkType">Soort driehoeksgesprek</label>
        <FieldError id="gesprek-fout-talkType" message={errors.talkType} />
        <select id="gesprek-talkType" name="talkType" aria-invalid={errors.talkType ? 'true' : undefined}>
          {TALK_TYPES.map((type) => (
            <option value={type} selected={valueOf(values, 'talkType') === type}>
              {TALK_OPTIONS[type]}
            </option>
          ))}
        </select>
        <WhenFields prefix="gesprek" values={values} errors={errors} year={year} labels={['Datum van het gesprek', 'Begintijd van het gesprek', 'Eindtijd van het gesprek']} />
        <label for="gesprek-location">Plek van het gesprek (optioneel)</label>
        <FieldError id="gesprek-fout-location" message={errors.location} />
        <input type="text" id="gesprek-location" name="location" value={valueOf(values, 'location')} maxlength={100} autocomplete="off" placeholder="bijvoorbeeld lokaal 2.14, of online" />
        <fieldset id="gesprek-participants" aria-invalid={errors.participants ? 'true' : undefined}>
          <legend>Wie zijn erbij?</legend>
          <FieldError id="gesprek-fout-participants" message={errors.participants} />
          {partners.map((role) => (
            <label class="choice" for={`gesprek-participant-${role}`}>
              <input type="checkbox" id={`gesprek-participant-${role}`} name="participants" value={role} checked={checked(values, 'participants', role)} />{' '}
              {placement[role].name}, {PARTICIPANT_LABELS[role]}
            </label>
          ))}
          <p class="muted">
            {placement.io.name}, je {PARTICIPANT_LABELS.io}, is bij elk driehoeksgesprek en krijgt de uitnodiging ook.
          </p>
        </fieldset>
        <div class="actions">
          <button type="submit">Driehoeksgesprek plannen</button>
        </div>
      </form>
    </>
  );
}

/** Extra styles of the appointment forms and lists: times side by side (stacked on a phone), plain lists, the observer blocks. */
export const APPOINTMENT_CSS = `
input[type=time] { font: inherit; width: 100%; padding: .5rem; border: 1px solid #767676; border-radius: .25rem; background: #fff; color: var(--ink); }
.time-pair { display: flex; flex-wrap: wrap; gap: 0 1rem; }
.time-pair > div { flex: 1 1 9rem; min-width: 0; }
ul.plain { list-style: none; margin: 0; padding: 0; }
fieldset { border: 1px solid var(--line); border-radius: .25rem; margin: 1rem 0; padding: .5rem .75rem; min-width: 0; }
.observer { border-bottom: 1px solid var(--line); padding: .25rem 0 .75rem; }
.observer:last-child { border-bottom: 0; }
.field-error { color: var(--accent); font-weight: 600; margin: .25rem 0; }
.state-gepland { background: #eef2f8; border-color: #3d5a80; color: #1f3149; }
.state-gehouden { background: #e6f4ea; border-color: #1e6b34; color: #14481f; }
.state-geannuleerd { background: #f0f0f0; border-color: #6b6b6b; color: #3d3d3d; text-decoration: line-through; }
`;
