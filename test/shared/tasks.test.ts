import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import rawTasks from '../../shared/data/tasks.json' with { type: 'json' };
import {
  allTasks,
  FORM_IDS,
  isProvisional,
  parseTasks,
  PERIODS,
  ROLE_LABELS,
  ROLES,
  TASKS,
  tasksFor,
  taskYearIds,
  TasksDataError,
} from '../../shared/tasks.ts';
import type { Role } from '../../shared/tasks.ts';

const SEED_FILES = { '000': '000_7f2593751dbf3382.txt', '001': '001_8dd1f76f9eb2e0ab.txt' } as const;

/** SHA-256 of the seeds as received; guards the repo copies even where the originals are absent. */
const SEED_SHA256 = {
  '000': '1b73bf0a3b553ee2f4a651c3d9e2cc0776a2bc1da937fcbac5c24e02486a324e',
  '001': 'b710ac4eeb2eaa578c5dbbe39049ce51191b13c3e19b6a5cf08a25132a69a4e5',
} as const;

type SeedId = keyof typeof SEED_FILES;
const SEED_IDS = Object.keys(SEED_FILES) as SeedId[];

const repoSeedUrl = (seed: SeedId) => new URL(`../../shared/data/seeds/${SEED_FILES[seed]}`, import.meta.url);
// The originals sit beside the project (../shared/seeds from the project root) on the authoring machine.
const originalSeedUrl = (seed: SeedId) => new URL(`../../../shared/seeds/${SEED_FILES[seed]}`, import.meta.url);

/**
 * Makes a seed and a quote comparable: the seeds were extracted from documents, with bullets ("·"),
 * check marks ("✅"), curly quotes, doubled spaces and hard line breaks. Case is kept.
 */
function normalise(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[·•✅]/gu, ' ')
    .replace(/[‘’]/gu, "'")
    .replace(/[“”]/gu, '"')
    .replace(/\s+/gu, ' ')
    .trim();
}

const seedText: Record<SeedId, string> = {
  '000': normalise(readFileSync(repoSeedUrl('000'), 'utf8')),
  '001': normalise(readFileSync(repoSeedUrl('001'), 'utf8')),
};

const entries = allTasks();
const byYear = (yearId: string, role: Role, period: number) => tasksFor(yearId, role, period);
const mentions = (texts: string[], word: RegExp) => texts.some((text) => word.test(text));

describe('normalise', () => {
  it('matches a quote across a line break, a bullet and doubled spaces', () => {
    const seed = normalise('· Voert formele lesbezoeken uit.\n·  Voert,  na het\nlesbezoek');

    expect(seed.includes(normalise('Voert formele lesbezoeken uit. Voert, na het lesbezoek'))).toBe(true);
  });

  it('keeps case, so a quote with other capitals is not found', () => {
    expect(seedText['000'].includes(normalise('kennismaken: plan een kennismakingsgesprek'))).toBe(false);
  });
});

describe('seed texts', () => {
  it.each(SEED_IDS)('the repo copy of seed %s is the text as received', (seed) => {
    const copy = readFileSync(repoSeedUrl(seed));

    expect(createHash('sha256').update(copy).digest('hex')).toBe(SEED_SHA256[seed]);
  });

  it.for(SEED_IDS)('the repo copy of seed %s equals the original beside the project', (seed, { skip }) => {
    const original = originalSeedUrl(seed);
    // The originals exist only beside the project: elsewhere this reports as skipped, and the
    // hash test above still holds.
    if (!existsSync(original)) skip();

    expect(readFileSync(repoSeedUrl(seed)).equals(readFileSync(original))).toBe(true);
  });
});

describe('every task rests on its seed', () => {
  // Only seed sources have a text here to look in; a document a coordinator names does not.
  const seedSourced = entries.flatMap(({ task }) => ('seed' in task.source ? [{ id: task.id, source: task.source }] : []));

  it.each(seedSourced.map((entry) => [entry.id, entry] as const))('%s quotes its seed', (_id, { source }) => {
    const quote = normalise(source.quote);

    expect(quote.length).toBeGreaterThan(0);
    expect(seedText[source.seed]).toContain(quote);
  });
});

