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
 * last value, as `parseBody()` gives it (the validator itself would hand the schema an array); see
 * {@link formSchema}. A route that answers a failure itself (its own page) calls `zValidator` with
 * `formSchema(schema)`. `query` keeps the first value of a key sent more than once, as
 * `c.req.query(key)` gives it.
 */
export function valid<Target extends keyof ValidationTargets, Schema extends z.ZodType>(target: Target, schema: Schema, fallback = INVALID_INPUT) {
  const parsed = target === 'form' ? formSchema(schema) : target === 'query' ? (z.preprocess(firstValues, schema) as unknown as Schema) : schema;
  return zValidator(target, parsed, (result) => {
    if (!result.success) throw new ValidationError(result.error.issues[0]?.message ?? fallback);
  });
}

/**
 * A form's schema that first keeps the last value of each field sent more than once (`parseBody()`'s
 * rule), so the schema sees one value per field, never an array.
 */
export function formSchema<Schema extends z.ZodType>(schema: Schema): Schema {
  return z.preprocess(lastValues, schema) as unknown as Schema;
}

/** A form's fields with the last value of each field sent more than once (`parseBody()`'s rule). */
function lastValues(form: unknown): unknown {
  if (typeof form !== 'object' || form === null) return form;
  return Object.fromEntries(Object.entries(form).map(([key, value]) => [key, Array.isArray(value) ? value.at(-1) : value]));
}

/** A query's keys with the first value of each key sent more than once (`c.req.query(key)`'s rule). */
function firstValues(query: unknown): unknown {
  if (typeof query !== 'object' || query === null) return query;
  return Object.fromEntries(Object.entries(query).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value]));
}
