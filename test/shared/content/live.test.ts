import { afterEach, describe, expect, it, vi } from 'vitest';
import { allForms, getForm } from '../../../forms/index.ts';
import { schoolYears } from '../../../shared/calendar.ts';
import { liveContent, NOTHING_PUBLISHED, type ContentSource } from '../../../shared/content/live.ts';
import type { FormDefinition } from '../../../shared/forms/definition.ts';
import { logger } from '../../../shared/log.ts';
import type { StoredContent, StoredFormVersion, StoredYearVersion } from '../../../shared/store/content.ts';
import type { YearTasks } from '../../../shared/tasks.ts';
import { shiftedYear } from '../../support/content.ts';

const didactiek = getForm('kijkwijzer-didactiek')!;

/** Version 2 of the kijkwijzer didactiek: DID-1 reworded, DID-9 added, a new intro. */
function didactiekV2(): FormDefinition {
  const [first, ...rest] = didactiek.sections;
  return {
    ...didactiek,
    version: 2,
    intro: 'Let op de uitleg van Zoë en de opdrachten van Çelik.\nKijk ook naar de afsluiting.',
    sections: [
      {
        ...first!,
        items: [
          { ...first!.items[0]!, label: 'Geeft een heldere uitleg, met voorbeelden uit de klas van \'t Hoge Land' },
          ...first!.items.slice(1),
          { code: 'DID-9', label: 'Controleert of de leerlingen de uitleg begrepen hebben', type: 'scale', required: true },
        ],
      },
      ...rest,
    ],
  };
}

const meta = { publishedAt: '2026-05-04T08:00:00Z', publishedBy: 'coördinator@hr.nl', workbookKey: 'content/form/x/y.xlsx', fileName: 'didactiek.xlsx' };
const storedForm = (definition: FormDefinition): StoredFormVersion => ({ formId: definition.id, version: definition.version, definition, ...meta });
const storedYear = (year: StoredYearVersion['year'], tasks: YearTasks, version = 1): StoredYearVersion => ({ yearId: year.id, version, year, tasks, ...meta });
const published = (content: Partial<StoredContent>): StoredContent => ({ forms: [], years: [], ...content });

/** A source that hands out what it is given, counting its loads. */
class Source implements ContentSource {
  loads = 0;
  constructor(public content: StoredContent | Error) {}
  async loadAll(): Promise<StoredContent> {
    this.loads++;
    await new Promise((resolve) => setTimeout(resolve, 1));
    if (this.content instanceof Error) throw this.content;
    return this.content;
  }
}

afterEach(() => vi.restoreAllMocks());

