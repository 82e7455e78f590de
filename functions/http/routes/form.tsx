import { Hono } from 'hono';
import { formCalendar, openForm, recordFormView, saveForm } from '#shared/usecases/form.ts';
import type { AppEnv } from '../env.ts';
import { FormPage } from '../views/form-page.tsx';
import { formAttachmentRoutes } from './form-attachments.ts';

/**
 * The observer's form, reached by the link in their email (`/f/<token>`): the page, the "bekeken"
 * beacon, a save or submit, the calendar file; the attachments in form-attachments.ts. Every
 * step (the link first, then the deadline, then the body) is in shared/usecases/form.ts.
 */
export const formRoutes = new Hono<AppEnv>();

/** The school year's deadlines and the observer's tasks as a calendar feed (ICS). */
formRoutes.get('/:token/agenda.ics', async (c) => {
  const { yearId, ics } = await formCalendar(c.get('deps'), c.req.param('token'));
  c.header('Content-Type', 'text/calendar; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="werkplekleren-${yearId}.ics"`);
  c.header('Cache-Control', 'no-store');
  return c.body(ics);
});

formRoutes.get('/:token', async (c) => {
  const token = c.req.param('token');
  // A log, not a change the user sees: a GET is "link geopend" (a mail scanner GETs links too). HEAD is not logged.
  const page = await openForm(c.get('deps'), { token, recordOpened: c.req.method === 'GET' });
  const saved = c.req.query('opgeslagen');
  return c.html(
    <FormPage
      token={token}
      {...page}
      removed={c.req.query('verwijderd') === '1'}
      notice={saved === 'concept' ? 'concept' : saved === 'verstuurd' ? 'verstuurd' : undefined}
    />,
  );
});

/** A person acted on the form page (static/viewed.ts): the real view, after a GET that a scanner may have made. */
formRoutes.post('/:token/bekeken', async (c) => {
  await recordFormView(c.get('deps'), c.req.param('token'));
  return c.body(null, 204);
});

/**
 * A draft or a submit. The body (already read by the body middleware) is parsed by the use-case
 * after the link and the deadline are checked, so a link that no longer opens says so first.
 */
formRoutes.post('/:token', async (c) => {
  const token = c.req.param('token');
  // `all`: a multi item's checkboxes share one name, so every ticked value must reach the use-case.
  const result = await saveForm(c.get('deps'), { token, body: await c.req.parseBody({ all: true }) });
  if (result.kind === 'saved') return c.redirect(`/f/${token}?opgeslagen=${result.status === 'ingediend' ? 'verstuurd' : 'concept'}`, 303);
  return c.html(<FormPage token={token} {...result.page} />, result.kind === 'invalid' ? 400 : 409);
});

formRoutes.route('/', formAttachmentRoutes);
