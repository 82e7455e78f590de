import { Hono } from 'hono';
import { html } from 'hono/html';
import { secureHeaders } from 'hono/secure-headers';
import type { Clock } from '#shared/clock.ts';
import { DomainError } from '#shared/errors.ts';
import { page } from '#shared/web/layout.ts';
import { calendarRoutes } from './routes/calendar.ts';

/** What the HTTP app needs from the outside world; built once per process. */
export interface AppDeps {
  clock: Clock;
  /** The origin every link in an email or page is built from; never the Host header. */
  publicOrigin: string;
}

/** Hono's context variables for this app. */
export type AppEnv = { Variables: { deps: AppDeps } };

/** Builds the Hono app. Knows nothing of Lambda or of the local server. */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(
    secureHeaders({
      referrerPolicy: 'same-origin',
      contentSecurityPolicy: { defaultSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], formAction: ["'self'"] },
    }),
  );
  app.use(async (c, next) => {
    c.set('deps', deps);
    await next();
  });

  app.get('/health', (c) => c.json({ ok: true }));
  app.route('/', calendarRoutes);

  app.notFound((c) =>
    c.html(page('Niet gevonden', html`<h1>Niet gevonden</h1><p>Deze pagina bestaat niet.</p><p><a href="/">Naar de startpagina</a></p>`), 404),
  );
  app.onError((error, c) => {
    if (error instanceof DomainError && error.expose) {
      return c.html(page('Er ging iets mis', html`<h1>Er ging iets mis</h1><p class="error">${error.message}</p>`), error.status as 400);
    }
    console.error(error);
    return c.html(
      page('Er ging iets mis', html`<h1>Er ging iets mis</h1><p>Probeer het later opnieuw. Blijft het misgaan, neem dan contact op met de schoolopleider.</p>`),
      500,
    );
  });
  return app;
}
