import type { Context } from 'hono';
import { contentDisposition } from '#shared/attachments/policy.ts';
import type { PdfFile } from '#shared/usecases/pdf.ts';
import { ATTACHMENT_CSP } from './attachment-response.ts';
import type { AppEnv } from './env.ts';

/**
 * The one response of a PDF the app makes (shared/usecases/pdf.ts): a download
 * (`attachment; filename="<ASCII fallback>"; filename*=UTF-8''<name>`), never cached, under the
 * attachments' sandboxing policy. A HEAD gets the headers only.
 */
export function pdfResponse(c: Context<AppEnv>, file: PdfFile): Response {
  c.header('Content-Type', 'application/pdf');
  c.header('Content-Disposition', contentDisposition(file.fileName));
  c.header('Cache-Control', 'no-store');
  c.header('Content-Security-Policy', ATTACHMENT_CSP);
  return c.body(file.bytes as Uint8Array<ArrayBuffer>);
}
