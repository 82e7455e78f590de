import { describe, expect, it } from 'vitest';
import { versions as adviesWpb } from '#forms/advies-wpb.ts';
import { versions as experimentWpp10 } from '#forms/experiment-wpp10.ts';
import { versions as experimentWpp7 } from '#forms/experiment-wpp7.ts';
import { versions as experimentWpp9 } from '#forms/experiment-wpp9.ts';
import { allForms, FORM_TITLES, formReference, formTitle, getForm, isFormId, latestForms, parseForms } from '#forms/index.ts';
import { versions as kijkwijzerDidactiek } from '#forms/kijkwijzer-didactiek.ts';
import { versions as kijkwijzerDigitaleDidactiek } from '#forms/kijkwijzer-digitale-didactiek.ts';
import { versions as kijkwijzerPedagogiek } from '#forms/kijkwijzer-pedagogiek.ts';
import { versions as kijkwijzerVakdidactiek } from '#forms/kijkwijzer-vakdidactiek.ts';
import {
  FormDefinition,
  FormDefinitionError,
  formItems,
  parseFormDefinition,
} from '#shared/forms/definition.ts';
import type { FormDefinitionInput } from '#shared/forms/definition.ts';
import { FORM_IDS } from '#shared/tasks.ts';

/** The versions each file in forms/ exports, by the form id its file name promises. */
const FILES: Record<string, readonly unknown[]> = {
  'kijkwijzer-pedagogiek': kijkwijzerPedagogiek,
  'kijkwijzer-didactiek': kijkwijzerDidactiek,
  'kijkwijzer-vakdidactiek': kijkwijzerVakdidactiek,
  'kijkwijzer-digitale-didactiek': kijkwijzerDigitaleDidactiek,
  'advies-wpb': adviesWpb,
  'experiment-wpp7': experimentWpp7,
  'experiment-wpp9': experimentWpp9,
  'experiment-wpp10': experimentWpp10,
};

/**
 * The item codes of version 1 of every form, written out: codes are stored with every answer and
 * are the CSV columns, so changing one must be a deliberate edit here too.
 */
const CODES_V1: Record<string, string[]> = {
  'kijkwijzer-pedagogiek': ['PED-1', 'PED-2', 'PED-3', 'PED-4', 'PED-5', 'PED-6', 'PED-7', 'PED-8', 'GOED', 'FEEDBACK', 'FEEDUP', 'FEEDFORWARD'],
  'kijkwijzer-didactiek': ['DID-1', 'DID-2', 'DID-3', 'DID-4', 'DID-5', 'DID-6', 'DID-7', 'DID-8', 'GOED', 'FEEDBACK', 'FEEDUP', 'FEEDFORWARD'],
  'kijkwijzer-vakdidactiek': ['VAK-1', 'VAK-2', 'VAK-3', 'VAK-4', 'VAK-5', 'VAK-6', 'VAK-7', 'GOED', 'FEEDBACK', 'FEEDUP', 'FEEDFORWARD'],
  'kijkwijzer-digitale-didactiek': ['DIG-1', 'DIG-2', 'DIG-3', 'DIG-4', 'DIG-5', 'DIG-6', 'DIG-7', 'GOED', 'FEEDBACK', 'FEEDUP', 'FEEDFORWARD'],
  'advies-wpb': ['ADV-ADVIES', 'ADV-PED', 'ADV-DID', 'ADV-VAK', 'ADV-PRO', 'ADV-TOELICHTING'],
  'experiment-wpp7': ['LESDATUM', 'WPP7-1', 'WPP7-2', 'WPP7-3', 'WPP7-4', 'FEEDBACK', 'FEEDUP', 'FEEDFORWARD'],
  'experiment-wpp9': ['LESDATUM', 'WPP9-1', 'WPP9-2', 'WPP9-3', 'WPP9-4', 'FEEDBACK', 'FEEDUP', 'FEEDFORWARD'],
  'experiment-wpp10': ['LESDATUM', 'WPP10-1', 'WPP10-2', 'WPP10-3', 'WPP10-4', 'FEEDBACK', 'FEEDUP', 'FEEDFORWARD'],
};

