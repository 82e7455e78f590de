import type { Context } from 'hono';
import { contentDisposition } from '#shared/attachments/policy.ts';
import { ScanPendingError, type ServableAttachment } from '#shared/attachments/serve.ts';
import type { RequestRecord } from '#shared/model/requests.ts';
import { openAttachment } from '#shared/usecases/attachments.ts';
import type { AppEnv } from './env.ts';

/**
 * The policy an attachment is served under. `sandbox` puts the document in a unique origin with
 * scripts, forms, popups and plugins' scripting off, so a PDF or image cannot act as the app;
 * `default-src 'none'` loads nothing else. An image document needs its own image and inline
 * style; Chromium's PDF viewer opens under this policy (checked in Debian's Chromium).
 */
export const ATTACHMENT_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * Answers with an attachment that `open` opens (a use-case: `openAttachment`, `openFormAttachment`),
 * the one response of `/f`, `/s` and `/overzicht`. When it is not served, the Dutch error goes on
 * to the error page with `no-store`, and with `Retry-After` while the malware scan is pending.
 *
 * PDF, JPEG and PNG are shown inline with their verified type, everything else is a download as
 * application/octet-stream; always with nosniff, the sandboxing CSP and `private, no-store`. The
 * bytes are exactly the verified version, streamed through the app; a HEAD gets the headers only.
 */
export async function attachmentResponse(c: Context<AppEnv>, open: () => Promise<ServableAttachment>): Promise<Response> {
  let served: ServableAttachment;
  try {
    served = await open();
  } catch (error) {
    if (error instanceof ScanPendingError) c.header('Retry-After', String(error.retryAfterSeconds));
    c.header('Cache-Control', 'no-store');
    throw error;
  }
  const { attachment, opened, inline } = served;
  const headers: Record<string, string> = {
    'Content-Type': inline ? attachment.type : 'application/octet-stream',
    'Content-Disposition': contentDisposition(attachment.name, inline ? 'inline' : 'attachment'),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': ATTACHMENT_CSP,
    'Cache-Control': 'private, no-store',
  };
  if (opened.size !== undefined) headers['Content-Length'] = String(opened.size);
  if (c.req.method === 'HEAD') {
    await opened.body.cancel();
    return c.body(null, 200, headers);
  }
  return c.body(opened.body, 200, headers);
}

/**
 * Serves an attachment of a request the route has read: found among the request's own, only with
 * a `clean` scan verdict, "gedownload" recorded for a GET (see `openAttachment`).
 */
export async function serveAttachment(c: Context<AppEnv>, request: RequestRecord, attachmentId: string, actor: string): Promise<Response> {
  return attachmentResponse(c, () => openAttachment(c.get('deps'), { request, attachmentId, actor, record: c.req.method === 'GET' }));
}
