import { formatDutchDate, formatDutchInstant, periodLabel } from '#shared/calendar.ts';
import { kijkwijzerTypeList } from '#shared/dutch.ts';
import { OBSERVER_LABELS_SHORT } from '#shared/overview/labels.ts';
import type { AdviceSignal } from '#shared/overview/signals.ts';
import { STATUS_FILTERS, type OverviewPageData } from '#shared/usecases/overview.ts';
import { Layout } from '#shared/web/layout.tsx';
import { ACTIONS_CSS, AuditLog, ReplaceWpbForm, RequestActions } from './overview-parts.tsx';
import { ProgressCountsCompact } from './progress-counts.tsx';

const SIGNAL_TEXT: Record<AdviceSignal['kind'], string> = {
  'positief-bij-lage-scores': 'Positief advies, maar de meeste scores in de laatste kijkwijzers zijn onder voldoende',
  'negatief-bij-goede-scores': 'Negatief advies, maar de meeste scores in de laatste kijkwijzers zijn voldoende of goed',
};

const OVERVIEW_CSS = `
main { max-width: 72rem; }
.filters { display: flex; flex-wrap: wrap; gap: 1rem; align-items: end; }
.filters label { margin: 0 0 .25rem; }
.filters select { width: auto; }
.filters > * { min-width: 0; max-width: 100%; }
.signal { color: #7a0019; font-weight: 600; }
.concern { display: inline-block; padding: 0 .4rem; border-radius: .25rem; border: 1px solid #7a0019; background: #fde8ea; color: #5c0013; font-weight: 600; }
`;

/** Whether the WPB's advice is in, with a link to read it once it is (OverviewRow['advice']). */
function AdviceLine(props: { advice: NonNullable<OverviewPageData['rows'][number]['advice']> }) {
  const { advice } = props;
  if (!advice.submittedAt) return <p class="advice">Advies WPB: nog niet ingediend</p>;
  const text = `ingediend op ${formatDutchInstant(advice.submittedAt)}`;
  const r = advice.request;
  return (
    <p class="advice">
      Advies WPB: {r ? <a href={`/overzicht/formulier/${r.schoolYear}/${r.studentNumber}/${r.requestId}`}>{text}</a> : text}
    </p>
  );
}

