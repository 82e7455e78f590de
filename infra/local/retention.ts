/**
 * `npm run retention -- [--date YYYY-MM-DD] [--years N] [--dry-run]`: runs the retention purge
 * against the running local stack (`npm start`) with the same code as the monthly function on
 * AWS: every school year whose retention has passed on that date is deleted. `--dry-run` only
 * counts. Without `--date`: today in Amsterdam; without `--years`: RETENTION_YEARS (2).
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { amsterdamDate, clockFromConfig, parseInstant } from '#shared/clock.ts';
import { loadConfig } from '#shared/config.ts';
import { MAX_RETENTION_YEARS, MIN_RETENTION_YEARS } from '#shared/retention/limits.ts';
import { purgeDate } from '#shared/retention/policy.ts';
import { purgeDueYears } from '#shared/retention/purge.ts';
import { formatDutchDate } from '#shared/calendar.ts';
import { createAwsClients } from '#shared/store/clients.ts';
import { parseDateArgument, requireRunningTable, runCli, runningStackConfig, UsageError } from './local-config.ts';
import { LOCAL_CREDENTIALS } from './constants.ts';

const USAGE = 'Gebruik: npm run retention -- [--date JJJJ-MM-DD] [--years N] [--dry-run]';
const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
/** The hour the monthly schedule fires (Europe/Amsterdam). */
const SCHEDULE_TIME = '03:00';

async function main(args: string[]): Promise<number> {
  let options: { date?: string; years?: string; 'dry-run'?: boolean };
  try {
    ({ values: options } = parseArgs({
      args,
      options: { date: { type: 'string' }, years: { type: 'string' }, 'dry-run': { type: 'boolean' } },
      strict: true,
    }));
  } catch {
    throw new UsageError(USAGE);
  }
  const base = loadConfig();
  const years = options.years === undefined ? base.RETENTION_YEARS : Number(options.years);
  if (!/^\d+$/.test(options.years ?? String(years)) || years < MIN_RETENTION_YEARS || years > MAX_RETENTION_YEARS) {
    throw new UsageError(`--years moet een heel aantal schooljaren zijn van ${MIN_RETENTION_YEARS} tot ${MAX_RETENTION_YEARS}, niet "${options.years}".\n${USAGE}`);
  }
  const dryRun = options['dry-run'] === true;
  const date = options.date ? parseDateArgument(options.date, USAGE) : amsterdamDate(clockFromConfig(base.NOW).now());
  const now = parseInstant(`${date.toString()}T${SCHEDULE_TIME}`);

  const config = await runningStackConfig(base, projectRoot);
  const clients = createAwsClients(config, LOCAL_CREDENTIALS);
  await requireRunningTable(clients.dynamodb, config);

  const purged = await purgeDueYears(now, years, { doc: clients.doc, s3: clients.s3, tableName: config.TABLE_NAME, bucketName: config.BUCKET_NAME }, { dryRun });
  const when = `op ${formatDutchDate(date)} met ${years} ${years === 1 ? 'schooljaar' : 'schooljaren'} bewaartermijn`;
  if (purged.length === 0) {
    console.log(`Niets te verwijderen ${when}.`);
    return 0;
  }
  for (const counts of purged) {
    const deadline = formatDutchDate(amsterdamDate(purgeDate(counts.schoolYear, years)));
    console.log(
      `${dryRun ? 'Zou verwijderen' : 'Verwijderd'}: schooljaar ${counts.schoolYear} (bewaard tot ${deadline}): ` +
        `${counts.placements} plaatsingen, ${counts.items} items, ${counts.memberships} rollen, ${counts.links} links, ` +
        `${counts.exportEvents} exportregels, ${counts.objects} bijlagen.`,
    );
  }
  if (dryRun) console.log(`Proefdraai ${when}: er is niets verwijderd.`);
  return 0;
}

runCli(main);
