import * as z from 'zod';
import data from './data/tasks.json' with { type: 'json' };

/**
 * Tasks per school year, role and period: the content of the periodic emails ("Deze periode: ...").
 * The data lives in `shared/data/tasks.json`, which non-programmers edit; it is validated here when
 * the module loads, and the tests hold every task against the seed text it quotes.
 */

/** The roles that receive tasks, in the order they are shown. */
export const ROLES = ['student', 'wpb', 'so', 'io', 'sco'] as const;

/** A role in werkplekleren N2. */
export type Role = (typeof ROLES)[number];

/** Dutch names of the roles, as users read them. */
export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  student: 'Student',
  wpb: 'Werkplekbegeleider (WPB)',
  so: 'Schoolopleider (SO)',
  io: 'Instituutsopleider (IO)',
  sco: 'Schoolcoördinator (SCO)',
};

/** The teaching periods (onderwijsperiodes) of a school year. */
export const PERIODS = [1, 2, 3, 4] as const;

/** A teaching period number. */
export type Period = (typeof PERIODS)[number];

/** Form ids a task may refer to (kijkwijzers, the WPB advice and the experiments of 2024-2025). */
export const FORM_IDS = [
  'kijkwijzer-pedagogiek',
  'kijkwijzer-didactiek',
  'kijkwijzer-vakdidactiek',
  'kijkwijzer-digitale-didactiek',
  'advies-wpb',
  'experiment-wpp7',
  'experiment-wpp9',
  'experiment-wpp10',
] as const;

/** A form id a task may refer to. */
export type FormId = (typeof FORM_IDS)[number];

/** The seed texts in `shared/data/seeds/` a task may quote: 000 (handbook 2025-2026), 001 (2024-2025). */
export const SEED_IDS = ['000', '001'] as const;

/** A seed text id. */
export type SeedId = (typeof SEED_IDS)[number];

/** How a period is written in the file: OP1-OP4 (onderwijsperiode). */
type PeriodKey = `OP${Period}`;

const periodKey = (period: Period): PeriodKey => `OP${period}`;

const YearIdSchema = z
  .string()
  .regex(/^\d{4}-\d{4}$/, 'a school year looks like 2025-2026')
  .refine((id) => Number(id.slice(5)) === Number(id.slice(0, 4)) + 1, {
    message: 'a school year spans two consecutive calendar years, like 2025-2026',
  });

/**
 * What a task rests on: a quote from a seed text (`{ seed, quote }`), or from a named document a
 * coordinator publishes (`{ document, quote }`). One object with both keys optional, so a bad seed
 * gets its own message rather than a union's "Invalid input"; the output is the exact variant.
 */
const TaskSourceSchema = z
  .strictObject({
    seed: z.enum(SEED_IDS, { message: `seed must be one of ${SEED_IDS.join(', ')}` }).optional(),
    document: z.string().trim().min(1, 'document must not be empty').optional(),
    quote: z.string().trim().min(1, 'quote must not be empty'),
  })
  .refine((source) => (source.seed === undefined) !== (source.document === undefined), {
    message: `a source names either a seed (${SEED_IDS.join(', ')}) or a document, not both`,
  })
  .transform(({ seed, document, quote }): { seed: SeedId; quote: string } | { document: string; quote: string } =>
    seed !== undefined ? { seed, quote } : { document: document ?? '', quote },
  );

const TaskSchema = z.strictObject({
  id: z
    .string()
    .regex(
      /^\d{4}-\d{4}\.[a-z]+\.op\d\.[a-z0-9]+(-[a-z0-9]+)*$/,
      'an id looks like 2025-2026.wpb.op1.kennismaken (lowercase letters, digits and hyphens)',
    ),
  text: z.string().trim().min(1, 'text must not be empty'),
  source: TaskSourceSchema,
  forms: z
    .array(z.enum(FORM_IDS, { message: `a form must be one of ${FORM_IDS.join(', ')}` }))
    .min(1, 'leave out forms rather than giving an empty list')
    .optional(),
});

/** One task for one role in one period, with the seed text it rests on. */
export type Task = z.infer<typeof TaskSchema>;

const TaskListSchema = z.array(TaskSchema).min(1, 'every period needs at least one task');

const RoleTasksSchema = z.strictObject({
  OP1: TaskListSchema,
  OP2: TaskListSchema,
  OP3: TaskListSchema,
  OP4: TaskListSchema,
});

/** The tasks of one school year (its five roles, or `sameAs` another year), without the file-wide id checks. */
export const YearSchema = z
  .strictObject({
    note: z.string().optional(),
    provisional: z.boolean().optional(),
    sameAs: YearIdSchema.optional(),
    student: RoleTasksSchema.optional(),
    wpb: RoleTasksSchema.optional(),
    so: RoleTasksSchema.optional(),
    io: RoleTasksSchema.optional(),
    sco: RoleTasksSchema.optional(),
  })
  .superRefine((year, ctx) => {
    for (const role of ROLES) {
      if (year.sameAs !== undefined && year[role] !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [role],
          message: `a year with sameAs takes all tasks from ${year.sameAs}; remove "${role}" or remove sameAs`,
        });
      }
      if (year.sameAs === undefined && year[role] === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [role],
          message: `missing: every role needs tasks in OP1-OP4 (or give the year a sameAs)`,
        });
      }
    }
  });

