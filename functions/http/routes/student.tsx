import { Hono } from 'hono';
import type { Context } from 'hono';
import * as z from 'zod';
import { Temporal } from 'temporal-polyfill';
import { formatDutchDate, formatDutchInstant, getSchoolYear, periodLabel, whereIs, type SchoolYear } from '#shared/calendar.ts';
import { NotFoundError } from '#shared/errors.ts';
import { formReference, formTitle, getForm } from '#forms/index.ts';
import { AnswersView, FORM_CSS } from '#shared/forms/render.tsx';
import {
  createRequest,
  isWithdrawable,
  lessonDateProblem,
  NotWithdrawableError,
  OBSERVER_LABELS,
  periodForNewRequest,
  withdrawRefusal,
  withdrawRequest,
  type ObservationInput,
  type PeriodChoice,
} from '#shared/requests.ts';
import { OBSERVER_ROLES, type RequestRecord } from '#shared/store/requests.ts';
import { tasksFor } from '#shared/tasks.ts';
import { kijkwijzerProgress } from '#shared/digest/model.ts';
import { calendarFeed } from '#shared/digest/ics.ts';
import { Layout } from '#shared/web/layout.tsx';
import { kijkwijzerTypeList } from '#shared/dutch.ts';
import type { Placement } from '#shared/roster/placement.ts';
import type { AppEnv } from '../env.ts';
import { placementOf, resolveLink } from '../links.ts';
import { recordAudit } from '../audit.ts';
import { serveAttachment } from '../attachment-response.ts';
import { AttachmentItems } from '../attachment-list.tsx';
import { attachmentsWithVerdicts } from '#shared/attachments/serve.ts';
import { linkActor } from '#shared/store/audit.ts';
import { safeLine, safeText } from '#shared/text.ts';

/** The student's own page ("Mijn werkplekleren"), reached by the student's link. */
export const studentRoutes = new Hono<AppEnv>();

const STATE_LABELS: Record<RequestRecord['state'], string> = {
  gevraagd: 'gevraagd',
  concept: 'concept',
  ingediend: 'ingediend',
  ingetrokken: 'ingetrokken',
};

/** The kijkwijzer form ids a student can ask for in a school year. */
function kijkwijzerForms(year: SchoolYear): string[] {
  return year.kijkwijzerTypes.map((type) => `kijkwijzer-${type}`);
}

const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Vul een geldige lesdatum in.')
  .refine((value) => {
    try {
      Temporal.PlainDate.from(value, { overflow: 'reject' });
      return true;
    } catch {
      return false;
    }
  }, 'Vul een geldige lesdatum in.');

/** What the request form posts, checked field by field with Dutch messages. */
const RequestForm = z.object({
  formId: z.string({ message: 'Kies een kijkwijzer.' }).min(1, 'Kies een kijkwijzer.'),
  observerRole: z.enum(OBSERVER_ROLES, { message: 'Kies wie de les observeert.' }),
  lessonDate: IsoDate,
  className: safeLine(z.string().trim().max(40, 'De klas mag hoogstens 40 tekens lang zijn.'), 'De klas').optional().default(''),
  question: safeText(z.string().trim().max(1000, 'De vraag mag hoogstens 1000 tekens lang zijn.'), 'De vraag').optional().default(''),
});

type FormErrors = Partial<Record<keyof z.infer<typeof RequestForm>, string>>;

/** The period a request made now goes into, or undefined when the calendar has none (createRequest then says so). */
function choiceNow(c: Context<AppEnv>): PeriodChoice | undefined {
  try {
    return periodForNewRequest(c.get('deps').clock.now());
  } catch {
    return undefined;
  }
}

async function load(c: Context<AppEnv>) {
  const link = await resolveLink(c, 'student');
  const { schoolYear, studentNumber } = placementOf(link.ownerPk);
  const deps = c.get('deps');
  const placement = await deps.placements.get(schoolYear, studentNumber);
  const year = getSchoolYear(schoolYear);
  if (!placement || !year) throw new NotFoundError('Deze plaatsing bestaat niet meer. Neem contact op met je instituutsopleider.');
  const requests = await deps.requests.listForPlacement(schoolYear, studentNumber);
  return { placement, year, requests };
}

studentRoutes.get('/:token', async (c) => {
  const { placement, year, requests } = await load(c);
  const requested = c.req.query('aangevraagd') === '1';
  const withdrawn = c.req.query('ingetrokken') === '1';
  return c.html(<StudentPage c={c} placement={placement} year={year} requests={requests} requested={requested} withdrawn={withdrawn} />);
});