/** The staff overview of a period: students against the forms due, with filters, actions and the CSV links. */
export function OverviewPage(
  props: OverviewPageData & {
    /** This page's path and query: where the actions return to. */
    back: string;
    notice: string | undefined;
  },
) {
  const { staff, choice, rows, schools } = props;
  const title = (formId: string) => props.titles[formId] ?? formId;
  const csvQuery = new URLSearchParams({ jaar: choice.year.id, periode: String(choice.period.number), ...(props.school ? { school: props.school } : {}) });
  return (
    <Layout title="Overzicht" extraCss={OVERVIEW_CSS + ACTIONS_CSS}>
      <form method="post" action="/uitloggen" style="float:right">
        <button type="submit" class="secondary">
          Uitloggen
        </button>
      </form>
      <h1>
        Overzicht {periodLabel(choice.period)}, schooljaar {choice.year.id}
      </h1>
      <p class="muted">
        Ingelogd als {staff.name === staff.email ? staff.email : `${staff.name} (${staff.email})`}.
        {staff.scope.admin && (
          <>
            {' '}
            <a href="/beheer/rooster">Rooster uploaden</a> · <a href="/beheer/formulieren">Formulieren beheren</a> ·{' '}
            <a href="/beheer/schooljaren">Schooljaren beheren</a>
          </>
        )}{' '}
        <a href={`/overzicht/agenda.ics?jaar=${choice.year.id}`}>Deadlines en taken in uw agenda</a>
      </p>
      {props.notice && (
        <p class="success" role="status">
          {props.notice}
        </p>
      )}
      <p>
        Deadline: <strong>{formatDutchDate(choice.period.deadline)}</strong>. {rows.length} van {props.total} studenten getoond.
      </p>
      <form method="get" action="/overzicht" class="filters">
        <div>
          <label for="jaar">Schooljaar</label>
          <select id="jaar" name="jaar">
            {props.years.map((id) => (
              <option value={id} selected={id === choice.year.id}>
                {id}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="periode">Periode</label>
          <select id="periode" name="periode">
            {[1, 2, 3, 4].map((n) => (
              <option value={String(n)} selected={n === choice.period.number}>
                OP{n}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="school">School</label>
          <select id="school" name="school">
            <option value="">alle scholen</option>
            {schools.map((s) => (
              <option value={s} selected={s === props.school}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="status">Studenten</label>
          <select id="status" name="status">
            <option value="">alle</option>
            {Object.entries(STATUS_FILTERS).map(([value, label]) => (
              <option value={value} selected={value === props.status}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <button type="submit">Toon</button>
        </div>
      </form>
      <p>
        <a href={`/overzicht/export.xlsx?${csvQuery}`}>Download Excel</a> (ingediende formulieren van deze periode) ·{' '}
        <a href={`/overzicht/export.csv?${csvQuery}`}>CSV downloaden</a> ·{' '}
        <a href={`/overzicht/export.csv?${csvQuery}&scheiding=,`}>CSV met komma's</a>
      </p>
      {rows.length === 0 ? (
        <p>Geen studenten om te tonen.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Student</th>
              <th scope="col">School</th>
              <th scope="col">Formulieren deze periode</th>
              <th scope="col">Kijkwijzers</th>
              <th scope="col">Voortgang dit schooljaar</th>
              <th scope="col">Signalen</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr data-student={row.placement.studentNumber}>
                <td data-label="Student">
                  <a href={`/overzicht/student/${row.placement.schoolYear}/${row.placement.studentNumber}`}>{row.placement.student.name}</a>
                  <br />
                  <span class="muted">
                    {row.placement.studentNumber} · {row.placement.vak}
                  </span>
                  <details>
                    <summary>WPB vervangen</summary>
                    <ReplaceWpbForm placement={row.placement} back={props.back} />
                  </details>
                </td>
                <td data-label="School">{row.placement.school}</td>
                <td data-label="Formulieren deze periode">
                  {row.requests.length === 0 ? (
                    <span class="muted">niets gevraagd</span>
                  ) : (
                    <ul>
                      {row.requests.map((r) => (
                        <li>
                          {r.state === 'ingediend' ? (
                            <a href={`/overzicht/formulier/${r.schoolYear}/${r.studentNumber}/${r.requestId}`}>{title(r.formId)}</a>
                          ) : (
                            title(r.formId)
                          )}{' '}
                          <span class={`state state-${r.state}`}>{r.state}</span>
                          {r.state === 'ingediend' && r.submittedAt && <> {formatDutchInstant(r.submittedAt, { time: 'minute' })}</>}
                          <span class="muted"> · {OBSERVER_LABELS_SHORT[r.observerRole]} {r.observer.name}</span>
                          <br />
                          <RequestActions request={r} title={title(r.formId)} now={props.now} graceDays={props.graceDays} back={props.back} />
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td data-label="Kijkwijzers">
                  {row.missing.length === 0 ? (
                    <span class="muted">compleet</span>
                  ) : (
                    // "ontbreekt" only once the year's rule is due (issue 14: nobody is behind before then).
                    <>
                      {row.counts.kijkwijzers.due ? (
                        <span class="state state-ontbreekt">ontbreekt</span>
                      ) : (
                        <span class="state state-nog-nodig">nog nodig{row.counts.kijkwijzers.byEndOfPeriod ? ` vóór einde OP${row.counts.kijkwijzers.byEndOfPeriod}` : ''}</span>
                      )}{' '}
                      {kijkwijzerTypeList(row.missing)}
                    </>
                  )}
                </td>
                <td data-label="Voortgang dit schooljaar">
                  <ProgressCountsCompact counts={row.counts} />
                </td>
                <td data-label="Signalen">
                  {row.concern && (
                    <p>
                      <a class="concern" href={`/overzicht/student/${row.placement.schoolYear}/${row.placement.studentNumber}`}>
                        Zorg open
                      </a>{' '}
                      sinds {formatDutchInstant(row.concern.raisedAt)}
                    </p>
                  )}
                  {row.advice && <AdviceLine advice={row.advice} />}
                  {row.signal && <p class="signal">{SIGNAL_TEXT[row.signal.kind]} ({row.signal.below} van {row.signal.scored} onder voldoende).</p>}
                  {/* A fact, not a judgement: on a period's first day nobody has anything in yet. */}
                  {row.nothingIn && <p class="muted">Niets ingediend deze periode.</p>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.exports && (
        <>
          <h2>Logboek downloads (CSV en Excel) van deze periode</h2>
          <AuditLog events={props.exports} />
        </>
      )}
    </Layout>
  );
}