const KIJKWIJZER_IDS = FORM_IDS.filter((id) => id.startsWith('kijkwijzer-'));
const EXPERIMENT_IDS = FORM_IDS.filter((id) => id.startsWith('experiment-'));

function required(id: string, version?: number): FormDefinition {
  const def = getForm(id, version);
  if (def === undefined) throw new Error(`no form ${id}`);
  return def;
}

/** A copy of version 1 of the pedagogiek kijkwijzer with changes, for fixtures. */
function pedagogiek(changes: Partial<FormDefinitionInput> = {}): FormDefinitionInput {
  return { ...structuredClone(kijkwijzerPedagogiek[0]), ...changes } as FormDefinitionInput;
}

/** A two-version fixture: version 2 relabels PED-1. */
function twoVersions(): FormDefinition[] {
  const v2 = pedagogiek({ version: 2 });
  const firstItem = v2.sections[0]?.items[0];
  if (firstItem === undefined) throw new Error('fixture has no first item');
  firstItem.label = 'Gaat respectvol en rustig met leerlingen om';
  return parseForms([v2, pedagogiek()]);
}

describe('the form files', () => {
  it.each(Object.entries(FILES))('%s: every version validates and carries the id of its file', (id, versions) => {
    expect(versions.length).toBeGreaterThan(0);
    for (const input of versions) {
      const result = FormDefinition.safeParse(input);
      expect(result.error?.issues ?? []).toEqual([]);
      expect(result.data?.id).toBe(id);
    }
  });

  it('define every form id, and the registry holds each file version once', () => {
    expect(Object.keys(FILES).sort()).toEqual([...FORM_IDS].sort());
    const fileVersions = Object.values(FILES).reduce((sum, versions) => sum + versions.length, 0);
    expect(allForms).toHaveLength(fileVersions);
    expect(latestForms().map((def) => def.id)).toEqual([...FORM_IDS]);
  });

  it.each(Object.entries(CODES_V1))('%s version 1 keeps its item codes', (id, codes) => {
    expect(formItems(required(id, 1)).map((item) => item.code)).toEqual(codes);
  });

  it.each(KIJKWIJZER_IDS)('%s ends with required feedback, feed-up and feedforward texts', (id) => {
    for (const def of allForms.filter((form) => form.id === id)) {
      const lastThree = formItems(def).slice(-3);
      expect(lastThree.map(({ code, type, required }) => ({ code, type, required }))).toEqual([
        { code: 'FEEDBACK', type: 'text', required: true },
        { code: 'FEEDUP', type: 'text', required: true },
        { code: 'FEEDFORWARD', type: 'text', required: true },
      ]);
      expect(lastThree.map((item) => item.label)).toEqual(['Feedback', 'Feed-up', 'Feedforward']);
    }
  });

  it.each(KIJKWIJZER_IDS)('%s has 5 to 8 scale items, each with a help text', (id) => {
    const scales = formItems(required(id)).filter((item) => item.type === 'scale');
    expect(scales.length).toBeGreaterThanOrEqual(5);
    expect(scales.length).toBeLessThanOrEqual(8);
    for (const item of scales) expect(item.help?.length ?? 0).toBeGreaterThan(20);
  });

  it.each(KIJKWIJZER_IDS)('%s names its kijkwijzer type', (id) => {
    const def = required(id);
    expect(def.kind).toBe('kijkwijzer');
    expect(`kijkwijzer-${def.kijkwijzerType}`).toBe(id);
  });

  it('every form is marked as draft content with the public framework it rests on', () => {
    for (const def of allForms) expect(def.draftContent).toBe(true);
    for (const id of ['kijkwijzer-pedagogiek', 'kijkwijzer-didactiek']) {
      expect(required(id).basis).toMatch(/ICALT.*Van de Grift/);
    }
    expect(required('kijkwijzer-digitale-didactiek').basis).toContain('TPACK');
  });

  it('the WPB advice has an overall choice, a required substantiation per area and an optional note', () => {
    const def = required('advies-wpb');
    const items = formItems(def);
    const advies = items.find((item) => item.code === 'ADV-ADVIES');
    expect(advies?.type).toBe('choice');
    expect(advies?.required).toBe(true);
    expect(advies?.options?.map((option) => option.value)).toEqual(['positief', 'twijfel', 'negatief']);
    const areas = items.filter((item) => ['ADV-PED', 'ADV-DID', 'ADV-VAK', 'ADV-PRO'].includes(item.code));
    expect(areas.map((item) => [item.type, item.required])).toEqual(Array(4).fill(['text', true]));
    expect(areas.map((item) => item.label).join(' ')).toMatch(/pedagogiek.*didactiek.*vakdidactiek.*professioneel handelen/);
    expect(items.find((item) => item.code === 'ADV-TOELICHTING')?.required).toBe(false);
  });

  it('the WPB advice version 2 says who reads which part and ends with a part for the SO and IO only; version 1 has none', () => {
    const v2 = required('advies-wpb', 2);
    expect(getForm('advies-wpb')?.version).toBe(2);
    expect(v2.intro).toContain('De student, de SO en de IO lezen uw advies, de onderbouwing en de toelichting. Het laatste deel is alleen voor de SO en IO');
    expect(v2.sections.map((section) => [section.code, section.readers])).toEqual([
      ['ADVIES', undefined],
      ['ONDERBOUWING', undefined],
      ['TOELICHTING', undefined],
      ['VERTROUWELIJK', 'staff'],
    ]);
    expect(v2.sections.at(-1)?.items).toEqual([expect.objectContaining({ code: 'ADV-VERTROUWELIJK', type: 'text', required: false })]);
    expect(formItems(v2).map((item) => item.code)).toEqual([...CODES_V1['advies-wpb']!, 'ADV-VERTROUWELIJK']);
    expect(required('advies-wpb', 1).sections.some((section) => section.readers !== undefined)).toBe(false);
  });

  it.each(EXPERIMENT_IDS)('%s asks for the lesson date, scores on its aim and the three feedback texts', (id) => {
    const items = formItems(required(id));
    expect(items[0]).toMatchObject({ code: 'LESDATUM', type: 'date', required: true });
    expect(items.filter((item) => item.type === 'scale').length).toBeGreaterThanOrEqual(3);
    expect(items.slice(-3).map((item) => item.code)).toEqual(['FEEDBACK', 'FEEDUP', 'FEEDFORWARD']);
  });

  it('titles name the experiments as the handbook does', () => {
    expect(FORM_TITLES['experiment-wpp7']).toContain('Nieuwsgierig maken en houden');
    expect(FORM_TITLES['experiment-wpp9']).toContain('Improviseren');
    expect(FORM_TITLES['experiment-wpp10']).toContain('Vertellen');
    expect(FORM_TITLES['advies-wpb']).toBe('Advies van de werkplekbegeleider');
    expect(formTitle('kijkwijzer-pedagogiek')).toBe('Kijkwijzer pedagogiek');
  });

  it('name each form in a sentence with its own article, never a lower-cased title', () => {
    expect(formReference('advies-wpb')).toBe('het advies van de werkplekbegeleider');
    expect(formReference('advies-wpb', { capital: true })).toBe('Het advies van de werkplekbegeleider');
    expect(formReference('kijkwijzer-digitale-didactiek')).toBe('de kijkwijzer digitale didactiek');
    expect(formReference('experiment-wpp7')).toBe('de feedback op experiment WPP7 (Nieuwsgierig maken en houden)');
    for (const def of allForms) {
      expect(def.nameInSentence, def.id).not.toMatch(/wpp\d/);
    }
  });
});

