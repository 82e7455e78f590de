import { formatDutchDate, periodLabel } from '#shared/calendar.ts';
import { calendarDate, derivedReason, provisionalNote } from '#shared/content/calendar-catalog.ts';
import type { DigestPreview } from '#shared/digest/preview.ts';
import { capitalize, countOf, dutchList, kijkwijzerTypeList } from '#shared/dutch.ts';
import { PERIODS, ROLE_LABELS, ROLES } from '#shared/tasks.ts';
import type { YearConceptView } from '#shared/usecases/content.ts';
import { Layout } from '#shared/web/layout.tsx';
import { byWhomWhen, CONTENT_CSS, YEAR_AREA } from './content-parts.tsx';
import { yearConceptPath } from './content-years-page.tsx';

/** What the concept page of a school year shows besides the concept. */
export interface YearConceptExtras {
  /** The Monday of the digest preview (YYYY-MM-DD), as chosen or by default. */
  monday: string;
  /** Why that day cannot be previewed (not a Monday, outside the year); then `digests` is empty. */
  mondayProblem?: string | undefined;
  /** Each role's weekly digest on that Monday; a role without one gets no email that week. */
  digests: readonly DigestPreview[];
  /** The Dutch titles of the forms the periods request automatically, by form id. */
  formTitles: Readonly<Record<string, string>>;
}

/** A date, with the reason when it was derived rather than published. */
function DateCell(props: { day: string; source: Parameters<typeof derivedReason>[0]; label: string }) {
  const reason = derivedReason(props.source);
  return (
    <td data-label={props.label}>
      {calendarDate(props.day, props.source)}
      {reason && (
        <>
          <br />
          <span class="muted">{reason}</span>
        </>
      )}
    </td>
  );
}

/**
 * A checked school-year workbook, before it is published: what it changes, its periods, stage and
 * tasks, and what each role's weekly digest says on a chosen Monday; then Publiceren.
 */
