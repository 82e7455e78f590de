import { formatDutchInstant } from '#shared/calendar.ts';
import { CONCERN_NEXT_STEPS, CONCERN_ROLE_LABELS, CONCERN_TEXT_MAX } from '#shared/model/concerns.ts';
import type { ConcernLinkPage } from '#shared/usecases/concerns.ts';
import { Layout } from '#shared/web/layout.tsx';

/**
 * The WPB's page to raise a concern about the student's progress (`/f/<token>/zorg`, from any of
 * their form links): what happens next (the seed's steps), and the reason to fill in; after a
 * post, the confirmation; while a concern is open, that it is open instead of the form.
 */
export function ConcernLinkPageView(
  props: ConcernLinkPage & {
    token: string;
    /** Just raised: the confirmation. */
    raised?: boolean;
    /** What was typed, shown again with the message of a refused post. */
    reason?: string;
    error?: string;
  },
) {
  const { token, student, open } = props;
  return (
    <Layout title="Zorg over de voortgang melden">
      <p>
        <a href={`/f/${token}`}>Terug naar het formulier</a>
      </p>
      <h1>Zorg over de voortgang melden</h1>
      <p>
        Over <strong>{student.name}</strong> ({props.vak}, {props.school}), schooljaar {props.schoolYear}.
      </p>
      {props.raised ? (
        <p class="success" role="status">
          Dank u wel. Uw zorg is gemeld. De schoolopleider (SO), de instituutsopleider (IO) en de schoolcoördinator (SCO) hebben een e-mail gekregen met
          de reden. Zij nemen contact met u op om de vervolgacties te bespreken.
        </p>
      ) : (
        <p>
          Toont {student.name} onvoldoende voortgang in het werkplekleren, of gaat het niet goed op school? Meld het hier. De schoolopleider, de
          instituutsopleider en de schoolcoördinator krijgen dan een e-mail met uw reden.
        </p>
      )}
      <h2>Wat er daarna gebeurt</h2>
      <ol>
        {CONCERN_NEXT_STEPS.map((step) => (
          <li>{step}</li>
        ))}
      </ol>
      {props.raised ? null : open ? (
        <p class="notice" role="status">
          Er staat al een zorg open voor {student.name}, gemeld op {formatDutchInstant(open.raisedAt)} door {open.raisedBy.name} (
          {CONCERN_ROLE_LABELS[open.raisedBy.role]}). De SO, de IO en de SCO weten ervan. Een nieuwe zorg melden kan pas als deze is afgesloten.
        </p>
      ) : (
        <form method="post" action={`/f/${token}/zorg`} novalidate>
          {props.error && (
            <p class="error" role="alert" id="reden-fout">
              {props.error}
            </p>
          )}
          <label for="reden">Reden (hoogstens {CONCERN_TEXT_MAX} tekens)</label>
          <textarea
            id="reden"
            name="reden"
            rows={6}
            maxlength={CONCERN_TEXT_MAX}
            {...(props.error ? { 'aria-describedby': 'reden-fout', 'aria-invalid': 'true' } : {})}
          >
            {props.reason ?? ''}
          </textarea>
          <div class="actions">
            <button type="submit">Zorg melden</button>
          </div>
        </form>
      )}
    </Layout>
  );
}
