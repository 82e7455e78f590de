import { describe, expect, it } from 'vitest';
import { formCatalog } from '#forms/index.ts';
import { parseFormDefinition } from '#shared/forms/definition.ts';
import type { FormDefinition } from '#shared/forms/definition.ts';
import { formChanges } from '#shared/usecases/content.ts';

const v1 = formCatalog.get('advies-wpb', 1)!;
const v2 = formCatalog.get('advies-wpb', 2)!;

/** Version 3 of the advice with the readers of its sections changed. */
function withReaders(from: FormDefinition, readers: Record<string, 'staff' | undefined>): FormDefinition {
  return parseFormDefinition({
    ...from,
    version: 3,
    sections: from.sections.map(({ readers: _old, ...section }) => (readers[section.code] === undefined ? section : { ...section, readers: readers[section.code] })),
  });
}

describe('formChanges and the readers of a section', () => {
  it('says a new section is for the SO and IO only', () => {
    expect(formChanges(v1, v2)).toContain('Alleen voor SO en IO: onderdeel VERTROUWELIJK "Alleen voor de schoolopleider en de instituutsopleider"; de student leest het niet.');
  });

  it('says an existing section becomes for the SO and IO only, and one the student reads again', () => {
    const changed = withReaders(v2, { TOELICHTING: 'staff' });

    expect(formChanges(v2, changed)).toEqual([
      'Alleen voor SO en IO: onderdeel TOELICHTING "Toelichting"; de student leest het niet.',
      'De student leest nu ook onderdeel VERTROUWELIJK "Alleen voor de schoolopleider en de instituutsopleider".',
    ]);
  });

  it('says nothing when the readers stay as they were', () => {
    expect(formChanges(v2, { ...v2, version: 3 })).toEqual([]);
  });
});
