import { Hono } from 'hono';
import type { Context } from 'hono';
import * as z from 'zod';
import { formatDutchDate, getSchoolYear, periodLabel } from '#shared/calendar.ts';
import { calendarFeed } from '#shared/digest/ics.ts';
import { DomainError, NotFoundError, ValidationError } from '#shared/errors.ts';
import { getForm } from '#forms/index.ts';
import type { FormDefinition } from '#shared/forms/definition.ts';
import { formatAnswer, readAnswers, type AnswerErrors, type Answers } from '#shared/forms/answers.ts';
import { formItems } from '#shared/forms/definition.ts';
import { AnswersView, DraftContentNotice, ErrorSummary, FORM_CSS, FormFields } from '#shared/forms/render.tsx';
import { checkDeclared, MAX_FILES_PER_FORM } from '#shared/attachments/policy.ts';
import { attachmentKey, newAttachmentId } from '#shared/attachments/store.ts';
import { isEditable, OBSERVER_LABELS, studentUrl } from '#shared/requests.ts';
import { renderEmail } from '#shared/mail/templates.ts';
import { VersionConflictError, type AttachmentRef, type RequestRecord, type SubmissionVersion } from '#shared/store/requests.ts';
import { Layout } from '#shared/web/layout.tsx';
import type { AppEnv } from '../app.tsx';
import { resolveLink } from '../links.ts';
import { recordAudit } from '../audit.ts';
import { linkActor } from '#shared/store/audit.ts';

/** The observer's form, reached by the link in their email. */
export const formRoutes = new Hono<AppEnv>();

/** The deadline has passed: the form is read-only now. */
export class DeadlinePassedError extends DomainError {
  constructor(deadline: string) {
    super(`De deadline (${formatDutchDate(deadline)}) is verstreken: het formulier kan niet meer worden gewijzigd.`, 403);
  }
}

async function load(c: Context<AppEnv>) {
  const link = await resolveLink(c, 'form');
  const deps = c.get('deps');
  const request = await deps.requests.getByKeys({ PK: link.ownerPk, SK: link.ownerSk });
  if (!request) throw new NotFoundError('Deze aanvraag bestaat niet meer.');
  const latest = request.latestVersion > 0 ? await deps.requests.getVersion(request, request.latestVersion) : undefined;
  // A form continues in the version it was started in; a new one takes the latest definition.
  const def = latest ? getForm(latest.formId, latest.formVersion) : getForm(request.formId);
  if (!def) throw new NotFoundError('Dit formulier bestaat niet meer.');
  const attachments = await deps.requests.listAttachments(request);
  return { request, latest, def, attachments, editable: isEditable(request, deps.clock.now()) };
}

