import { Hono } from 'hono';
import { schoolYears, whereIs } from '#shared/calendar.ts';
import type { AppEnv } from '../env.ts';
import { calendarPage, startPage } from '../views/calendar.ts';

/** The start page (where in the school year are we?) and the calendar of every school year. */
export const calendarRoutes = new Hono<AppEnv>();

calendarRoutes.get('/', (c) => c.html(startPage(whereIs(c.get('deps').clock.now()))));

calendarRoutes.get('/kalender', (c) => {
  const here = whereIs(c.get('deps').clock.now());
  return c.html(calendarPage(schoolYears, here.kind === 'none' ? undefined : here.year.id));
});
