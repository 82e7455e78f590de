import { Hono } from 'hono';
import { zValidator } from '@hono/zod-validator';
import * as z from 'zod';
import { peekSignInLink, requestSignIn, signOut, spendSignInLink } from '#shared/usecases/sign-in.ts';
import type { AppEnv } from '../env.ts';
import { clearSessionCookie, sessionIdOf, setSessionCookie } from '../middleware/session.ts';
import { formSchema } from '../middleware/validate.ts';
import { SignInLinkPage } from '../views/sign-in-link-page.tsx';
import { SignInPage } from '../views/sign-in-page.tsx';

/**
 * Staff sign-in by emailed link, and sign-out. The rate limit per client and the body limits are
 * set in app.tsx; the per-address email budget and the answer floor are in the use-case.
 */
export const authRoutes = new Hono<AppEnv>();

const INVALID_EMAIL = 'Vul een geldig e-mailadres in, bijvoorbeeld naam@hr.nl.';

const SignInForm = z.object({
  email: z.string().trim().max(320).pipe(z.email()),
});

authRoutes.use('/inloggen/*', async (c, next) => {
  c.header('Cache-Control', 'no-store');
  await next();
});

authRoutes.get('/inloggen', (c) => c.html(<SignInPage signedOut={c.req.query('uitgelogd') === '1'} />));

authRoutes.post(
  '/inloggen',
  // A refused address gets the form back with the message, not the generic error page. An address
  // sent twice counts with its last value, as everywhere (formSchema).
  zValidator('form', formSchema(SignInForm), (result, c) => {
    if (!result.success) return c.html(<SignInPage error={INVALID_EMAIL} />, 400);
  }),
  async (c) => {
    await requestSignIn(c.get('deps'), c.req.valid('form'));
    return c.html(<SignInPage sent />);
  },
);

authRoutes.get('/inloggen/:token', async (c) => {
  const token = c.req.param('token');
  const { email } = await peekSignInLink(c.get('deps'), { token });
  return c.html(<SignInLinkPage token={token} email={email} />);
});

authRoutes.post('/inloggen/:token', async (c) => {
  const { sessionId } = await spendSignInLink(c.get('deps'), { token: c.req.param('token'), previousSession: sessionIdOf(c) });
  setSessionCookie(c, sessionId);
  return c.redirect('/overzicht', 303);
});

authRoutes.post('/uitloggen', async (c) => {
  await signOut(c.get('deps'), { sessionId: sessionIdOf(c) });
  clearSessionCookie(c);
  c.header('Cache-Control', 'no-store');
  return c.redirect('/inloggen?uitgelogd=1', 303);
});
