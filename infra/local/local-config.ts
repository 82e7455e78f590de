import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DescribeTableCommand, ResourceNotFoundException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Temporal } from 'temporal-polyfill';
import type { Config } from '#shared/config.ts';
import { ConfigError } from '#shared/errors.ts';
import { LOCAL_HOST } from './constants.ts';

/**
 * The local link secret: made once by `npm start`, kept in the data folder so that links in the
 * local inbox keep working after a restart, and shared with `npm run import` and `npm run digest`.
 */
export async function localLinkSecret(dataDir: string, create = true): Promise<string | undefined> {
  const file = join(dataDir, 'link-secret');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    if (!create) return undefined;
    const secret = randomBytes(32).toString('base64url');
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, secret, { mode: 0o600 });
    return secret;
  }
}

/**
 * The configuration a command-line tool (`npm run import`, `npm run digest`) uses to talk to the
 * running local stack: its endpoints from the *_PORT variables, links to the local app, and the
 * link secret npm start made (never a new one: the running app could not open its links).
 */
export async function runningStackConfig(base: Config, projectRoot: string): Promise<Config> {
  return {
    ...base,
    PUBLIC_ORIGIN: process.env.PUBLIC_ORIGIN ? base.PUBLIC_ORIGIN : `http://localhost:${base.PORT}`,
    LINK_SECRET: base.LINK_SECRET ?? (await localLinkSecret(resolve(projectRoot, base.DATA_DIR), false)),
    AWS_ENDPOINT_URL_DYNAMODB: base.AWS_ENDPOINT_URL_DYNAMODB ?? `http://${LOCAL_HOST}:${base.DYNAMODB_PORT}`,
    AWS_ENDPOINT_URL_S3: base.AWS_ENDPOINT_URL_S3 ?? `http://${LOCAL_HOST}:${base.S3_PORT}`,
    AWS_ENDPOINT_URL_SES: base.AWS_ENDPOINT_URL_SES ?? `http://${LOCAL_HOST}:${base.SES_PORT}`,
  };
}

/** A mistake in how a command was called or in what it needs around it: one Dutch line, exit 2. */
export class UsageError extends Error {}

/** A `--date` argument as a date that exists (JJJJ-MM-DD), or a UsageError that shows the usage. */
export function parseDateArgument(value: string, usage: string): Temporal.PlainDate {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new UsageError(`"${value}" is geen datum als JJJJ-MM-DD.\n${usage}`);
  try {
    return Temporal.PlainDate.from(value, { overflow: 'reject' });
  } catch {
    throw new UsageError(`"${value}" is geen bestaande datum.`);
  }
}

/** Makes sure the local stack answers and has the table, or says to start it first. */
export async function requireRunningTable(dynamodb: DynamoDBClient, config: Pick<Config, 'TABLE_NAME' | 'AWS_ENDPOINT_URL_DYNAMODB'>): Promise<void> {
  try {
    await dynamodb.send(new DescribeTableCommand({ TableName: config.TABLE_NAME }));
  } catch (error) {
    if (error instanceof ResourceNotFoundException) throw new UsageError(`De tabel ${config.TABLE_NAME} bestaat niet: start eerst npm start.`);
    throw new UsageError(`De lokale stack antwoordt niet op ${config.AWS_ENDPOINT_URL_DYNAMODB}: start eerst npm start.`);
  }
}

/**
 * Runs a command-line tool's main: its number is the exit code; a UsageError or ConfigError prints
 * its one line, anything else its stack, and both exit 2.
 */
export function runCli(main: (args: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof UsageError || error instanceof ConfigError) console.error(error.message);
      else console.error(error);
      process.exit(2);
    },
  );
}
