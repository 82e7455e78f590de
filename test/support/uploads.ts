/**
 * The browser's side of an attachment upload (functions/http/static/upload.ts), for tests that
 * upload through the app's own HTTP path: the plan `POST /f/<token>/bijlagen` answers with, and the
 * presigned POST straight to S3.
 */

/** What `POST /f/<token>/bijlagen` answers when it accepts the declared file. */
export interface UploadPlan {
  id: string;
  name: string;
  contentType: string;
  url: string;
  fields: Record<string, string>;
}

/**
 * Posts the presigned fields (in order, `fieldOverrides` on top) and then the file to S3, as the
 * page's script does.
 */
export async function postToS3(plan: UploadPlan, bytes: Uint8Array, fieldOverrides: Record<string, string> = {}): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries({ ...plan.fields, ...fieldOverrides })) form.append(name, value);
  form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type: plan.contentType }), 'upload');
  return fetch(plan.url, { method: 'POST', body: form });
}
