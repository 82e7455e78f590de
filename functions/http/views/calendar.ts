import { html } from 'hono/html';
import { formatDutchDate, periodLabel, type Provenance, type SchoolYear, type Whereabouts } from '#shared/calendar.ts';
import { derivedNote, provisionalNote } from '#shared/content/calendar-catalog.ts';
import { dutchList } from '#shared/dutch.ts';
import { page } from '#shared/web/layout.tsx';

/*
 * `provisional` holds the ids of the school years that are provisional (deps.calendar.isProvisional):
 * such a year shows "voorlopig" wherever it is named. A derived date shows why it was derived.
 */

/** The start page: today's date and where in the school year it falls. */
export function startPage(here: Whereabouts, provisional: ReadonlySet<string>) {
  return page(
    'Start',
    html`<h1>Werkplekleren N2</h1>
        <p>Vandaag is het ${formatDutchDate(here.date)}.</p>
        ${describe(here, provisional)}
        <p><a href="/kalender">Alle schooljaren en periodes</a></p>`,
  );
}

/** The calendar: every school year's periods and deadlines, the current year (by id) marked. */
export function calendarPage(years: readonly SchoolYear[], currentYearId: string | undefined, provisional: ReadonlySet<string>) {
  return page(
    'Kalender',
    html`<h1>Onderwijsperiodes werkplekleren N2</h1>
        <p>De deadline is de uiterste inleverdatum voor de student. Een datum met "afgeleid" is niet gepubliceerd maar afgeleid; de reden staat erbij.</p>
        ${years.map((year) => yearTable(year, year.id === currentYearId, provisional.has(year.id)))}`,
  );
}

/** A calendar date in Dutch; a derived one followed by "(afgeleid: <reason>)", as the emails and feeds say it. */
function dated(day: string, source: Provenance | undefined) {
  const note = derivedNote(source);
  return note === undefined ? formatDutchDate(day) : html`${formatDutchDate(day)} <span class="muted">(${note})</span>`;
}

function badge(isProvisional: boolean) {
  return isProvisional ? html` <span class="badge">voorlopig</span>` : '';
}

function provisionalNotice(year: SchoolYear, isProvisional: boolean) {
  return isProvisional ? html`<p class="notice"><strong>Voorlopig.</strong> ${provisionalNote(year)}</p>` : '';
}

function describe(here: Whereabouts, provisional: ReadonlySet<string>) {
  if (here.kind === 'period') {
    const { year, period } = here;
    return html`${provisionalNotice(year, provisional.has(year.id))}
      <p>Schooljaar <strong>${year.id}</strong>${badge(provisional.has(year.id))},
        ${periodLabel(period)}: van ${dated(period.start, period.sources.start)} tot en met ${dated(period.end, period.sources.end)}.</p>
      <p>Deadline student: <strong>${dated(period.deadline, period.sources.deadline)}</strong>.</p>`;
  }
  const next = here.next
    ? html`<p>Hierna: ${periodLabel(here.next.period)} van schooljaar ${here.next.year.id}${badge(provisional.has(here.next.year.id))},
        vanaf ${dated(here.next.period.start, here.next.period.sources.start)} (deadline student ${dated(here.next.period.deadline, here.next.period.sources.deadline)}).</p>`
    : html`<p>Er is nog geen volgende periode bekend.</p>`;
  if (here.kind === 'between') {
    return html`${provisionalNotice(here.year, provisional.has(here.year.id))}
      <p>Schooljaar <strong>${here.year.id}</strong>${badge(provisional.has(here.year.id))}: nu is er geen onderwijsperiode.</p>
      ${next}`;
  }
  return html`<p>Voor deze datum is geen schooljaar bekend.</p>${next}`;
}

function placement(year: SchoolYear) {
  const start = year.placementStart === null ? 'nog niet bekend' : dated(year.placementStart, year.sources.placementStart);
  return html`<p>Start van de stage: ${start}. Stagedagen: ${dutchList(year.placementDays)}.</p>`;
}

function yearTable(year: SchoolYear, current: boolean, isProvisional: boolean) {
  return html`<h2>Schooljaar ${year.id}${badge(isProvisional)}${current ? html` <span class="muted">(huidig)</span>` : ''}</h2>
    ${provisionalNotice(year, isProvisional)}
    ${placement(year)}
    <table>
      <thead><tr><th scope="col">Periode</th><th scope="col">Van</th><th scope="col">Tot en met</th><th scope="col">Deadline student</th></tr></thead>
      <tbody>
        ${year.periods.map(
          (period) => html`<tr>
            <td data-label="Periode">OP${period.number}</td>
            <td data-label="Van">${dated(period.start, period.sources.start)}</td>
            <td data-label="Tot en met">${dated(period.end, period.sources.end)}</td>
            <td data-label="Deadline student">${dated(period.deadline, period.sources.deadline)}</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
}
