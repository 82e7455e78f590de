import type { FormDefinition } from '../../shared/forms/definition.ts';
import { fieldName } from '../../shared/forms/answers.ts';
import { formItems } from '../../shared/forms/definition.ts';

/** A complete, valid set of answers for a form, as posted form fields (`a.<code>`). */
export function completeFields(def: FormDefinition, text = 'Duidelijke uitleg; leerlingen werkten actief mee.'): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const item of formItems(def)) {
    const value =
      item.type === 'scale'
        ? 'voldoende'
        : item.type === 'choice'
          ? (item.options?.[0]?.value ?? '')
          : item.type === 'date'
            ? '2025-11-10'
            : `${text} (${item.code})`;
    fields[fieldName(item.code)] = value;
  }
  return fields;
}