describe('getForm', () => {
  it('returns the latest version when no version is given', () => {
    const forms = twoVersions();
    expect(getForm('kijkwijzer-pedagogiek', undefined, forms)?.version).toBe(2);
  });

  it('returns the version asked for, with that version’s labels', () => {
    const forms = twoVersions();
    const v1 = getForm('kijkwijzer-pedagogiek', 1, forms);
    expect(v1?.version).toBe(1);
    expect(formItems(v1 as FormDefinition)[0]?.label).toBe('Gaat respectvol met leerlingen om');
    expect(formItems(getForm('kijkwijzer-pedagogiek', 2, forms) as FormDefinition)[0]?.label).toBe(
      'Gaat respectvol en rustig met leerlingen om',
    );
  });

  it('returns undefined for an unknown id or version', () => {
    const forms = twoVersions();
    expect(getForm('kijkwijzer-onbekend', undefined, forms)).toBeUndefined();
    expect(getForm('kijkwijzer-pedagogiek', 3, forms)).toBeUndefined();
    expect(getForm('kijkwijzer-pedagogiek', Number.NaN, forms)).toBeUndefined();
    expect(getForm('advies-wpb', undefined, forms)).toBeUndefined();
  });

  it('finds the real forms by default', () => {
    expect(getForm('kijkwijzer-vakdidactiek')?.title).toBe('Kijkwijzer vakdidactiek');
    expect(getForm('advies-wpb', 1)?.kind).toBe('advies');
  });
});

