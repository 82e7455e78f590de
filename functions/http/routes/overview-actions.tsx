import { Hono } from 'hono';
import type { Context } from 'hono';
import type { Temporal } from 'temporal-polyfill';
import { formatDutchDate, formatDutchInstant, periodLabel } from '#shared/calendar.ts';
import { NotFoundError } from '#shared/errors.ts';
import { formReference, formTitle } from '#forms/index.ts';
import { covers, ForbiddenError } from '#shared/auth/scope.ts';
import { ActionRefusedError, replaceWpb, requestActionRefusals, revokeRequestLink, sendNewLink, sendReminder } from '#shared/overview/actions.ts';
import { OBSERVER_LABELS_SHORT } from '#shared/overview/labels.ts';
import { Person } from '#shared/roster/placement.ts';
import type { AuditEvent } from '#shared/store/audit.ts';
import type { PlacementRecord } from '#shared/store/placements.ts';
import type { RequestRecord } from '#shared/store/requests.ts';
import { Layout } from '#shared/web/layout.tsx';
import type { AppEnv } from '../env.ts';
import { recordAudit } from '../audit.ts';

/**
 * Staff actions in the overview (all POST, CSRF-checked by the app's sameOrigin middleware,
 * scoped like the overview: 403 for a student outside the person's scope) and the student page
 * with the placement, its requests and the student's audit log. Mounted inside `overviewRoutes`,
 * after its `requireStaff`.
 *
 * - `POST /overzicht/aanvraag/<year>/<nr>/<requestId>/herinneren`: the request email again, same link
 * - `POST .../intrekken`: without `bevestigd=ja` a confirmation page; with it, revoke the link (410
 *   from then on) and email the observer why and whom to ask
 * - `POST .../nieuwe-link`: a new link by email, the old one 410
 * - `GET /overzicht/student/<year>/<nr>`: placement, history, requests, actions, audit log
 * - `POST /overzicht/student/<year>/<nr>/wpb`: replace the WPB (`naam`, `email`)
 *
 * Every action ends in a 303 back to where it was started (`terug`, only `/overzicht` paths) with
 * `melding=<code>`, which the page shows as a fixed Dutch notice.
 */
export const overviewActionRoutes = new Hono<AppEnv>();

/** The notices an action's redirect can ask for; the query carries only the code. */
export const NOTICES = {
  herinnerd: 'De herinnering is verstuurd, met dezelfde link als eerder: een opgeslagen concept staat er nog in.',
  ingetrokken: 'De link is ingetrokken: hij werkt niet meer, en de observator heeft daarover een e-mail gekregen. Stuur een nieuwe link als de observator het formulier toch moet invullen.',
  'nieuwe-link': 'Er is een nieuwe link verstuurd. De oude link werkt niet meer.',
  'wpb-vervangen': 'De WPB is vervangen. Open aanvragen zijn met een nieuwe link naar de nieuwe WPB gestuurd; ingediende formulieren blijven bij de vorige WPB.',
  'wpb-vervangen-mail-mislukt':
    'De WPB is vervangen, maar niet elke e-mail aan de nieuwe WPB kon worden verstuurd. Stuur bij die aanvragen een nieuwe link.',
} as const;
export type NoticeCode = keyof typeof NOTICES;

/** The notice a page was redirected to with, if any. */
export function noticeOf(c: Context<AppEnv>): string | undefined {
  const code = c.req.query('melding');
  return code && Object.hasOwn(NOTICES, code) ? NOTICES[code as NoticeCode] : undefined;
}

/** The current page's path and query without a notice: where an action on it returns to. */
export function currentPage(c: Context<AppEnv>): string {
  const url = new URL(c.req.url);
  url.searchParams.delete('melding');
  return url.pathname + url.search;
}

const INTERNAL = 'http://intern.invalid';

/** Where to go after an action: `terug` when it is an overview page of ours, else `fallback`; with the notice. */
function backTo(raw: unknown, fallback: string, notice?: NoticeCode): string {
  let url = new URL(fallback, INTERNAL);
  if (typeof raw === 'string' && raw.startsWith('/overzicht') && raw.length <= 2000) {
    const asked = new URL(raw, INTERNAL);
    if (asked.origin === INTERNAL && /^\/overzicht(\/|$)/.test(asked.pathname)) url = asked;
  }
  if (notice) url.searchParams.set('melding', notice);
  return url.pathname + url.search;
}

