import * as z from 'zod';
import { ConfigError } from './errors.ts';
import { DEFAULT_RETENTION_YEARS, MAX_RETENTION_YEARS, MIN_RETENTION_YEARS } from './retention/limits.ts';

const Port = z.coerce.number().int().min(1).max(65535);

/** Runtime configuration: the one place that reads environment variables. */
export const ConfigSchema = z.object({
  PUBLIC_ORIGIN: z
    .url({ message: 'moet een volledige URL zijn, bijvoorbeeld https://werkplekleren.example.nl' })
    .transform((url) => new URL(url).origin)
    .default('http://localhost:3000'),
  TABLE_NAME: z.string().min(3).default('werkplekleren'),
  BUCKET_NAME: z.string().min(3).default('werkplekleren-bijlagen'),
  MAIL_FROM: z.email().default('werkplekleren@example.org'),
  MAIL_REPLY_TO: z.email().optional(),
  /** The SES configuration set every send names (AWS only): bounce and complaint events. */
  SES_CONFIGURATION_SET: z.string().min(1).optional(),
  NOW: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  LINK_SECRET: z.string().min(32, { message: 'moet minstens 32 tekens lang zijn' }).optional(),
  /** On AWS: the Secrets Manager secret that holds LINK_SECRET, read once at cold start (see functions/http/deps.ts). */
  LINK_SECRET_ARN: z.string().startsWith('arn:', { message: 'moet een ARN zijn (arn:aws:secretsmanager:...)' }).optional(),
  LINK_GRACE_DAYS: z.coerce.number().int().min(0).max(365).default(14),
  MAX_UPLOAD_MB: z.coerce.number().min(1).max(100).default(20),
  PORT: Port.default(3000),
  DYNAMODB_PORT: Port.default(8000),
  S3_PORT: Port.default(4568),
  SES_PORT: Port.default(8005),
  /** SES sends per second this process may make (the account's rate on AWS, shared per sender instance). */
  SES_RATE: z.coerce.number().positive().max(10_000).default(14),
  /** The SQS queue the digest planner fans out to (AWS only; locally an in-process queue). */
  DIGEST_QUEUE_URL: z.url().optional(),
  /** Coordinators who may sign in and see everything: comma-separated addresses, stored lower-cased. */
  ADMIN_EMAILS: z
    .string()
    .default('')
    .transform((value) => value.split(',').map((email) => email.trim().toLowerCase()).filter((email) => email !== ''))
    .pipe(z.array(z.email({ message: 'moet een lijst e-mailadressen zijn, gescheiden door komma\'s' }))),
  /** A staff session ends after this many minutes without a request. */
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(120),
  /** A staff session ends this many hours after sign-in, whatever happens. */
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(7 * 24).default(12),
  /** Seconds a process uses the published forms and school years it loaded before it reloads them (docs/year-content.md). */
  CONTENT_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  /** Whole school years a school year's data is kept after it ends (docs/retention.md). */
  RETENTION_YEARS: z.coerce
    .number()
    .int({ message: 'moet een heel aantal schooljaren zijn' })
    .min(MIN_RETENTION_YEARS, { message: `moet minstens ${MIN_RETENTION_YEARS} schooljaar zijn` })
    .max(MAX_RETENTION_YEARS, { message: `mag hoogstens ${MAX_RETENTION_YEARS} schooljaren zijn` })
    .default(DEFAULT_RETENTION_YEARS),
  AWS_REGION: z.string().default('eu-west-1'),
  AWS_ENDPOINT_URL_DYNAMODB: z.url().optional(),
  AWS_ENDPOINT_URL_S3: z.url().optional(),
  AWS_ENDPOINT_URL_SES: z.url().optional(),
});

/** Parsed configuration. */
export type Config = z.infer<typeof ConfigSchema>;

/**
 * Parses configuration from an environment record (process.env by default).
 * Throws a ConfigError naming every bad variable.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = ConfigSchema.safeParse(defined);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  return result.data;
}