studentRoutes.get('/:token/agenda.ics', async (c) => {
  const { placement, year } = await load(c);
  c.header('Content-Type', 'text/calendar; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="werkplekleren-${year.id}.ics"`);
  c.header('Cache-Control', 'no-store');
  return c.body(calendarFeed({ year, role: 'student', name: placement.student.name, now: c.get('deps').clock.now() }));
});

studentRoutes.post('/:token/aanvragen', async (c) => {
  const { placement, year, requests } = await load(c);
  const body = await c.req.parseBody();
  const values: Record<string, string> = Object.fromEntries(
    Object.entries(body).map(([key, value]) => [key, typeof value === 'string' ? value : '']),
  );
  const parsed = RequestForm.safeParse(values);
  const errors: FormErrors = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as keyof FormErrors;
      errors[field] ??= issue.message;
    }
  } else if (!kijkwijzerForms(year).includes(parsed.data.formId)) {
    errors.formId = 'Kies een kijkwijzer uit de lijst.';
  }
  if (parsed.success) {
    const choice = choiceNow(c);
    const problem = choice && lessonDateProblem(parsed.data.lessonDate, choice);
    if (problem) errors.lessonDate = problem;
  }
  if (!parsed.success || Object.keys(errors).length > 0) {
    return c.html(
      <StudentPage c={c} placement={placement} year={year} requests={requests} values={values} errors={errors} />,
      400,
    );
  }
  const input: ObservationInput = {
    formId: parsed.data.formId,
    observerRole: parsed.data.observerRole,
    lessonDate: parsed.data.lessonDate,
    ...(parsed.data.className ? { className: parsed.data.className } : {}),
    ...(parsed.data.question ? { question: parsed.data.question } : {}),
  };
  await createRequest(c.get('deps'), placement, input, { origin: 'student', formTitle: (id) => formTitle(id) });
  return c.redirect(`/s/${c.req.param('token')}?aangevraagd=1`, 303);
});

/**
 * The student withdraws a request asked by mistake. Without `bevestigd=ja` this only shows what
 * would be withdrawn, with a button that posts the confirmation (no JavaScript needed); with it,
 * the request is withdrawn, its link revoked and the observer emailed. A replay lands on the
 * same page; a submitted request is a Dutch 409; another placement's request id is a 404.
 */
studentRoutes.post('/:token/aanvragen/:requestId/intrekken', async (c) => {
  const { placement, requests } = await load(c);
  const request = requests.find((r) => r.requestId === c.req.param('requestId'));
  if (!request) throw new NotFoundError('Deze aanvraag bestaat niet.');
  const token = c.req.param('token');
  const refusal = request.state === 'ingetrokken' ? undefined : withdrawRefusal(request);
  if (refusal) throw new NotWithdrawableError(refusal);
  const body = await c.req.parseBody();
  if (body.bevestigd !== 'ja' && request.state !== 'ingetrokken') {
    return c.html(
      <Layout title="Aanvraag intrekken">
        <h1>Aanvraag intrekken?</h1>
        <p>
          Je trekt je aanvraag in voor <strong>{formReference(request.formId)}</strong> bij {request.observer.name}, {OBSERVER_LABELS[request.observerRole]}
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
      </Layout>,
    );
  }
  const result = await withdrawRequest(c.get('deps'), request, (id) => formTitle(id));
  if (result.withdrawn) {
    await recordAudit(c, request, {
      actor: linkActor('student'),
      action: 'aanvraag ingetrokken',
      requestId: request.requestId,
      detail: `door ${placement.student.name}; ${request.observer.name} (${request.observer.email}) bericht gestuurd`,
    });
  }
  return c.redirect(`/s/${token}?ingetrokken=1`, 303);
});

studentRoutes.get('/:token/formulieren/:requestId', async (c) => {
  const { placement, requests } = await load(c);
  const request = requests.find((r) => r.requestId === c.req.param('requestId'));
  if (!request || request.state !== 'ingediend') throw new NotFoundError('Dit formulier is (nog) niet ingediend.');
  const deps = c.get('deps');
  const version = await deps.requests.getVersion(request, request.latestVersion);
  const def = version && getForm(version.formId, version.formVersion);
  if (!version || !def) throw new NotFoundError('Dit formulier is (nog) niet ingediend.');
  const attachments = await attachmentsWithVerdicts(deps, request);
  // A GET may be a scanner's: "link geopend"; a person's first touch posts to /bekeken (static/viewed.ts).
  if (c.req.method === 'GET') await recordAudit(c, request, { actor: linkActor('student'), action: 'link geopend', requestId: request.requestId, detail: `versie ${version.version}` });
  return c.html(
    <Layout title={def.title} extraCss={FORM_CSS}>
      <p>
        <a href={`/s/${c.req.param('token')}`}>Terug naar Mijn werkplekleren</a>
      </p>
      <h1>{def.title}</h1>
      <p>
        Voor {placement.student.name}, ingevuld door {request.observer.name}, {OBSERVER_LABELS[request.observerRole]},
        ingediend op {formatDutchInstant(version.savedAt)}.
      </p>
      <AnswersView def={def} answers={version.answers} />
      {attachments.length > 0 && (
        <>
          <h2>Bijlagen</h2>
          <AttachmentItems attachments={attachments} href={(a) => `/s/${c.req.param('token')}/bijlagen/${request.requestId}/${a.id}`} />
        </>
      )}
      <script src="/static/bekeken.js" data-bekeken={`/s/${c.req.param('token')}/formulieren/${request.requestId}/bekeken`} defer></script>
    </Layout>,
  );
});

