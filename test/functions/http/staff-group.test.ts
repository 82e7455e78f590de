import { describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/http/app.tsx';
import { fixedClock, parseInstant } from '../../../shared/clock.ts';
import { offlineDeps } from '../../support/app.ts';

/**
 * The staff group is an app of its own, imported on the first staff request (app.tsx, staff.ts).
 * What a hostile or unlucky first visitor meets: the same answers as from any other route, before
 * and while the group loads.
 */
const ORIGIN = 'http://localhost:3000';
const newApp = () => createApp(offlineDeps(fixedClock(parseInstant('2025-11-10T09:00'))));

describe('the staff group, loaded on first use', () => {
  it('answers ten first requests at once alike: to the sign-in page, not cached, with the security headers', async () => {
    const app = newApp();
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => app.request(i % 2 === 0 ? '/overzicht' : '/beheer/rooster')));

    expect(answers.map((r) => r.status)).toEqual(Array(10).fill(303));
    for (const answer of answers) {
      expect(answer.headers.get('location')).toMatch(/^\/inloggen/);
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(answer.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('refuses a cross-site POST with the Dutch 403 before the group is loaded or any session is read', async () => {
    const response = await newApp().request('/overzicht/student/2025-2026/870001/wpb', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' },
      body: 'naam=X&email=x%40evil.example',
    });

    expect(response.status).toBe(403);
    expect(await response.text()).toContain('niet vanaf deze website verstuurd');
  });

  it('gives look-alike paths the Dutch 404, not the staff group', async () => {
    const app = newApp();
    for (const path of ['/overzichten', '/beheerder', '/OVERZICHT', '/%2Foverzicht', '/s/../overzicht%00']) {
      const response = await app.request(path);
      expect(response.status, path).toBe(404);
      expect(await response.text(), path).toContain('Deze pagina bestaat niet.');
    }
  });

  it('shows the Dutch 404 of the staff group itself for an unknown staff path, with a control character in it', async () => {
    const response = await newApp().request('/overzicht/%07onbekend', { headers: { Origin: ORIGIN } });

    // Without a session the group sends the visitor to sign in first, whatever the path.
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/^\/inloggen/);
  });
});
