import { Hono } from 'hono';
import { openAppointmentLink, openAppointmentLinkAttachment } from '#shared/usecases/appointment-reports.ts';
import { attachmentResponse } from '../attachment-response.ts';
import type { AppEnv } from '../env.ts';
import { AppointmentLinkPage } from '../views/appointment-link-page.tsx';

/**
 * A participant's appointment link (mounted at `/a`, with the link pages' no-store and rate
 * limits): `GET /a/<token>`, the driehoeksgesprek and, once sent, its verslag; `GET /a/<token>/bijlage`,
 * the verslag's attachment (only clean, verified bytes). 404 for an unknown token, 410 when the
 * link no longer opens or the gesprek (or the participant's part) was cancelled.
 */
export const appointmentLinkRoutes = new Hono<AppEnv>();

appointmentLinkRoutes.get('/:token', async (c) => {
  const token = c.req.param('token');
  const page = await openAppointmentLink(c.get('deps'), { token });
  return c.html(<AppointmentLinkPage {...page} token={token} />);
});

appointmentLinkRoutes.get('/:token/bijlage', async (c) => attachmentResponse(c, () => openAppointmentLinkAttachment(c.get('deps'), { token: c.req.param('token'), record: c.req.method === 'GET' })));
