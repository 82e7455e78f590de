/**
 * `npm run import -- FILE.csv [--aws]`: imports a roster CSV into the running local stack, or,
 * with --aws, into the table named by TABLE_NAME with the ordinary AWS credentials.
 */
import { readFile } from 'node:fs/promises';
import { DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { loadConfig } from '#shared/config.ts';
import { createAwsClients } from '#shared/store/clients.ts';
import { importRosterFile } from '#shared/roster/import.ts';
import { formatProblem } from '#shared/roster/parse.ts';
import { afterImport } from '#shared/usecases/welcome.ts';
import { resolveLinkSecret } from '#shared/secrets.ts';
import { buildDeps } from '#functions/http/deps.ts';
import { fileURLToPath } from 'node:url';
import { runCli, runningStackConfig, UsageError } from './local-config.ts';
import { LOCAL_CREDENTIALS } from './constants.ts';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));


async function main(args: string[]): Promise<number> {
  const toAws = args.includes('--aws');
  const file = args.find((arg) => !arg.startsWith('--'));
  if (!file) throw new UsageError('Gebruik: npm run import -- rooster.csv [--aws]');
  if (toAws && !process.env.TABLE_NAME) {
    throw new UsageError('Met --aws is TABLE_NAME verplicht: de naam van de tabel uit de uitvoer van cdk deploy.');
  }
  const base = loadConfig();
  const config = toAws
    ? await resolveLinkSecret(base)
    : await runningStackConfig(base, projectRoot);
  const clients = createAwsClients(config, toAws ? undefined : LOCAL_CREDENTIALS);

  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch {
    throw new UsageError(`Kan het bestand "${file}" niet lezen.`);
  }
  try {
    await clients.dynamodb.send(new DescribeTableCommand({ TableName: config.TABLE_NAME }));
  } catch (error) {
    if (error instanceof ResourceNotFoundException) throw new UsageError(`De tabel ${config.TABLE_NAME} bestaat niet.`);
    if (!toAws) throw new UsageError(`De lokale stack antwoordt niet op ${config.AWS_ENDPOINT_URL_DYNAMODB}: start eerst npm start.`);
    throw error;
  }

  if (!config.LINK_SECRET) {
    throw new UsageError(
      toAws
        ? 'Met --aws is LINK_SECRET_ARN (uit de uitvoer van cdk deploy) of LINK_SECRET nodig voor de links in de welkomstmails.'
        : `Geen link-geheim gevonden in ${base.DATA_DIR}: start eerst npm start.`,
    );
  }
  const deps = buildDeps(config, toAws ? undefined : LOCAL_CREDENTIALS);
  const result = await importRosterFile(bytes, {
    store: deps.placements,
    knownYears: deps.calendar.years.map((year) => year.id),
    at: deps.clock.now().toString(),
  });
  for (const note of result.notes) console.log(`Let op: ${note}`);
  if (!result.ok) {
    console.error(`Niets geïmporteerd: ${result.problems.length} ${result.problems.length === 1 ? 'probleem' : 'problemen'} in ${file}:`);
    for (const problem of result.problems) console.error(`  ${formatProblem(problem)}`);
    return 1;
  }
  const { created, updated, unchanged } = result.summary;
  console.log(`Geïmporteerd in ${config.TABLE_NAME}: ${created} nieuw, ${updated} gewijzigd, ${unchanged} ongewijzigd.`);
  const after = await afterImport(deps, result.placements);
  console.log(`Welkomstmails verstuurd: ${after.welcomed}; automatische aanvragen: ${after.autoRequests}.`);
  return 0;
}

runCli(main);