describe('latestForms and formTitle', () => {
  it('list one definition per form, the latest', () => {
    const latest = latestForms(twoVersions());
    expect(latest.map((def) => [def.id, def.version])).toEqual([['kijkwijzer-pedagogiek', 2]]);
  });

  it('fall back to the id for a form without a definition', () => {
    expect(formTitle('advies-wpb', twoVersions())).toBe('advies-wpb');
  });

  it('isFormId tells form ids from other strings', () => {
    expect(isFormId('experiment-wpp9')).toBe(true);
    expect(isFormId('experiment-wpp8')).toBe(false);
  });
});

describe('parseForms', () => {
  it('orders the definitions by form id and version', () => {
    expect(twoVersions().map((def) => def.version)).toEqual([1, 2]);
  });

  it('rejects the same id and version twice', () => {
    expect(() => parseForms([pedagogiek(), pedagogiek()])).toThrow(/kijkwijzer-pedagogiek version 1 is defined more than once/);
  });

  it('rejects a code whose answer type differs between forms', () => {
    const other = structuredClone(adviesWpb[0]) as FormDefinitionInput;
    const note = other.sections[2]?.items[0];
    if (note === undefined) throw new Error('fixture has no note item');
    note.code = 'GOED';
    note.type = 'date';
    expect(() => parseForms([pedagogiek(), other])).toThrow(/item GOED is date in advies-wpb version 1 but text/);
  });

  it('rejects a code that is a choice in one version and a multi item in the next', () => {
    const v2 = structuredClone(adviesWpb[0]) as FormDefinitionInput;
    v2.version = 2;
    const advice = v2.sections.flatMap((section) => section.items).find((item) => item.code === 'ADV-ADVIES');
    if (advice === undefined) throw new Error('fixture has no ADV-ADVIES');
    advice.type = 'multi';
    expect(() => parseForms([structuredClone(adviesWpb[0]), v2])).toThrow(/item ADV-ADVIES is multi in advies-wpb version 2 but choice in advies-wpb version 1/);
  });

  it('rejects a code that is a note in one form and a text in another', () => {
    const other = structuredClone(adviesWpb[0]) as FormDefinitionInput;
    other.sections[0]?.items.unshift({ code: 'GOED', label: 'Lees dit eerst, Zoë.', type: 'note', required: false });
    expect(() => parseForms([pedagogiek(), other])).toThrow(/item GOED is note in advies-wpb version 1 but text/);
  });

  it('accepts a version with a note, a multi item and a scale in its own words', () => {
    const v2 = pedagogiek({ version: 2 });
    const first = v2.sections[0];
    if (first === undefined) throw new Error('fixture has no section');
    first.items.unshift({ code: 'PED-UITLEG', label: 'Kijk naar de hele les.', type: 'note', required: false });
    first.items.push(
      { code: 'PED-9', label: 'Werkvormen', type: 'multi', required: false, options: [{ value: 'klassikaal', label: 'Klassikaal' }, { value: 'groepjes', label: 'In groepjes' }] },
      {
        code: 'PED-10',
        label: 'Sfeer',
        type: 'scale',
        required: true,
        options: [{ value: 'zwak', label: 'zwak', scale: 'onder' }, { value: 'sterk', label: 'sterk', scale: 'boven' }],
      },
    );
    const forms = parseForms([pedagogiek(), v2]);
    expect(formItems(getForm('kijkwijzer-pedagogiek', 2, forms)!).map((item) => item.type)).toEqual(
      expect.arrayContaining(['note', 'multi', 'scale']),
    );
  });

  it('reports every invalid definition with its id and version', () => {
    expect(() => parseForms([pedagogiek({ version: 0 }), pedagogiek({ version: 2, title: '' })])).toThrow(
      FormDefinitionError,
    );
    expect(() => parseForms([pedagogiek({ version: 2, title: ' ' })])).toThrow(/kijkwijzer-pedagogiek version 2.*title/);
  });
});