/** The placement of the path, when the signed-in person may act on it: 404 when unknown, 403 when not theirs. */
async function placementInScope(c: Context<AppEnv>): Promise<PlacementRecord> {
  const staff = c.get('staff')!;
  const placement = await c.get('deps').placements.get(c.req.param('year') ?? '', c.req.param('studentNumber') ?? '');
  if (!placement) throw new NotFoundError('Deze student staat niet in het rooster van dit schooljaar.');
  if (!covers(staff.scope, placement)) throw new ForbiddenError('Deze student hoort niet bij uw studenten.');
  return placement;
}

/** The request of the path on a placement in scope. */
async function requestInScope(c: Context<AppEnv>): Promise<{ placement: PlacementRecord; request: RequestRecord }> {
  const placement = await placementInScope(c);
  const request = await c.get('deps').requests.get(placement.schoolYear, placement.studentNumber, c.req.param('requestId') ?? '');
  if (!request) throw new NotFoundError('Deze aanvraag bestaat niet.');
  return { placement, request };
}

const requestFallback = (r: RequestRecord) => `/overzicht?jaar=${r.schoolYear}&periode=${r.period}`;
const observerText = (r: RequestRecord) => `${r.observer.name} (${r.observer.email})`;
const requestPath = '/aanvraag/:year/:studentNumber/:requestId';

overviewActionRoutes.post(`${requestPath}/herinneren`, async (c) => {
  const { request } = await requestInScope(c);
  await sendReminder(c.get('deps'), request, (id) => formTitle(id));
  await recordAudit(c, request, { actor: c.get('staff')!.email, action: 'herinnerd', requestId: request.requestId, detail: `aan ${observerText(request)}` });
  return c.redirect(backTo((await c.req.parseBody()).terug, requestFallback(request), 'herinnerd'), 303);
});

/** The longest reason for a revocation that goes into the observer's email. */
const MAX_REASON = 500;

/**
 * Revoking a link asks first: without `bevestigd=ja` the POST (the button in a table) shows what
 * would happen, with a confirmation form (no JavaScript needed); with it, the link is revoked and
 * the observer told by email why and whom to ask.
 */
overviewActionRoutes.post(`${requestPath}/intrekken`, async (c) => {
  const { request } = await requestInScope(c);
  const deps = c.get('deps');
  const body = await c.req.parseBody();
  const refusal = requestActionRefusals(request, deps.clock.now(), deps.linkGraceDays).revoke;
  if (refusal) throw new ActionRefusedError(refusal);
  const reason = typeof body.reden === 'string' ? body.reden.trim().replace(/\s+/g, ' ').slice(0, MAX_REASON) : '';
  if (body.bevestigd !== 'ja') {
    return c.html(<RevokeConfirmation request={request} back={backTo(body.terug, requestFallback(request))} terug={typeof body.terug === 'string' ? body.terug : ''} />);
  }
  const staff = c.get('staff')!.email;
  const { emailed } = await revokeRequestLink(deps, request, { by: staff, reason: reason || undefined, formTitle: (id) => formTitle(id) });
  await recordAudit(c, request, {
    actor: staff,
    action: 'link ingetrokken',
    requestId: request.requestId,
    detail: `link van ${observerText(request)}${reason ? `; reden: ${reason}` : ''}${emailed ? '; bericht gestuurd' : '; bericht niet verstuurd'}`,
  });
  return c.redirect(backTo(body.terug, requestFallback(request), 'ingetrokken'), 303);
});

