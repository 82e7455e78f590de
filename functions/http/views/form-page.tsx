import { MAX_FILES_PER_FORM } from '#shared/attachments/policy.ts';
import { formatDutchDate, periodLabel } from '#shared/calendar.ts';
import { capitalize } from '#shared/dutch.ts';
import { AnswersView, DraftContentNotice, ErrorSummary, FORM_CSS, FormFields } from '#shared/forms/render.tsx';
import type { AttachmentRef } from '#shared/model/requests.ts';
import type { FormPageData } from '#shared/usecases/form.ts';
import { Layout } from '#shared/web/layout.tsx';
import { AttachmentItems } from './attachment-list.tsx';

/**
 * The observer's form page (`/f/<token>`): the request, then the form to fill in and its
 * attachments until the deadline, the answers read-only after it.
 */
export function FormPage(
  props: FormPageData & {
    /** The link's token: every form action and link on the page goes back through it. */
    token: string;
    notice?: 'concept' | 'verstuurd' | undefined;
    /** An attachment was just removed (the no-JavaScript delete came back here). */
    removed?: boolean;
  },
) {
  const { token, request, def, attachments, editable, answers, errors = {} } = props;
  const submitted = request.state === 'ingediend';
  return (
    <Layout title={def.title} extraCss={FORM_CSS}>
      <h1>{def.title}</h1>
      <p>
        Voor <strong>{request.student.name}</strong> ({request.vak}, {request.school})
        {request.lessonDate && <>, les van {formatDutchDate(request.lessonDate)}</>}
        {request.className && <>, klas {request.className}</>}. {capitalize(periodLabel({ number: request.period }))}, invullen tot en met{' '}
        {formatDutchDate(request.deadline)}. <a href={`/f/${token}/agenda.ics`}>Deadlines in uw agenda</a>
      </p>
      {submitted && (
        <p>
          <a href={`/f/${token}/formulier.pdf`}>Download het ingediende formulier als pdf</a>
        </p>
      )}
      {request.observerRole === 'wpb' && (
        <p>
          <a href={`/f/${token}/zorg`}>Zorg over de voortgang melden</a>
        </p>
      )}
      {request.question && (
        <p>
          <strong>Vraag van de student:</strong> {request.question}
        </p>
      )}
      {props.notice === 'concept' && (
        <p class="success" role="status">
          Uw concept is opgeslagen. U kunt later verdergaan via dezelfde link.
        </p>
      )}
      {props.notice === 'verstuurd' && (
        <p class="success" role="status">
          Dank u wel, het formulier is ingediend. U krijgt een bevestiging per e-mail. Tot en met {formatDutchDate(request.deadline)} kunt u
          het nog corrigeren.
        </p>
      )}
      {props.conflict && (
        <p class="error" role="alert">
          {props.conflict}
        </p>
      )}
      {!editable ? (
        <>
          <p class="notice">De deadline is verstreken: het formulier kan niet meer worden gewijzigd.</p>
          <AnswersView def={def} answers={answers} />
          <AttachmentItems attachments={attachments} href={(a) => `/f/${token}/bijlagen/${a.id}`} />
        </>
      ) : (
        <>
          <p>{def.intro}</p>
          <DraftContentNotice def={def} />
          {Object.keys(errors).length > 0 && <ErrorSummary def={def} errors={errors} />}
          <form method="post" action={`/f/${token}`} novalidate>
            <input type="hidden" name="basis" value={String(request.latestVersion)} />
            <FormFields def={def} answers={answers} errors={errors} />
            <div class="actions">
              {!submitted && (
                <button type="submit" name="actie" value="concept" class="secondary">
                  Opslaan als concept
                </button>
              )}
              <button type="submit" name="actie" value="versturen">
                {submitted ? 'Correctie versturen' : 'Versturen'}
              </button>
            </div>
          </form>
          <h2 id="bijlagen">Bijlagen</h2>
          {props.removed && (
            <p class="success" role="status">
              De bijlage is verwijderd.
            </p>
          )}
          <AttachmentItems
            attachments={attachments}
            href={(a) => `/f/${token}/bijlagen/${a.id}`}
            {...(submitted ? {} : { remove: (a: AttachmentRef) => `/f/${token}/bijlagen/${a.id}/verwijderen` })}
          />
          {submitted && attachments.length > 0 && <p class="muted">De bijlagen horen bij het ingediende formulier en kunnen niet meer worden verwijderd.</p>}
          <noscript>
            <p class="notice">Bijlagen toevoegen werkt alleen als JavaScript aanstaat. Het formulier zelf werkt ook zonder.</p>
          </noscript>
          {/* Hidden until upload.js shows it: without JavaScript the button would do nothing. */}
          <div data-upload={`/f/${token}/bijlagen`} data-max={String(MAX_FILES_PER_FORM)} hidden>
            <div data-upload-form hidden={attachments.length >= MAX_FILES_PER_FORM}>
              <label for="bijlage">Bijlage toevoegen (pdf, jpg, png, docx, pptx of mp4; hoogstens {MAX_FILES_PER_FORM} bestanden)</label>
              <input type="file" id="bijlage" name="bijlage" accept=".pdf,.jpg,.jpeg,.png,.docx,.pptx,.mp4" />
              <div class="actions">
                <button type="button" class="secondary" id="bijlage-uploaden">
                  Bijlage uploaden
                </button>
              </div>
            </div>
            <p id="bijlage-status" role="status" aria-live="polite"></p>
            <p class="muted">Uw ingevulde antwoorden blijven staan tijdens het uploaden; sla ze daarna op zoals altijd.</p>
          </div>
          <script src="/static/upload.js" defer></script>
        </>
      )}
      <script src="/static/bekeken.js" data-bekeken={`/f/${token}/bekeken`} defer></script>
    </Layout>
  );
}
