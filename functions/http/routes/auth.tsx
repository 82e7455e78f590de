import { Hono } from 'hono';
import type { MiddlewareHandler } from 'hono';
import * as z from 'zod';
import { Temporal } from 'temporal-polyfill';
import { DomainError } from '#shared/errors.ts';
import { isWellFormedToken } from '#shared/links.ts';
import { renderEmail } from '#shared/mail/templates.ts';
import { emailKey } from '#shared/roster/placement.ts';
import { maySignIn } from '#shared/auth/scope.ts';
import { SIGN_IN_VALID_MINUTES } from '#shared/auth/sign-in-store.ts';
import { Layout } from '#shared/web/layout.tsx';
import type { AppEnv } from '../env.ts';
import { signInLimits } from '../rate-limit.ts';
import { clearSessionCookie, ForbiddenError, sessionIdOf, setSessionCookie } from '../session.ts';
import { LinkGoneError } from '../links.ts';

/** Staff sign-in by emailed link, and sign-out. */
export const authRoutes = new Hono<AppEnv>();

/** The one answer to every well-formed sign-in request, known address or not. */
export const SIGN_IN_SENT =
  'Als dit adres bij ons bekend is, ontvangt u binnen enkele minuten een e-mail met een link om in te loggen.';

/** An unknown or tampered sign-in link. */
export class SignInLinkNotFoundError extends DomainError {
  constructor() {
    super('Deze inloglink is niet geldig. Controleer of u de hele link uit de e-mail heeft gebruikt, of vraag een nieuwe aan.', 404);
  }
}

/** A sign-in link that was used already or is older than ten minutes. */
export class SignInLinkGoneError extends LinkGoneError {
  constructor() {
    super('staff', `Deze inloglink werkt niet meer: hij is al gebruikt of ouder dan ${SIGN_IN_VALID_MINUTES} minuten. Vraag een nieuwe inloglink aan.`);
  }
}

const SignInForm = z.object({
  email: z.string().trim().max(320).pipe(z.email()),
});

authRoutes.use('/inloggen/*', async (c, next) => {
  c.header('Cache-Control', 'no-store');
  await next();
});

authRoutes.get('/inloggen', (c) => c.html(<SignInPage signedOut={c.req.query('uitgelogd') === '1'} />));

/**
 * How long a sign-in request takes at least, in milliseconds. A known address costs a write and
 * an email (a few hundred milliseconds with SES), an unknown one a single read: without a floor
 * the answer's timing would tell a visitor which addresses belong to staff. One second covers
 * SES's usual latency; a slower send still answers, and logs that the floor was passed.
 */
export const SIGN_IN_ANSWER_MS = 1000;

authRoutes.post('/inloggen', async (c) => {
  const started = performance.now();
  const parsed = SignInForm.safeParse(await c.req.parseBody());
  if (!parsed.success) return c.html(<SignInPage error="Vul een geldig e-mailadres in, bijvoorbeeld naam@hr.nl." />, 400);
  const deps = c.get('deps');
  await requestSignIn(deps, parsed.data.email);
  const floor = deps.signInAnswerMs ?? SIGN_IN_ANSWER_MS;
  const left = started + floor - performance.now();
  if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
  else if (floor > 0) console.warn(JSON.stringify({ level: 'warn', msg: 'sign-in took longer than its answer floor', ms: Math.round(floor - left) }));
  return c.html(<SignInPage sent />);
});

