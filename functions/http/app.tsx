import { Hono } from 'hono';
import { html } from 'hono/html';
import { secureHeaders } from 'hono/secure-headers';
import type { AttachmentStore } from '#shared/attachments/store.ts';
import type { LinkStore } from '#shared/links.ts';
import type { RequestDeps } from '#shared/requests.ts';
import type { PlacementStore } from '#shared/store/placements.ts';
import { DomainError } from '#shared/errors.ts';
import { page } from '#shared/web/layout.tsx';
import { calendarRoutes } from './routes/calendar.ts';
import { studentRoutes } from './routes/student.tsx';
import { formRoutes } from './routes/form.tsx';
import { sameOrigin } from './same-origin.ts';
import { UPLOAD_JS } from './static/upload.ts';

/** What the HTTP app needs from the outside world; built once per process (see deps.ts). */
export interface AppDeps extends RequestDeps {
  placements: PlacementStore;
  links: LinkStore;
  attachments: AttachmentStore;
  /** Largest attachment accepted, in bytes. */
  maxUploadBytes: number;
  /** The origin browsers upload attachments to (S3), allowed in the CSP's connect-src. */
  uploadOrigin: string;
}

/** Hono's context variables for this app. */
export type AppEnv = { Variables: { deps: AppDeps } };

/** Builds the Hono app. Knows nothing of Lambda or of the local server. */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use(
    secureHeaders({
      referrerPolicy: 'same-origin',
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'", deps.uploadOrigin],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
      strictTransportSecurity: 'max-age=31536000; includeSubDomains',
      xFrameOptions: 'DENY',
    }),
  );
  app.use(async (c, next) => {
    c.set('deps', deps);
    await next();
  });

  app.use(sameOrigin(deps.publicOrigin));

  app.get('/health', (c) => c.json({ ok: true }));
  app.get('/static/upload.js', (c) => {
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(UPLOAD_JS);
  });
  app.route('/', calendarRoutes);
  app.route('/s', studentRoutes);
  app.route('/f', formRoutes);

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
