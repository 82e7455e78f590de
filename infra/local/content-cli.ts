/**
 * `npm run forms -- export|check|publish …` and `npm run schooljaar -- export|check|publish …`:
 * the forms (XLSForm) and school years as workbooks from the command line, with the same
 * use-cases as /beheer/formulieren and /beheer/schooljaren (docs/year-content.md). Against the
 * running local stack (`npm start`), or with --aws against the table and bucket named by
 * TABLE_NAME and BUCKET_NAME, with the credentials of the default chain.
 *
 * Exit codes: 0 done (a one-line summary), 1 refused (every problem on its own line, or why the
 * publication lost), 2 wrong usage or nothing to talk to.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DescribeTableCommand, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { allForms } from '#forms/index.ts';
import type { SchoolYear } from '#shared/calendar.ts';
import { clockFromConfig } from '#shared/clock.ts';
import { loadConfig, type Config } from '#shared/config.ts';
import { liveContent } from '#shared/content/live.ts';
import { NotFoundError } from '#shared/errors.ts';
import { logger } from '#shared/log.ts';
import { countOf } from '#shared/dutch.ts';
import { answerItems, type FormDefinition } from '#shared/forms/definition.ts';
import { AuditStore } from '#shared/store/audit.ts';
import { createAwsClients } from '#shared/store/clients.ts';
import { ContentConflictError, ContentStore } from '#shared/store/content.ts';
import {
  checkFormUpload,
  checkYearUpload,
  exportForm,
  exportYear,
  publishForm,
  publishYear,
  uploadForm,
  uploadYear,
  type ContentDeps,
} from '#shared/usecases/content.ts';
import { PERIODS, ROLES, type YearTasks } from '#shared/tasks.ts';
import { formatProblem, type SheetProblem } from '#shared/xlsx/workbook.ts';
import { requireRunningTable, runCli, UsageError, runningStackConfig } from './local-config.ts';
import { LOCAL_CREDENTIALS } from './constants.ts';

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));

type Subject = 'forms' | 'schooljaar';

const USAGE: Readonly<Record<Subject, string>> = {
  forms: [
    'Gebruik: npm run forms -- export <formulier-id> [--version N] <bestand.xlsx> [--aws]',
    '         npm run forms -- check <bestand.xlsx> [--aws]',
    '         npm run forms -- publish <bestand.xlsx> [--aws]',
  ].join('\n'),
  schooljaar: [
    'Gebruik: npm run schooljaar -- export <schooljaar, zoals 2025-2026> <bestand.xlsx> [--aws]',
    '         npm run schooljaar -- check <bestand.xlsx> [--aws]',
    '         npm run schooljaar -- publish <bestand.xlsx> [--aws]',
  ].join('\n'),
};

/** One parsed command line. */
type Command =
  | { subject: Subject; action: 'export'; id: string; version?: number; file: string; aws: boolean }
  | { subject: Subject; action: 'check' | 'publish'; file: string; aws: boolean };

/** The command line as a command, or a UsageError with the usage of that subject. */
function parseCommand(args: readonly string[]): Command {
  const [first, ...rest] = args;
  if (first !== 'forms' && first !== 'schooljaar') {
    throw new UsageError(`${USAGE.forms}\n${USAGE.schooljaar}`);
  }
  const subject: Subject = first;
  const usage = USAGE[subject];
  let values: { version?: string; aws?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      options: { version: { type: 'string' }, aws: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    }));
  } catch {
    throw new UsageError(usage);
  }
  const aws = values.aws === true;
  const [action, ...operands] = positionals;
  if (action === 'export') {
    if (operands.length !== 2) throw new UsageError(usage);
    if (values.version !== undefined && subject === 'schooljaar') {
      throw new UsageError(`Een schooljaar wordt uitgevoerd zoals het nu geldt; --version hoort bij npm run forms.\n${usage}`);
    }
    let version: number | undefined;
    if (values.version !== undefined) {
      version = /^\d+$/.test(values.version) ? Number(values.version) : Number.NaN;
      if (!Number.isSafeInteger(version) || version < 1) {
        throw new UsageError(`--version is een versienummer (1, 2, 3, ...), niet "${values.version}".\n${usage}`);
      }
    }
    const [id, file] = operands as [string, string];
    return { subject, action, id, ...(version === undefined ? {} : { version }), file, aws };
  }
  if (action === 'check' || action === 'publish') {
    if (operands.length !== 1 || values.version !== undefined) throw new UsageError(usage);
    return { subject, action, file: operands[0]!, aws };
  }
  throw new UsageError(usage);
}

