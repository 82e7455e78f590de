import { Hono, type Context } from 'hono';
import * as z from 'zod';
import { PARTICIPANT_ROLES } from '#shared/model/appointments.ts';
import { studentReportAttachment } from '#shared/usecases/appointment-reports.ts';
import { cancelAppointment, moveAppointment, openStudentAppointment, planGesprek, planLesbezoek, type PostedFields } from '#shared/usecases/appointments.ts';
import type { AppEnv } from '../env.ts';
import { AppointmentPage, type AppointmentNotice } from '../views/appointment-page.tsx';
import { StudentPage } from '../views/student-page.tsx';

/**
 * The student's lesbezoeken and driehoeksgesprekken (docs/workflow.md, "Routes"), by their page
 * link, mounted at `/s` beside the student's own routes (the work is in
 * shared/usecases/appointments.ts):
 *
 * - `POST /s/<token>/lesbezoeken`, `POST /s/<token>/gesprekken`: plan (`bevestigd=ja` after a warning)
 * - `GET /s/<token>/afspraken/<id>`: the appointment, with move and cancel
 * - `POST /s/<token>/afspraken/<id>/verplaatsen`: move (`bevestigd=ja` after a warning)
 * - `POST /s/<token>/afspraken/<id>/annuleren`: cancel the whole, or `rol`'s part; `bevestigd=ja` after the question
 */
export const appointmentRoutes = new Hono<AppEnv>();

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * A posted form as the use-cases read it: every field's text (a file as empty text), a field sent
 * more than once (a checkbox group) as the list of its values. The body was read by `readForm`
 * (app.tsx); this reads the same parse with all values kept.
 */
const Posted = z
  .record(z.string(), z.unknown())
  .transform((body): PostedFields => Object.fromEntries(Object.entries(body).map(([name, value]) => [name, Array.isArray(value) ? value.map(text) : text(value)])));

/** The body of a form post, with every value of a repeated field. */
async function posted(c: Context<AppEnv>): Promise<PostedFields> {
  return Posted.parse(await c.req.parseBody({ all: true }));
}

appointmentRoutes.post('/:token/lesbezoeken', async (c) => {
  const token = c.req.param('token');
  const result = await planLesbezoek(c.get('deps'), { token, fields: await posted(c) });
  if (result.kind === 'planned') return c.redirect(`/s/${token}/afspraken/${result.appointment.appointmentId}?gepland=1`, 303);
  return c.html(<StudentPage {...result.page} token={token} planning={result.planning} />, result.kind === 'invalid' ? 400 : 200);
});

appointmentRoutes.post('/:token/gesprekken', async (c) => {
  const token = c.req.param('token');
  const result = await planGesprek(c.get('deps'), { token, fields: await posted(c) });
  if (result.kind === 'planned') return c.redirect(`/s/${token}/afspraken/${result.appointment.appointmentId}?gepland=1`, 303);
  return c.html(<StudentPage {...result.page} token={token} planning={result.planning} />, result.kind === 'invalid' ? 400 : 200);
});

/** The confirmation the appointment page shows, from the query a change redirects with. */
function noticeOf(query: (name: string) => string | undefined): AppointmentNotice | undefined {
  if (query('gepland') === '1') return { kind: 'gepland' };
  if (query('verplaatst') === '1') return { kind: 'verplaatst' };
  if (query('geannuleerd') === '1') return { kind: 'geannuleerd' };
  const role = z.enum(PARTICIPANT_ROLES).safeParse(query('afgemeld'));
  return role.success ? { kind: 'afgemeld', role: role.data } : undefined;
}

appointmentRoutes.get('/:token/afspraken/:id', async (c) => {
  const { token, id } = c.req.param();
  const page = await openStudentAppointment(c.get('deps'), { token, appointmentId: id });
  // The verslag's attachment with its scan verdict (read from S3 until it is final), as the participants' and staff pages show it.
  const reportAttachment = await studentReportAttachment(c.get('deps'), page.appointment);
  const notice = noticeOf((name) => c.req.query(name));
  return c.html(<AppointmentPage {...page} token={token} {...(notice ? { notice } : {})} reportNotice={c.req.query('verslag')} reportAttachment={reportAttachment} />);
});

appointmentRoutes.post('/:token/afspraken/:id/verplaatsen', async (c) => {
  const { token, id } = c.req.param();
  const result = await moveAppointment(c.get('deps'), { token, appointmentId: id, fields: await posted(c) });
  if (result.kind === 'moved') return c.redirect(`/s/${token}/afspraken/${id}${result.changed ? '?verplaatst=1' : ''}`, 303);
  return c.html(<AppointmentPage {...result.page} token={token} move={result.move} />, result.kind === 'invalid' ? 400 : 200);
});

appointmentRoutes.post('/:token/afspraken/:id/annuleren', async (c) => {
  const { token, id } = c.req.param();
  const fields = await posted(c);
  const one = (name: string) => {
    const value = fields[name];
    return typeof value === 'string' ? value : value?.at(-1);
  };
  const result = await cancelAppointment(c.get('deps'), { token, appointmentId: id, role: one('rol') || undefined, confirmed: one('bevestigd') === 'ja' });
  if (result.kind === 'confirm') return c.html(<AppointmentPage {...result.page} token={token} confirm={result.role ? { role: result.role } : {}} />);
  const query = result.whole ? '?geannuleerd=1' : result.role ? `?afgemeld=${result.role}` : '';
  return c.redirect(`/s/${token}/afspraken/${id}${query}`, 303);
});
