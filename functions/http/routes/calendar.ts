import { Hono } from 'hono';
import { whereIs } from '#shared/calendar.ts';
import type { CalendarCatalog } from '#shared/content/calendar-catalog.ts';
import type { AppEnv } from '../env.ts';
import { calendarPage, startPage } from '../views/calendar.ts';

/** The start page (where in the school year are we?) and the calendar of every school year. */
export const calendarRoutes = new Hono<AppEnv>();

/** The ids of the provisional school years, for the views. */
function provisionalYears(calendar: CalendarCatalog): Set<string> {
  return new Set(calendar.years.filter((year) => calendar.isProvisional(year.id)).map((year) => year.id));
}

calendarRoutes.get('/', (c) => {
  const { clock, calendar } = c.get('deps');
  return c.html(startPage(whereIs(clock.now(), calendar.years), provisionalYears(calendar)));
});

calendarRoutes.get('/kalender', (c) => {
  const { clock, calendar } = c.get('deps');
  const years = calendar.years;
  const here = whereIs(clock.now(), years);
  return c.html(calendarPage(years, here.kind === 'none' ? undefined : here.year.id, provisionalYears(calendar)));
});
