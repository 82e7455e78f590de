import { Hono } from 'hono';
import type { Context } from 'hono';
import * as z from 'zod';
import { formatDutchDate, formatDutchInstant, getSchoolYear, periodLabel } from '#shared/calendar.ts';
import { calendarFeed } from '#shared/digest/ics.ts';
import { DomainError, NotFoundError, ValidationError } from '#shared/errors.ts';
import { getForm } from '#forms/index.ts';
import type { FormDefinition } from '#shared/forms/definition.ts';
import { formatAnswer, readAnswers, type AnswerErrors, type Answers } from '#shared/forms/answers.ts';
import { formItems, formPhrase } from '#shared/forms/definition.ts';
import { AnswersView, DraftContentNotice, ErrorSummary, FORM_CSS, FormFields } from '#shared/forms/render.tsx';
import { checkDeclared, MAX_FILES_PER_FORM, reasons } from '#shared/attachments/policy.ts';
import { attachmentsWithVerdicts, type ShownAttachment } from '#shared/attachments/serve.ts';
import { attachmentKey, newAttachmentId, uploadKey } from '#shared/attachments/store.ts';
import { formUrl, isEditable, OBSERVER_LABELS, studentUrl } from '#shared/requests.ts';
import { renderEmail } from '#shared/mail/templates.ts';
import { VersionConflictError, type AttachmentRef, type RequestRecord, type SubmissionVersion } from '#shared/store/requests.ts';
import { Layout } from '#shared/web/layout.tsx';
import type { AppEnv } from '../env.ts';
import { RequestWithdrawnError, resolveLink } from '../links.ts';
import { recordAudit } from '../audit.ts';
import { serveAttachment } from '../attachment-response.ts';
import { AttachmentItems } from '../attachment-list.tsx';
import { linkActor } from '#shared/store/audit.ts';
import { capitalize } from '#shared/dutch.ts';

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
  const shown = await attachmentsWithVerdicts(c.get('deps'), loaded.request, loaded.attachments);
  const saved = c.req.query('opgeslagen');
  // A log, not a change the user sees. Mail scanners GET links too, so a GET is only "link geopend";
  // a person's first touch on the page posts to /bekeken (static/viewed.ts). HEAD is not logged.
  if (c.req.method === 'GET') await recordAudit(c, loaded.request, { actor: linkActor(loaded.request.observerRole), action: 'link geopend', requestId: loaded.request.requestId });
  return c.html(
    <FormPage
      token={c.req.param('token')}
      {...loaded}
      attachments={shown}
      removed={c.req.query('verwijderd') === '1'}
      answers={loaded.latest?.answers ?? {}}
      notice={saved === 'concept' ? 'concept' : saved === 'verstuurd' ? 'verstuurd' : undefined}
    />,
  );
});

/** A person acted on the form page (static/viewed.ts): the real view, after a GET that a scanner may have made. */
formRoutes.post('/:token/bekeken', async (c) => {
  const { request } = await load(c);
  await recordAudit(c, request, { actor: linkActor(request.observerRole), action: 'bekeken', requestId: request.requestId });
  return c.body(null, 204);
});

const Action = z.enum(['concept', 'versturen']);

/** `basis`, the version the page was loaded at, as the page writes it: a plain decimal safe integer. */
const Basis = z
  .string()
  .regex(/^\d{1,16}$/)
  .transform(Number)
  .pipe(z.int().nonnegative());

