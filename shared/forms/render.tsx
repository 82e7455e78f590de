import { DATE_MAX, DATE_MIN, fieldName, formatAnswer, TEXT_MAX_LENGTH } from './answers.ts';
import type { AnswerErrors, Answers } from './answers.ts';
import { answerItems, isAnswerItem, isStaffOnly, scaleOptions } from './definition.ts';
import type { FormDefinition, FormItem, FormOption, FormSection } from './definition.ts';

/**
 * The HTML of a form, derived from its definition: the fields, the error summary, the read-only view
 * of answers and the draft-content notice. Server-rendered Hono JSX that works without JavaScript;
 * every value is escaped by Hono. The caller wraps {@link FormFields} in its own `<form>` (with
 * `novalidate`, so the server's Dutch messages are the only validation) and buttons, and includes
 * {@link FORM_CSS} in the page.
 *
 * HTML ids, all derived from item codes (codes are upper case, option values lower case, so they
 * cannot collide): `a-<code>` the field (textarea, date input, or the fieldset of a radio or
 * checkbox group), `a-<code>-<value>` a radio or checkbox, `l-<code>` a group's legend, `h-<code>`
 * the help text, `e-<code>` the inline error, `r-<section code>` the notice on a section for staff
 * only. A note has no ids.
 */

/** The id of an item's field: its textarea or date input, or the fieldset of its radios. */
export function fieldId(code: string): string {
  return `a-${code}`;
}

/** The id of one radio of a scale or choice item, or one checkbox of a multi item: `a-PED-1-goed`. */
export function optionId(code: string, value: string): string {
  return `a-${code}-${value}`;
}

const legendId = (code: string): string => `l-${code}`;
const helpId = (code: string): string => `h-${code}`;
const errorId = (code: string): string => `e-${code}`;

const readersId = (sectionCode: string): string => `r-${sectionCode}`;

/** What a section for the SO and IO only says, in the form and in the staff's read-only view. */
export const STAFF_ONLY_NOTICE = 'Alleen voor de schoolopleider en de instituutsopleider: de student leest dit deel niet.';

/** What the student reads where a form has a part for the SO and IO only (their view of it, their page). */
export const STAFF_ONLY_PART_NOTE = 'Dit formulier heeft ook een deel dat alleen de schoolopleider en de instituutsopleider lezen.';

/** The notice of a section for staff only; `id` only in the form, where the fieldset points at it. */
function StaffOnlyNotice({ id }: { id?: string }) {
  return (
    <p class="wf-readers" id={id}>
      <strong>{STAFF_ONLY_NOTICE}</strong>
    </p>
  );
}

/** The id of the error summary box, e.g. to link to it. */
export const ERROR_SUMMARY_ID = 'foutmeldingen';

/** The options of a scale, choice or multi item (a scale's own or the default ones); none for other items. */
function optionsOf(item: FormItem): FormOption[] {
  if (item.type === 'scale') return scaleOptions(item);
  return item.options ?? [];
}

/** The values of a multi answer ("lezen schrijven"). */
function chosenValues(value: string | undefined): string[] {
  return (value ?? '').split(/\s+/).filter((part) => part !== '');
}

/**
 * Where an error link for an item points: the first radio or checkbox of a group (so following the
 * link puts focus in the group and a screen reader reads its legend), otherwise the field itself.
 */
export function errorTargetId(item: FormItem): string {
  const first = item.type === 'scale' || item.type === 'choice' || item.type === 'multi' ? optionsOf(item)[0] : undefined;
  return first === undefined ? fieldId(item.code) : optionId(item.code, first.value);
}

/** Props of {@link FormFields}. */
export interface FormFieldsProps {
  def: FormDefinition;
  /** Values to show: a draft, or what the user entered before an error. */
  answers?: Answers;
  /** Dutch messages by item code, as `readAnswers` returns them. */
  errors?: AnswerErrors;
  /** Shows the values without letting them change (after the deadline). */
  readOnly?: boolean;
}

interface ItemProps {
  item: FormItem;
  value: string | undefined;
  error: string | undefined;
  readOnly: boolean;
}

const RequiredMark = () => <span class="wf-required"> (verplicht)</span>;

/** The help and error paragraphs of an item, and the ids to put in its aria-describedby. */
function describe(item: FormItem, error: string | undefined) {
  const ids = [item.help === undefined ? undefined : helpId(item.code), error === undefined ? undefined : errorId(item.code)];
  const describedBy = ids.filter((id) => id !== undefined).join(' ');
  return {
    describedBy: describedBy === '' ? undefined : describedBy,
    paragraphs: (
      <>
        {item.help !== undefined && (
          <p class="wf-hint" id={helpId(item.code)}>
            {item.help}
          </p>
        )}
        {error !== undefined && (
          <p class="wf-error-message" id={errorId(item.code)}>
            <span class="wf-visually-hidden">Fout: </span>
            {error}
          </p>
        )}
      </>
    ),
  };
}