/** The student acted on the read-only view of a submission (static/viewed.ts): the real view. */
studentRoutes.post('/:token/formulieren/:requestId/bekeken', async (c) => {
  const { requests } = await load(c);
  const request = requests.find((r) => r.requestId === c.req.param('requestId'));
  if (!request || request.state !== 'ingediend') throw new NotFoundError('Dit formulier is (nog) niet ingediend.');
  await recordAudit(c, request, { actor: linkActor('student'), action: 'bekeken', requestId: request.requestId, detail: `versie ${request.latestVersion}` });
  return c.body(null, 204);
});

studentRoutes.get('/:token/bijlagen/:requestId/:attachmentId', async (c) => {
  const { requests } = await load(c);
  const request = requests.find((r) => r.requestId === c.req.param('requestId'));
  // As the student's view of the form (and the staff route): only what was submitted, not the observer's draft.
  if (!request || request.state !== 'ingediend') throw new NotFoundError('Deze bijlage bestaat niet.');
  return serveAttachment(c, request, c.req.param('attachmentId'), linkActor('student'));
});

function StudentPage(props: {
  c: Context<AppEnv>;
  placement: Placement;
  year: SchoolYear;
  requests: RequestRecord[];
  requested?: boolean;
  withdrawn?: boolean;
  values?: Record<string, string>;
  errors?: FormErrors;
}) {
  const { c, placement, year, requests, values = {}, errors = {} } = props;
  const token = c.req.param('token');
  const here = whereIs(c.get('deps').clock.now());
  const current = here.kind === 'period' && here.year.id === year.id ? here.period : undefined;
  const upcoming = here.kind !== 'period' && here.next?.year.id === year.id ? here.next.period : undefined;
  const shown = current ?? upcoming;
  const tasks = shown ? tasksFor(year.id, 'student', shown.number) : [];
  const { submitted, missing } = kijkwijzerProgress(year, requests);
  const required = year.requiredKijkwijzers;
  const errorList = Object.entries(errors).filter(([, message]) => message);
  const choice = choiceNow(c);
  const lessonRange = choice?.year.id === year.id ? { min: year.start, max: choice.period.deadline, period: choice.period.number } : undefined;
  return (
    <Layout title="Mijn werkplekleren">
      <h1>Mijn werkplekleren</h1>
      <p>
        {placement.student.name} · {placement.vak} · {placement.school} · schooljaar {year.id}
        {year.provisional && (
          <>
            {' '}
            <span class="badge">voorlopig</span>
          </>
        )}
      </p>
      {year.provisional && (
        <p class="notice">
          <strong>Voorlopig.</strong> {year.note}
        </p>
      )}
      {props.requested && (
        <p class="success" role="status">
          Je aanvraag is verstuurd. De observator krijgt een e-mail met een link naar het formulier.
        </p>
      )}
      {props.withdrawn && (
        <p class="success" role="status">
          Je aanvraag is ingetrokken. De observator heeft een e-mail gekregen dat het formulier niet meer nodig is.
        </p>
      )}

      <h2>{current ? `Deze periode: ${periodLabel(current)}` : upcoming ? `Binnenkort: ${periodLabel(upcoming)}` : 'Geen periode'}</h2>
      {shown ? (
        <>
          <p>
            {current ? 'Deadline' : `Vanaf ${formatDutchDate(shown.start)}; deadline`}: <strong>{formatDutchDate(shown.deadline)}</strong>
          </p>
          <ul>
            {tasks.map((task) => (
              <li>{task.text}</li>
            ))}
          </ul>
        </>
      ) : (
        <p>
          {Temporal.PlainDate.compare(here.date, Temporal.PlainDate.from(year.start)) < 0
            ? `Schooljaar ${year.id} is nog niet begonnen: het begint op ${formatDutchDate(year.start)}.`
            : 'Voor dit schooljaar is er geen lopende of komende periode meer.'}
        </p>
      )}
      <p>
        <a href={`/s/${token}/agenda.ics`}>Zet de deadlines in je agenda</a> (een agendabestand met de deadlines en taken van elke periode)
      </p>

      {required && (
        <>
          <h2>Kijkwijzers vóór het einde van periode {required.byEndOfPeriod}</h2>
          {missing.length === 0 ? (
            <p>Alle typen zijn minstens één keer ingediend: {kijkwijzerTypeList(required.types)}.</p>
          ) : (
            <p>
              Nog nodig: <strong>{kijkwijzerTypeList(missing)}</strong>. Binnen: {submitted.length === 0 ? 'nog geen' : kijkwijzerTypeList(submitted)}.
            </p>
          )}
        </>
      )}

      <h2>Mijn aanvragen</h2>
      {requests.length === 0 ? (
        <p>Je hebt nog niets aangevraagd.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Formulier</th>
              <th scope="col">Observator</th>
              <th scope="col">Les</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {requests.map((r) => (
              <tr>
                <td data-label="Formulier">
                  {r.state === 'ingediend' ? <a href={`/s/${token}/formulieren/${r.requestId}`}>{formTitle(r.formId)}</a> : formTitle(r.formId)}
                  <br />
                  <span class="muted">{periodLabel({ number: r.period })}</span>
                </td>
                <td data-label="Observator">
                  {r.observer.name}
                  <br />
                  <span class="muted">{r.observerRole.toUpperCase()}</span>
                </td>
                <td data-label="Les">
                  {r.lessonDate ? formatDutchDate(r.lessonDate) : '–'}
                  {r.className && <> · klas {r.className}</>}
                </td>
                <td data-label="Status">
                  <span class={`state state-${r.state}`}>{STATE_LABELS[r.state]}</span>
                  {isWithdrawable(r) && (
                    <form method="post" action={`/s/${token}/aanvragen/${r.requestId}/intrekken`} class="inline">
                      <button type="submit" class="small secondary">
                        Intrekken<span class="visually-hidden"> ({formTitle(r.formId)} bij {r.observer.name})</span>
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2 id="aanvragen">Lesobservatie aanvragen</h2>
      {errorList.length > 0 && (
        <div class="error" role="alert" tabindex={-1} id="foutmeldingen">
          <p>
            <strong>Controleer de aanvraag:</strong>
          </p>
          <ul>
            {errorList.map(([field, message]) => (
              <li>
                <a href={`#veld-${field}`}>{message}</a>
              </li>
            ))}
          </ul>
        </div>
      )}
      <form method="post" action={`/s/${token}/aanvragen`} novalidate>
        <label for="veld-formId">Kijkwijzer</label>
        <select id="veld-formId" name="formId" aria-invalid={errors.formId ? 'true' : undefined}>
          {kijkwijzerForms(year).map((id) => (
            <option value={id} selected={values.formId === id}>
              {formTitle(id)}
            </option>
          ))}
        </select>
        <fieldset aria-invalid={errors.observerRole ? 'true' : undefined}>
          <legend id="veld-observerRole">Wie observeert de les?</legend>
          {OBSERVER_ROLES.map((role) => (
            <label class="choice">
              <input type="radio" name="observerRole" value={role} checked={(values.observerRole ?? 'wpb') === role} />{' '}
              {placement[role].name}, {OBSERVER_LABELS[role]}
            </label>
          ))}
        </fieldset>
        <label for="veld-lessonDate">Lesdatum</label>
        {errors.lessonDate && (
          <p class="field-error" id="fout-lessonDate">
            {errors.lessonDate}
          </p>
        )}
        {lessonRange && (
          <p class="muted" id="uitleg-lessonDate">
            Een les uit schooljaar {year.id}, uiterlijk op {formatDutchDate(lessonRange.max)}, de deadline van {periodLabel({ number: lessonRange.period })}.
          </p>
        )}
        <input
          type="date"
          id="veld-lessonDate"
          name="lessonDate"
          value={values.lessonDate ?? ''}
          required
          {...(lessonRange ? { min: lessonRange.min, max: lessonRange.max } : {})}
          aria-invalid={errors.lessonDate ? 'true' : undefined}
          aria-describedby={[errors.lessonDate ? 'fout-lessonDate' : '', lessonRange ? 'uitleg-lessonDate' : ''].filter(Boolean).join(' ') || undefined}
        />
        <label for="veld-className">Klas (optioneel)</label>
        <input type="text" id="veld-className" name="className" value={values.className ?? ''} maxlength={40} autocomplete="off" />
        <label for="veld-question">Vraag aan de observator (optioneel)</label>
        <textarea id="veld-question" name="question" rows={3} maxlength={1000}>
          {values.question ?? ''}
        </textarea>
        <div class="actions">
          <button type="submit">Aanvraag versturen</button>
        </div>
      </form>
    </Layout>
  );
}
