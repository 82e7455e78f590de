import { Hono } from 'hono';
import type { Context } from 'hono';
import * as z from 'zod';
import { Temporal } from 'temporal-polyfill';
import { formatDutchDate, getSchoolYear, periodLabel, whereIs, type SchoolYear } from '#shared/calendar.ts';
import { NotFoundError } from '#shared/errors.ts';
import { formTitle, getForm } from '#forms/index.ts';
import { AnswersView, FORM_CSS } from '#shared/forms/render.tsx';
import { createRequest, OBSERVER_LABELS, type ObservationInput } from '#shared/requests.ts';
import { OBSERVER_ROLES, type RequestRecord } from '#shared/store/requests.ts';
import { tasksFor } from '#shared/tasks.ts';
import { kijkwijzerProgress } from '#shared/digest/model.ts';
import { calendarFeed } from '#shared/digest/ics.ts';
import { Layout } from '#shared/web/layout.tsx';
import type { Placement } from '#shared/roster/placement.ts';
import type { AppEnv } from '../app.tsx';
import { placementOf, resolveLink } from '../links.ts';
import { recordAudit } from '../audit.ts';
import { linkActor } from '#shared/store/audit.ts';

/** The student's own page ("Mijn werkplekleren"), reached by the student's link. */
export const studentRoutes = new Hono<AppEnv>();

const STATE_LABELS: Record<RequestRecord['state'], string> = {
  gevraagd: 'gevraagd',
  concept: 'concept',
  ingediend: 'ingediend',
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
  className: z.string().trim().max(40, 'De klas mag hoogstens 40 tekens lang zijn.').optional().default(''),
  question: z.string().trim().max(1000, 'De vraag mag hoogstens 1000 tekens lang zijn.').optional().default(''),
});

type FormErrors = Partial<Record<keyof z.infer<typeof RequestForm>, string>>;

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
  return c.html(<StudentPage c={c} placement={placement} year={year} requests={requests} requested={requested} />);
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

studentRoutes.get('/:token/formulieren/:requestId', async (c) => {
  const { placement, requests } = await load(c);
  const request = requests.find((r) => r.requestId === c.req.param('requestId'));
  if (!request || request.state !== 'ingediend') throw new NotFoundError('Dit formulier is (nog) niet ingediend.');
  const deps = c.get('deps');
  const version = await deps.requests.getVersion(request, request.latestVersion);
  const def = version && getForm(version.formId, version.formVersion);
  if (!version || !def) throw new NotFoundError('Dit formulier is (nog) niet ingediend.');
  const attachments = await deps.requests.listAttachments(request);
  if (c.req.method === 'GET') await recordAudit(c, request, { actor: linkActor('student'), action: 'bekeken', requestId: request.requestId, detail: `versie ${version.version}` });
  return c.html(
    <Layout title={def.title} extraCss={FORM_CSS}>
      <p>
        <a href={`/s/${c.req.param('token')}`}>Terug naar Mijn werkplekleren</a>
      </p>
      <h1>{def.title}</h1>
      <p>
        Voor {placement.student.name}, ingevuld door {request.observer.name} ({OBSERVER_LABELS[request.observerRole]}),
        ingediend op {formatDutchDate(version.savedAt.slice(0, 10))} (versie {version.version}).
      </p>
      <AnswersView def={def} answers={version.answers} />
      {attachments.length > 0 && (
        <>
          <h2>Bijlagen</h2>
          <ul>
            {attachments.map((a) => (
              <li>
                <a href={`/s/${c.req.param('token')}/bijlagen/${request.requestId}/${a.id}`}>{a.name}</a>
              </li>
            ))}
          </ul>
        </>
      )}
    </Layout>,
  );
});

studentRoutes.get('/:token/bijlagen/:requestId/:attachmentId', async (c) => {
  const { requests } = await load(c);
  const request = requests.find((r) => r.requestId === c.req.param('requestId'));
  if (!request) throw new NotFoundError('Deze bijlage bestaat niet.');
  const deps = c.get('deps');
  const attachment = (await deps.requests.listAttachments(request)).find((a) => a.id === c.req.param('attachmentId'));
  if (!attachment) throw new NotFoundError('Deze bijlage bestaat niet.');
  if (c.req.method === 'GET') await recordAudit(c, request, { actor: linkActor('student'), action: 'gedownload', requestId: request.requestId, detail: attachment.name });
  c.header('Cache-Control', 'no-store');
  return c.redirect(await deps.attachments.presignDownload(attachment.key, attachment.name), 302);
});

function StudentPage(props: {
  c: Context<AppEnv>;
  placement: Placement;
  year: SchoolYear;
  requests: RequestRecord[];
  requested?: boolean;
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

      <h2>{current ? `Deze periode: ${periodLabel(current)}` : upcoming ? `Nu geen periode; hierna ${periodLabel(upcoming)}` : 'Geen periode'}</h2>
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
        <p>Voor dit schooljaar is er geen lopende of komende periode meer.</p>
      )}
      <p>
        <a href={`/s/${token}/agenda.ics`}>Zet de deadlines in je agenda</a> (een agendabestand met de deadlines en taken van elke periode)
      </p>

      {required && (
        <>
          <h2>Kijkwijzers voor het einde van periode {required.byEndOfPeriod}</h2>
          {missing.length === 0 ? (
            <p>Alle typen zijn minstens één keer ingediend: {required.types.join(', ')}.</p>
          ) : (
            <p>
              Nog nodig: <strong>{missing.join(', ')}</strong>. Binnen: {submitted.length === 0 ? 'nog geen' : submitted.join(', ')}.
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
                <td>
                  {r.state === 'ingediend' ? <a href={`/s/${token}/formulieren/${r.requestId}`}>{formTitle(r.formId)}</a> : formTitle(r.formId)}
                  <br />
                  <span class="muted">{periodLabel({ number: r.period })}</span>
                </td>
                <td>
                  {r.observer.name}
                  <br />
                  <span class="muted">{r.observerRole.toUpperCase()}</span>
                </td>
                <td>
                  {r.lessonDate ? formatDutchDate(r.lessonDate) : '–'}
                  {r.className && <> · klas {r.className}</>}
                </td>
                <td>
                  <span class={`state state-${r.state}`}>{STATE_LABELS[r.state]}</span>
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
              {placement[role].name} ({OBSERVER_LABELS[role]})
            </label>
          ))}
        </fieldset>
        <label for="veld-lessonDate">Lesdatum</label>
        {errors.lessonDate && (
          <p class="field-error" id="fout-lessonDate">
            {errors.lessonDate}
          </p>
        )}
        <input
          type="date"
          id="veld-lessonDate"
          name="lessonDate"
          value={values.lessonDate ?? ''}
          required
          aria-invalid={errors.lessonDate ? 'true' : undefined}
          aria-describedby={errors.lessonDate ? 'fout-lessonDate' : undefined}
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