/** The school year's deadlines and the observer's tasks as a calendar feed (ICS). */
formRoutes.get('/:token/agenda.ics', async (c) => {
  const link = await resolveLink(c, 'form');
  const request = await c.get('deps').requests.getByKeys({ PK: link.ownerPk, SK: link.ownerSk });
  const year = request && getSchoolYear(request.schoolYear);
  if (!request || !year) throw new NotFoundError('Deze aanvraag bestaat niet meer.');
  c.header('Content-Type', 'text/calendar; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="werkplekleren-${year.id}.ics"`);
  c.header('Cache-Control', 'no-store');
  return c.body(calendarFeed({ year, role: request.observerRole, name: request.observer.name, now: c.get('deps').clock.now() }));
});

formRoutes.get('/:token', async (c) => {
  const loaded = await load(c);
  const saved = c.req.query('opgeslagen');
  // A log, not a change the user sees; HEAD (link scanners) is not a view.
  if (c.req.method === 'GET') await recordAudit(c, loaded.request, { actor: linkActor(loaded.request.observerRole), action: 'bekeken', requestId: loaded.request.requestId });
  return c.html(
    <FormPage
      token={c.req.param('token')}
      {...loaded}
      answers={loaded.latest?.answers ?? {}}
      notice={saved === 'concept' ? 'concept' : saved === 'verstuurd' ? 'verstuurd' : undefined}
    />,
  );
});

const Action = z.enum(['concept', 'versturen']);

formRoutes.post('/:token', async (c) => {
  const { request, latest, def, attachments, editable } = await load(c);
  if (!editable) throw new DeadlinePassedError(request.deadline);
  const body = await c.req.parseBody();
  const action = Action.safeParse(body.actie);
  if (!action.success) throw new ValidationError('Kies "Opslaan als concept" of "Versturen".');
  const basis = Number(body.basis);
  if (!Number.isInteger(basis) || basis < 0) throw new ValidationError('Het formulier is onvolledig verstuurd; open de link opnieuw.');
  if (action.data === 'concept' && request.state === 'ingediend') {
    throw new ValidationError('Dit formulier is al ingediend. Een correctie slaat u op met "Versturen".');
  }
  const token = c.req.param('token');
  const result = readAnswers(def, body, action.data === 'versturen' ? 'submit' : 'draft');
  if (!result.ok) {
    return c.html(
      <FormPage token={token} request={request} latest={latest} def={def} attachments={attachments} editable answers={result.answers} errors={result.errors} />,
      400,
    );
  }
  const deps = c.get('deps');
  let version: SubmissionVersion;
  try {
    version = await deps.requests.saveVersion(request, basis, {
      formId: def.id,
      formVersion: def.version,
      answers: result.answers,
      status: action.data === 'versturen' ? 'ingediend' : 'concept',
      savedAt: deps.clock.now().toString(),
      savedBy: request.observer.email,
      attachments,
    });
  } catch (error) {
    if (!(error instanceof VersionConflictError)) throw error;
    const current = await deps.requests.get(request.schoolYear, request.studentNumber, request.requestId);
    return c.html(
      <FormPage
        token={token}
        request={current ?? request}
        latest={latest}
        def={def}
        attachments={attachments}
        editable
        answers={result.answers}
        conflict={error.message}
      />,
      409,
    );
  }
  await recordAudit(c, request, {
    actor: linkActor(request.observerRole),
    action: version.status === 'ingediend' ? 'ingediend' : 'concept opgeslagen',
    requestId: request.requestId,
    detail: `versie ${version.version}`,
  });
  if (version.status === 'ingediend') await sendSubmittedEmails(c, request, def, version, attachments);
  return c.redirect(`/f/${token}?opgeslagen=${version.status === 'ingediend' ? 'verstuurd' : 'concept'}`, 303);
});

/** Emails the observer a receipt with a copy of the answers, and tells the student it is in. */
async function sendSubmittedEmails(c: Context<AppEnv>, request: RequestRecord, def: FormDefinition, version: SubmissionVersion, attachments: AttachmentRef[]) {
  const deps = c.get('deps');
  const list = formItems(def).map((item) => ({ label: item.label, value: formatAnswer(def, item.code, version.answers[item.code]) }));
  if (attachments.length > 0) list.push({ label: 'Bijlagen', value: attachments.map((a) => a.name).join(', ') });
  const correction = version.version > 1 && request.state === 'ingediend';
  const messages = [
    renderEmail({
      to: request.observer.email,
      subject: `Ontvangen: ${def.title} voor ${request.student.name}`,
      greeting: `Beste ${request.observer.name},`,
      paragraphs: [
        `Dank u wel. ${correction ? 'Uw correctie' : 'Uw formulier'} voor ${request.student.name} is ontvangen (versie ${version.version}). Hieronder staat een kopie van uw antwoorden.`,
        `U kunt tot en met ${formatDutchDate(request.deadline)} nog corrigeren via dezelfde link.`,
      ],
      list,
      footer: `U krijgt deze bevestiging omdat u het formulier heeft ingediend als ${OBSERVER_LABELS[request.observerRole]} in het werkplekleren N2 van Hogeschool Rotterdam.`,
    }),
  ];
  const studentLink = await deps.requests.getStudentLink(request.schoolYear, request.studentNumber);
  messages.push(
    renderEmail({
      to: request.student.email,
      subject: `${def.title} is ingediend door ${request.observer.name}`,
      greeting: `Beste ${request.student.name},`,
      paragraphs: [
        `${request.observer.name} heeft de ${def.title.toLowerCase()} ${correction ? 'gecorrigeerd' : 'ingediend'}${request.lessonDate ? ` voor de les van ${formatDutchDate(request.lessonDate)}` : ''}. Je vindt het formulier op je eigen pagina.`,
      ],
      ...(studentLink ? { action: { label: 'Mijn werkplekleren', url: studentUrl(deps, studentLink.linkId) } } : {}),
      footer: `Je krijgt deze e-mail omdat je als student in het werkplekleren N2 (${request.schoolYear}) staat.`,
    }),
  );
  for (const message of messages) {
    try {
      await deps.mailer.send(message);
    } catch (error) {
      // The submission is stored; a failed notification must not turn it into an error page.
      console.error(JSON.stringify({ level: 'error', msg: 'notification email failed', requestId: request.requestId, error: String((error as Error).name) }));
    }
  }
}

const UploadRequest = z.object({
  name: z.string().max(1000),
  size: z.number().int().min(0),
  type: z.string().max(200),
});

formRoutes.post('/:token/bijlagen', async (c) => {
  const { request, attachments, editable } = await load(c);
  if (!editable) throw new DeadlinePassedError(request.deadline);
  const parsed = UploadRequest.safeParse(await c.req.json().catch(() => undefined));
  if (!parsed.success) throw new ValidationError('Kies een bestand om te uploaden.');
  const deps = c.get('deps');
  const check = checkDeclared(parsed.data, { maxBytes: deps.maxUploadBytes, existingCount: attachments.length });
  if (!check.ok) return c.json({ error: check.reason }, 400);
  const id = newAttachmentId();
  const key = attachmentKey({ schoolYear: request.schoolYear, studentNumber: request.studentNumber, requestId: request.requestId, attachmentId: id });
  const contentType = check.type.mimeTypes[0];
  const upload = await deps.attachments.presignUpload({ key, contentType, maxBytes: deps.maxUploadBytes });
  return c.json({ id, name: check.fileName, contentType, url: upload.url, fields: upload.fields });
});

const VerifyRequest = z.object({ name: z.string().min(1).max(200), contentType: z.string().max(200) });

formRoutes.post('/:token/bijlagen/:id', async (c) => {
  const { request, attachments, editable } = await load(c);
  if (!editable) throw new DeadlinePassedError(request.deadline);
  const id = c.req.param('id');
  if (!/^[A-Za-z0-9_-]{22}$/.test(id)) throw new NotFoundError('Deze bijlage bestaat niet.');
  const parsed = VerifyRequest.safeParse(await c.req.json().catch(() => undefined));
  if (!parsed.success) throw new ValidationError('Het uploaden is niet goed afgerond; probeer het opnieuw.');
  const deps = c.get('deps');
  const key = attachmentKey({ schoolYear: request.schoolYear, studentNumber: request.studentNumber, requestId: request.requestId, attachmentId: id });
  if (attachments.length >= MAX_FILES_PER_FORM) {
    await deps.attachments.remove(key);
    return c.json({ error: `Er zijn al ${MAX_FILES_PER_FORM} bijlagen.` }, 400);
  }
  const check = checkDeclared({ name: parsed.data.name, size: 1, type: parsed.data.contentType }, { maxBytes: deps.maxUploadBytes, existingCount: attachments.length });
  if (!check.ok) {
    await deps.attachments.remove(key);
    return c.json({ error: check.reason }, 400);
  }
  const verified = await deps.attachments.verify(key, { declaredType: check.type.mimeTypes[0], maxBytes: deps.maxUploadBytes });
  if (!verified.ok) return c.json({ error: verified.reason }, 400);
  const attachment: AttachmentRef = {
    id,
    key,
    name: check.fileName,
    size: verified.size,
    type: verified.type.mime,
    addedAt: deps.clock.now().toString(),
    ...(verified.versionId ? { versionId: verified.versionId } : {}),
  };
  await deps.requests.addAttachment(request, attachment);
  return c.json({ ok: true, id, name: attachment.name });
});

formRoutes.get('/:token/bijlagen/:id', async (c) => {
  const { request, attachments } = await load(c);
  const attachment = attachments.find((a) => a.id === c.req.param('id'));
  if (!attachment) throw new NotFoundError('Deze bijlage bestaat niet.');
  if (c.req.method === 'GET') await recordAudit(c, request, { actor: linkActor(request.observerRole), action: 'gedownload', requestId: request.requestId, detail: attachment.name });
  c.header('Cache-Control', 'no-store');
  const url = await c.get('deps').attachments.presignDownload(attachment.key, attachment.name, attachment.versionId ? { versionId: attachment.versionId } : {});
  return c.redirect(url, 302);
});

function FormPage(props: {
  token: string;
  request: RequestRecord;
  latest: SubmissionVersion | undefined;
  def: FormDefinition;
  attachments: AttachmentRef[];
  editable: boolean;
  answers: Answers;
  errors?: AnswerErrors;
  notice?: 'concept' | 'verstuurd' | undefined;
  conflict?: string;
}) {
  const { token, request, def, attachments, editable, answers, errors = {} } = props;
  const submitted = request.state === 'ingediend';
  return (
    <Layout title={def.title} extraCss={FORM_CSS}>
      <h1>{def.title}</h1>
      <p>
        Voor <strong>{request.student.name}</strong> ({request.vak}, {request.school})
        {request.lessonDate && <>, les van {formatDutchDate(request.lessonDate)}</>}
        {request.className && <>, klas {request.className}</>}. {periodLabel({ number: request.period })}, invullen tot en met{' '}
        {formatDutchDate(request.deadline)}. <a href={`/f/${token}/agenda.ics`}>Deadlines in uw agenda</a>
      </p>
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
          nog corrigeren.
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
          <AttachmentList token={token} attachments={attachments} />
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
          <AttachmentList token={token} attachments={attachments} />
          {attachments.length < MAX_FILES_PER_FORM && (
            <div data-upload={`/f/${token}/bijlagen`}>
              <label for="bijlage">Bijlage toevoegen (pdf, jpg, png, docx, pptx of mp4; hoogstens {MAX_FILES_PER_FORM} bestanden)</label>
              <input type="file" id="bijlage" name="bijlage" accept=".pdf,.jpg,.jpeg,.png,.docx,.pptx,.mp4" />
              <div class="actions">
                <button type="button" class="secondary" id="bijlage-uploaden">
                  Bijlage uploaden
                </button>
              </div>
              <p id="bijlage-status" role="status" aria-live="polite"></p>
              <noscript>
                <p class="notice">Bijlagen toevoegen werkt alleen met JavaScript aan. Het formulier zelf werkt ook zonder.</p>
              </noscript>
              <p class="muted">Sla eerst uw antwoorden op als concept: na het uploaden wordt de pagina opnieuw geladen.</p>
            </div>
          )}
          <script src="/static/upload.js" defer></script>
        </>
      )}
    </Layout>
  );
}

function AttachmentList({ token, attachments }: { token: string; attachments: AttachmentRef[] }) {
  if (attachments.length === 0) return <p class="muted">Geen bijlagen.</p>;
  return (
    <ul>
      {attachments.map((a) => (
        <li>
          <a href={`/f/${token}/bijlagen/${a.id}`}>{a.name}</a> <span class="muted">({Math.max(1, Math.round(a.size / 1024))} kB)</span>
        </li>
      ))}
    </ul>
  );
}
