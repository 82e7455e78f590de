import { describe, expect, it } from 'vitest';
import { getForm, parseForms } from '#forms/index.ts';
import { versions as pedagogiekVersions } from '#forms/kijkwijzer-pedagogiek.ts';
import { readAnswers } from '#shared/forms/answers.ts';
import type { AnswerErrors, Answers } from '#shared/forms/answers.ts';
import { answerItems, formItems, parseFormDefinition } from '#shared/forms/definition.ts';
import type { FormDefinition, FormDefinitionInput } from '#shared/forms/definition.ts';
import {
  AnswersView,
  DraftContentNotice,
  ERROR_SUMMARY_ID,
  ErrorSummary,
  FORM_CSS,
  FormFields,
  STAFF_ONLY_NOTICE,
} from '#shared/forms/render.tsx';

/** Renders a Hono JSX result to its HTML string. */
async function html(node: { toString(): string | Promise<string> }): Promise<string> {
  return await node.toString();
}

function form(id: string, version?: number): FormDefinition {
  const def = getForm(id, version);
  if (def === undefined) throw new Error(`no form ${id}`);
  return def;
}

/** The start tag of the element with this id, or undefined. */
function tagWithId(markup: string, id: string): string | undefined {
  return markup.match(new RegExp(`<[a-z0-9]+\\b[^>]*\\sid="${id}"[^>]*>`))?.[0];
}

/** Every id in the markup, in order. */
function ids(markup: string): string[] {
  return [...markup.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1] ?? '');
}

const PEDAGOGIEK = form('kijkwijzer-pedagogiek');
const ADVIES = form('advies-wpb');
const WPP9 = form('experiment-wpp9');

/** An advice form with a note, a multi item and a scale in its own words. */
const MORE = parseFormDefinition({
  id: 'advies-wpb',
  version: 1,
  kind: 'advies',
  title: 'Advies',
  article: 'het',
  nameInSentence: 'advies',
  intro: 'Een formulier om mee te testen.',
  draftContent: false,
  basis: 'Testbasis.',
  sections: [
    {
      code: 'ADVIES',
      title: 'Het advies',
      items: [
        { code: 'UITLEG', label: "Lees dit eerst, Zoë.\nHet advies gaat naar 't instituut.", help: 'Óók bij twijfel.', type: 'note', required: false },
        {
          code: 'VAARDIGHEDEN',
          label: 'Welke vaardigheden zag u?',
          help: 'Kies er zoveel als u zag.',
          type: 'multi',
          required: true,
          options: [
            { value: 'lezen', label: 'Lezen' },
            { value: 'schrijven', label: 'Schrijven' },
            { value: 'spreken', label: 'Spreken' },
          ],
        },
        {
          code: 'SFEER',
          label: 'Sfeer in de klas',
          type: 'scale',
          required: false,
          options: [
            { value: 'zwak', label: 'zwak', scale: 'onder' },
            { value: 'sterk', label: 'sterk', scale: 'boven' },
            { value: 'niet-gezien', label: 'niet gezien', scale: 'niet-gezien' },
          ],
        },
        { code: 'TOELICHTING', label: 'Toelichting', type: 'text', required: false },
      ],
    },
  ],
});

