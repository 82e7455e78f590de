import type { ShownAttachment } from '#shared/attachments/serve.ts';
import { formatDutchInstant, periodLabel } from '#shared/calendar.ts';
import { dutchList } from '#shared/dutch.ts';
import { invitationLocation } from '#shared/mail/invitation.ts';
import { KIND_LABELS, PARTICIPANT_LABELS, whenText } from '#shared/model/appointment-rules.ts';
import { invited, TALK_RHYTHM, type ParticipantRole } from '#shared/model/appointments.ts';
import type { AppointmentPageData, FormState } from '#shared/usecases/appointments.ts';
import { Layout } from '#shared/web/layout.tsx';
import { ReportSection } from './appointment-report.tsx';
import { ErrorSummary } from './error-summary.tsx';
import { APPOINTMENT_CSS, FORM_STATE_LABELS, STATUS_LABELS, WarningBox, WhenFields } from './student-appointments.tsx';

/** A confirmation after a change, by the query the routes redirect with. */
export type AppointmentNotice = { kind: 'gepland' } | { kind: 'verplaatst' } | { kind: 'geannuleerd' } | { kind: 'afgemeld'; role: ParticipantRole };

/** What the appointment page shows besides its data. */
export interface AppointmentPageProps extends AppointmentPageData {
  token: string;
  notice?: AppointmentNotice;
  /** The move form posted again: values, messages, warnings. */
  move?: FormState;
  /** The cancellation to confirm: the whole appointment, or one participant's part. */
  confirm?: { role?: ParticipantRole };
  /** After a save or send of the verslag: the `verslag` query value (views/appointment-report.tsx). */
  reportNotice?: string | undefined;
  /** The verslag's attachment with its current scan verdict (a gesprek with one). */
  reportAttachment?: ShownAttachment | undefined;
}

/**
 * One appointment of the student's: its details, the participants with their invitation and (a
 * lesbezoek) their kijkwijzer, and what the student can do: move it, cancel it or one
 * participant's part, each cancellation after a confirmation step.
 */