/** The tasks of one school year as written in the file: its own roles, or `sameAs` another year. */
export type YearTasks = z.infer<typeof YearSchema>;

const TaskFileSchema = z
  .strictObject({
    about: z.array(z.string()).optional(),
    years: z.record(YearIdSchema, YearSchema),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    for (const [yearId, year] of Object.entries(file.years)) {
      if (year.sameAs !== undefined) {
        const target = file.years[year.sameAs];
        if (year.sameAs === yearId) {
          ctx.addIssue({ code: 'custom', path: ['years', yearId, 'sameAs'], message: 'a year cannot be the same as itself' });
        } else if (target === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['years', yearId, 'sameAs'],
            message: `school year ${year.sameAs} is not in the file`,
          });
        } else if (target.sameAs !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['years', yearId, 'sameAs'],
            message: `${year.sameAs} itself refers to ${target.sameAs}; refer to a year with its own tasks`,
          });
        }
        continue;
      }
      for (const role of ROLES) {
        const roleTasks = year[role];
        if (roleTasks === undefined) continue;
        for (const period of PERIODS) {
          const key = periodKey(period);
          const prefix = `${yearId}.${role}.op${period}.`;
          roleTasks[key].forEach((task, index) => {
            const path = ['years', yearId, role, key, index, 'id'];
            if (!task.id.startsWith(prefix)) {
              ctx.addIssue({ code: 'custom', path, message: `id "${task.id}" must start with "${prefix}"` });
            }
            if (seen.has(task.id)) {
              ctx.addIssue({ code: 'custom', path, message: `id "${task.id}" is used more than once` });
            }
            seen.add(task.id);
          });
        }
      }
    }
  });

/** The whole tasks file, validated. */
export type TaskFile = z.infer<typeof TaskFileSchema>;

/** A task together with where it belongs; what {@link allTasks} lists. */
export interface TaskEntry {
  yearId: string;
  role: Role;
  period: Period;
  task: Task;
}

/** The tasks data is malformed; the message names every problem with its place in the file. */
export class TasksDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TasksDataError';
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${String(segment)}`))
    .join('');
}

/**
 * Validates tasks data (the parsed JSON of `shared/data/tasks.json`, or a candidate in a test).
 * Throws a {@link TasksDataError} listing every problem, each with its path in the file.
 */
export function parseTasks(json: unknown, sourceName = 'tasks data'): TaskFile {
  const result = TaskFileSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${formatPath(issue.path) || '(root)'}: ${issue.message}`);
    throw new TasksDataError(`Invalid ${sourceName}: ${problems.join('; ')}`);
  }
  return result.data;
}

/** The validated contents of `shared/data/tasks.json`; loading this module fails fast when it is malformed. */
export const TASKS: TaskFile = parseTasks(data, 'shared/data/tasks.json');

function copyTask(task: Task, id: string): Task {
  return {
    ...task,
    id,
    source: { ...task.source },
    ...(task.forms === undefined ? {} : { forms: [...task.forms] }),
  };
}

/** Resolves a year's tasks for one role and period, following `sameAs` and re-prefixing ids. */
function resolve(file: TaskFile, yearId: string, role: Role, period: Period): Task[] {
  const year = file.years[yearId];
  if (year === undefined) return [];
  const ownerId = year.sameAs ?? yearId;
  const tasks = file.years[ownerId]?.[role]?.[periodKey(period)] ?? [];
  // A year that copies another gets ids of its own, so ids stay unique across years.
  return tasks.map((task) => copyTask(task, `${yearId}${task.id.slice(ownerId.length)}`));
}

function assertPeriod(period: number): asserts period is Period {
  if (!(PERIODS as readonly number[]).includes(period)) {
    throw new RangeError(`period must be one of ${PERIODS.join(', ')}, got ${period}`);
  }
}

/**
 * The tasks of a role in a period of a school year (e.g. `tasksFor('2025-2026', 'wpb', 1)`), in file
 * order. A year that is `sameAs` another gets that year's tasks with ids prefixed by its own year.
 * Returns an empty array for a school year that is not in the data; callers decide what that means.
 * Throws a RangeError for a period other than 1-4.
 */
export function tasksFor(yearId: string, role: Role, period: number, file: TaskFile = TASKS): Task[] {
  assertPeriod(period);
  return resolve(file, yearId, role, period);
}

/** The school years that have tasks, in file order. */
export function taskYearIds(file: TaskFile = TASKS): string[] {
  return Object.keys(file.years);
}

/** Whether a school year's tasks are provisional (not yet based on its own handbook). */
export function isProvisional(yearId: string, file: TaskFile = TASKS): boolean {
  return file.years[yearId]?.provisional === true;
}

/** Every task of every year, role and period, with `sameAs` years resolved. */
export function allTasks(file: TaskFile = TASKS): TaskEntry[] {
  return taskYearIds(file).flatMap((yearId) =>
    ROLES.flatMap((role) =>
      PERIODS.flatMap((period) => resolve(file, yearId, role, period).map((task) => ({ yearId, role, period, task }))),
    ),
  );
}
