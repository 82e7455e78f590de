import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { DomainError, ValidationError } from '#shared/errors.ts';

/**
 * Request bodies are read per route, never globally: each POST route first gets its size limit
 * (`hono/body-limit`: a declared Content-Length above it is refused unread, an undeclared body is
 * counted as it streams in and dropped at the limit) and, on staff routes, only after the session
 * and the role are checked. Only then is a form body parsed, once; Hono keeps the parsed form, so
 * the route's own `parseBody()` reuses it.
 *
 * The first limit a request meets is its limit: a route's own limit, registered before a catch-all
 * such as `/f/*`, wins, and the catch-all then lets the request through untouched.
 */

/** The requests whose body limit is set already (see above). */
const limited = new WeakSet<Context>();

/** The largest body each kind of POST accepts, in bytes. */
export const BODY_LIMITS = {
  /**
   * A form save (`POST /f/<token>`), and any POST under `/f/` without a limit of its own. The longest answer set of any form (advies-wpb: five free
   * texts at 5,000 characters, each an `ë`, URL-encoded as six bytes) measured 150 kB; a third of
   * the limit, so a form may grow.
   */
  form: 512 * 1024,
  /** A student's request (`POST /s/<token>/aanvragen`: a class of 40 and a question of 1,000 characters), and any POST under `/s/`. */
  request: 16 * 1024,
  /** A verslag of a driehoeksgesprek (`POST /s/<token>/afspraken/<id>/verslag`, multipart): 5,000 characters and a file of at most 4 MB, posted through the app. */
  report: 4 * 1024 * 1024 + 64 * 1024,
  /** The JSON calls of the attachment script: a file name, a size and a type. */
  json: 8 * 1024,
  /** Sign-in and sign-out: an email address, or nothing. */
  signIn: 4 * 1024,
  /** The staff actions (remind, revoke, new link, replace the WPB, confirm a roster): a few short fields. */
  staffForm: 16 * 1024,
  /** The "bekeken" beacon: no body at all. */
  beacon: 1024,
} as const;

/** A body above its route's limit (413). */
export class PayloadTooLargeError extends DomainError {
  constructor(message: string) {
    super(message, 413);
  }
}

/** "512 kB", "2 MB": a limit as people read it. */
export function sizeLabel(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MB` : `${Math.round(bytes / 1024)} kB`;
}

/** Options of {@link limitBody} and {@link readForm}. */
export interface BodyOptions {
  /** The error for a body above the limit; by default a Dutch 413 naming the limit. */
  tooLarge?: () => DomainError;
  /** The Dutch message of the 400 for a body that cannot be read as a form. */
  unreadable?: string;
}

const defaultTooLarge = (maxBytes: number) => () =>
  new PayloadTooLargeError(
    `Wat er is verstuurd, is te groot om te verwerken (meer dan ${sizeLabel(maxBytes)}). Maak lange teksten korter of kies een kleiner bestand en probeer het opnieuw.`,
  );

/** The message of the 400 for a form body that cannot be read (a broken multipart body, a multipart type without a boundary). */
export const UNREADABLE_FORM = 'Het formulier kon niet worden gelezen. Open de pagina opnieuw via de link in uw e-mail en probeer het nog eens.';

/** The 400 for an unreadable body on the sign-in and staff pages (no emailed link to go back to). */
export const RELOAD_UNREADABLE = 'Het formulier kon niet worden gelezen. Laad de pagina opnieuw en probeer het nog eens.';

/** The 400 for an unreadable body on a student's page (students are addressed with "je"). */
export const STUDENT_UNREADABLE = 'Het formulier kon niet worden gelezen. Open je pagina opnieuw via de link in je e-mail en probeer het nog eens.';

/** Limits the body of the route to `maxBytes` without reading it (JSON routes parse it themselves). */
export function limitBody(maxBytes: number, options: BodyOptions = {}): MiddlewareHandler {
  const tooLarge = options.tooLarge ?? defaultTooLarge(maxBytes);
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw tooLarge();
    },
  });
  return async (c, next) => {
    if (limited.has(c)) return next();
    limited.add(c);
    return limit(c, next);
  };
}

/**
 * Limits the body to `maxBytes`, then parses it as a form once. A body that cannot be read is the
 * sender's fault: a Dutch 400, not a 500 from deep inside a route.
 */
export function readForm(maxBytes: number, options: BodyOptions = {}): MiddlewareHandler {
  const limit = limitBody(maxBytes, options);
  const unreadable = options.unreadable ?? UNREADABLE_FORM;
  return async (c, next) => {
    if (c.req.method !== 'POST' || limited.has(c)) return next();
    return limit(c, async () => {
      try {
        await c.req.parseBody();
      } catch {
        throw new ValidationError(unreadable);
      }
      await next();
    });
  };
}