function itemClass(kind: string, error: string | undefined): string {
  return `wf-item wf-${kind}${error === undefined ? '' : ' wf-item-error'}`;
}

/**
 * A scale, choice or multi item: an option per radio button (one answer) or checkbox (`multiple`:
 * all with the same name, so the browser posts one value per ticked box; "(verplicht)" means at
 * least one), in a fieldset whose legend is the label. ARIA allows `aria-required` on a radio
 * group only.
 */
function OptionsItem({ item, value, error, readOnly, multiple }: ItemProps & { multiple: boolean }) {
  const { describedBy, paragraphs } = describe(item, error);
  const chosen = multiple ? chosenValues(value) : [value];
  return (
    <fieldset
      class={itemClass(item.type, error)}
      id={fieldId(item.code)}
      role={multiple ? undefined : 'radiogroup'}
      aria-labelledby={legendId(item.code)}
      aria-describedby={describedBy}
      aria-required={!multiple && item.required ? 'true' : undefined}
      aria-invalid={error === undefined ? undefined : 'true'}
    >
      <legend class="wf-label" id={legendId(item.code)}>
        {item.label}
        {item.required && <RequiredMark />}
      </legend>
      {paragraphs}
      <div class="wf-options">
        {optionsOf(item).map((option) => (
          <div class="wf-option">
            <input
              type={multiple ? 'checkbox' : 'radio'}
              id={optionId(item.code, option.value)}
              name={fieldName(item.code)}
              value={option.value}
              checked={chosen.includes(option.value)}
              disabled={readOnly}
            />
            <label for={optionId(item.code, option.value)}>{option.label}</label>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

/** A note: its text as a paragraph, then its help; no field, no ids. */
function NoteItem({ item }: { item: FormItem }) {
  return (
    <div class="wf-item wf-note">
      <p class="wf-note-text">{item.label}</p>
      {item.help !== undefined && <p class="wf-hint">{item.help}</p>}
    </div>
  );
}

/** One item as its control: radios, checkboxes, a text or date field, or a note's paragraph. */
function Item(props: ItemProps) {
  switch (props.item.type) {
    case 'scale':
    case 'choice':
      return <OptionsItem {...props} multiple={false} />;
    case 'multi':
      return <OptionsItem {...props} multiple={true} />;
    case 'note':
      return <NoteItem item={props.item} />;
    case 'text':
    case 'date':
      return <InputItem {...props} />;
  }
}

/** A text or date item: a label, then help, error and the control. */
function InputItem({ item, value, error, readOnly }: ItemProps) {
  const { describedBy, paragraphs } = describe(item, error);
  const common = {
    id: fieldId(item.code),
    name: fieldName(item.code),
    readonly: readOnly,
    'aria-required': item.required ? 'true' : undefined,
    'aria-invalid': error === undefined ? undefined : 'true',
    'aria-describedby': describedBy,
  } as const;
  return (
    <div class={itemClass(item.type, error)}>
      <label class="wf-label" for={fieldId(item.code)}>
        {item.label}
        {item.required && <RequiredMark />}
      </label>
      {paragraphs}
      {item.type === 'date' ? (
        <input type="date" {...common} value={value} min={DATE_MIN} max={DATE_MAX} />
      ) : (
        // The parser drops one newline right after <textarea>; this one keeps a leading newline of the value.
        <textarea {...common} rows={6} maxlength={TEXT_MAX_LENGTH}>
          {`\n${value ?? ''}`}
        </textarea>
      )}
    </div>
  );
}

/**
 * The fields of a form: each section a fieldset with a legend (a section for staff only says so
 * right below it, and its fieldset points at that notice); scale and choice items as radio
 * groups, multi items as checkbox groups, text as a textarea, date as a date input, notes as a
 * paragraph; field names `a.<code>`. Required items say "(verplicht)" and carry aria-required (but
 * a checkbox group, where ARIA does not allow it); an item with an error shows it inline (id
 * `e-<code>`, linked by aria-describedby) and carries aria-invalid. Entered values are kept.
 */
export function FormFields({ def, answers = {}, errors = {}, readOnly = false }: FormFieldsProps) {
  return (
    <div class="wf-form">
      {def.sections.map((section) => (
        <fieldset class={sectionClass(section)} aria-describedby={isStaffOnly(section) ? readersId(section.code) : undefined}>
          <legend class="wf-section-title">{section.title}</legend>
          {isStaffOnly(section) && <StaffOnlyNotice id={readersId(section.code)} />}
          {section.help !== undefined && <p class="wf-hint">{section.help}</p>}
          {section.items.map((item) => (
            <Item item={item} value={answers[item.code]} error={errors[item.code]} readOnly={readOnly} />
          ))}
        </fieldset>
      ))}
    </div>
  );
}

function sectionClass(section: FormSection): string {
  return isStaffOnly(section) ? 'wf-section wf-section-staff' : 'wf-section';
}

/** Props of {@link ErrorSummary}. */
export interface ErrorSummaryProps {
  def: FormDefinition;
  /** Dutch messages by item code; a key that is not an item code (e.g. a conflict) is listed without a link. */
  errors: AnswerErrors;
}

/**
 * The error summary to put above the fields: a focusable `role="alert"` box (id
 * {@link ERROR_SUMMARY_ID}, focused on page load through `autofocus`) titled "Controleer het
 * formulier", listing every error in form order as a link to its field. Renders nothing when there
 * are no errors.
 */
export function ErrorSummary({ def, errors }: ErrorSummaryProps) {
  // A note has no field to link to; an error under its code (there should be none) is listed plainly.
  const items = answerItems(def);
  const codes = new Set(items.map((item) => item.code));
  const entries = [
    ...items.flatMap((item) => {
      const message = errors[item.code];
      return message === undefined ? [] : [{ message, href: `#${errorTargetId(item)}` }];
    }),
    ...Object.entries(errors)
      .filter(([key]) => !codes.has(key))
      .map(([, message]) => ({ message, href: undefined })),
  ];
  if (entries.length === 0) return <></>;
  const titleId = `${ERROR_SUMMARY_ID}-titel`;
  return (
    <div class="wf-error-summary" id={ERROR_SUMMARY_ID} role="alert" aria-labelledby={titleId} tabindex={-1} autofocus>
      <h2 class="wf-error-summary-title" id={titleId}>
        Controleer het formulier
      </h2>
      <p>{entries.length === 1 ? 'Er is 1 punt om te verbeteren:' : `Er zijn ${entries.length} punten om te verbeteren:`}</p>
      <ul class="wf-error-list">
        {entries.map(({ message, href }) => (
          <li>{href === undefined ? message : <a href={href}>{message}</a>}</li>
        ))}
      </ul>
    </div>
  );
}

/** Props of {@link AnswersView}. */
export interface AnswersViewProps {
  /** The definition the answers were given with: the submission's own version. */
  def: FormDefinition;
  answers: Answers;
  /** The heading level of the section titles; 2 by default. */
  headingLevel?: 2 | 3 | 4;
}

function SectionHeading({ level, text }: { level: 2 | 3 | 4; text: string }) {
  if (level === 3) return <h3>{text}</h3>;
  if (level === 4) return <h4>{text}</h4>;
  return <h2>{text}</h2>;
}

/**
 * A section's items as runs: consecutive answer items together (one definition list), each note on
 * its own (a paragraph, which a definition list cannot hold).
 */
function runs(items: readonly FormItem[]): FormItem[][] {
  const result: FormItem[][] = [];
  for (const item of items) {
    const last = result.at(-1);
    if (isAnswerItem(item) && last !== undefined && isAnswerItem(last[0]!)) last.push(item);
    else result.push([item]);
  }
  return result;
}

/**
 * A read-only view of answers: per section a heading and a definition list of labels and Dutch
 * answers (scale and choice labels, multi labels joined by commas, dates written out, texts with
 * their line breaks); "niet ingevuld" for an item without an answer; a note as its paragraph. A
 * section for staff only says so below its heading: this view shows every section it is given, so
 * the student's page passes only their part (`studentPart` in definition.ts). It sets no ids, so
 * several views can share a page.
 */
export function AnswersView({ def, answers, headingLevel = 2 }: AnswersViewProps) {
  return (
    <div class="wf-answers">
      {def.sections.map((section) => (
        <div class={isStaffOnly(section) ? 'wf-answers-section wf-section-staff' : 'wf-answers-section'}>
          <SectionHeading level={headingLevel} text={section.title} />
          {isStaffOnly(section) && <StaffOnlyNotice />}
          {runs(section.items).map((run) =>
            run[0]?.type === 'note' ? (
              <NoteItem item={run[0]} />
            ) : (
              <dl class="wf-answers-list">
                {run.map((item) => {
                  const text = formatAnswer(def, item.code, answers[item.code]);
                  return (
                    <div class="wf-answer">
                      <dt>{item.label}</dt>
                      <dd class={item.type === 'text' ? 'wf-answer-text' : undefined}>
                        {text === '' ? <span class="wf-empty">niet ingevuld</span> : text}
                      </dd>
                    </div>
                  );
                })}
              </dl>
            ),
          )}
        </div>
      ))}
    </div>
  );
}

/**
 * A notice that the questions are draft content in our own words, with the framework they rest on,
 * which the Hogeschool can replace by its official texts. Renders nothing for official content.
 */
export function DraftContentNotice({ def }: { def: FormDefinition }) {
  if (!def.draftContent) return <></>;
  return (
    <div class="wf-notice" role="note">
      <p>
        <strong>Concept-inhoud.</strong> Dit zijn voorlopige vragen; Hogeschool Rotterdam kan ze vervangen door
        de officiële teksten.
      </p>
      <p>{def.basis}</p>
    </div>
  );
}

/**
 * The CSS of these components, for the page's style sheet (`<Layout extraCss={FORM_CSS}>`). Mobile
 * first; text #1d1d1b on white, errors #b00020 (contrast above 4.5:1); focus outlines come from the
 * layout's `:focus-visible` rule, the error summary uses its `--focus` colour too.
 */
export const FORM_CSS = `
.wf-form { margin: 1rem 0; }
.wf-section { min-width: 0; margin: 0 0 1.5rem; padding: .75rem 1rem 1rem; border: 1px solid #d9d9d9; border-radius: .25rem; background: #fff; color: #1d1d1b; }
.wf-section-title { padding: 0 .25rem; font-size: 1.2rem; font-weight: 700; }
.wf-item { min-width: 0; margin: 1rem 0 1.5rem; padding: 0; border: 0; }
.wf-label { display: block; margin: 0 0 .25rem; padding: 0; font-weight: 600; }
.wf-required { font-weight: 400; }
.wf-hint { margin: 0 0 .5rem; color: #4a4a4a; }
.wf-note-text { margin: 0 0 .25rem; white-space: pre-line; }
.wf-error-message { margin: 0 0 .5rem; color: #b00020; font-weight: 600; }
.wf-item-error { padding-left: .75rem; border-left: 4px solid #b00020; }
.wf-options { display: flex; flex-direction: column; gap: .25rem; }
.wf-option { display: flex; align-items: center; gap: .5rem; min-height: 2.75rem; }
.wf-option input { flex: none; width: 1.5rem; height: 1.5rem; margin: 0; accent-color: #1d1d1b; }
.wf-option label { display: inline; margin: 0; padding: .25rem 0; font-weight: 400; }
@media (min-width: 40rem) { .wf-scale .wf-options { flex-direction: row; flex-wrap: wrap; column-gap: 1.5rem; } }
.wf-form textarea, .wf-form input[type="date"] { max-width: 100%; padding: .5rem; border: 2px solid #1d1d1b; border-radius: .25rem; background: #fff; color: #1d1d1b; font: inherit; }
.wf-form textarea { width: 100%; min-height: 8rem; resize: vertical; }
.wf-form input[type="date"] { width: auto; min-width: 12rem; }
.wf-form textarea[readonly], .wf-form input[readonly] { background: #f3f3f3; }
.wf-item-error textarea, .wf-item-error input[type="date"] { border-color: #b00020; }
.wf-error-summary { margin: 0 0 1.5rem; padding: 1rem; border: 4px solid #b00020; background: #fff; color: #1d1d1b; }
.wf-error-summary:focus { outline: 3px solid var(--focus, #1d1d1b); outline-offset: 2px; }
.wf-error-summary-title { margin: 0 0 .5rem; font-size: 1.2rem; }
.wf-error-list { margin: 0; padding-left: 1.25rem; }
.wf-error-summary a { color: #b00020; font-weight: 600; }
.wf-notice { margin: 1rem 0; padding: .75rem 1rem; border-left: 4px solid #8a6100; background: #fff4d6; color: #1d1d1b; }
.wf-notice p { margin: .25rem 0; }
.wf-section-staff { border-left: 4px solid #1d4e89; }
.wf-answers-section.wf-section-staff { padding-left: .75rem; }
.wf-readers { margin: 0 0 .75rem; padding: .5rem .75rem; background: #e8eef6; color: #1d1d1b; }
.wf-answers-list { margin: 0 0 1.5rem; }
.wf-answer { padding: .5rem 0; border-bottom: 1px solid #d9d9d9; }
.wf-answer dt { font-weight: 600; }
.wf-answer dd { margin: .25rem 0 0; overflow-wrap: anywhere; }
.wf-answer-text { white-space: pre-wrap; }
.wf-empty { color: #595959; font-style: italic; }
@media (min-width: 40rem) { .wf-answer { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); gap: 1rem; } .wf-answer dd { margin: 0; } }
.wf-visually-hidden { position: absolute !important; width: 1px; height: 1px; margin: 0; padding: 0; overflow: hidden; clip-path: inset(50%); white-space: nowrap; border: 0; }
`;