/**
 * The configuration for the local stack, or for AWS with --aws: there the table and the bucket
 * must be named (the defaults are the local names, which would write somewhere unexpected).
 */
async function configFor(aws: boolean): Promise<Config> {
  if (aws) {
    // Whether they were set at all, not their (local) defaults: the one look past loadConfig, as import.ts does.
    const missing = ['TABLE_NAME', 'BUCKET_NAME'].filter((name) => !process.env[name]);
    if (missing.length > 0) {
      throw new UsageError(`Met --aws ${missing.length === 1 ? 'is' : 'zijn'} ${missing.join(' en ')} verplicht: de namen van de tabel en de bucket uit de uitvoer van cdk deploy.`);
    }
    return loadConfig();
  }
  return runningStackConfig(loadConfig(), projectRoot);
}

/**
 * What the content use-cases need, wired for one run: the live content reloads at every use-case
 * (expiry 0), so a check sees what was published a moment ago. No link secret: nothing here sends
 * a link.
 */
async function contentDeps(config: Config, aws: boolean): Promise<ContentDeps> {
  const clients = createAwsClients(config, aws ? undefined : LOCAL_CREDENTIALS);
  if (aws) {
    try {
      await clients.dynamodb.send(new DescribeTableCommand({ TableName: config.TABLE_NAME }));
    } catch (error) {
      if (error instanceof ResourceNotFoundException) throw new UsageError(`De tabel ${config.TABLE_NAME} bestaat niet.`);
      throw error;
    }
  } else {
    await requireRunningTable(clients.dynamodb, config);
  }
  const contentStore = new ContentStore(clients.doc, config.TABLE_NAME, clients.s3, config.BUCKET_NAME);
  const live = liveContent({ forms: allForms }, contentStore, { ttlMs: 0 });
  return {
    forms: live.forms,
    calendar: live.calendar,
    content: live,
    contentStore,
    audit: new AuditStore(clients.doc, config.TABLE_NAME),
    clock: clockFromConfig(config.NOW),
  };
}

/** Who publishes from the command line, as the audit log and the admin pages show it. */
function cliPublisher(): string {
  let name: string;
  try {
    name = userInfo().username;
  } catch {
    name = 'onbekend';
  }
  return `cli:${name}`.toLowerCase();
}

async function readWorkbookFile(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch {
    throw new UsageError(`Kan het bestand "${file}" niet lezen.`);
  }
}

/** Every problem on its own line, as the admin page lists them. */
function printProblems(file: string, problems: readonly SheetProblem[]): void {
  console.error(`Niet in orde: ${countOf(problems.length, 'probleem', 'problemen')} in ${file}; er is niets gepubliceerd.`);
  for (const problem of problems) console.error(`  ${formatProblem(problem)}`);
}

/** What a check found against the version that applies now: `fresh` for a new form or year, else the use-case's changes counted ("3 wijzigingen"). */
function changeCount(check: { nextVersion: number; changes: readonly string[] }, fresh: string): string {
  if (check.nextVersion === 1) return fresh;
  return check.changes.length === 0 ? 'geen wijzigingen' : countOf(check.changes.length, 'wijziging', 'wijzigingen');
}

/** "12 vragen in 4 onderdelen; 3 wijzigingen": the candidate's size and how many changes the check lists. */
function formSummary(check: { definition: FormDefinition; nextVersion: number; changes: readonly string[] }): string {
  const { definition } = check;
  return `${countOf(answerItems(definition).length, 'vraag', 'vragen')} in ${countOf(definition.sections.length, 'onderdeel', 'onderdelen')}; ${changeCount(check, 'nieuw formulier')}`;
}