export function AppointmentPage(props: AppointmentPageProps) {
  const { token, appointment: a, view, participants } = props;
  const kind = KIND_LABELS[a.kind];
  const base = `/s/${token}/afspraken/${a.appointmentId}`;
  return (
    <Layout title={view.title} extraCss={APPOINTMENT_CSS}>
      <p>
        <a href={`/s/${token}#afspraken`}>Terug naar Mijn werkplekleren</a>
      </p>
      <h1>{view.title}</h1>
      <Notice {...props} />
      {props.confirm && <ConfirmCancel {...props} confirm={props.confirm} />}

      <table class="details">
        <tbody>
          <tr>
            <th scope="row">Wanneer</th>
            <td>{whenText(a)}</td>
          </tr>
          <tr>
            <th scope="row">Waar</th>
            <td>{invitationLocation(a)}</td>
          </tr>
          {a.className && (
            <tr>
              <th scope="row">Klas</th>
              <td>{a.className}</td>
            </tr>
          )}
          {a.talkType && (
            <tr>
              <th scope="row">Soort gesprek</th>
              <td>{TALK_RHYTHM[a.talkType].label}</td>
            </tr>
          )}
          <tr>
            <th scope="row">Periode</th>
            <td>{periodLabel({ number: a.period })}</td>
          </tr>
          <tr>
            <th scope="row">Status</th>
            <td>
              <span class={`state state-${view.status}`} id="afspraak-status">
                {STATUS_LABELS[view.status]}
              </span>
              {a.cancelledAt && <span class="muted"> op {formatDutchInstant(a.cancelledAt, { time: 'minute' })}</span>}
            </td>
          </tr>
        </tbody>
      </table>

      <h2 id="deelnemers">Deelnemers</h2>
      <table id="deelnemers-lijst">
        <thead>
          <tr>
            <th scope="col">Naam</th>
            <th scope="col">Uitnodiging</th>
            {a.kind === 'lesbezoek' && <th scope="col">Kijkwijzer</th>}
            <th scope="col">Afmelden</th>
          </tr>
        </thead>
        <tbody>
          {participants.map(({ participant: p, request, formTitle, cancelRefusal }) => (
            <tr id={`deelnemer-${p.role}`}>
              <td data-label="Naam">
                {p.person.name}
                <br />
                <span class="muted">{PARTICIPANT_LABELS[p.role]}</span>
              </td>
              <td data-label="Uitnodiging">{p.state === 'geannuleerd' ? 'afgemeld' : 'uitgenodigd'}</td>
              {a.kind === 'lesbezoek' && (
                <td data-label="Kijkwijzer">
                  {formTitle ?? '–'}
                  {request && (
                    <>
                      <br />
                      <span class={`state state-${request.state}`}>{FORM_STATE_LABELS[request.state]}</span>
                      {request.state === 'ingediend' && (
                        <>
                          {' '}
                          <a href={`/s/${token}/formulieren/${request.requestId}`}>Lezen</a>
                        </>
                      )}
                    </>
                  )}
                </td>
              )}
              <td data-label="Afmelden">
                {p.state === 'uitgenodigd' && a.state === 'gepland' && invited(a).length > 1 && !cancelRefusal ? (
                  <form method="post" action={`${base}/annuleren`} class="inline">
                    <input type="hidden" name="rol" value={p.role} />
                    <button type="submit" class="small secondary">
                      {p.person.name} afmelden
                    </button>
                  </form>
                ) : (
                  <span class="muted">{p.state === 'uitgenodigd' && cancelRefusal ? cancelRefusal : '–'}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2 id="verplaatsen">Verplaatsen</h2>
      {props.moveRefusal ? <p>{props.moveRefusal}</p> : <MoveForm {...props} action={`${base}/verplaatsen`} />}

      <h2 id="annuleren">{kind} annuleren</h2>
      {a.state === 'geannuleerd' ? (
        <p>Deze afspraak is geannuleerd.</p>
      ) : props.cancelRefusal ? (
        <p>{props.cancelRefusal}</p>
      ) : (
        <form method="post" action={`${base}/annuleren`}>
          <p>Iedereen die nog is uitgenodigd krijgt een annulering voor de agenda{a.kind === 'lesbezoek' ? '; hun kijkwijzers worden ingetrokken' : ''}.</p>
          <div class="actions">
            <button type="submit" class="secondary">
              {kind} annuleren
            </button>
          </div>
        </form>
      )}

      {/* VERSLAG: helper H2 adds the verslag section of a driehoeksgesprek here (between this line and the end marker). */}
      <ReportSection token={token} appointment={a} held={view.status === 'gehouden'} notice={props.reportNotice} attachment={props.reportAttachment} />
      {/* END VERSLAG */}
    </Layout>
  );
}

/** The confirmation of the last change, if any. */
function Notice(props: AppointmentPageProps) {
  const { notice, appointment: a } = props;
  if (!notice) return null;
  const people = dutchList(invited(a).map((p) => p.person.name));
  const text =
    notice.kind === 'gepland'
      ? `${KIND_LABELS[a.kind]} gepland. ${people} ${invited(a).length === 1 ? 'krijgt' : 'krijgen'} een e-mail met de uitnodiging voor de agenda${a.kind === 'lesbezoek' ? ' en de link naar de kijkwijzer' : ''}.`
      : notice.kind === 'verplaatst'
        ? `De afspraak is verplaatst naar ${whenText(a)}. ${people} ${invited(a).length === 1 ? 'krijgt' : 'krijgen'} de bijgewerkte uitnodiging.`
        : notice.kind === 'geannuleerd'
          ? 'De afspraak is geannuleerd. Wie was uitgenodigd, krijgt de annulering voor de agenda.'
          : `${a.participants.find((p) => p.role === notice.role)?.person.name ?? 'De deelnemer'} is afgemeld en krijgt de annulering voor de agenda.`;
  return (
    <p class="success" role="status">
      {text}
    </p>
  );
}

/** "Lesbezoek annuleren?" or "<name> afmelden?": what happens, and the button that confirms it. */
function ConfirmCancel(props: AppointmentPageProps & { confirm: { role?: ParticipantRole } }) {
  const { token, appointment: a, confirm } = props;
  const part = confirm.role ? a.participants.find((p) => p.role === confirm.role) : undefined;
  const kind = KIND_LABELS[a.kind];
  return (
    <div class="notice" role="alert" tabindex={-1} id="bevestigen">
      <h2>{part ? `${part.person.name} afmelden?` : `${kind} annuleren?`}</h2>
      <p>
        {part
          ? `${part.person.name} (${PARTICIPANT_LABELS[part.role]}) krijgt een annulering voor de agenda${part.requestId ? ' en de kijkwijzer wordt ingetrokken: de link werkt dan niet meer' : ''}. De anderen blijven uitgenodigd.`
          : `Iedereen die nog is uitgenodigd (${dutchList(invited(a).map((p) => p.person.name))}) krijgt een annulering voor de agenda${a.kind === 'lesbezoek' ? '; de kijkwijzers worden ingetrokken' : ''}.`}{' '}
        Dit kun je niet ongedaan maken.
      </p>
      <form method="post" action={`/s/${token}/afspraken/${a.appointmentId}/annuleren`}>
        {part && <input type="hidden" name="rol" value={part.role} />}
        <input type="hidden" name="bevestigd" value="ja" />
        <div class="actions">
          <button type="submit">{part ? `Ja, ${part.person.name} afmelden` : `Ja, ${kind.toLowerCase()} annuleren`}</button>
          <a class="button secondary" href={`/s/${token}/afspraken/${a.appointmentId}`}>
            Nee, terug
          </a>
        </div>
      </form>
    </div>
  );
}

/** The move form: a new date and times, with the messages or warnings of a move that was posted. */
function MoveForm(props: AppointmentPageProps & { action: string }) {
  const { appointment: a, year, move } = props;
  const values = move?.values ?? { date: a.date, start: a.start, end: a.end };
  const errors = move?.errors ?? {};
  return (
    <>
      <ErrorSummary errors={errors} prefix="verplaatsen" id="verplaatsen-fouten" heading="Controleer de nieuwe datum en tijd:" />
      <WarningBox
        warnings={move?.warnings ?? []}
        values={values}
        action={props.action}
        id="verplaatsen-waarschuwing"
        button="Toch verplaatsen"
        rest="Of kies hieronder een andere datum of tijd."
      />
      <form method="post" action={props.action} novalidate>
        <WhenFields
          prefix="verplaatsen"
          values={values}
          errors={errors}
          year={year}
          labels={['Nieuwe datum', 'Nieuwe begintijd', 'Nieuwe eindtijd']}
          hint={`Je stagedagen zijn ${dutchList(year.placementDays)}.`}
        />
        <p class="muted">Iedereen die is uitgenodigd krijgt de nieuwe tijd, met een bijgewerkte uitnodiging voor de agenda.</p>
        <div class="actions">
          <button type="submit">Verplaatsen</button>
        </div>
      </form>
    </>
  );
}