describe('the FormDefinition schema', () => {
  function withItem(change: (items: FormDefinitionInput['sections'][number]['items']) => void): FormDefinitionInput {
    const def = pedagogiek();
    const section = def.sections[0];
    if (section === undefined) throw new Error('fixture has no section');
    change(section.items);
    return def;
  }

  const problems = (input: unknown): string[] =>
    FormDefinition.safeParse(input).error?.issues.map((issue) => issue.message) ?? [];

  it('accepts the fixture as it is', () => {
    expect(problems(pedagogiek())).toEqual([]);
  });

  it('rejects a code used twice in one form', () => {
    const def = withItem((items) => items.push({ code: 'FEEDBACK', label: 'Nog eens', type: 'scale', required: false }));
    expect(problems(def)).toContain('item code FEEDBACK is used more than once');
  });

  it('rejects a code that is not upper case letters, digits and hyphens', () => {
    const def = withItem((items) => items.push({ code: 'ped_9', label: 'Fout', type: 'scale', required: false }));
    expect(problems(def).join()).toMatch(/upper-case letters and digits/);
  });

  it('rejects options on a text item, and a choice without options', () => {
    const def = withItem((items) => {
      items.push({ code: 'X-1', label: 'Tekst', type: 'text', required: false, options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }] });
      items.push({ code: 'X-2', label: 'Keuze', type: 'choice', required: false });
    });
    expect(problems(def)).toEqual(
      expect.arrayContaining(['only a scale, choice or multi item has options; X-1 is a text item', 'choice item X-2 needs options']),
    );
  });

  it('rejects a kijkwijzer without a required feedforward text at the end', () => {
    const def = pedagogiek();
    const last = def.sections.at(-1);
    if (last === undefined) throw new Error('fixture has no sections');
    last.items = last.items.filter((item) => item.code !== 'FEEDFORWARD');
    expect(problems(def).join()).toMatch(/FEEDFORWARD is missing/);
  });

  it('rejects a kijkwijzer whose feedback is optional', () => {
    const def = pedagogiek();
    const feedback = def.sections.at(-1)?.items.find((item) => item.code === 'FEEDBACK');
    if (feedback === undefined) throw new Error('fixture has no FEEDBACK');
    feedback.required = false;
    expect(problems(def).join()).toMatch(/FEEDBACK is missing, out of place, not text or not required/);
  });

  it('rejects a kind or kijkwijzer type that does not match the id', () => {
    expect(problems(pedagogiek({ kind: 'advies' }))).toContain('form kijkwijzer-pedagogiek must have kind kijkwijzer');
    expect(problems(pedagogiek({ kijkwijzerType: 'didactiek' }))).toContain(
      'kijkwijzer kijkwijzer-pedagogiek needs kijkwijzerType pedagogiek',
    );
  });

  it('rejects an unknown form id', () => {
    expect(() => parseFormDefinition(pedagogiek({ id: 'kijkwijzer-gym' as FormDefinitionInput['id'] }))).toThrow(
      FormDefinitionError,
    );
  });
});