describe('FormFields', () => {
  it('renders each section as a fieldset with its title as legend', async () => {
    const markup = await html(FormFields({ def: PEDAGOGIEK }));
    for (const section of PEDAGOGIEK.sections) {
      expect(markup).toContain(`<fieldset class="wf-section"><legend class="wf-section-title">${section.title}</legend>`);
    }
  });

  it('renders a scale item as a labelled radio group of five values', async () => {
    const markup = await html(FormFields({ def: PEDAGOGIEK }));
    expect(tagWithId(markup, 'a-PED-1')).toMatch(/^<fieldset [^>]*role="radiogroup"[^>]*aria-labelledby="l-PED-1"/);
    expect(markup).toContain('<legend class="wf-label" id="l-PED-1">Gaat respectvol met leerlingen om');
    for (const [value, label] of [
      ['onvoldoende', 'onvoldoende'],
      ['matig', 'matig'],
      ['voldoende', 'voldoende'],
      ['goed', 'goed'],
      ['niet-gezien', 'niet gezien'],
    ]) {
      expect(tagWithId(markup, `a-PED-1-${value}`)).toBe(
        `<input type="radio" id="a-PED-1-${value}" name="a.PED-1" value="${value}"/>`,
      );
      expect(markup).toContain(`<label for="a-PED-1-${value}">${label}</label>`);
    }
  });

  it('links the help text of an item with aria-describedby', async () => {
    const markup = await html(FormFields({ def: PEDAGOGIEK }));
    expect(tagWithId(markup, 'a-PED-2')).toContain('aria-describedby="h-PED-2"');
    expect(tagWithId(markup, 'h-PED-2')).toBe('<p class="wf-hint" id="h-PED-2">');
    expect(tagWithId(markup, 'a-FEEDBACK')).toContain('aria-describedby="h-FEEDBACK"');
  });

  it('marks required items visibly and with aria-required, optional items not', async () => {
    const markup = await html(FormFields({ def: PEDAGOGIEK }));
    expect(markup).toContain('Feedforward<span class="wf-required"> (verplicht)</span></label>');
    expect(tagWithId(markup, 'a-FEEDFORWARD')).toContain('aria-required="true"');
    expect(tagWithId(markup, 'a-PED-1')).toContain('aria-required="true"');
    expect(markup).toContain('<label class="wf-label" for="a-GOED">Wat ging goed?</label>');
    expect(tagWithId(markup, 'a-GOED')).not.toContain('aria-required');
  });

  it('renders texts as textareas and dates as date inputs with a label each', async () => {
    const markup = await html(FormFields({ def: WPP9 }));
    expect(markup).toContain('<label class="wf-label" for="a-LESDATUM">Lesdatum');
    expect(tagWithId(markup, 'a-LESDATUM')).toMatch(/^<input type="date" [^>]*name="a.LESDATUM"[^>]*min="2020-01-01" max="2100-12-31"/);
    expect(tagWithId(markup, 'a-FEEDUP')).toMatch(/^<textarea [^>]*name="a.FEEDUP"[^>]*maxlength="5000"/);
  });

  it('renders a choice as radios with the option labels', async () => {
    const markup = await html(FormFields({ def: ADVIES }));
    expect(tagWithId(markup, 'a-ADV-ADVIES-twijfel')).toContain('name="a.ADV-ADVIES" value="twijfel"');
    expect(markup).toContain('<label for="a-ADV-ADVIES-positief">Positief: de student is op koers om N2 af te ronden</label>');
  });

  it('gives every element a unique id', async () => {
    const all = ids(await html(FormFields({ def: PEDAGOGIEK })));
    expect(new Set(all).size).toBe(all.length);
  });

  it('keeps the entered values after an error, with the error inline and aria-invalid', async () => {
    const body = { 'a.LESDATUM': '2026-02-04', 'a.WPP9-1': 'matig', 'a.WPP9-2': 'niet-gezien', 'a.FEEDBACK': 'Goed begin.' };
    const result = readAnswers(WPP9, body, 'submit');
    if (result.ok) throw new Error('expected errors');
    const markup = await html(FormFields({ def: WPP9, answers: result.answers, errors: result.errors }));

    expect(tagWithId(markup, 'a-WPP9-1-matig')).toContain('checked=""');
    expect(tagWithId(markup, 'a-WPP9-1-goed')).not.toContain('checked');
    expect(tagWithId(markup, 'a-WPP9-2-niet-gezien')).toContain('checked=""');
    expect(tagWithId(markup, 'a-LESDATUM')).toContain('value="2026-02-04"');
    expect(markup).toMatch(/<textarea [^>]*id="a-FEEDBACK"[^>]*>\nGoed begin\.<\/textarea>/);

    expect(tagWithId(markup, 'a-WPP9-3')).toContain('aria-invalid="true"');
    expect(tagWithId(markup, 'a-WPP9-3')).toContain('aria-describedby="h-WPP9-3 e-WPP9-3"');
    expect(markup).toContain(
      '<p class="wf-error-message" id="e-WPP9-3"><span class="wf-visually-hidden">Fout: </span>Kies een score bij &#39;Houdt het lesdoel vast tijdens het improviseren&#39;.</p>',
    );
    expect(tagWithId(markup, 'a-FEEDUP')).toContain('aria-invalid="true"');
    expect(tagWithId(markup, 'a-WPP9-1')).not.toContain('aria-invalid');
  });

  it('escapes what users typed', async () => {
    const answers: Answers = { FEEDBACK: '</textarea><script>alert(1)</script>', 'PED-1': '"><script>' };
    const markup = await html(FormFields({ def: PEDAGOGIEK, answers }));
    expect(markup).not.toContain('<script>');
    expect(markup).toContain('&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;</textarea>');
  });

  it('keeps a leading line break of a text', async () => {
    const markup = await html(FormFields({ def: PEDAGOGIEK, answers: { FEEDBACK: '\nTweede regel' } }));
    expect(markup).toMatch(/id="a-FEEDBACK"[^>]*>\n\nTweede regel<\/textarea>/);
  });

  it('shows the values without letting them change when read-only', async () => {
    const markup = await html(FormFields({ def: PEDAGOGIEK, answers: { 'PED-1': 'goed', FEEDBACK: 'x' }, readOnly: true }));
    expect(tagWithId(markup, 'a-PED-1-goed')).toContain('checked="" disabled=""');
    expect(tagWithId(markup, 'a-FEEDBACK')).toContain('readonly=""');
  });
});

