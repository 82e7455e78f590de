import { describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/http/app.tsx';
import { getSchoolYear, schoolYears, type SchoolYear } from '../../../shared/calendar.ts';
import { fixedClock, parseInstant } from '../../../shared/clock.ts';
import { calendarCatalog } from '../../../shared/content/calendar-catalog.ts';
import { DomainError } from '../../../shared/errors.ts';
import { TASKS } from '../../../shared/tasks.ts';
import { offlineDeps } from '../../support/app.ts';

function appAt(now: string) {
  return createApp(offlineDeps(fixedClock(parseInstant(now))));
}

async function body(response: Response): Promise<string> {
  return (await response.text()).replace(/\s+/g, ' ');
}

describe('start page', () => {
  it('shows the current period and its deadline in Dutch', async () => {
    const response = await appAt('2025-11-10').request('/');

    expect(response.status).toBe(200);
    const text = await body(response);
    expect(text).toContain('Vandaag is het maandag 10 november 2025.');
    expect(text).toContain('periode 1 (OP1)');
    expect(text).toContain('Deadline student: <strong>woensdag 12 november 2025</strong>');
    expect(text).not.toContain('voorlopig');
  });

  it('marks the provisional school year and names the next period between periods', async () => {
    const text = await body(await appAt('2026-11-22T21:00').request('/'));

    expect(text).toContain('<strong>Voorlopig.</strong>');
    expect(text).toContain('nu is er geen onderwijsperiode');
    expect(text).toContain('periode 2 (OP2) van schooljaar 2026-2027 <span class="badge">voorlopig</span>');
    expect(text).toContain('vanaf maandag 23 november 2026');
  });

  it('answers a date outside every school year with "no school year", not an error', async () => {
    const response = await appAt('2031-03-01').request('/');

    expect(response.status).toBe(200);
    expect(await body(response)).toContain('Voor deze datum is geen schooljaar bekend.');
  });
});

describe('calendar page', () => {
  it('lists every school year with its periods and marks only 2026-2027 provisional', async () => {
    const text = await body(await appAt('2025-11-10').request('/kalender'));

    expect(text).toContain('Schooljaar 2024-2025');
    expect(text).toContain('Schooljaar 2025-2026 <span class="muted">(huidig)</span>');
    expect(text).toContain('Schooljaar 2026-2027 <span class="badge">voorlopig</span>');
    expect(text.match(/class="badge">voorlopig/g)).toHaveLength(1);
    expect(text).toContain('<td data-label="Deadline student">woensdag 4 februari 2026</td>');
    expect(text).toContain('<td data-label="Van">maandag 9 september 2024</td>');
  });
});

describe('derived dates and the calendar of the deps', () => {
  it('shows why a derived date was derived, after the date, and leaves a published date as it is', async () => {
    const text = await body(await appAt('2025-11-10').request('/kalender'));

    // 2024-2025: the seed names no deadline for OP1-OP3; OP4's is quoted.
    expect(text).toContain(
      '<td data-label="Deadline student">vrijdag 15 november 2024 <span class="muted">(afgeleid: De tekst noemt geen deadline per periode; de laatste dag van de periode is gebruikt)</span></td>',
    );
    expect(text).toContain('<td data-label="Deadline student">woensdag 4 juni 2025</td>');
    // 2026-2027: every date is 2025-2026 shifted by 52 weeks.
    expect(text).toContain('<td data-label="Deadline student">woensdag 3 februari 2027 <span class="muted">(afgeleid: Voorlopig: 2026-02-04 plus 52 weken)</span></td>');
  });

  it('names each year\'s stage start and stage days, the start marked when derived or unknown', async () => {
    const text = await body(await appAt('2025-11-10').request('/kalender'));

    expect(text).toContain('Start van de stage: maandag 26 augustus 2024. Stagedagen: maandag en woensdag.');
    expect(text).toContain('Start van de stage: nog niet bekend. Stagedagen: maandag en woensdag.');
  });

  it('marks a derived date of the current period on the start page too', async () => {
    const text = await body(await appAt('2025-12-01').request('/'));

    expect(text).toContain('periode 2 (OP2): van maandag 24 november 2025 <span class="muted">(afgeleid: ');
    expect(text).toContain('Deadline student: <strong>woensdag 4 februari 2026</strong>');
  });

  it('shows the school years of deps.calendar: a published year, and "voorlopig" where the calendar says so', async () => {
    const shipped = getSchoolYear('2025-2026')!;
    const published: SchoolYear = {
      ...shipped,
      id: '2027-2028',
      provisional: true,
      note: 'De Hogeschool publiceert de definitieve data in juni 2027.',
      start: '2027-08-02',
      end: '2028-07-28',
      placementStart: '2027-08-30',
      placementDays: ['dinsdag', 'donderdag'],
      sources: { ...shipped.sources, placementStart: { from: 'derived', reason: 'De maandag voor de eerste periode.' } },
      periods: shipped.periods.map((period) => ({
        ...period,
        start: period.start.replace('2025', '2027').replace('2026', '2028'),
        end: period.end.replace('2025', '2027').replace('2026', '2028'),
        deadline: period.deadline.replace('2025', '2027').replace('2026', '2028'),
      })),
    };
    const deps = { ...offlineDeps(fixedClock(parseInstant('2027-11-10'))), calendar: calendarCatalog([...schoolYears, published], TASKS) };

    const text = await body(await createApp(deps).request('/kalender'));

    expect(text).toContain('Schooljaar 2027-2028 <span class="badge">voorlopig</span> <span class="muted">(huidig)</span>');
    expect(text).toContain('<strong>Voorlopig.</strong> De Hogeschool publiceert de definitieve data in juni 2027.');
    expect(text).toContain('Start van de stage: maandag 30 augustus 2027 <span class="muted">(afgeleid: De maandag voor de eerste periode)</span>. Stagedagen: dinsdag en donderdag.');
    expect(text.match(/class="badge">voorlopig/g)).toHaveLength(2);
  });
});

describe('errors and headers', () => {
  it('answers an unknown path with a Dutch 404 page', async () => {
    const response = await appAt('2025-11-10').request('/bestaat-niet');

    expect(response.status).toBe(404);
    expect(await body(response)).toContain('Deze pagina bestaat niet.');
  });

  it('shows the message of a 4xx domain error and hides the internals of anything else', async () => {
    const app = appAt('2025-11-10');
    app.get('/domain', () => {
      throw new DomainError('Deze link is verlopen.', 410);
    });
    app.get('/crash', () => {
      throw new Error('secret table name werkplekleren-xyz');
    });

    const gone = await app.request('/domain');
    const crash = await app.request('/crash');

    expect(gone.status).toBe(410);
    expect(await body(gone)).toContain('Deze link is verlopen.');
    expect(crash.status).toBe(500);
    const crashText = await body(crash);
    expect(crashText).toContain('Er ging iets mis');
    expect(crashText).not.toContain('secret');
    expect(crashText).not.toContain('at ');
  });

  it('sends a same-origin referrer policy and a content security policy', async () => {
    const response = await appAt('2025-11-10').request('/');

    expect(response.headers.get('referrer-policy')).toBe('same-origin');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const hsts = response.headers.get('strict-transport-security') ?? '';
    expect(Number(hsts.match(/max-age=(\d+)/)?.[1])).toBeGreaterThanOrEqual(365 * 24 * 3600);
  });
});