async function forms(command: Command, deps: ContentDeps): Promise<number> {
  if (command.action === 'export') {
    let exported: { fileName: string; bytes: Uint8Array };
    try {
      exported = await exportForm(deps, { formId: command.id, ...(command.version === undefined ? {} : { version: command.version }) });
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      const versions = deps.forms.all.filter((def) => def.id === command.id).map((def) => def.version);
      const known = versions.length > 0
        ? `Versies: ${versions.join(', ')}.`
        : `Bekende formulieren: ${[...new Set(deps.forms.all.map((def) => def.id))].join(', ')}.`;
      console.error(`${error.message} ${known}`);
      return 1;
    }
    await writeFile(command.file, exported.bytes);
    const def = deps.forms.get(command.id, command.version)!;
    console.log(`Geschreven: ${command.file} (${def.title}, versie ${def.version}).`);
    return 0;
  }

  const bytes = await readWorkbookFile(command.file);
  if (command.action === 'check') {
    const check = await checkFormUpload(deps, { bytes });
    if (check.kind === 'invalid') {
      printProblems(command.file, check.problems);
      return 1;
    }
    console.log(`In orde: ${check.definition.title}, wordt versie ${check.nextVersion} (${formSummary(check)}).`);
    return 0;
  }

  const by = cliPublisher();
  const upload = await uploadForm(deps, { fileName: command.file, bytes, by });
  if (upload.kind === 'invalid') {
    printProblems(command.file, upload.problems);
    return 1;
  }
  try {
    const published = await publishForm(deps, { uploadId: upload.uploadId, by });
    console.log(`Gepubliceerd: ${upload.definition.title}, versie ${published.version} (${formSummary(upload)}), door ${by}.`);
    return 0;
  } catch (error) {
    if (!(error instanceof ContentConflictError || error instanceof NotFoundError)) throw error;
    console.error(`Niet gepubliceerd: ${error.message}`);
    return 1;
  }
}

/** "4 periodes, 42 taken; 3 wijzigingen": the candidate's size and how many changes the check lists. */
function yearSummary(check: { year: SchoolYear; tasks: YearTasks; nextVersion: number; changes: readonly string[] }): string {
  const tasks = ROLES.reduce((sum, role) => sum + PERIODS.reduce((n, period) => n + (check.tasks[role]?.[`OP${period}`]?.length ?? 0), 0), 0);
  return `${countOf(check.year.periods.length, 'periode', 'periodes')}, ${countOf(tasks, 'taak', 'taken')}; ${changeCount(check, 'nieuw schooljaar')}`;
}

async function schooljaar(command: Command, deps: ContentDeps): Promise<number> {
  if (command.action === 'export') {
    let exported: { fileName: string; bytes: Uint8Array };
    try {
      exported = await exportYear(deps, { yearId: command.id });
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      console.error(`${error.message} Bekende schooljaren: ${deps.calendar.years.map((year) => year.id).join(', ')}.`);
      return 1;
    }
    await writeFile(command.file, exported.bytes);
    const version = deps.content.stored.years.find((history) => history.yearId === command.id)?.versions.at(-1)?.version ?? 1;
    const status = deps.calendar.isProvisional(command.id) ? 'voorlopig' : 'definitief';
    console.log(`Geschreven: ${command.file} (schooljaar ${command.id}, ${status}, versie ${version}).`);
    return 0;
  }

  const bytes = await readWorkbookFile(command.file);
  if (command.action === 'check') {
    const check = await checkYearUpload(deps, { bytes });
    if (check.kind === 'invalid') {
      printProblems(command.file, check.problems);
      return 1;
    }
    console.log(`In orde: schooljaar ${check.year.id} (${status(check.year)}), wordt versie ${check.nextVersion} (${yearSummary(check)}).`);
    return 0;
  }

  const by = cliPublisher();
  const upload = await uploadYear(deps, { fileName: command.file, bytes, by });
  if (upload.kind === 'invalid') {
    printProblems(command.file, upload.problems);
    return 1;
  }
  try {
    const published = await publishYear(deps, { uploadId: upload.uploadId, by });
    console.log(`Gepubliceerd: schooljaar ${published.yearId} (${status(upload.year)}), versie ${published.version} (${yearSummary(upload)}), door ${by}.`);
    return 0;
  } catch (error) {
    if (!(error instanceof ContentConflictError || error instanceof NotFoundError)) throw error;
    console.error(`Niet gepubliceerd: ${error.message}`);
    return 1;
  }
}

const status = (year: Pick<SchoolYear, 'provisional'>): string => (year.provisional ? 'voorlopig' : 'definitief');

async function main(args: string[]): Promise<number> {
  const command = parseCommand(args);
  // A person reads this output: the use-cases' info lines (JSON, for CloudWatch) would hide the summary.
  logger.setLogLevel('WARN');
  const config = await configFor(command.aws);
  const deps = await contentDeps(config, command.aws);
  return command.subject === 'forms' ? forms(command, deps) : schooljaar(command, deps);
}

runCli(main);