describe('tasks.json', () => {
  it('holds 2024-2025, 2025-2026 and a provisional 2026-2027', () => {
    expect(taskYearIds()).toEqual(['2024-2025', '2025-2026', '2026-2027']);
    expect(isProvisional('2026-2027')).toBe(true);
    expect(isProvisional('2025-2026')).toBe(false);
  });

  it.each(taskYearIds().flatMap((yearId) => ROLES.flatMap((role) => PERIODS.map((period) => [yearId, role, period] as const))))(
    '%s %s OP%i has at least one task',
    (yearId, role, period) => {
      expect(tasksFor(yearId, role, period).length).toBeGreaterThan(0);
    },
  );

  it('gives every task a unique id', () => {
    const ids = entries.map((entry) => entry.task.id);

    expect(new Set(ids).size).toBe(ids.length);
  });

  it('prefixes every id with its year, role and period', () => {
    for (const { yearId, role, period, task } of entries) {
      expect(task.id.startsWith(`${yearId}.${role}.op${period}.`)).toBe(true);
    }
  });

  it('refers only to known forms', () => {
    const known = new Set<string>(FORM_IDS);
    const used = entries.flatMap((entry) => entry.task.forms ?? []);

    expect(used.filter((form) => !known.has(form))).toEqual([]);
  });

  it('has a Dutch label for every role', () => {
    expect(ROLES.map((role) => ROLE_LABELS[role])).toEqual([
      'Student',
      'Werkplekbegeleider (WPB)',
      'Schoolopleider (SO)',
      'Instituutsopleider (IO)',
      'Schoolcoördinator (SCO)',
    ]);
  });
});

