import { formatDutchInstant } from '#shared/calendar.ts';
import { CONCERN_NEXT_STEPS, CONCERN_ROLE_LABELS, CONCERN_STEP_LABELS, CONCERN_STEPS, CONCERN_TEXT_MAX, type ConcernRecord } from '#shared/model/concerns.ts';
import type { ConcernFormState } from '#shared/usecases/concern-actions.ts';

/** Typed text as typed: its line breaks kept, long words wrapped (inline: the section brings no stylesheet of its own). */
const PRE = 'white-space: pre-wrap; overflow-wrap: anywhere';

/**
 * The concerns about a student's progress on the staff student page (docs/workflow.md, "Concerns
 * about progress"): each concern, newest first, with its reason and its steps (what, when, who,
 * the note); per open concern a form to record the next step; while none is open, the form to
 * raise one. `form` is a refused post, shown again at its own form with its message.
 */
export function ConcernsSection(props: {
  concerns: readonly ConcernRecord[];
  placement: { schoolYear: string; studentNumber: string };
  /** The student page, where the forms return to. */
  back: string;
  form?: ConcernFormState | undefined;
}) {
  const { concerns, placement, back, form } = props;
  const base = `/overzicht/student/${placement.schoolYear}/${placement.studentNumber}/zorgen`;
  const open = concerns.find((c) => c.state === 'open');
  const newestFirst = [...concerns].reverse();
  return (
    <>
      <h2 id="zorgen">Zorgen over de voortgang</h2>
      {concerns.length === 0 && <p class="muted">Er is geen zorg over de voortgang gemeld.</p>}
      {newestFirst.map((concern) => (
        <ConcernItem concern={concern} action={`${base}/${concern.concernId}/stappen`} back={back} form={form?.target === concern.concernId ? form : undefined} />
      ))}
      {open ? (
        <p class="muted">Een nieuwe zorg melden kan als de open zorg is afgesloten (stap "{CONCERN_STEP_LABELS.gesloten}").</p>
      ) : (
        <RaiseConcernForm action={base} back={back} form={form?.target === 'nieuw' ? form : undefined} />
      )}
    </>
  );
}

/** Who did it: "Jan van 't Hek (WPB)". */
const who = (by: ConcernRecord['raisedBy']) => `${by.name} (${CONCERN_ROLE_LABELS[by.role]})`;

function ConcernItem(props: { concern: ConcernRecord; action: string; back: string; form: ConcernFormState | undefined }) {
  const { concern, form } = props;
  const isOpen = concern.state === 'open';
  const recorded = new Set(concern.steps.map((s) => s.step));
  const chosen = form?.values.stap ?? CONCERN_STEPS.find((step) => !recorded.has(step)) ?? 'gesloten';
  const id = `zorg-${concern.concernId}`;
  return (
    <section
      class="concern"
      style={`background: #fff; border: 1px solid #c8c8c8; border-left: 4px solid ${isOpen ? '#a50d25' : '#c8c8c8'}; padding: .25rem 1rem; margin: 1rem 0`}
      data-concern={concern.concernId} aria-labelledby={`${id}-kop`}>
      <h3 id={`${id}-kop`}>
        Zorg gemeld op {formatDutchInstant(concern.raisedAt, { time: 'minute' })} door {who(concern.raisedBy)}
        {' · '}
        <span class={isOpen ? 'badge' : 'state'}>{isOpen ? 'open' : 'afgesloten'}</span>
      </h3>
      <p>
        <strong>Reden:</strong>
      </p>
      <p style={PRE}>{concern.reason}</p>
      {concern.steps.length === 0 ? (
        <p class="muted">Nog geen stap vastgelegd.</p>
      ) : (
        <ol class="concern-steps">
          {concern.steps.map((s) => (
            <li data-step={s.step}>
              <strong>{CONCERN_STEP_LABELS[s.step]}</strong>: {formatDutchInstant(s.at, { time: 'minute' })}, door {who(s.by)}
              {s.note && <p style={PRE}>{s.note}</p>}
            </li>
          ))}
        </ol>
      )}
      {isOpen && (
        <form method="post" action={props.action} class="concern-form" style="max-width: 40rem" novalidate>
          <input type="hidden" name="terug" value={props.back} />
          <label for={`${id}-stap`}>Stap vastleggen</label>
          <select id={`${id}-stap`} name="stap">
            {CONCERN_STEPS.map((step) => (
              <option value={step} selected={step === chosen}>
                {CONCERN_STEP_LABELS[step]}
                {recorded.has(step) ? ' (al eerder vastgelegd)' : ''}
              </option>
            ))}
          </select>
          <label for={`${id}-notitie`}>Notitie (optioneel, hoogstens {CONCERN_TEXT_MAX} tekens)</label>
          {form?.errors.notitie && (
            <p class="error" id={`${id}-notitie-fout`} role="alert">
              {form.errors.notitie}
            </p>
          )}
          <textarea
            id={`${id}-notitie`}
            name="notitie"
            rows={3}
            maxlength={CONCERN_TEXT_MAX}
            {...(form?.errors.notitie ? { 'aria-describedby': `${id}-notitie-fout`, 'aria-invalid': 'true' } : {})}
          >
            {form?.values.notitie ?? ''}
          </textarea>
          <div class="actions">
            <button type="submit">Stap vastleggen</button>
          </div>
        </form>
      )}
    </section>
  );
}

function RaiseConcernForm(props: { action: string; back: string; form: ConcernFormState | undefined }) {
  const error = props.form?.errors.reden;
  return (
    <form method="post" action={props.action} class="concern-form" style="max-width: 40rem" novalidate>
      <input type="hidden" name="terug" value={props.back} />
      <h3>Zorg over de voortgang melden</h3>
      <p>
        Toont de student onvoldoende voortgang of gaat het niet goed in het werkplekleren? Meld het hier; de SO, de IO en de SCO krijgen een e-mail.
        Daarna, volgens de handleiding:
      </p>
      <ol>
        {CONCERN_NEXT_STEPS.map((step) => (
          <li>{step}</li>
        ))}
      </ol>
      <label for="zorg-reden">Reden (hoogstens {CONCERN_TEXT_MAX} tekens)</label>
      {error && (
        <p class="error" id="zorg-reden-fout" role="alert">
          {error}
        </p>
      )}
      <textarea id="zorg-reden" name="reden" rows={5} maxlength={CONCERN_TEXT_MAX} {...(error ? { 'aria-describedby': 'zorg-reden-fout', 'aria-invalid': 'true' } : {})}>
        {props.form?.values.reden ?? ''}
      </textarea>
      <div class="actions">
        <button type="submit">Zorg melden</button>
      </div>
    </form>
  );
}
