import { describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/http/app.tsx';
import { fixedClock, parseInstant } from '../../../shared/clock.ts';
import { DomainError } from '../../../shared/errors.ts';
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