describe('faithfulness to the seeds', () => {
  it('asks the WPB for the advice in OP4 of 2025-2026', () => {
    const tasks = byYear('2025-2026', 'wpb', 4);

    expect(tasks.some((task) => task.forms?.includes('advies-wpb'))).toBe(true);
  });

  it('asks the WPB for "Advies WPB" and feedback on experiment WPP9 in OP3 of 2024-2025', () => {
    const tasks = byYear('2024-2025', 'wpb', 3);

    expect(tasks.some((task) => task.text.includes('Advies WPB') && task.forms?.includes('advies-wpb'))).toBe(true);
    expect(tasks.some((task) => task.forms?.includes('experiment-wpp9'))).toBe(true);
  });

  it('names the kijkwijzers didactiek, digitale didactiek, pedagogiek and experiment WPP7 for the WPB in OP1 of 2024-2025', () => {
    const tasks = byYear('2024-2025', 'wpb', 1);
    const forms = tasks.flatMap((task) => task.forms ?? []);
    const texts = tasks.map((task) => task.text);

    expect(forms).toEqual(
      expect.arrayContaining([
        'kijkwijzer-didactiek',
        'kijkwijzer-digitale-didactiek',
        'kijkwijzer-pedagogiek',
        'experiment-wpp7',
      ]),
    );
    expect(mentions(texts, /\bdigitale didactiek\b/)).toBe(true);
    expect(mentions(texts, /\bpedagogiek\b/)).toBe(true);
    expect(mentions(texts, /WPP7/)).toBe(true);
  });

  it('reminds the student in OP3 of 2025-2026 of all three kijkwijzer types', () => {
    const tasks = byYear('2025-2026', 'student', 3);
    const allThree = tasks.find(
      (task) => /\bpedagogiek\b/.test(task.text) && /\bdidactiek\b/.test(task.text) && /\bvakdidactiek\b/.test(task.text),
    );

    expect(allThree?.forms).toEqual(
      expect.arrayContaining(['kijkwijzer-pedagogiek', 'kijkwijzer-didactiek', 'kijkwijzer-vakdidactiek']),
    );
  });

  it('lets the student plan lesson visits and driehoeksgesprekken in every period of 2025-2026', () => {
    for (const period of PERIODS) {
      const texts = byYear('2025-2026', 'student', period).map((task) => task.text);

      expect(mentions(texts, /lesbezoek/) && mentions(texts, /driehoeksgesprek/)).toBe(true);
    }
  });

  it('ends 2025-2026 with the eindgesprek for student and IO, and the CGI in 2024-2025', () => {
    expect(mentions(byYear('2025-2026', 'student', 4).map((task) => task.text), /eindgesprek/)).toBe(true);
    expect(mentions(byYear('2025-2026', 'io', 4).map((task) => task.text), /eindgesprek/)).toBe(true);
    expect(mentions(byYear('2024-2025', 'io', 4).map((task) => task.text), /CGI/)).toBe(true);
    expect(mentions(byYear('2024-2025', 'so', 4).map((task) => task.text), /CGI/)).toBe(true);
  });

  it('has the SCO do the kick-off in OP1', () => {
    for (const yearId of ['2024-2025', '2025-2026']) {
      expect(mentions(byYear(yearId, 'sco', 1).map((task) => task.text), /kick-off/)).toBe(true);
    }
  });

  it('asks the SO, IO and SCO what to do at insufficient progress in every period of both seed years (seed 001)', () => {
    const quote = 'neemt de SO contact op met de IO en SCO. Gezamenlijk met de WPB worden vervolgacties besproken.';
    for (const yearId of ['2024-2025', '2025-2026']) {
      for (const role of ['so', 'io', 'sco'] as const) {
        for (const period of PERIODS) {
          const escalation = byYear(yearId, role, period).filter((task) => /onvoldoende voortgang/.test(task.text));

          expect(escalation, `${yearId} ${role} OP${period}`).toHaveLength(1);
          expect(escalation[0]!.source, `${yearId} ${role} OP${period}`).toMatchObject({ seed: '001' });
          expect(normalise(escalation[0]!.source.quote), `${yearId} ${role} OP${period}`).toContain(normalise(quote));
        }
      }
    }
  });

  it('tells the WPB in OP1 of both seed years that a sick student reports to the SO and to them', () => {
    for (const yearId of ['2024-2025', '2025-2026']) {
      const sick = byYear(yearId, 'wpb', 1).filter((task) => /ziek/.test(task.text));

      expect(sick.map((task) => task.source), yearId).toEqual([
        { seed: '001', quote: 'Afmelden bij ziekte gebeurt bij de schoolopleider en de werkplekbegeleider (indien aanwezig).' },
      ]);
    }
  });

  it('places the second driehoeksgesprek in OP2 or OP3 for the IO, as seed 000 does', () => {
    const [task] = byYear('2025-2026', 'io', 2).filter((t) => /tweede driehoeksgesprek/.test(t.text));

    expect(task?.text).toMatch(/in OP2 of OP3/);
    expect(task?.source.quote).toMatch(/in OP 2 of 3$/);
  });

  it('gives 2024-2025 the checklist before the stage starts (intake, inschrijving, rondleiding, verzuim), and 2025-2026 none: seed 000 does not name it', () => {
    const short = (yearId: string, role: Role) => byYear(yearId, role, 1).map((task) => task.id.split('.').at(-1));

    expect(short('2024-2025', 'so')).toEqual(expect.arrayContaining(['intake', 'inschrijven', 'rondleiding', 'verzuim']));
    expect(short('2024-2025', 'student')).toEqual(expect.arrayContaining(['intake', 'inschrijven', 'rondleiding', 'verzuim']));
    expect(short('2024-2025', 'wpb')).toEqual(expect.arrayContaining(['intake']));
    for (const role of ROLES) {
      expect(short('2025-2026', role).filter((name) => ['intake', 'inschrijven', 'rondleiding', 'verzuim'].includes(name!)), role).toEqual([]);
    }
    expect(seedText['000']).not.toMatch(/intake|rondleiding|inschrijv|verzuim|ziek/);
  });

  it('gives 2026-2027 the tasks of 2025-2026 under its own ids', () => {
    for (const role of ROLES) {
      for (const period of PERIODS) {
        const provisional = tasksFor('2026-2027', role, period);
        const source = tasksFor('2025-2026', role, period);

        expect(provisional.map((task) => task.id)).toEqual(source.map((task) => task.id.replace(/^2025-2026\./, '2026-2027.')));
        expect(provisional.map(({ id: _id, ...rest }) => rest)).toEqual(source.map(({ id: _id, ...rest }) => rest));
      }
    }
  });
});

describe('tasksFor', () => {
  it('returns an empty list for a school year that is not in the data', () => {
    expect(tasksFor('2030-2031', 'wpb', 1)).toEqual([]);
  });

  it('rejects a period outside 1-4', () => {
    expect(() => tasksFor('2025-2026', 'wpb', 5)).toThrow(RangeError);
  });

  it('returns copies, so changing a result leaves the data alone', () => {
    const [first] = tasksFor('2025-2026', 'wpb', 1);
    if (first === undefined) throw new Error('expected a task');
    const { text, source } = structuredClone(first);
    first.text = 'gewijzigd';
    first.source.quote = 'gewijzigd';

    expect(tasksFor('2025-2026', 'wpb', 1)[0]).toMatchObject({ text, source: { quote: source.quote } });
    expect(TASKS.years['2025-2026']?.wpb?.OP1[0]).toMatchObject({ text, source: { quote: source.quote } });
    expect(text).not.toBe('gewijzigd');
  });
});

