import type { Context } from 'hono';
import { contentDisposition } from '#shared/attachments/policy.ts';
import { openForServing, ScanPendingError } from '#shared/attachments/serve.ts';
import type { RequestRecord } from '#shared/store/requests.ts';
import type { AppEnv } from './env.ts';
import { recordAudit } from './audit.ts';

/**
 * The policy an attachment is served under. `sandbox` puts the document in a unique origin with
 * scripts, forms, popups and plugins' scripting off, so a PDF or image cannot act as the app;
 * `default-src 'none'` loads nothing else. An image document needs its own image and inline
 * style; Chromium's PDF viewer opens under this policy (checked in Debian's Chromium).
 */
export const ATTACHMENT_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * Serves an attachment of a request: the one path of `/f`, `/s` and `/overzicht`. It finds the
 * attachment among the request's own, serves only a `clean` scan verdict (a Dutch 409 with
 * Retry-After while pending, 410/403 when blocked), streams exactly the verified version through
 * the app, and records "gedownload" (GET only, after the checks).
 *
 * PDF, JPEG and PNG are shown inline with their verified type, everything else is a download as
 * application/octet-stream; always with nosniff, the sandboxing CSP and `private, no-store`.
 */
export async function serveAttachment(c: Context<AppEnv>, request: RequestRecord, attachmentId: string, actor: string): Promise<Response> {
  const deps = c.get('deps');
  let served;
  try {
    served = await openForServing(deps, request, attachmentId);
  } catch (error) {
    if (error instanceof ScanPendingError) c.header('Retry-After', String(error.retryAfterSeconds));
    c.header('Cache-Control', 'no-store');
    throw error;
  }
  const { attachment, opened, inline } = served;
  if (c.req.method === 'GET') await recordAudit(c, request, { actor, action: 'gedownload', requestId: request.requestId, detail: attachment.name });
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
