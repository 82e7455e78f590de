import { Hono } from 'hono';
import { openStaffAppointment, openStaffReportAttachment } from '#shared/usecases/appointment-reports.ts';
import { attachmentResponse } from '../attachment-response.ts';
import type { AppEnv } from '../env.ts';
import { requireStaff } from '../middleware/session.ts';
import { StaffAppointmentPage } from '../views/overview-appointment.tsx';

/**
 * A student's appointment for signed-in staff in scope (mounted at `/overzicht` by staff.ts; 403
 * for a student outside the person's scope, 404 for an unknown one):
 *
 * - `GET /overzicht/afspraak/<year>/<nr>/<id>`: its facts and, once sent, the verslag
 * - `GET /overzicht/afspraak/<year>/<nr>/<id>/bijlage`: the sent verslag's attachment
 */
export const appointmentStaffRoutes = new Hono<AppEnv>();

appointmentStaffRoutes.use(requireStaff);

const path = '/afspraak/:year/:studentNumber/:id';

/** The appointment a path names, and who asks. */
function inputOf(c: { req: { param(): Record<string, string> }; get(key: 'staff'): AppEnv['Variables']['staff'] }) {
  const { year, studentNumber, id } = c.req.param();
  return { staff: c.get('staff')!, schoolYear: year!, studentNumber: studentNumber!, appointmentId: id! };
}

appointmentStaffRoutes.get(path, async (c) => {
  const page = await openStaffAppointment(c.get('deps'), inputOf(c));
  return c.html(<StaffAppointmentPage {...page} />);
});

appointmentStaffRoutes.get(`${path}/bijlage`, async (c) => attachmentResponse(c, () => openStaffReportAttachment(c.get('deps'), { ...inputOf(c), record: c.req.method === 'GET' })));