describe('FormFields and AnswersView with a section for the SO and IO only', () => {
  const NOTICE = '<p class="wf-readers" id="r-VERTROUWELIJK"><strong>Alleen voor de schoolopleider en de instituutsopleider: de student leest dit deel niet.</strong></p>';

  it("say in the WPB's form, right below the section's title, that the student does not read it", async () => {
    const markup = await html(FormFields({ def: ADVIES }));

    expect(STAFF_ONLY_NOTICE).toBe('Alleen voor de schoolopleider en de instituutsopleider: de student leest dit deel niet.');
    expect(markup).toContain(
      `<fieldset class="wf-section wf-section-staff" aria-describedby="r-VERTROUWELIJK"><legend class="wf-section-title">Alleen voor de schoolopleider en de instituutsopleider</legend>${NOTICE}`,
    );
    expect(markup.match(/wf-readers/g)).toHaveLength(1);
    expect(markup).toContain('<fieldset class="wf-section"><legend class="wf-section-title">Toelichting</legend>');
    const all = ids(markup);
    expect(new Set(all).size).toBe(all.length);
  });

  it("say it in the staff's read-only view too, without ids", async () => {
    const markup = await html(AnswersView({ def: ADVIES, answers: { 'ADV-VERTROUWELIJK': 'Zorg over Zoë' } }));

    expect(markup).toContain(
      `<div class="wf-answers-section wf-section-staff"><h2>Alleen voor de schoolopleider en de instituutsopleider</h2><p class="wf-readers"><strong>${STAFF_ONLY_NOTICE}</strong></p>`,
    );
    expect(markup).toContain('<dd class="wf-answer-text">Zorg over Zoë</dd>');
    expect(markup).not.toContain('id=');
  });

  it('say nothing of the kind in a form without such a section', async () => {
    expect(await html(FormFields({ def: PEDAGOGIEK }))).not.toContain('wf-readers');
    expect(await html(AnswersView({ def: form('advies-wpb', 1), answers: {} }))).not.toContain('wf-readers');
  });
});