export function ContentYearConceptPage(props: YearConceptView & YearConceptExtras) {
  const { year, tasks } = props;
  const path = yearConceptPath(props.uploadId);
  return (
    <Layout title={`Concept: schooljaar ${year.id}`} extraCss={CONTENT_CSS}>
      <p>
        <a href={YEAR_AREA.home}>{YEAR_AREA.homeLabel}</a>
      </p>
      <h1>
        Concept: schooljaar {year.id}, versie {props.nextVersion}
      </h1>
      <p role="status" class="success">
        De werkmap is in orde. Er is nog niets gepubliceerd.
      </p>
      <ul>
        <li>
          Status: <strong>{year.provisional ? 'voorlopig' : 'definitief'}</strong>.{year.provisional ? ` ${provisionalNote(year)}` : ''}
        </li>
        <li>
          Schooljaar van {formatDutchDate(year.start)} tot en met {formatDutchDate(year.end)}.
        </li>
        <li>
          Stage vanaf {year.placementStart === null ? 'een nog onbekende datum' : calendarDate(year.placementStart, year.sources.placementStart)}, op{' '}
          {dutchList(year.placementDays)}.
        </li>
        <li>Kijkwijzers: {kijkwijzerTypeList(year.kijkwijzerTypes)}.</li>
        {year.requiredKijkwijzers && (
          <li>
            Verplicht vóór het einde van periode {year.requiredKijkwijzers.byEndOfPeriod}: {kijkwijzerTypeList(year.requiredKijkwijzers.types)}.
          </li>
        )}
        <li>
          Geüpload: {props.fileName}, {byWhomWhen(props.uploadedAt, props.uploadedBy)}.
        </li>
      </ul>
      <h2>Wijzigingen</h2>
      {props.changes.length === 0 ? (
        <p>Geen wijzigingen ten opzichte van het schooljaar zoals het nu geldt.</p>
      ) : (
        <ul class="changes" aria-label="Wijzigingen">
          {props.changes.map((change) => (
            <li>{change}</li>
          ))}
        </ul>
      )}
      <h2>Periodes</h2>
      <table class="dates">
        <thead>
          <tr>
            <th scope="col">Periode</th>
            <th scope="col">Begin</th>
            <th scope="col">Einde</th>
            <th scope="col">Deadline student</th>
            <th scope="col">Automatisch gevraagd</th>
          </tr>
        </thead>
        <tbody>
          {year.periods.map((period) => (
            <tr data-period={String(period.number)}>
              <th scope="row" data-label="Periode">
                {capitalize(periodLabel(period))}
              </th>
              <DateCell day={period.start} source={period.sources.start} label="Begin" />
              <DateCell day={period.end} source={period.sources.end} label="Einde" />
              <DateCell day={period.deadline} source={period.sources.deadline} label="Deadline student" />
              <td data-label="Automatisch gevraagd">
                {period.autoRequests.length === 0 ? '—' : dutchList(period.autoRequests.map((id) => props.formTitles[id] ?? id))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2 id="weekoverzicht">Weekoverzicht op een maandag</h2>
      <p>
        Wat elke rol op die maandag in het weekoverzicht krijgt als dit schooljaar gepubliceerd is, voor een voorbeeldstudent. Het is dezelfde
        e-mail die de echte verzending maakt.
      </p>
      <form method="get" action={`${path}#weekoverzicht`}>
        <label for="maandag">Maandag</label>
        <input type="date" id="maandag" name="maandag" value={props.monday} min={year.start} max={year.end} required />
        <div class="actions">
          <button type="submit" class="secondary">
            Weekoverzicht tonen
          </button>
        </div>
      </form>
      {props.mondayProblem ? (
        <p class="error" role="alert">
          {props.mondayProblem}
        </p>
      ) : (
        ROLES.map((role) => {
          const digest = props.digests.find((d) => d.role === role);
          return (
            <div class="digest" data-digest={role}>
              <h3>{ROLE_LABELS[role]}</h3>
              {digest ? (
                <>
                  <p>
                    <strong>Onderwerp:</strong> {digest.subject}
                  </p>
                  <pre>{digest.text}</pre>
                </>
              ) : (
                <p class="muted">Krijgt op {formatDutchDate(props.monday)} geen weekoverzicht: er is die week niets te melden.</p>
              )}
            </div>
          );
        })
      )}
      <h2>Taken per rol en periode</h2>
      {tasks.sameAs !== undefined ? (
        <p>Dezelfde taken als schooljaar {tasks.sameAs}.</p>
      ) : (
        ROLES.map((role) => (
          <details data-role={role}>
            <summary>
              {ROLE_LABELS[role]}: {countOf(PERIODS.reduce((sum, period) => sum + (tasks[role]?.[`OP${period}`]?.length ?? 0), 0), 'taak', 'taken')}
            </summary>
            {PERIODS.map((period) => (
              <>
                <h3>OP{period}</h3>
                <ul>
                  {(tasks[role]?.[`OP${period}`] ?? []).map((task) => (
                    <li>{task.text}</li>
                  ))}
                </ul>
              </>
            ))}
          </details>
        ))
      )}
      <h2>Publiceren</h2>
      {props.outdated ? (
        <p class="error" role="alert">
          Intussen is er een andere versie van schooljaar {year.id} gepubliceerd, dus dit concept kan niet meer worden gepubliceerd. Download het
          schooljaar opnieuw, breng uw wijzigingen daarin aan en upload het.
        </p>
      ) : (
        <form method="post" action={`${path}/publiceren`}>
          <p>
            Na publiceren geldt schooljaar {year.id} zoals hierboven, vanaf de volgende aanvraag en het volgende weekoverzicht: de kalender, de
            taken en de automatische aanvragen.
          </p>
          <div class="actions">
            <button type="submit">Publiceren</button>
            <a href={YEAR_AREA.home}>Annuleren</a>
          </div>
        </form>
      )}
    </Layout>
  );
}
