import { formatDutchDate } from '#shared/calendar.ts';
import { OBSERVER_LABELS } from '#shared/model/request-rules.ts';
import type { RequestRecord } from '#shared/model/requests.ts';
import { Layout } from '#shared/web/layout.tsx';

/**
 * What the student confirms before a request is withdrawn: a button that posts the confirmation
 * (no JavaScript needed), or back to their page. `reference` names the form in a sentence.
 */
export function StudentWithdrawPage(props: { token: string; request: RequestRecord; reference: string }) {
  const { token, request, reference } = props;
  return (
    <Layout title="Aanvraag intrekken">
      <h1>Aanvraag intrekken?</h1>
      <p>
        Je trekt je aanvraag in voor <strong>{reference}</strong> bij {request.observer.name}, {OBSERVER_LABELS[request.observerRole]}
        {request.lessonDate && <>, les van {formatDutchDate(request.lessonDate)}</>}
        {request.className && <>, klas {request.className}</>}.
      </p>
      <p>
        {request.observer.name} krijgt een e-mail dat het formulier niet meer nodig is; de link in de eerdere e-mail werkt dan niet meer. Dit kun je niet
        ongedaan maken: wil je de observatie later toch, vraag die dan opnieuw aan.
      </p>
      <form method="post" action={`/s/${token}/aanvragen/${request.requestId}/intrekken`}>
        <input type="hidden" name="bevestigd" value="ja" />
        <div class="actions">
          <button type="submit">Ja, aanvraag intrekken</button>
          <a class="button secondary" href={`/s/${token}`}>
            Nee, terug
          </a>
        </div>
      </form>
    </Layout>
  );
}
