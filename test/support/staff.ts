import { expect } from 'vitest';
import type { Hono } from 'hono';
import type { AppEnv } from '../../functions/http/env.ts';
import { parseInstant, type Clock } from '../../shared/clock.ts';
import { Placement } from '../../shared/roster/placement.ts';
import { inboxOf } from './inbox.ts';
import { TEST_ORIGIN } from './app.ts';

/** A clock the test moves. */
export function movableClock(start: string): Clock & { set(value: string): void; advance(ms: number): void } {
  let now = parseInstant(start);
  return {
    now: () => now,
    set: (value) => (now = parseInstant(value)),
    advance: (ms) => (now = now.add({ milliseconds: ms })),
  };
}

/** A placement in 2025-2026 whose people's addresses end in `suffix`, with overrides. */
export function staffPlacement(studentNumber: string, suffix: string, overrides: Partial<Record<'school' | 'io' | 'so' | 'student' | 'wpb', unknown>> = {}) {
  return Placement.parse({
    schoolYear: '2025-2026',
    studentNumber,
    student: { name: 'Zoë de Vries', email: `zoe.${studentNumber}@student.example.nl` },
    vak: 'Nederlands',
    school: 'Wolfert van Borselen',
    wpb: { name: "Jan van 't Hek", email: `jan.${studentNumber}@wolfert.example.nl` },
    so: { name: 'Saskia Bakker', email: `so.${suffix}@wolfert.example.nl` },
    io: { name: 'Ivo Jansen', email: `io.${suffix}@hr.example.nl` },
    sco: { name: 'Fatima El Amrani', email: `sco.${suffix}@wolfert.example.nl` },
    ...overrides,
  });
}

/** Posts a form as our own pages do (Origin set), optionally with a session cookie. */
export function postForm(app: Hono<AppEnv>, path: string, fields: Record<string, string>, options: { origin?: string | null; cookie?: string; ip?: string } = {}) {
  const origin = options.origin === undefined ? TEST_ORIGIN : options.origin;
  return app.request(path, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      ...(origin ? { Origin: origin } : {}),
      ...(options.cookie ? { Cookie: `__Host-sessie=${options.cookie}` } : {}),
      ...(options.ip ? { 'X-Forwarded-For': options.ip } : {}),
    },
    body: new URLSearchParams(fields).toString(),
  });
}

/** GETs a path with a session cookie. */
export function getWithSession(app: Hono<AppEnv>, path: string, session: string) {
  return app.request(path, { headers: { Cookie: `__Host-sessie=${session}` } });
}

/** The sign-in token in the newest sign-in email of an address. */
export async function signInTokenFor(address: string): Promise<string> {
  const mail = (await inboxOf(address)).filter((m) => m.subject === 'Inloggen bij Werkplekleren N2').at(-1);
  const match = mail?.body.text?.match(/\/inloggen\/([A-Za-z0-9_-]{43})/);
  if (!match?.[1]) throw new Error(`no sign-in link for ${address}`);
  return match[1];
}

/** The session id a response sets, from its Set-Cookie header. */
export function sessionCookieOf(response: Response): string | undefined {
  return response.headers.get('set-cookie')?.match(/__Host-sessie=([A-Za-z0-9_-]{43})/)?.[1];
}

/** Signs in through the emailed link, as a person would; returns the session id. */
export async function signIn(app: Hono<AppEnv>, email: string): Promise<string> {
  const asked = await postForm(app, '/inloggen', { email });
  expect(asked.status).toBe(200);
  const token = await signInTokenFor(email);
  const response = await postForm(app, `/inloggen/${token}`, {});
  expect(response.status).toBe(303);
  const session = sessionCookieOf(response);
  if (!session) throw new Error('no session cookie');
  return session;
}