describe('parseTasks', () => {
  const task = (id: string) => ({ id, text: 'Doe iets.', source: { seed: '000', quote: 'Stagedag' } });
  const roleTasks = (yearId: string, role: string) =>
    Object.fromEntries(PERIODS.map((period) => [`OP${period}`, [task(`${yearId}.${role}.op${period}.iets`)]]));
  const validYear = (yearId: string) => Object.fromEntries(ROLES.map((role) => [role, roleTasks(yearId, role)]));
  const candidate = (year: Record<string, unknown>) => ({ years: { '2025-2026': year } });

  it('accepts the tasks file itself', () => {
    expect(parseTasks(rawTasks)).toEqual(TASKS);
  });

  it('accepts a minimal valid candidate', () => {
    expect(() => parseTasks(candidate(validYear('2025-2026')))).not.toThrow();
  });

  it('rejects an unknown role', () => {
    const year = { ...validYear('2025-2026'), mentor: roleTasks('2025-2026', 'mentor') };

    expect(() => parseTasks(candidate(year))).toThrow(TasksDataError);
    expect(() => parseTasks(candidate(year))).toThrow(/mentor/);
  });

  it('rejects a period 5', () => {
    const year = validYear('2025-2026');
    const wpb = { ...roleTasks('2025-2026', 'wpb'), OP5: [task('2025-2026.wpb.op5.iets')] };

    expect(() => parseTasks(candidate({ ...year, wpb }))).toThrow(/OP5/);
  });

  it('rejects an empty text and names where it is', () => {
    const year = validYear('2025-2026');
    const wpb = { ...roleTasks('2025-2026', 'wpb'), OP1: [{ ...task('2025-2026.wpb.op1.iets'), text: '  ' }] };

    expect(() => parseTasks(candidate({ ...year, wpb }))).toThrow(/years\.2025-2026\.wpb\.OP1\[0\]\.text: text must not be empty/);
  });

  it('rejects a period without tasks', () => {
    const year = validYear('2025-2026');
    const io = { ...roleTasks('2025-2026', 'io'), OP2: [] };

    expect(() => parseTasks(candidate({ ...year, io }))).toThrow(/at least one task/);
  });

  it('rejects a missing role', () => {
    const year = validYear('2025-2026');
    delete year['sco'];

    expect(() => parseTasks(candidate(year))).toThrow(/sco: missing/);
  });

  it('rejects an unknown form', () => {
    const year = validYear('2025-2026');
    const wpb = { ...roleTasks('2025-2026', 'wpb'), OP1: [{ ...task('2025-2026.wpb.op1.iets'), forms: ['kijkwijzer-muziek'] }] };

    expect(() => parseTasks(candidate({ ...year, wpb }))).toThrow(/form must be one of/);
  });

  it('rejects an id that does not match its year, role and period', () => {
    const year = validYear('2025-2026');
    const wpb = { ...roleTasks('2025-2026', 'wpb'), OP2: [task('2025-2026.wpb.op1.iets-anders')] };

    expect(() => parseTasks(candidate({ ...year, wpb }))).toThrow(/must start with "2025-2026\.wpb\.op2\."/);
  });

  it('rejects a duplicate id', () => {
    const year = validYear('2025-2026');
    const wpb = { ...roleTasks('2025-2026', 'wpb'), OP1: [task('2025-2026.wpb.op1.iets'), task('2025-2026.wpb.op1.iets')] };

    expect(() => parseTasks(candidate({ ...year, wpb }))).toThrow(/used more than once/);
  });

  it('rejects sameAs a year that is not in the file', () => {
    const json = { years: { '2025-2026': validYear('2025-2026'), '2026-2027': { sameAs: '2024-2025' } } };

    expect(() => parseTasks(json)).toThrow(/2024-2025 is not in the file/);
  });

  it('rejects a year with both sameAs and its own tasks', () => {
    const json = {
      years: { '2025-2026': validYear('2025-2026'), '2026-2027': { sameAs: '2025-2026', wpb: roleTasks('2026-2027', 'wpb') } },
    };

    expect(() => parseTasks(json)).toThrow(/remove "wpb" or remove sameAs/);
  });

  it('rejects an unknown seed', () => {
    const year = validYear('2025-2026');
    const wpb = {
      ...roleTasks('2025-2026', 'wpb'),
      OP1: [{ ...task('2025-2026.wpb.op1.iets'), source: { seed: '002', quote: 'iets' } }],
    };

    expect(() => parseTasks(candidate({ ...year, wpb }))).toThrow(/seed must be one of 000, 001/);
  });
});
