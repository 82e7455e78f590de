import { Hono } from 'hono';
import { zValidator } from '@hono/zod-validator';
import * as z from 'zod';
import { confirmRosterUpload, previewRoster, ROSTER_MAX_BYTES, RosterTooLargeError } from '#shared/usecases/roster.ts';
import type { AppEnv } from '../env.ts';
import { BODY_LIMITS, readForm } from '../middleware/body.ts';
import { loadSession, requireAdmin, requireStaff } from '../middleware/session.ts';
import { formSchema, valid } from '../middleware/validate.ts';
import { RosterDonePage } from '../views/roster-done-page.tsx';
import { RosterPreviewPage } from '../views/roster-preview-page.tsx';
import { RosterUploadPage } from '../views/roster-upload-page.tsx';

/** Roster management for admins (coordinators): upload, preview, confirm. Mounted at /beheer. */
export const rosterRoutes = new Hono<AppEnv>();

// Admins only (requireAdmin); '/rooster/*' matches '/rooster' too. The other /beheer pages check their own.
rosterRoutes.use('/rooster/*', loadSession, requireStaff, requireAdmin);

/** The 400 for a roster form whose body cannot be read. */
const UNREADABLE = 'Het formulier kon niet worden gelezen. Laad de pagina opnieuw en kies het bestand nog eens.';

const NO_FILE = 'Kies een rooster (CSV-bestand) om te uploaden.';
const NO_UPLOAD = 'Er is geen rooster om te bevestigen. Upload het bestand opnieuw.';

const UploadForm = z.object({ bestand: z.file().min(1) });
const ConfirmForm = z.object({ upload: z.string({ error: NO_UPLOAD }).min(1, { error: NO_UPLOAD }) });

rosterRoutes.get('/rooster', (c) => c.html(<RosterUploadPage />));

// Bodies are read only here, after the session and the role (above): the file and its multipart
// framing within the limit, anything larger refused unread (on AWS the function URL caps it at 6 MB).
rosterRoutes.post(
  '/rooster',
  readForm(ROSTER_MAX_BYTES + 64 * 1024, { tooLarge: () => new RosterTooLargeError(), unreadable: UNREADABLE }),
  // No (or an empty) file: the upload form again with the message, not the generic error page. A
  // file sent twice counts with its last one, as parseBody() gave it (formSchema).
  zValidator('form', formSchema(UploadForm), (result, c) => {
    if (!result.success) return c.html(<RosterUploadPage error={NO_FILE} />, 400);
  }),
  async (c) => {
    const file = c.req.valid('form').bestand;
    const preview = await previewRoster(c.get('deps'), {
      fileName: file.name,
      bytes: new Uint8Array(await file.arrayBuffer()),
      uploadedBy: c.get('staff')!.email,
    });
    if (preview.kind === 'invalid') return c.html(<RosterPreviewPage fileName={preview.fileName} size={preview.size} parsed={preview.parsed} />, 422);
    return c.html(<RosterPreviewPage {...preview} />);
  },
);

rosterRoutes.post('/rooster/bevestigen', readForm(BODY_LIMITS.staffForm, { unreadable: UNREADABLE }), valid('form', ConfirmForm, NO_UPLOAD), async (c) => {
  const result = await confirmRosterUpload(c.get('deps'), { uploadId: c.req.valid('form').upload, email: c.get('staff')!.email });
  // Only when the calendar data changed between preview and confirmation.
  if (result.kind === 'invalid') return c.html(<RosterPreviewPage fileName="rooster.csv" size={result.size} parsed={result.parsed} />, 409);
  return c.html(<RosterDonePage {...result} />);
});
