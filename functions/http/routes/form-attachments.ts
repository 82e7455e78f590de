import { Hono } from 'hono';
import { openFormAttachment, removeAttachment, requestUpload, verifyUpload } from '#shared/usecases/attachments.ts';
import { attachmentResponse } from '../attachment-response.ts';
import type { AppEnv } from '../env.ts';

/**
 * The attachments of the observer's form (`/f/<token>/bijlagen...`): the JSON calls of the upload
 * script (static/upload.ts), the removal (a plain form post, or JSON for the script) and the
 * download. The work is in shared/usecases/attachments.ts.
 */
export const formAttachmentRoutes = new Hono<AppEnv>();

/** Plans an upload: a presigned POST for the declared file, or why not (JSON). */
formAttachmentRoutes.post('/:token/bijlagen', async (c) => {
  const file: unknown = await c.req.json().catch(() => undefined);
  const result = await requestUpload(c.get('deps'), { token: c.req.param('token'), file });
  if (result.kind === 'refused') return c.json({ error: result.error }, result.status);
  const { id, name, contentType, url, fields } = result;
  return c.json({ id, name, contentType, url, fields });
});

/** Verifies an uploaded file once and adds it to the form (JSON). */
formAttachmentRoutes.post('/:token/bijlagen/:id', async (c) => {
  const result = await verifyUpload(c.get('deps'), { token: c.req.param('token'), id: c.req.param('id') });
  if (result.kind === 'refused') return c.json({ error: result.error }, result.status);
  const { id, name, size } = result.attachment;
  return c.json({ ok: true, id, name, size });
});

/** Removes an attachment: back to the page (works without JavaScript), or JSON when the script asks for it. */
formAttachmentRoutes.post('/:token/bijlagen/:id/verwijderen', async (c) => {
  const token = c.req.param('token');
  const wantsJson = (c.req.header('Accept') ?? '').includes('application/json');
  const result = await removeAttachment(c.get('deps'), { token, id: c.req.param('id') });
  if (result.kind === 'refused') {
    if (wantsJson) return c.json({ error: result.error }, result.status);
    throw result.cause;
  }
  const { id, name } = result.attachment;
  if (wantsJson) return c.json({ ok: true, id, name });
  return c.redirect(`/f/${token}?verwijderd=1#bijlagen`, 303);
});

/** Downloads an attachment: only its verified, clean bytes. */
formAttachmentRoutes.get('/:token/bijlagen/:id', async (c) =>
  attachmentResponse(c, () => openFormAttachment(c.get('deps'), { token: c.req.param('token'), attachmentId: c.req.param('id'), record: c.req.method === 'GET' })),
);
