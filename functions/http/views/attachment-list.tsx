import type { ShownAttachment } from '#shared/attachments/serve.ts';
import type { ScanVerdict } from '#shared/attachments/scan.ts';
import type { AttachmentRef } from '#shared/model/requests.ts';

/** What a list shows instead of a link while an attachment is not clean. */
const NOT_SERVED: Record<Exclude<ScanVerdict, 'clean'>, string> = {
  pending: 'wordt gecontroleerd',
  threat: 'geblokkeerd: mogelijk een virus',
  unscannable: 'geblokkeerd: kon niet op virussen worden gecontroleerd',
};

/** An attachment's verdict: the one read for this page, else the recorded one, else pending. */
function verdictOf(attachment: AttachmentRef | ShownAttachment): ScanVerdict {
  return 'verdict' in attachment ? attachment.verdict : (attachment.scanVerdict ?? 'pending');
}

/** "12 kB": attachments are shown with their size, at least 1 kB. */
function sizeLabel(bytes: number): string {
  return `${Math.max(1, Math.round(bytes / 1024))} kB`;
}

/**
 * The attachment list of the form, student and staff pages: a link per clean attachment, and
 * "wordt gecontroleerd" or "geblokkeerd: ..." instead of a link for the others. With `remove`, a
 * "Verwijderen" button per attachment (a plain form post, so it works without JavaScript), and the
 * template `upload.js` fills in for an attachment it has just added.
 */
export function AttachmentItems(props: {
  attachments: (AttachmentRef | ShownAttachment)[];
  href: (attachment: AttachmentRef) => string;
  remove?: (attachment: AttachmentRef) => string;
}) {
  const { attachments, href, remove } = props;
  return (
    <>
      <p class="muted" id="bijlagen-geen" hidden={attachments.length > 0}>
        Geen bijlagen.
      </p>
      <ul id="bijlagen-lijst" hidden={attachments.length === 0}>
        {attachments.map((a) => {
          const verdict = verdictOf(a);
          return (
            <li data-bijlage={a.id}>
              {verdict === 'clean' ? <a href={href(a)}>{a.name}</a> : <span>{a.name}</span>} <span class="muted">({verdict === 'clean' ? sizeLabel(a.size) : NOT_SERVED[verdict]})</span>
              {remove && <RemoveButton action={remove(a)} name={a.name} />}
            </li>
          );
        })}
      </ul>
      {remove && (
        <template id="bijlage-sjabloon">
          <li data-bijlage="">
            <span data-naam></span> <span class="muted">({NOT_SERVED.pending})</span>
            <RemoveButton action="" name="" />
          </li>
        </template>
      )}
    </>
  );
}

function RemoveButton({ action, name }: { action: string; name: string }) {
  return (
    <form method="post" action={action} class="inline" data-verwijderen>
      <button type="submit" class="secondary" aria-label={`Verwijder ${name}`}>
        Verwijderen
      </button>
    </form>
  );
}
