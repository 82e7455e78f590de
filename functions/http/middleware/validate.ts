import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import * as z from 'zod';
import { ValidationError } from '#shared/errors.ts';

/** The message of a failure whose schema names none (a schema should always name one, in Dutch). */
export const INVALID_INPUT = 'Wat er is verstuurd, kon niet worden verwerkt. Laad de pagina opnieuw en probeer het nog eens.';

/**
 * Parses one part of the request (`form`, `json`, `query`, `param`, ...) with a zod schema, through
 * `@hono/zod-validator`; the route reads the result with `c.req.valid(target)`. A failure throws a
 * `ValidationError` with the message of the first issue, so the schema carries the Dutch text
 * (`z.string({ error: 'Vul ...' })`) and `onError` renders the 400 page.
 *
 * `form` reads the body Hono already parsed (see readForm in body.ts). A field sent twice keeps its
 * last value, as `parseBody()` gives it (the validator itself would hand the schema an array).
 */
export function valid<Target extends keyof ValidationTargets, Schema extends z.ZodType>(target: Target, schema: Schema, fallback = INVALID_INPUT) {
  const parsed = target === 'form' ? (z.preprocess(lastValues, schema) as unknown as Schema) : schema;
  return zValidator(target, parsed, (result) => {
    if (!result.success) throw new ValidationError(result.error.issues[0]?.message ?? fallback);
  });
}

/** A form's fields with the last value of each field sent more than once (`parseBody()`'s rule). */
function lastValues(form: unknown): unknown {
  if (typeof form !== 'object' || form === null) return form;
  return Object.fromEntries(Object.entries(form).map(([key, value]) => [key, Array.isArray(value) ? value.at(-1) : value]));
}