/** The confirmation step of "Link intrekken". */
function RevokeConfirmation(props: { request: RequestRecord; back: string; terug: string }) {
  const { request } = props;
  const base = `/overzicht/aanvraag/${request.schoolYear}/${request.studentNumber}/${request.requestId}`;
  return (
    <Layout title="Link intrekken" extraCss={ACTIONS_CSS}>
      <h1>Link intrekken?</h1>
      <p>
        Na het intrekken werkt de link van <strong>{request.observer.name}</strong> ({request.observer.email}) voor {formReference(request.formId)} van {request.student.name}
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

overviewActionRoutes.post(`${requestPath}/nieuwe-link`, async (c) => {
  const { request } = await requestInScope(c);
  await sendNewLink(c.get('deps'), request, (id) => formTitle(id));
  await recordAudit(c, request, { actor: c.get('staff')!.email, action: 'nieuwe link', requestId: request.requestId, detail: `aan ${observerText(request)}` });
  return c.redirect(backTo((await c.req.parseBody()).terug, requestFallback(request), 'nieuwe-link'), 303);
});

/** The fields of the WPB form and their messages. */
type WpbErrors = Partial<Record<'naam' | 'email', string>>;

overviewActionRoutes.post('/student/:year/:studentNumber/wpb', async (c) => {
  const placement = await placementInScope(c);
  const body = await c.req.parseBody();
  const values = { naam: typeof body.naam === 'string' ? body.naam : '', email: typeof body.email === 'string' ? body.email : '' };
  const parsed = Person.safeParse({ name: values.naam, email: values.email });
  if (!parsed.success) {
    const errors: WpbErrors = {};
    for (const issue of parsed.error.issues) {
      if (issue.path[0] === 'name') errors.naam ??= `De naam ${issue.message}.`;
      else errors.email ??= `Het e-mailadres ${issue.message}.`;
    }
    return c.html(await studentPage(c, placement, { values, errors }), 400);
  }
  const deps = c.get('deps');
  const result = await replaceWpb(deps, placement, parsed.data, (id) => formTitle(id));
  const actor = c.get('staff')!.email;
  const from = `${result.previous.name} (${result.previous.email})`;
  const to = `${parsed.data.name} (${parsed.data.email})`;
  await recordAudit(c, placement, {
    actor,
    action: 'WPB vervangen',
    detail: `${from} → ${to}; ${result.moved.length} open ${result.moved.length === 1 ? 'aanvraag' : 'aanvragen'} naar de nieuwe WPB${result.placementChanged ? '' : ' (plaatsing was al aangepast)'}`,
  });
  for (const moved of result.moved) {
    await recordAudit(c, moved, { actor, action: 'WPB vervangen', requestId: moved.requestId, detail: `observator ${from} → ${to}, nieuwe link verstuurd` });
  }
  const fallback = `/overzicht/student/${placement.schoolYear}/${placement.studentNumber}`;
  return c.redirect(backTo(body.terug, fallback, result.unsent.length > 0 ? 'wpb-vervangen-mail-mislukt' : 'wpb-vervangen'), 303);
});

overviewActionRoutes.get('/student/:year/:studentNumber', async (c) => {
  const placement = await placementInScope(c);
  return c.html(await studentPage(c, placement, {}));
});

/** The student page: placement and its history, every request of the year with its actions, the WPB form and the log. */
async function studentPage(c: Context<AppEnv>, placement: PlacementRecord, form: { values?: { naam: string; email: string }; errors?: WpbErrors }) {
  const deps = c.get('deps');
  const [history, requests, events] = await Promise.all([
    deps.placements.history(placement.schoolYear, placement.studentNumber),
    deps.requests.listForPlacement(placement.schoolYear, placement.studentNumber),
    deps.audit.listForPlacement(placement.schoolYear, placement.studentNumber),
  ]);
  const now = deps.clock.now();
  const back = `/overzicht/student/${placement.schoolYear}/${placement.studentNumber}`;
  const notice = noticeOf(c);
  const roles = [
    ['Werkplekbegeleider (WPB)', placement.wpb],
    ['Schoolopleider (SO)', placement.so],
    ['Instituutsopleider (IO)', placement.io],
    ['Schoolcoördinator (SCO)', placement.sco],
  ] as const;
  return (
    <Layout title={`${placement.student.name} · overzicht`} extraCss={ACTIONS_CSS}>
      <p>
        <a href={`/overzicht?jaar=${placement.schoolYear}`}>Terug naar het overzicht</a>
      </p>
      <h1>
        {placement.student.name} <span class="muted">({placement.studentNumber})</span>
      </h1>
      {notice && (
        <p class="success" role="status">
          {notice}
        </p>
      )}
      <p>
        {placement.vak} · {placement.school} · schooljaar {placement.schoolYear} · {placement.student.email}
      </p>
      <h2>Plaatsing</h2>
      <table>
        <tbody>
          {roles.map(([label, person]) => (
            <tr>
              <th scope="row">{label}</th>
              <td>
                {person.name} <span class="muted">({person.email})</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted">
        Versie {placement.rev}
        {placement.updatedAt && <>, gewijzigd op {formatDutchInstant(placement.updatedAt, { time: 'second' })}</>}.
      </p>
      {history.length > 0 && (
        <>
          <h3>Eerdere versies</h3>
          <ul>
            {[...history].reverse().map((h) => (
              <li>
                Versie {h.rev}
                {h.updatedAt && <> (vanaf {formatDutchInstant(h.updatedAt, { time: 'second' })})</>}: WPB {h.wpb.name} ({h.wpb.email}), SO {h.so.name}, IO {h.io.name}, SCO {h.sco.name}
              </li>
            ))}
          </ul>
        </>
      )}
      <h2 id="wpb-vervangen">WPB vervangen</h2>
      <ReplaceWpbForm placement={placement} back={back} values={form.values} errors={form.errors} />
      <h2>Aanvragen in {placement.schoolYear}</h2>
      {requests.length === 0 ? (
        <p class="muted">Nog niets gevraagd.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Formulier</th>
              <th scope="col">Periode</th>
              <th scope="col">Observator</th>
              <th scope="col">Status</th>
              <th scope="col">Acties</th>
            </tr>
          </thead>
          <tbody>
            {requests.map((r) => (
              <tr data-request={r.requestId}>
                <td data-label="Formulier">
                  {r.state === 'ingediend' ? <a href={`/overzicht/formulier/${r.schoolYear}/${r.studentNumber}/${r.requestId}`}>{formTitle(r.formId)}</a> : formTitle(r.formId)}
                  {r.lessonDate && <span class="muted"> · les van {formatDutchDate(r.lessonDate)}</span>}
                </td>
                <td data-label="Periode">
                  {periodLabel({ number: r.period })}
                  <br />
                  <span class="muted">deadline {formatDutchDate(r.deadline)}</span>
                </td>
                <td data-label="Observator">
                  {OBSERVER_LABELS_SHORT[r.observerRole]} {r.observer.name}
                  <br />
                  <span class="muted">{r.observer.email}</span>
                </td>
                <td data-label="Status">
                  <span class={`state state-${r.state}`}>{r.state}</span>
                  {r.submittedAt && <> {formatDutchInstant(r.submittedAt, { time: 'minute' })}</>}
                </td>
                <td data-label="Acties">
                  <RequestActions request={r} now={now} graceDays={deps.linkGraceDays} back={back} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Logboek</h2>
      <AuditLog events={events} requests={requests} />
    </Layout>
  );
}

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
export function RequestActions(props: { request: RequestRecord; now: Temporal.Instant; graceDays: number; back: string }) {
  const { request, back } = props;
  const refusals = requestActionRefusals(request, props.now, props.graceDays);
  const base = `/overzicht/aanvraag/${request.schoolYear}/${request.studentNumber}/${request.requestId}`;
  const about = ` voor ${formTitle(request.formId)}, ${request.student.name}`;
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

/** The small form that replaces a student's WPB. */
export function ReplaceWpbForm(props: { placement: PlacementRecord; back: string; values?: { naam: string; email: string } | undefined; errors?: WpbErrors | undefined }) {
  const { placement, back, values, errors = {} } = props;
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

/** An audit log, newest first, in Amsterdam time; with the form of each event when `requests` are given. */
export function AuditLog(props: { events: readonly AuditEvent[]; requests?: readonly RequestRecord[] }) {
  const { events, requests } = props;
  if (events.length === 0) return <p class="muted">Nog niets vastgelegd.</p>;
  const titles = new Map((requests ?? []).map((r) => [r.requestId, `${formTitle(r.formId)} (OP${r.period})`]));
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