/** Emails a sign-in link if the address may sign in; says nothing either way (see {@link SIGN_IN_ANSWER_MS}). */
async function requestSignIn(deps: AppEnv['Variables']['deps'], entered: string): Promise<void> {
  const email = emailKey(entered);
  const memberships = await deps.placements.membershipsOf(email);
  if (maySignIn(email, memberships, deps.adminEmails)) {
    try {
      const limits = signInLimits(deps.signInRateLimits);
      // Elapsed real time, as for every rate limit: a demo's fixed clock (NOW) must not freeze the window.
      const elapsed = Temporal.Instant.fromEpochMilliseconds(limits.now());
      if (!(await deps.signIns.takeEmail(email, elapsed, { max: limits.perAddress, windowMs: limits.perAddressWindowMs }))) {
        console.warn(JSON.stringify({ level: 'warn', msg: 'sign-in email budget of an address spent; nothing sent' }));
        return;
      }
      const token = await deps.signIns.create(email, deps.clock.now());
      const url = `${deps.publicOrigin}/inloggen/${token}`;
      await deps.mailer.send(
        renderEmail({
          to: entered,
          subject: 'Inloggen bij Werkplekleren N2',
          greeting: 'Beste collega,',
          paragraphs: [
            `Met de link hieronder logt u in bij Werkplekleren N2. De link is ${SIGN_IN_VALID_MINUTES} minuten geldig en werkt maar één keer.`,
            'Heeft u niet om deze e-mail gevraagd? Dan kunt u hem negeren; er gebeurt niets.',
          ],
          action: { label: 'Inloggen', url },
          footer: 'U krijgt deze e-mail omdat iemand met uw e-mailadres heeft gevraagd om in te loggen bij Werkplekleren N2 van Hogeschool Rotterdam.',
        }),
      );
    } catch (error) {
      // The same answer either way: a failed write or email must not tell the visitor the address is known.
      console.error(JSON.stringify({ level: 'error', msg: 'sign-in link not sent', error: String((error as Error).name) }));
    }
  }
}

authRoutes.get('/inloggen/:token', async (c) => {
  const token = c.req.param('token');
  if (!isWellFormedToken(token)) throw new SignInLinkNotFoundError();
  const deps = c.get('deps');
  const found = await deps.signIns.peek(token, deps.clock.now());
  if (found === 'unknown') throw new SignInLinkNotFoundError();
  if (found === 'expired') throw new SignInLinkGoneError();
  return c.html(
    <Layout title="Inloggen">
      <h1>Inloggen</h1>
      <p>U logt in als {found.email}.</p>
      <form method="post" action={`/inloggen/${token}`}>
        <div class="actions">
          <button type="submit">Inloggen</button>
        </div>
      </form>
    </Layout>,
  );
});

authRoutes.post('/inloggen/:token', async (c) => {
  const token = c.req.param('token');
  if (!isWellFormedToken(token)) throw new SignInLinkNotFoundError();
  const deps = c.get('deps');
  const now = deps.clock.now();
  const spent = await deps.signIns.spend(token, now);
  if (!spent) throw new SignInLinkGoneError();
  // Roles may have changed in the ten minutes since the link was sent.
  if (!maySignIn(spent.email, await deps.placements.membershipsOf(spent.email), deps.adminEmails)) {
    throw new ForbiddenError('Dit e-mailadres heeft geen toegang (meer) tot het overzicht.');
  }
  // A new id at every sign-in: a session id planted before sign-in is worth nothing after it.
  const previous = sessionIdOf(c);
  if (previous) await deps.sessions.end(previous);
  setSessionCookie(c, await deps.sessions.create(spent.email, now));
  return c.redirect('/overzicht', 303);
});

authRoutes.post('/uitloggen', async (c) => {
  const id = sessionIdOf(c);
  if (id) await c.get('deps').sessions.end(id);
  clearSessionCookie(c);
  c.header('Cache-Control', 'no-store');
  return c.redirect('/inloggen?uitgelogd=1', 303);
});

function SignInPage(props: { sent?: boolean; signedOut?: boolean; error?: string }) {
  return (
    <Layout title="Inloggen">
      <h1>Inloggen voor opleiders</h1>
      {props.signedOut && (
        <p class="success" role="status">
          U bent uitgelogd.
        </p>
      )}
      {props.sent ? (
        <p class="success" role="status">
          {SIGN_IN_SENT}
        </p>
      ) : (
        <>
          <p>
            Instituutsopleiders, schoolopleiders en schoolcoördinatoren loggen in met een link per e-mail. Vul het e-mailadres in
            waarmee u in het rooster staat.
          </p>
          {props.error && (
            <p class="error" role="alert" id="fout-email">
              {props.error}
            </p>
          )}
          <form method="post" action="/inloggen" novalidate>
            <label for="email">E-mailadres</label>
            <input
              type="email"
              id="email"
              name="email"
              autocomplete="email"
              required
              aria-invalid={props.error ? 'true' : undefined}
              aria-describedby={props.error ? 'fout-email' : undefined}
            />
            <div class="actions">
              <button type="submit">Stuur mij een inloglink</button>
            </div>
          </form>
        </>
      )}
    </Layout>
  );
}
