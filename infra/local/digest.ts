/**
 * `npm run digest -- [--date YYYY-MM-DD] [--kind weekly|deadline] [--dry-run]`: runs a scheduled
 * digest against the running local stack (`npm start`) with the same planner and sender as on AWS;
 * an in-process queue stands in for SQS. The emails land in the local inbox. `--dry-run` prints who
 * would get what and sends (and claims) nothing. Without `--date`: today in Amsterdam.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatDutchDate } from '#shared/calendar.ts';
import { amsterdamDate, clockFromConfig, parseInstant } from '#shared/clock.ts';
import { loadConfig } from '#shared/config.ts';
import { plannerDeps } from '#shared/digest/deps.ts';
import { senderDeps } from '#shared/digest/sender-deps.ts';
import { planRun, type DigestKind } from '#shared/digest/planner.ts';
import { InProcessQueue } from '#shared/digest/queue.ts';
import { sendAll } from '#shared/digest/sender.ts';
import { createAwsClients } from '#shared/store/clients.ts';
import { ROLE_LABELS, type Role } from '#shared/tasks.ts';
import { allForms } from '#forms/index.ts';
import { liveContent } from '#shared/content/live.ts';
import { publishedContent } from '#shared/store/content.ts';
import { parseDateArgument, requireRunningTable, runCli, runningStackConfig, UsageError } from './local-config.ts';
import { LOCAL_CREDENTIALS } from './constants.ts';


const USAGE = 'Gebruik: npm run digest -- [--date JJJJ-MM-DD] [--kind weekly|deadline] [--dry-run]';
const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
/** The hour the schedules fire (Europe/Amsterdam). */
const SCHEDULE_TIME = '07:00';

async function main(args: string[]): Promise<number> {
  let options: { date?: string; kind?: string; 'dry-run'?: boolean };
  try {
    ({ values: options } = parseArgs({
      args,
      options: { date: { type: 'string' }, kind: { type: 'string' }, 'dry-run': { type: 'boolean' } },
      strict: true,
    }));
  } catch {
    throw new UsageError(USAGE);
  }
  const kind = (options.kind ?? 'weekly') as DigestKind;
  if (kind !== 'weekly' && kind !== 'deadline') throw new UsageError(`Onbekende soort "${options.kind}": kies weekly of deadline.\n${USAGE}`);
  const dryRun = options['dry-run'] === true;

  const base = loadConfig();
  const date = options.date ? parseDateArgument(options.date, USAGE) : amsterdamDate(clockFromConfig(base.NOW).now());
  const now = parseInstant(`${date.toString()}T${SCHEDULE_TIME}`);

  const config = await runningStackConfig(base, projectRoot);
  if (!config.LINK_SECRET) {
    throw new UsageError(`Geen link-geheim in ${join(resolve(projectRoot, base.DATA_DIR), 'link-secret')}: start eerst npm start (of zet LINK_SECRET).`);
  }
  const clients = createAwsClients(config, LOCAL_CREDENTIALS);
  await requireRunningTable(clients.dynamodb, config);

  const queue = new InProcessQueue();
  // The shipped forms and school years plus what was published, loaded once for this run.
  const content = liveContent({ forms: allForms }, publishedContent(clients.doc, config.TABLE_NAME));
  await content.refresh();
  const plan = await planRun({ now, kind }, plannerDeps(config, clients, queue, { forms: content.forms, calendar: content.calendar }));
  const label = `${kind === 'weekly' ? 'weekoverzicht' : 'deadline-herinnering'} van ${formatDutchDate(date)}`;
  if (plan.skipped) {
    console.log(`Niets te versturen voor het ${label}: ${plan.skipped}.`);
    return 0;
  }
  console.log(
    `${dryRun ? 'Proefdraai: ' : ''}${label}, schooljaar ${plan.schoolYear}, periode ${plan.period} (run ${plan.runKey}): ` +
      `${plan.recipients} ontvangers, ${plan.dynamoRequests} DynamoDB-verzoeken.`,
  );
  for (const problem of plan.invalid) console.log(`  Overgeslagen (geen geldig e-mailadres): "${problem.to}"`);
  for (const address of plan.undeliverable) console.log(`  Overgeslagen (onbestelbaar): ${address}`);

  if (dryRun) {
    for (const message of queue.messages) {
      console.log(`  ${message.to} (${message.roles.map(roleLabel).join(', ')}): ${message.subject}`);
    }
    console.log(
      `Zou versturen: ${queue.messages.length}, overgeslagen (onbestelbaar): ${plan.undeliverable.length}. Er is niets verstuurd.`,
    );
    return 0;
  }

  const abort = new AbortController();
  const stop = () => {
    console.log('\nStoppen na de e-mails die nu onderweg zijn…');
    abort.abort();
  };
  process.once('SIGINT', stop);
  const summary = await queue.drain((messages) =>
    sendAll(messages, senderDeps(config, clients), { concurrency: 4, signal: abort.signal }),
  );
  process.off('SIGINT', stop);

  for (const failure of summary.failed) console.error(`  Niet verstuurd: ${failure.to}: ${failure.error}`);
  const extra = [
    summary.inFlight > 0 ? `in behandeling bij een andere run: ${summary.inFlight}` : '',
    summary.failed.length > 0 ? `mislukt (later opnieuw): ${summary.failed.length}` : '',
    summary.notStarted > 0 ? `niet begonnen: ${summary.notStarted}` : '',
  ].filter(Boolean);
  console.log(
    `Verstuurd: ${summary.sent}, al eerder verstuurd: ${summary.alreadySent + summary.alreadyRejected}, ` +
      `geweigerd: ${summary.rejected}, overgeslagen (onbestelbaar): ${plan.undeliverable.length}` +
      (extra.length > 0 ? `, ${extra.join(', ')}` : ''),
  );
  return summary.failed.length > 0 || summary.notStarted > 0 ? 1 : 0;
}

function roleLabel(role: string): string {
  return ROLE_LABELS[role as Role] ?? role;
}

runCli(main);
