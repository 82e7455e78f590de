import * as z from 'zod';
import { DEFAULT_RETENTION_YEARS, MAX_RETENTION_YEARS, MIN_RETENTION_YEARS } from '#shared/retention/limits.ts';

/** Splits `-c adminEmails=a@x.nl,b@x.nl` (a string) into a list; cdk.json may also hold a JSON array. */
function commaSeparated(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** Reads `-c sesRate=14` (a string) as a number; cdk.json may also hold a number. */
function numeric(value: unknown): unknown {
  return typeof value === 'string' ? Number(value.trim() === '' ? Number.NaN : value) : value;
}

const retentionError = `must be a whole number of school years from ${MIN_RETENTION_YEARS} to ${MAX_RETENTION_YEARS} (how long a school year's data is kept after it ends)`;

const sesRateError = "must be a whole number of emails per second from 1 to 10000 (the SES account's maximum send rate)";

/**
 * The deploy-time configuration, read from CDK context (`cdk.json`, overridden with `-c key=value`).
 * Every emailed link is built from `publicOrigin`, so it must be an https origin and nothing more.
 */
export const InfraConfigSchema = z.object({
  publicOrigin: z
    .url({
      protocol: /^https$/,
      error: 'must be an https origin such as https://werkplekleren.example.nl',
    })
    .refine((value) => {
      const url = new URL(value);
      return url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '';
    }, 'must be an origin only, without path, query or fragment')
    .transform((value) => new URL(value).origin),
  mailFrom: z.email({ error: 'must be an email address such as werkplekleren@example.nl' }),
  mailReplyTo: z.email({ error: 'must be an email address' }).optional(),
  adminEmails: z.preprocess(
    commaSeparated,
    z.array(z.email({ error: 'must be a comma-separated list of email addresses' })).default([]),
  ),
  /**
   * The SES account's maximum send rate (emails per second, see the SES console's "Sending
   * statistics"). The digest sender's concurrency and each instance's rate derive from it, so the
   * sum stays under it. 14 is the lowest production rate SES grants.
   */
  sesRate: z
    .preprocess(numeric, z.int({ error: sesRateError }).min(1, { error: sesRateError }).max(10_000, { error: sesRateError }))
    .default(14),
  /**
   * How many whole school years a school year's data is kept after it ends (31 August): the
   * monthly purge deletes it on 1 September that many years later (docs/retention.md).
   */
  retentionYears: z
    .preprocess(
      numeric,
      z
        .int({ error: retentionError })
        .min(MIN_RETENTION_YEARS, { error: retentionError })
        .max(MAX_RETENTION_YEARS, { error: retentionError }),
    )
    .default(DEFAULT_RETENTION_YEARS),
  /** Where the alarms topic sends email; without it, subscribe to the topic yourself. */
  alarmEmail: z.email({ error: 'must be an email address' }).optional(),
});

/** Validated deploy-time configuration. */
export type InfraConfig = z.infer<typeof InfraConfigSchema>;

/** Thrown when the CDK context does not describe a deployable configuration. */
export class InfraConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InfraConfigError';
  }
}

/** Reads the value at a zod issue path, to show the operator what they actually passed. */
function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let current = raw;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/**
 * Validates raw context values. Throws an {@link InfraConfigError} whose single-line message names
 * every bad key and the value it had, so `cdk synth` fails before any template is written.
 */
export function parseInfraConfig(raw: Record<string, unknown>): InfraConfig {
  const result = InfraConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const key = issue.path.map(String).join('.') || '(context)';
    // JSON.stringify keeps a value with a newline on one line; undefined means "not set".
    const value = valueAt(raw, issue.path);
    const shown = value === undefined ? '(not set)' : JSON.stringify(value);
    return `${key} ${shown}: ${issue.message}`;
  });
  throw new InfraConfigError(`Invalid CDK context: ${problems.join('; ')}`);
}