describe('LiveContent: the shipped content plus what was published', () => {
  it('is the shipped content alone before its first refresh, and with nothing published', async () => {
    const live = liveContent({ forms: allForms }, NOTHING_PUBLISHED);
    const check = () => {
      expect(live.forms.all).toEqual(allForms);
      expect(live.forms.get('kijkwijzer-didactiek')).toEqual(didactiek);
      // The latest of each shipped form: the advice ships two versions (issue 14), the others one.
      const latestShipped = new Map(allForms.map((def) => [def.id, def.version]));
      for (const def of allForms) latestShipped.set(def.id, Math.max(latestShipped.get(def.id)!, def.version));
      expect(live.forms.latest().map((def) => `${def.id}@${def.version}`)).toEqual([...latestShipped].map(([id, version]) => `${id}@${version}`));
      expect(live.forms.latest().find((def) => def.id === 'advies-wpb')?.version).toBe(2);
      expect(live.calendar.years.map((year) => year.id)).toEqual(schoolYears.map((year) => year.id));
      expect(live.calendar.isProvisional('2026-2027')).toBe(true);
    };
    check();
    await live.refresh();
    check();
  });

  it('adds a published form version after the shipped ones: the latest for new requests, the old one still found by number', async () => {
    const v2 = didactiekV2();
    const live = liveContent({ forms: allForms }, new Source(published({ forms: [storedForm(v2)] })));

    await live.refresh();

    expect(live.forms.get('kijkwijzer-didactiek')).toEqual(v2);
    expect(live.forms.get('kijkwijzer-didactiek', 1)).toEqual(didactiek);
    expect(live.forms.get('kijkwijzer-didactiek', 3)).toBeUndefined();
    expect(live.forms.get('onbekend')).toBeUndefined();
    expect(live.forms.all.filter((def) => def.id === 'kijkwijzer-didactiek').map((def) => def.version)).toEqual([1, 2]);
    expect(live.forms.latest().find((def) => def.id === 'kijkwijzer-didactiek')?.version).toBe(2);
    expect(live.forms.latest()).toHaveLength(8);
    expect(live.forms.title('kijkwijzer-didactiek')).toBe('Kijkwijzer didactiek');
    expect(live.forms.reference('kijkwijzer-didactiek', { capital: true })).toBe('De kijkwijzer didactiek');
    expect(live.forms.title('onbekend')).toBe('onbekend');
    expect(live.stored.forms.map((form) => [form.formId, form.version, form.publishedBy])).toEqual([['kijkwijzer-didactiek', 2, 'coördinator@hr.nl']]);
  });

  it('adds a published school year in date order, with its tasks', async () => {
    const { year, tasks } = shiftedYear('2025-2026', '2027-2028');
    const student = tasks.student!;
    const own: YearTasks = { ...tasks, student: { ...student, OP1: [{ ...student.OP1[0]!, text: 'Plan het eerste gesprek met je WPB en Zoë.' }] } };
    const live = liveContent({ forms: allForms }, new Source(published({ years: [{ yearId: year.id, latest: storedYear(year, own), versions: [storedYear(year, own)] }] })));

    await live.refresh();

    expect(live.calendar.years.map((y) => y.id)).toEqual(['2024-2025', '2025-2026', '2026-2027', '2027-2028']);
    expect(live.calendar.tasksFor('2027-2028', 'student', 1).map((task) => task.text)).toEqual(['Plan het eerste gesprek met je WPB en Zoë.']);
    expect(live.calendar.tasksFor('2027-2028', 'wpb', 2)).toEqual(tasks.wpb!.OP2);
    expect(live.calendar.isProvisional('2027-2028')).toBe(false);
    expect(live.calendar.tasks.years['2027-2028']).toEqual(own);
  });

  it('replaces a shipped year by its published version, calendar and tasks, and a year that copied it keeps what it had', async () => {
    const before = liveContent({ forms: allForms }, NOTHING_PUBLISHED);
    const copiedBefore = before.calendar.tasksFor('2026-2027', 'wpb', 1);
    const { year, tasks } = shiftedYear('2025-2026', '2025-2026');
    const final = { ...year, periods: year.periods.map((p, i) => (i === 0 ? { ...p, deadline: '2025-11-13' } : p)) };
    const changed: YearTasks = { ...tasks, wpb: { ...tasks.wpb!, OP1: [{ ...tasks.wpb!.OP1[0]!, text: 'Nieuw: bespreek het lesplan met de student.' }] } };
    const live = liveContent({ forms: allForms }, new Source(published({ years: [{ yearId: '2025-2026', latest: storedYear(final, changed, 2), versions: [storedYear(final, changed, 2)] }] })));

    await live.refresh();

    expect(live.calendar.years.map((y) => y.id)).toEqual(['2024-2025', '2025-2026', '2026-2027']);
    expect(live.calendar.years[1]!.periods[0]!.deadline).toBe('2025-11-13');
    expect(live.calendar.tasksFor('2025-2026', 'wpb', 1).map((task) => task.text)).toEqual(['Nieuw: bespreek het lesplan met de student.']);
    // 2026-2027 took its tasks from the shipped 2025-2026 ("sameAs"): it keeps them, and stays provisional.
    expect(live.calendar.tasksFor('2026-2027', 'wpb', 1)).toEqual(copiedBefore);
    expect(live.calendar.isProvisional('2026-2027')).toBe(true);
  });

  it('reloads only when the snapshot is older than the expiry, or was invalidated', async () => {
    let now = 1_000_000;
    const source = new Source(published({}));
    const live = liveContent({ forms: allForms }, source, { ttlMs: 60_000, now: () => now });

    await live.refresh();
    now += 59_999;
    await live.refresh();
    expect(source.loads).toBe(1);

    source.content = published({ forms: [storedForm(didactiekV2())] });
    now += 1;
    await live.refresh();
    expect(source.loads).toBe(2);
    expect(live.forms.get('kijkwijzer-didactiek')?.version).toBe(2);

    live.invalidate();
    await live.refresh();
    expect(source.loads).toBe(3);
  });

  it('reloads at the next refresh, before the expiry, when asked for a version above the latest it knows (published elsewhere)', async () => {
    const source = new Source(published({}));
    const live = liveContent({ forms: allForms }, source, { ttlMs: 60_000, now: () => 0 });
    await live.refresh();
    source.content = published({ forms: [storedForm(didactiekV2())] });

    expect(live.forms.get('kijkwijzer-didactiek', 1)).toEqual(didactiek);
    await live.refresh();
    expect(source.loads).toBe(1);
    expect(live.forms.get('kijkwijzer-didactiek', 2)).toBeUndefined();
    await live.refresh();

    expect(source.loads).toBe(2);
    expect(live.forms.get('kijkwijzer-didactiek', 2)?.version).toBe(2);
  });

  it('reloads at once when forced, before the expiry, after letting a load under way finish (it may predate the publication)', async () => {
    let content = published({});
    let loads = 0;
    let release = () => {};
    const source: ContentSource = {
      loadAll: async () => {
        loads++;
        const seen = content;
        if (loads === 1) await new Promise<void>((resolve) => (release = resolve));
        return seen;
      },
    };
    const live = liveContent({ forms: allForms }, source, { ttlMs: 60_000, now: () => 0 });

    const first = live.refresh();
    content = published({ forms: [storedForm(didactiekV2())] });
    const forced = live.refresh({ force: true });
    release();
    await Promise.all([first, forced]);

    expect(loads).toBe(2);
    expect(live.forms.get('kijkwijzer-didactiek')?.version).toBe(2);
    await live.refresh();
    expect(loads).toBe(2);
    await live.refresh({ force: true });
    expect(loads).toBe(3);
  });

  it('reloads at every refresh with expiry 0, and refreshes at the same moment share one load', async () => {
    const source = new Source(published({}));
    const live = liveContent({ forms: allForms }, source, { ttlMs: 0 });

    await Promise.all([live.refresh(), live.refresh(), live.refresh()]);
    expect(source.loads).toBe(1);
    await live.refresh();
    expect(source.loads).toBe(2);
  });

  it('keeps what it had when a load fails, logs it, and tries again only after the expiry', async () => {
    const errors = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    let now = 0;
    const source = new Source(published({ forms: [storedForm(didactiekV2())] }));
    const live = liveContent({ forms: allForms }, source, { ttlMs: 60_000, now: () => now });
    await live.refresh();

    source.content = Object.assign(new Error('DynamoDB is weg'), { name: 'ServiceUnavailable' });
    now += 60_000;
    await expect(live.refresh()).resolves.toBeUndefined();
    await live.refresh();

    expect(live.forms.get('kijkwijzer-didactiek')?.version).toBe(2);
    expect(source.loads).toBe(2);
    expect(errors).toHaveBeenCalledWith('published content not loaded; the previous content stays', { error: 'ServiceUnavailable' });
  });

  it('lets a published version with a shipped number win, and says so in the log', async () => {
    const warnings = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    const replaced = { ...didactiek, intro: 'Een gecorrigeerde inleiding.' };
    const live = liveContent({ forms: allForms }, new Source(published({ forms: [storedForm(replaced)] })));

    await live.refresh();

    expect(live.forms.get('kijkwijzer-didactiek', 1)?.intro).toBe('Een gecorrigeerde inleiding.');
    expect(live.forms.all.filter((def) => def.id === 'kijkwijzer-didactiek')).toHaveLength(1);
    expect(warnings).toHaveBeenCalledWith('a published form version replaces a shipped one', { formId: 'kijkwijzer-didactiek', version: 1 });
  });
});
