import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { ForbiddenError } from '#shared/auth/scope.ts';
import { DomainError } from '#shared/errors.ts';
import { resumeSession } from '#shared/usecases/sign-in.ts';
import type { AppEnv } from '../env.ts';

/** The session cookie: `__Host-` binds it to this origin (Secure, Path=/, no Domain). */
export const SESSION_COOKIE = '__Host-sessie';

/** What a session cookie's value looks like (43 base64url characters); others are not looked up. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** Sets the session cookie: Secure, HttpOnly, SameSite=Lax, for the absolute lifetime. */
export function setSessionCookie(c: Context<AppEnv>, id: string): void {
  setCookie(c, SESSION_COOKIE, id, {
    secure: true,
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    maxAge: c.get('deps').sessions.settings.absoluteHours * 3600,
  });
}

/** Clears the session cookie in the browser. */
export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { secure: true, path: '/' });
}

/** The session id the request's cookie carries, when it looks like one. */
export function sessionIdOf(c: Context<AppEnv>): string | undefined {
  const id = getCookie(c, SESSION_COOKIE);
  return id && SESSION_ID.test(id) ? id : undefined;
}

/**
 * Reads the session cookie, resumes the session (moving its idle deadline) and sets
 * `c.var.staff` with the person's scope from their role memberships. No session: `staff` stays
 * unset and the route decides (see {@link requireStaff}).
 */
export const loadSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  const sessionId = sessionIdOf(c);
  if (sessionId) {
    const staff = await resumeSession(c.get('deps'), { sessionId });
    if (staff) c.set('staff', staff);
  }
  await next();
};

/** A POST to a staff route without a (live) session: its body is never read. */
export class NotSignedInError extends DomainError {
  constructor() {
    super('U bent niet (meer) ingelogd, dus dit is niet verwerkt. Log opnieuw in via /inloggen en probeer het daarna nog eens.', 401);
  }
}

/**
 * Lets signed-in staff through. Without a session a page (GET, HEAD) goes to the sign-in page, and
 * anything else is a 401 before its body is read. Pages with it are private.
 */
export const requireStaff: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.get('staff')) {
    c.header('Cache-Control', 'no-store');
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') throw new NotSignedInError();
    return c.redirect('/inloggen', 303);
  }
  await next();
  c.header('Cache-Control', 'no-store');
};

/**
 * Lets coordinators (admins, from ADMIN_EMAILS) through; any other staff member gets a 403 before a
 * body is read. After {@link loadSession} and {@link requireStaff}: the `/beheer` pages.
 */
export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.get('staff')?.scope.admin) {
    throw new ForbiddenError('Alleen coördinatoren (beheerders) kunnen het rooster, de formulieren en de schooljaren beheren.');
  }
  await next();
};
