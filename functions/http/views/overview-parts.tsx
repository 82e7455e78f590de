import type { Temporal } from 'temporal-polyfill';
import { formatDutchInstant } from '#shared/calendar.ts';
import type { RequestRecord } from '#shared/model/requests.ts';
import { OBSERVER_LABELS_SHORT } from '#shared/overview/labels.ts';
import type { AuditEvent } from '#shared/model/audit.ts';
import type { PlacementRecord } from '#shared/model/placements.ts';
import { requestActionRefusals, type WpbErrors } from '#shared/usecases/staff-actions.ts';

/** The pieces the staff pages share: the action buttons of a request, the WPB form, the audit log. */

/** Styles of the action buttons and the WPB form, added to a page's CSS. */
export const ACTIONS_CSS = `
main { max-width: 72rem; }
form.inline { display: inline-block; margin: .15rem .25rem .15rem 0; }
button.small { padding: .1rem .5rem; font-size: .85rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
input[type=email] { font: inherit; width: 100%; padding: .5rem; border: 1px solid #767676; border-radius: .25rem; background: #fff; color: var(--ink); }
.wpb-form { max-width: 28rem; }
.audit td { font-size: .95rem; }
`;

/** The buttons for one request: only the actions its state allows now. */
export function RequestActions(props: { request: RequestRecord; title: string; now: Temporal.Instant; graceDays: number; back: string }) {
  const { request, back } = props;
  const refusals = requestActionRefusals(request, props.now, props.graceDays);
  const base = `/overzicht/aanvraag/${request.schoolYear}/${request.studentNumber}/${request.requestId}`;
  const about = ` voor ${props.title}, ${request.student.name}`;
  const action = (path: string, label: string) => (
    <form method="post" action={`${base}/${path}`} class="inline">
      <input type="hidden" name="terug" value={back} />
      <button type="submit" class="small secondary">
        {label}
        <span class="visually-hidden">{about}</span>
      </button>
    </form>
  );
  return (
    <span class="request-actions">
      {request.linkRevokedAt && <span class="muted">link ingetrokken </span>}
      {!refusals.remind && action('herinneren', 'Herinnering sturen')}
      {!refusals.revoke && action('intrekken', 'Link intrekken')}
      {!refusals.reissue && action('nieuwe-link', 'Nieuwe link sturen')}
    </span>
  );
}

/** What was typed into the WPB form, shown again with its errors. */
export interface WpbFormState {
  values?: { naam: string; email: string } | undefined;
  errors?: WpbErrors | undefined;
}

/** The small form that replaces a student's WPB. */
export function ReplaceWpbForm(props: { placement: PlacementRecord; back: string } & WpbFormState) {
  const { placement, back, values } = props;
  const errors = { naam: props.errors?.name, email: props.errors?.email };
  const id = `wpb-${placement.studentNumber}`;
  return (
    <form method="post" action={`/overzicht/student/${placement.schoolYear}/${placement.studentNumber}/wpb`} class="wpb-form" novalidate>
      <input type="hidden" name="terug" value={back} />
      <p class="muted">
        Nu: {placement.wpb.name} ({placement.wpb.email}). Open aanvragen (gevraagd of concept, vóór de deadline) gaan met een nieuwe link naar de nieuwe
        WPB; de oude links werken dan niet meer. Ingediende formulieren blijven bij {placement.wpb.name}.
      </p>
      <label for={`${id}-naam`}>Naam van de nieuwe WPB</label>
      {errors.naam && (
        <p class="error" id={`${id}-naam-fout`}>
          {errors.naam}
        </p>
      )}
      <input type="text" id={`${id}-naam`} name="naam" value={values?.naam ?? ''} autocomplete="off" {...(errors.naam ? { 'aria-describedby': `${id}-naam-fout`, 'aria-invalid': 'true' } : {})} />
      <label for={`${id}-email`}>E-mailadres van de nieuwe WPB</label>
      {errors.email && (
        <p class="error" id={`${id}-email-fout`}>
          {errors.email}
        </p>
      )}
      <input type="email" id={`${id}-email`} name="email" value={values?.email ?? ''} autocomplete="off" {...(errors.email ? { 'aria-describedby': `${id}-email-fout`, 'aria-invalid': 'true' } : {})} />
      <div class="actions">
        <button type="submit">WPB vervangen</button>
      </div>
    </form>
  );
}

/** Who did it, as the log shows it: a staff member's address, or the role behind an emailed link. */
export function actorLabel(actor: string): string {
  const match = /^link:(wpb|so|io|student)$/.exec(actor);
  if (!match?.[1]) return actor;
  return match[1] === 'student' ? 'student (eigen link)' : `${OBSERVER_LABELS_SHORT[match[1] as 'wpb' | 'so' | 'io']} (e-maillink)`;
}

/** An audit log, newest first, in Amsterdam time; with the form of each event when `requests` (and their `titles`) are given. */
export function AuditLog(props: { events: readonly AuditEvent[]; requests?: readonly RequestRecord[]; titles?: Readonly<Record<string, string>> }) {
  const { events, requests } = props;
  if (events.length === 0) return <p class="muted">Nog niets vastgelegd.</p>;
  const titles = new Map((requests ?? []).map((r) => [r.requestId, `${props.titles?.[r.formId] ?? r.formId} (OP${r.period})`]));
  return (
    <>
      {events.some((e) => e.action === 'link geopend') && (
        <p class="muted">
          "link geopend": de pagina is via de e-maillink opgevraagd, mogelijk alleen door de virusscanner van een mailprogramma. "bekeken": iemand
          heeft op de pagina geklikt, getikt of getypt.
        </p>
      )}
      <table class="audit">
        <thead>
          <tr>
            <th scope="col">Wanneer</th>
            <th scope="col">Wie</th>
            <th scope="col">Wat</th>
            {requests && <th scope="col">Formulier</th>}
            <th scope="col">Toelichting</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr data-audit={e.action}>
              <td data-label="Wanneer">
                <time datetime={e.at}>{formatDutchInstant(e.at, { time: 'second' })}</time>
              </td>
              <td data-label="Wie">{actorLabel(e.actor)}</td>
              <td data-label="Wat">{e.action}</td>
              {requests && <td data-label="Formulier">{e.requestId ? (titles.get(e.requestId) ?? e.requestId) : <span class="muted">de student</span>}</td>}
              <td data-label="Toelichting">{e.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
