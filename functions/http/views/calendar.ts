import { html } from 'hono/html';
import { formatDutchDate, periodLabel, type SchoolYear, type Whereabouts } from '#shared/calendar.ts';
import { page } from '#shared/web/layout.tsx';

/** The start page: today's date and where in the school year it falls. */
export function startPage(here: Whereabouts) {
  return page(
    'Start',
    html`<h1>Werkplekleren N2</h1>
        <p>Vandaag is het ${formatDutchDate(here.date)}.</p>
        ${describe(here)}
        <p><a href="/kalender">Alle schooljaren en periodes</a></p>`,
  );
}

/** The calendar: every school year's periods and deadlines, the current year (by id) marked. */
export function calendarPage(years: readonly SchoolYear[], currentYearId: string | undefined) {
  return page(
    'Kalender',
    html`<h1>Onderwijsperiodes werkplekleren N2</h1>
        <p>Stagedagen zijn maandag en woensdag. De deadline is de uiterste inleverdatum voor de student.</p>
        ${years.map((year) => yearTable(year, year.id === currentYearId))}`,
  );
}

function provisionalNotice(year: SchoolYear) {
  return year.provisional ? html`<p class="notice"><strong>Voorlopig.</strong> ${year.note}</p>` : '';
}

function describe(here: Whereabouts) {
  if (here.kind === 'period') {
    return html`${provisionalNotice(here.year)}
      <p>Schooljaar <strong>${here.year.id}</strong>${here.year.provisional ? html` <span class="badge">voorlopig</span>` : ''},
        ${periodLabel(here.period)}: van ${formatDutchDate(here.period.start)} tot en met ${formatDutchDate(here.period.end)}.</p>
      <p>Deadline student: <strong>${formatDutchDate(here.period.deadline)}</strong>.</p>`;
  }
  const next = here.next
    ? html`<p>Hierna: ${periodLabel(here.next.period)} van schooljaar ${here.next.year.id}${here.next.year.provisional ? html` <span class="badge">voorlopig</span>` : ''},
        vanaf ${formatDutchDate(here.next.period.start)} (deadline student ${formatDutchDate(here.next.period.deadline)}).</p>`
    : html`<p>Er is nog geen volgende periode bekend.</p>`;
  if (here.kind === 'between') {
    return html`${provisionalNotice(here.year)}
      <p>Schooljaar <strong>${here.year.id}</strong>${here.year.provisional ? html` <span class="badge">voorlopig</span>` : ''}: nu is er geen onderwijsperiode.</p>
      ${next}`;
  }
  return html`<p>Voor deze datum is geen schooljaar bekend.</p>${next}`;
}

function yearTable(year: SchoolYear, current: boolean) {
  return html`<h2>Schooljaar ${year.id}${year.provisional ? html` <span class="badge">voorlopig</span>` : ''}${current ? html` <span class="muted">(huidig)</span>` : ''}</h2>
    ${provisionalNotice(year)}
    <table>
      <thead><tr><th scope="col">Periode</th><th scope="col">Van</th><th scope="col">Tot en met</th><th scope="col">Deadline student</th></tr></thead>
      <tbody>
        ${year.periods.map(
          (period) => html`<tr>
            <td data-label="Periode">OP${period.number}</td>
            <td data-label="Van">${formatDutchDate(period.start)}</td>
            <td data-label="Tot en met">${formatDutchDate(period.end)}</td>
            <td data-label="Deadline student">${formatDutchDate(period.deadline)}</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
}
