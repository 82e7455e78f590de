/**
 * `npm start`: the whole service on one machine. Starts DynamoDB Local, s3rver and
 * aws-ses-v2-local, creates the table and bucket when missing, seeds the demo roster on the first
 * start, and serves the same Hono app that runs on Lambda.
 */
import { readFile, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { loadConfig } from '#shared/config.ts';
import { ConfigError } from '#shared/errors.ts';
import { createAwsClients } from '#shared/store/clients.ts';
import { ensureTable } from '#shared/store/table.ts';
import { ensureBucket } from '#shared/store/bucket.ts';
import { afterImport } from '#shared/usecases/welcome.ts';
import { schoolYearEnded } from '#shared/model/request-rules.ts';
import { importRosterFile } from '#shared/roster/import.ts';
import { formatProblem } from '#shared/roster/parse.ts';
import { createApp } from '#functions/http/app.tsx';
import { buildDeps } from '#functions/http/deps.ts';
import { localLinkSecret } from './local-config.ts';
import { assertPortFree, LOCAL_CREDENTIALS, PortBusyError, startLocalStack, type LocalStack } from './stack.ts';
import { MissingClamAvError } from './malware.ts';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const demoRoster = new URL('../../shared/data/demo-roster.csv', import.meta.url);

async function main(): Promise<void> {
  const fresh = process.argv.includes('--fresh');
  const base = loadConfig();
  const dataDir = resolve(projectRoot, base.DATA_DIR);
  await assertPortFree(base.PORT, 'app');
  if (fresh) await rm(dataDir, { recursive: true, force: true });

  const stack = await startLocalStack({
    ports: { dynamodb: base.DYNAMODB_PORT, s3: base.S3_PORT, ses: base.SES_PORT },
    dataDir,
  });
  let server: ReturnType<typeof serve> | undefined;
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStoppen…');
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  try {
    await run(stack, base.PORT, dataDir, (s) => (server = s));
  } catch (error) {
    await stack.stop();
    throw error;
  }
}

async function run(
  stack: LocalStack,
  port: number,
  dataDir: string,
  started: (server: ReturnType<typeof serve>) => void) {
  const config = loadConfig({
    ...process.env,
    // Locally the links in emails point at this very server, whatever PORT says.
    PUBLIC_ORIGIN: process.env.PUBLIC_ORIGIN ?? `http://localhost:${port}`,
    LINK_SECRET: process.env.LINK_SECRET ?? (await localLinkSecret(dataDir)),
    AWS_ENDPOINT_URL_DYNAMODB: stack.endpoints.dynamodb,
    AWS_ENDPOINT_URL_S3: stack.endpoints.s3,
    AWS_ENDPOINT_URL_SES: stack.endpoints.ses,
  });
  const clients = createAwsClients(config, LOCAL_CREDENTIALS);
  const firstStart = await ensureTable(clients.dynamodb, config.TABLE_NAME);
  await ensureBucket(clients.s3, config.BUCKET_NAME, config.PUBLIC_ORIGIN);
  const deps = buildDeps(config, LOCAL_CREDENTIALS);

  if (firstStart) {
    const result = await importRosterFile(await readFile(demoRoster), {
      store: deps.placements,
      knownYears: deps.calendar.years.map((year) => year.id),
      at: deps.clock.now().toString(),
    });
    if (!result.ok) throw new Error(`Demo roster invalid: ${result.problems.map(formatProblem).join('; ')}`);
    // The demo must make sense on any date: a student of a school year that has ended would get a
    // link that fails at once, so only students of years still running (or to come) are welcomed.
    const now = deps.clock.now();
    const years = deps.calendar.years;
    const running = result.placements.filter((p) => !schoolYearEnded(p.schoolYear, now, years));
    const ended = [...new Set(result.placements.filter((p) => schoolYearEnded(p.schoolYear, now, years)).map((p) => p.schoolYear))];
    const after = await afterImport(deps, running);
    console.log(
      `Demorooster (2025-2026 en 2026-2027) geladen: ${result.summary.created} plaatsingen; ${after.welcomed} welkomstmails en ${after.autoRequests} automatische aanvragen in de inbox.`,
    );
    if (ended.length > 0) {
      console.log(
        `Geen welkomstmail voor ${result.placements.length - running.length} studenten van schooljaar ${ended.join(' en ')}: dat schooljaar is voorbij. Zet de klok terug voor die demo, bijvoorbeeld NOW=2025-11-10 npm start -- --fresh.`,
      );
    }
  }

  const app = createApp(deps);
  await new Promise<void>((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve());
    server.once('error', reject);
    started(server);
  });

  console.log(`
Werkplekleren N2 draait lokaal${config.NOW ? ` (klok vast op ${config.NOW})` : ''}:
  App                 http://localhost:${port}
  Kalender            http://localhost:${port}/kalender
  Inloggen opleiders  http://localhost:${port}/inloggen   (IO, SO, SCO uit het rooster; link komt in de inbox)
  Inbox (e-mail)      ${stack.endpoints.ses}   (links naar "Mijn werkplekleren" en formulieren)
  DynamoDB Local      ${stack.endpoints.dynamodb}  (tabel ${config.TABLE_NAME})
  S3 (s3rver)         ${stack.endpoints.s3}  (bucket ${config.BUCKET_NAME})
  Virusscan (clamd)   ${stack.endpoints.clamd}  (ClamAV, alleen de EICAR-testhandtekening; tagt attachments/)
  Gegevens            ${dataDir}  (wissen: npm start -- --fresh)
Stoppen: Ctrl-C`);
}

main().catch((error: unknown) => {
  if (error instanceof PortBusyError || error instanceof ConfigError || error instanceof MissingClamAvError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