formRoutes.post('/:token', async (c) => {
  const { request, latest, def, attachments, editable } = await load(c);
  if (!editable) throw new DeadlinePassedError(request.deadline);
  const body = await c.req.parseBody();
  const action = Action.safeParse(body.actie);
  if (!action.success) throw new ValidationError('Kies "Opslaan als concept" of "Versturen".');
  const parsedBasis = Basis.safeParse(body.basis);
  if (!parsedBasis.success) throw new ValidationError('Het formulier is onvolledig verstuurd; open de link opnieuw.');
  const basis = parsedBasis.data;
  if (action.data === 'concept' && request.state === 'ingediend') {
    throw new ValidationError('Dit formulier is al ingediend. Een correctie verstuurt u met "Correctie versturen".');
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
    // The student withdrew the request while this form was open: say so, not "someone else saved".
    if (current?.state === 'ingetrokken') throw new RequestWithdrawnError(current);
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
      // No version numbers: a first submission is version 2 after a draft, which means nothing to the reader.
      paragraphs: [
        correction
          ? `Dank u wel. Uw correctie voor ${request.student.name} is ontvangen op ${formatDutchInstant(version.savedAt, { time: 'minute' })}; deze vervangt wat u eerder had ingediend. Hieronder staat een kopie van uw antwoorden.`
          : `Dank u wel. Uw formulier voor ${request.student.name} is ontvangen op ${formatDutchInstant(version.savedAt, { time: 'minute' })}. Hieronder staat een kopie van uw antwoorden.`,
        `Wilt u nog iets aanpassen? Dat kan tot en met ${formatDutchDate(request.deadline)} met de link hieronder (dezelfde persoonlijke link als in de eerste e-mail; stuur hem niet door).`,
      ],
      list,
      action: { label: 'Formulier openen om te corrigeren', url: formUrl(deps, request.linkId) },
      footer: `U krijgt deze bevestiging omdat u het formulier heeft ingediend als ${OBSERVER_LABELS[request.observerRole]} bij werkplekleren N2 van Hogeschool Rotterdam.`,
    }),
  ];
  const studentLink = await deps.requests.getStudentLink(request.schoolYear, request.studentNumber);
  messages.push(
    renderEmail({
      to: request.student.email,
      subject: `${def.title} is ingediend door ${request.observer.name}`,
      greeting: `Beste ${request.student.name},`,
      paragraphs: [
        `${request.observer.name} heeft ${formPhrase(def)} ${correction ? 'gecorrigeerd' : 'ingediend'}${request.lessonDate ? ` voor de les van ${formatDutchDate(request.lessonDate)}` : ''}. Je vindt het formulier op je eigen pagina.`,
      ],
      ...(studentLink ? { action: { label: 'Mijn werkplekleren', url: studentUrl(deps, studentLink.linkId) } } : {}),
      footer: `Je krijgt deze e-mail omdat je als student in het rooster van werkplekleren N2 (${request.schoolYear}) staat.`,
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

/** Extra time to finish (verify) an upload after its presigned POST expired: a slow phone connection. */
const VERIFY_GRACE_SECONDS = 300;

formRoutes.post('/:token/bijlagen', async (c) => {
  const { request, attachments, editable } = await load(c);
  if (!editable) throw new DeadlinePassedError(request.deadline);
  const parsed = UploadRequest.safeParse(await c.req.json().catch(() => undefined));
  if (!parsed.success) throw new ValidationError('Kies een bestand om te uploaden.');
  const deps = c.get('deps');
  const check = checkDeclared(parsed.data, { maxBytes: deps.maxUploadBytes, existingCount: attachments.length });
  if (!check.ok) return c.json({ error: check.reason }, 400);
  const id = newAttachmentId();
  const parts = { schoolYear: request.schoolYear, studentNumber: request.studentNumber, requestId: request.requestId, attachmentId: id };
  const contentType = check.type.mimeTypes[0];
  const upload = await deps.attachments.presignUpload({ key: uploadKey(parts), contentType, maxBytes: deps.maxUploadBytes });
  // Verify acts only on what is recorded here: the name and type declared now, never the ones sent later.
  await deps.requests.addPendingUpload(request, {
    id,
    uploadKey: uploadKey(parts),
    key: attachmentKey(parts),
    name: check.fileName,
    type: contentType,
    validUntilMs: deps.clock.now().epochMilliseconds + (deps.attachments.uploadUrlTtlSeconds + VERIFY_GRACE_SECONDS) * 1000,
  });
  return c.json({ id, name: check.fileName, contentType, url: upload.url, fields: upload.fields });
});

/**
 * Verifies an upload this app presigned for this form, once: the pending upload is claimed first
 * (a replay, a parallel call, an unknown id or another form's id finds nothing and touches
 * nothing; a verified attachment is never touched here). The checked bytes are copied to the key
 * they are served from, and the count on the request keeps the form at five attachments.
 */
formRoutes.post('/:token/bijlagen/:id', async (c) => {
  const { request, attachments, editable } = await load(c);
  if (!editable) throw new DeadlinePassedError(request.deadline);
  const deps = c.get('deps');
  const pending = await deps.requests.claimPendingUpload(request, c.req.param('id'), deps.clock.now().epochMilliseconds);
  if (!pending) return c.json({ error: reasons.unknownUpload }, 404);
  if (attachments.length >= MAX_FILES_PER_FORM) {
    await deps.attachments.remove(pending.uploadKey);
    return c.json({ error: reasons.tooMany() }, 409);
  }
  const verified = await deps.attachments.accept(pending.uploadKey, pending.key, { declaredType: pending.type, maxBytes: deps.maxUploadBytes });
  if (!verified.ok) return c.json({ error: verified.reason }, 400);
  const attachment: AttachmentRef = {
    id: pending.id,
    key: pending.key,
    name: pending.name,
    size: verified.size,
    type: verified.type.mime,
    addedAt: deps.clock.now().toString(),
    ...(verified.versionId ? { versionId: verified.versionId } : {}),
    ...(verified.etag ? { etag: verified.etag } : {}),
  };
  try {
    await deps.requests.addAttachment(request, attachment, { max: MAX_FILES_PER_FORM, existing: attachments.length });
  } catch (error) {
    // The copy is listed nowhere: remove it, whatever stopped the write.
    await deps.attachments.removeAllVersions(pending.key);
    if (error instanceof DomainError && error.expose) return c.json({ error: error.message }, error.status as 409);
    throw error;
  }
  return c.json({ ok: true, id: attachment.id, name: attachment.name, size: attachment.size });
});

/**
 * Removes an attachment while the form is not submitted yet (after that it is part of the
 * submitted record): the item and the count first, then every S3 version of the bytes. A plain
 * form post (works without JavaScript: back to the page); the script asks for JSON instead.
 */
formRoutes.post('/:token/bijlagen/:id/verwijderen', async (c) => {
  const { request, attachments, editable } = await load(c);
  if (!editable) throw new DeadlinePassedError(request.deadline);
  const deps = c.get('deps');
  const wantsJson = (c.req.header('Accept') ?? '').includes('application/json');
  let removed: AttachmentRef;
  try {
    removed = await deps.requests.removeAttachment(request, c.req.param('id'), { existing: attachments.length });
  } catch (error) {
    if (wantsJson && error instanceof DomainError && error.expose) return c.json({ error: error.message }, error.status as 404 | 409);
    throw error;
  }
  try {
    await deps.attachments.removeAllVersions(removed.key);
  } catch (error) {
    // The attachment has left the form; bytes left behind go with the school year's retention purge.
    console.error(JSON.stringify({ level: 'error', msg: 'deleting attachment versions failed', requestId: request.requestId, error: String((error as Error).name) }));
  }
  await recordAudit(c, request, { actor: linkActor(request.observerRole), action: 'bijlage verwijderd', requestId: request.requestId, detail: removed.name });
  if (wantsJson) return c.json({ ok: true, id: removed.id, name: removed.name });
  return c.redirect(`/f/${c.req.param('token')}?verwijderd=1#bijlagen`, 303);
});

formRoutes.get('/:token/bijlagen/:id', async (c) => {
  const { request } = await load(c);
  return serveAttachment(c, request, c.req.param('id'), linkActor(request.observerRole));
});

function FormPage(props: {
  token: string;
  request: RequestRecord;
  latest: SubmissionVersion | undefined;
  def: FormDefinition;
  /** With their scan verdicts where known (the GET); without, a recorded verdict or "wordt gecontroleerd" shows. */
  attachments: (AttachmentRef | ShownAttachment)[];
  editable: boolean;
  answers: Answers;
  errors?: AnswerErrors;
  notice?: 'concept' | 'verstuurd' | undefined;
  conflict?: string;
  /** An attachment was just removed (the no-JavaScript delete came back here). */
  removed?: boolean;
}) {
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