describe('FormFields with notes, multi items and scales in their own words', () => {
  it('renders a multi item as a labelled group of checkboxes sharing one name', async () => {
    const markup = await html(FormFields({ def: MORE }));
    expect(tagWithId(markup, 'a-VAARDIGHEDEN')).toMatch(/^<fieldset [^>]*aria-labelledby="l-VAARDIGHEDEN"[^>]*aria-describedby="h-VAARDIGHEDEN"/);
    expect(markup).toContain('<legend class="wf-label" id="l-VAARDIGHEDEN">Welke vaardigheden zag u?<span class="wf-required"> (verplicht)</span></legend>');
    for (const [value, label] of [['lezen', 'Lezen'], ['schrijven', 'Schrijven'], ['spreken', 'Spreken']]) {
      expect(tagWithId(markup, `a-VAARDIGHEDEN-${value}`)).toBe(`<input type="checkbox" id="a-VAARDIGHEDEN-${value}" name="a.VAARDIGHEDEN" value="${value}"/>`);
      expect(markup).toContain(`<label for="a-VAARDIGHEDEN-${value}">${label}</label>`);
    }
  });

  it('ticks the chosen values of a multi answer, and keeps them after an error', async () => {
    const result = readAnswers(MORE, { 'a.VAARDIGHEDEN': ['spreken', 'lezen', 'rekenen'] }, 'submit');
    if (result.ok) throw new Error('expected errors');
    const markup = await html(FormFields({ def: MORE, answers: result.answers, errors: result.errors }));

    expect(tagWithId(markup, 'a-VAARDIGHEDEN-lezen')).toContain('checked=""');
    expect(tagWithId(markup, 'a-VAARDIGHEDEN-spreken')).toContain('checked=""');
    expect(tagWithId(markup, 'a-VAARDIGHEDEN-schrijven')).not.toContain('checked');
    expect(tagWithId(markup, 'a-VAARDIGHEDEN')).toContain('aria-invalid="true"');
    expect(markup).toContain('Kies alleen antwoorden uit de lijst bij &#39;Welke vaardigheden zag u?&#39;.');
  });

  it('shows a multi answer without letting it change when read-only', async () => {
    const markup = await html(FormFields({ def: MORE, answers: { VAARDIGHEDEN: 'schrijven' }, readOnly: true }));
    expect(tagWithId(markup, 'a-VAARDIGHEDEN-schrijven')).toContain('checked="" disabled=""');
    expect(tagWithId(markup, 'a-VAARDIGHEDEN-lezen')).toContain('disabled=""');
  });

  it('renders a note as a paragraph with its help, and no field', async () => {
    const markup = await html(FormFields({ def: MORE }));
    expect(markup).toContain(
      '<div class="wf-item wf-note"><p class="wf-note-text">Lees dit eerst, Zoë.\nHet advies gaat naar &#39;t instituut.</p><p class="wf-hint">Óók bij twijfel.</p></div>',
    );
    expect(markup).not.toContain('a.UITLEG');
    expect(ids(markup).filter((id) => id.includes('UITLEG'))).toEqual([]);
    expect(FORM_CSS).toContain('.wf-note-text');
  });

  it('renders a scale with its own words, not the default five', async () => {
    const markup = await html(FormFields({ def: MORE, answers: { SFEER: 'sterk' } }));
    expect(tagWithId(markup, 'a-SFEER')).toContain('role="radiogroup"');
    expect(tagWithId(markup, 'a-SFEER-sterk')).toBe('<input type="radio" id="a-SFEER-sterk" name="a.SFEER" value="sterk" checked=""/>');
    expect(markup).toContain('<label for="a-SFEER-zwak">zwak</label>');
    expect(markup).toContain('<label for="a-SFEER-niet-gezien">niet gezien</label>');
    expect(markup).not.toContain('a-SFEER-voldoende');
    expect(markup).not.toContain('a-SFEER-goed');
  });

  it('gives every element a unique id', async () => {
    const all = ids(await html(FormFields({ def: MORE })));
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('ErrorSummary', () => {
  const errors: AnswerErrors = {
    FEEDFORWARD: "Vul 'Feedforward' in.",
    'PED-1': "Kies een score bij 'Gaat respectvol met leerlingen om'.",
  };

  it('is a focusable alert titled "Controleer het formulier"', async () => {
    const markup = await html(ErrorSummary({ def: PEDAGOGIEK, errors }));
    expect(tagWithId(markup, ERROR_SUMMARY_ID)).toMatch(/role="alert"[^>]*tabindex="-1"/);
    expect(markup).toContain('>Controleer het formulier</h2>');
    expect(markup).toContain('Er zijn 2 punten om te verbeteren:');
  });

  it('lists the errors in form order, each linking to an element of the form', async () => {
    const summary = await html(ErrorSummary({ def: PEDAGOGIEK, errors }));
    const fields = await html(FormFields({ def: PEDAGOGIEK, errors }));
    const links = [...summary.matchAll(/<a href="#([^"]+)">([^<]*)<\/a>/g)].map((match) => [match[1], match[2]]);
    expect(links).toEqual([
      ['a-PED-1-onvoldoende', 'Kies een score bij &#39;Gaat respectvol met leerlingen om&#39;.'],
      ['a-FEEDFORWARD', 'Vul &#39;Feedforward&#39; in.'],
    ]);
    for (const [target] of links) expect(ids(fields)).toContain(target);
  });

  it('links every possible error of every item type to an existing id', async () => {
    for (const def of [PEDAGOGIEK, ADVIES, WPP9, MORE]) {
      const all = Object.fromEntries(formItems(def).map((item) => [item.code, `Fout bij ${item.code}`]));
      const summary = await html(ErrorSummary({ def, errors: all }));
      const fieldIds = new Set(ids(await html(FormFields({ def, errors: all }))));
      const targets = [...summary.matchAll(/href="#([^"]+)"/g)].map((match) => match[1]);
      expect(targets).toHaveLength(answerItems(def).length);
      for (const target of targets) expect(fieldIds.has(target ?? '')).toBe(true);
    }
  });

  it('lists an error that belongs to no item without a link', async () => {
    const markup = await html(ErrorSummary({ def: PEDAGOGIEK, errors: { formulier: 'Iemand anders heeft het formulier net opgeslagen.' } }));
    expect(markup).toContain('<li>Iemand anders heeft het formulier net opgeslagen.</li>');
    expect(markup).toContain('Er is 1 punt om te verbeteren:');
  });

  it('renders nothing without errors', async () => {
    expect(await html(ErrorSummary({ def: PEDAGOGIEK, errors: {} }))).toBe('');
  });
});

describe('AnswersView', () => {
  it('shows labels and Dutch answers, and "niet ingevuld" for the rest', async () => {
    const answers: Answers = { LESDATUM: '2026-02-04', 'WPP9-1': 'niet-gezien', FEEDBACK: 'Regel 1\nRegel 2' };
    const markup = await html(AnswersView({ def: WPP9, answers }));
    expect(markup).toContain('<dt>Lesdatum</dt><dd>woensdag 4 februari 2026</dd>');
    expect(markup).toContain('<dt>Speelt in op wat er onverwacht gebeurt</dt><dd>niet gezien</dd>');
    expect(markup).toContain('<dt>Feedback</dt><dd class="wf-answer-text">Regel 1\nRegel 2</dd>');
    expect(markup).toContain('<dt>Feed-up</dt><dd class="wf-answer-text"><span class="wf-empty">niet ingevuld</span></dd>');
    expect(markup).toContain('<h2>Terugkoppeling aan de student</h2>');
  });

  it('escapes answers', async () => {
    const markup = await html(AnswersView({ def: PEDAGOGIEK, answers: { FEEDBACK: '<script>alert(1)</script>' } }));
    expect(markup).not.toContain('<script>');
    expect(markup).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('renders an old version with the labels of that version', async () => {
    const v2 = structuredClone(pedagogiekVersions[0]) as FormDefinitionInput;
    v2.version = 2;
    const item = v2.sections[0]?.items[0];
    if (item === undefined) throw new Error('fixture has no first item');
    item.label = 'Nieuw label voor PED-1';
    const forms = parseForms([...pedagogiekVersions, v2]);
    const old = getForm('kijkwijzer-pedagogiek', 1, forms);
    if (old === undefined) throw new Error('version 1 missing');

    const markup = await html(AnswersView({ def: old, answers: { 'PED-1': 'goed' } }));
    expect(markup).toContain('<dt>Gaat respectvol met leerlingen om</dt><dd>goed</dd>');
    expect(markup).not.toContain('Nieuw label voor PED-1');
  });

  it('shows a multi answer as its labels joined by commas, a scale by its own word, and a note as a paragraph outside the list', async () => {
    const markup = await html(AnswersView({ def: MORE, answers: { VAARDIGHEDEN: 'lezen spreken', SFEER: 'zwak' } }));
    expect(markup).toContain('<dt>Welke vaardigheden zag u?</dt><dd>Lezen, Spreken</dd>');
    expect(markup).toContain('<dt>Sfeer in de klas</dt><dd>zwak</dd>');
    expect(markup).toContain(
      '<h2>Het advies</h2><div class="wf-item wf-note"><p class="wf-note-text">Lees dit eerst, Zoë.\nHet advies gaat naar &#39;t instituut.</p><p class="wf-hint">Óók bij twijfel.</p></div><dl class="wf-answers-list">',
    );
    expect(markup).not.toContain('<dt>Lees dit eerst');
    expect(markup).not.toContain('id=');
  });

  it('uses the heading level asked for', async () => {
    const markup = await html(AnswersView({ def: ADVIES, answers: {}, headingLevel: 3 }));
    expect(markup).toContain('<h3>Onderbouwing per gebied</h3>');
    expect(markup).not.toContain('<h2>');
  });
});

describe('DraftContentNotice', () => {
  it('says the questions are draft content and names their basis', async () => {
    const markup = await html(DraftContentNotice({ def: PEDAGOGIEK }));
    expect(markup).toContain('<strong>Concept-inhoud.</strong>');
    expect(markup).toContain('Hogeschool Rotterdam kan ze vervangen');
    expect(markup).toContain('ICALT');
  });

  it('renders nothing for official content', async () => {
    expect(await html(DraftContentNotice({ def: { ...PEDAGOGIEK, draftContent: false } }))).toBe('');
  });
});

describe('FORM_CSS', () => {
  it('uses the agreed text and error colours', () => {
    expect(FORM_CSS).toContain('#1d1d1b');
    expect(FORM_CSS).toContain('#b00020');
    expect(FORM_CSS).not.toMatch(/<\/style/i);
  });
});
