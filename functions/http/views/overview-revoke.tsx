import { formatDutchDate } from '#shared/calendar.ts';
import type { RequestRecord } from '#shared/model/requests.ts';
import { MAX_REASON } from '#shared/usecases/staff-actions.ts';
import { Layout } from '#shared/web/layout.tsx';
import { ACTIONS_CSS } from './overview-parts.tsx';

/**
 * The confirmation step of "Link intrekken": the button in a table posts without `bevestigd=ja`
 * and gets this page, which says what would happen and confirms with a form (no JavaScript needed).
 */
export function RevokeConfirmation(props: {
  request: RequestRecord;
  /** How a sentence names the form ("de kijkwijzer pedagogiek"). */
  formReference: string;
  /** Where "Annuleren" goes. */
  back: string;
  /** The `terug` the action was posted with, passed on. */
  terug: string;
}) {
  const { request } = props;
  const base = `/overzicht/aanvraag/${request.schoolYear}/${request.studentNumber}/${request.requestId}`;
  return (
    <Layout title="Link intrekken" extraCss={ACTIONS_CSS}>
      <h1>Link intrekken?</h1>
      <p>
        Na het intrekken werkt de link van <strong>{request.observer.name}</strong> ({request.observer.email}) voor {props.formReference} van {request.student.name}
        {request.lessonDate && <> (les van {formatDutchDate(request.lessonDate)})</>} niet meer.
        {request.latestVersion > 0 && request.state !== 'ingediend' && ' Een opgeslagen concept blijft bewaard.'}
      </p>
      <p>
        {request.observer.name} krijgt een e-mail dat de link niet meer werkt, met de reden hieronder (als u die invult) en uw e-mailadres voor vragen. Met
        "Nieuwe link sturen" kan de observator later weer verder.
      </p>
      <form method="post" action={`${base}/intrekken`}>
        <input type="hidden" name="terug" value={props.terug} />
        <input type="hidden" name="bevestigd" value="ja" />
        <label for="reden">Reden voor de observator (optioneel)</label>
        <textarea id="reden" name="reden" rows={3} maxlength={MAX_REASON}></textarea>
        <div class="actions">
          <button type="submit">Ja, link intrekken</button>
          <a class="button secondary" href={props.back}>
            Annuleren
          </a>
        </div>
      </form>
    </Layout>
  );
}
