import { formatDutchInstant } from '#shared/calendar.ts';
import { AnswersView, FORM_CSS, STAFF_ONLY_PART_NOTE } from '#shared/forms/render.tsx';
import { OBSERVER_LABELS } from '#shared/model/request-rules.ts';
import type { StudentSubmission } from '#shared/usecases/observation.ts';
import { Layout } from '#shared/web/layout.tsx';
import { AttachmentItems } from './attachment-list.tsx';

/**
 * A submitted form as the student reads it, with its attachments. The use-case leaves out the
 * sections for the SO and IO only and their answers; this page says such a part exists. Its script
 * posts "bekeken" on the reader's first touch (static/viewed.ts).
 */
export function StudentSubmissionPage(props: StudentSubmission & { token: string }) {
  const { token, placement, request, version, def, staffOnlyPart, attachments } = props;
  return (
    <Layout title={def.title} extraCss={FORM_CSS}>
      <p>
        <a href={`/s/${token}`}>Terug naar Mijn werkplekleren</a>
      </p>
      <h1>{def.title}</h1>
      <p>
        Voor {placement.student.name}, ingevuld door {request.observer.name}, {OBSERVER_LABELS[request.observerRole]},
        ingediend op {formatDutchInstant(version.savedAt)}.
      </p>
      <p>
        <a href={`/s/${token}/formulieren/${request.requestId}.pdf`}>Download als pdf</a>
      </p>
      {staffOnlyPart && (
        <p class="notice" role="note">
          {STAFF_ONLY_PART_NOTE}
        </p>
      )}
      <AnswersView def={def} answers={version.answers} />
      {attachments.length > 0 && (
        <>
          <h2>Bijlagen</h2>
          <AttachmentItems attachments={attachments} href={(a) => `/s/${token}/bijlagen/${request.requestId}/${a.id}`} />
        </>
      )}
      <script src="/static/bekeken.js" data-bekeken={`/s/${token}/formulieren/${request.requestId}/bekeken`} defer></script>
    </Layout>
  );
}
