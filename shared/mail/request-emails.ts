import { formatDutchDate, formatDutchInstant, getSchoolYear, periodLabel } from '../calendar.ts';
import { calendarDateWithReason, provisionalNote, type CalendarCatalog } from '../content/calendar-catalog.ts';
import type { FormCatalog } from '../forms/catalog.ts';
import { formUrl, studentUrl } from '../links.ts';
import { OBSERVER_LABELS } from '../model/request-rules.ts';
import type { Person, Placement } from '../roster/placement.ts';
import type { ObserverRole, RequestRecord } from '../model/requests.ts';
import { renderEmail } from './templates.ts';

/** The emails of a request's life: asked (or reminded), withdrawn, its link revoked, and the student's welcome. */

/**
 * What the request emails need: the link secret and origin for the links, the catalog for the
 * forms' names, the calendar for how sure the deadline is.
 */
export interface RequestEmailDeps {
  linkSecret: string;
  publicOrigin: string;
  forms: Pick<FormCatalog, 'title' | 'reference'>;
  calendar: Pick<CalendarCatalog, 'years' | 'isProvisional'>;
}

/**
 * The request's deadline as the digest and the calendar feed show it: "(afgeleid: <reason>)" when
 * the calendar derived its period's deadline rather than published it, "(voorlopig)" in a provisional
 * year, with that year's note. A deadline the calendar no longer gives (the year was published
 * again since; the request keeps its own) is just the date.
 */
function deadlineOf(deps: Pick<RequestEmailDeps, 'calendar'>, request: RequestRecord): { text: string; note?: string } {
  const year = getSchoolYear(request.schoolYear, deps.calendar.years);
  const period = year?.periods.find((p) => p.number === request.period);
  const day = period?.deadline === request.deadline ? calendarDateWithReason(request.deadline, period.sources.deadline) : formatDutchDate(request.deadline);
  if (!year || !deps.calendar.isProvisional(year.id)) return { text: day };
  return { text: `${day} (voorlopig)`, note: `Let op: voor schooljaar ${year.id} geldt een voorlopige planning. ${provisionalNote(year)}` };
}

/** Whom an observer asks about a request, by role (an SO is not sent to the school's SO). */
const REQUEST_CONTACT: Record<ObserverRole, string> = {
  wpb: 'de schoolopleider van uw school',
  so: 'de instituutsopleider van de student',
  io: 'de schoolopleider van de school',
};

/**
 * The email that asks an observer to fill in a form. A reminder (staff's "Herinnering sturen")
 * is the same email with the same link, so a saved draft carries over.
 */
export function requestEmail(deps: RequestEmailDeps, request: RequestRecord, options: { reminder?: boolean } = {}) {
  const lesson = request.lessonDate ? ` van ${formatDutchDate(request.lessonDate)}` : '';
  const reference = deps.forms.reference(request.formId);
  const paragraphs =
    request.origin === 'student'
      ? [`${request.student.name} vraagt u ${reference} in te vullen over de les${lesson}${request.className ? ` in klas ${request.className}` : ''}.`]
      : [`In ${periodLabel({ number: request.period })} vragen we u ${reference} in te vullen voor ${request.student.name}.`];
  if (options.reminder) {
    paragraphs.unshift(
      request.state === 'concept'
        ? 'Een herinnering: dit formulier is nog niet ingediend. Uw concept is bewaard; met dezelfde link gaat u verder waar u was gebleven.'
        : 'Een herinnering: dit formulier staat nog voor u open.',
    );
  }
  if (request.question) paragraphs.push(`Vraag van de student: ${request.question}`);
  const deadline = deadlineOf(deps, request);
  paragraphs.push(
    `U kunt een concept opslaan en later verdergaan. Invullen kan tot en met ${deadline.text}. U heeft geen account nodig. De link hieronder is persoonlijk: stuur hem niet door.`,
  );
  if (deadline.note) paragraphs.push(deadline.note);
  return renderEmail({
    to: request.observer.email,
    subject: `${options.reminder ? 'Herinnering: ' : ''}${deps.forms.title(request.formId)} voor ${request.student.name}`,
    greeting: `Beste ${request.observer.name},`,
    paragraphs,
    action: { label: 'Formulier openen', url: formUrl(deps, request.linkId) },
    footer: `U krijgt deze e-mail als ${OBSERVER_LABELS[request.observerRole]} van ${request.student.name} (${request.vak}, ${request.school}) bij werkplekleren N2 van Hogeschool Rotterdam. Vragen? Neem contact op met ${REQUEST_CONTACT[request.observerRole]}.`,
  });
}

/** The email that tells an observer a request was withdrawn and their link no longer opens. */
export function withdrawnEmail(deps: Pick<RequestEmailDeps, 'forms'>, request: RequestRecord) {
  const lesson = request.lessonDate ? ` voor de les van ${formatDutchDate(request.lessonDate)}${request.className ? ` in klas ${request.className}` : ''}` : '';
  return renderEmail({
    to: request.observer.email,
    subject: `Ingetrokken: ${deps.forms.title(request.formId)} voor ${request.student.name}`,
    greeting: `Beste ${request.observer.name},`,
    paragraphs: [
      `${request.student.name} heeft de aanvraag ingetrokken: u hoeft ${deps.forms.reference(request.formId)}${lesson} niet in te vullen.`,
      request.latestVersion > 0
        ? 'De link uit de eerdere e-mail werkt niet meer. Uw opgeslagen concept wordt niet ingediend.'
        : 'De link uit de eerdere e-mail werkt niet meer.',
      `Was dit niet de bedoeling? Neem dan contact op met ${request.student.name}; bij een nieuwe aanvraag krijgt u een nieuwe link.`,
    ],
    footer: `U krijgt deze e-mail als ${OBSERVER_LABELS[request.observerRole]} van ${request.student.name} (${request.vak}, ${request.school}) bij werkplekleren N2 van Hogeschool Rotterdam.`,
  });
}

/** The email that tells an observer staff revoked their link: what stopped working, why, and whom to ask. */
export function revokedLinkEmail(deps: Pick<RequestEmailDeps, 'forms'>, request: RequestRecord, options: { by: string; reason?: string | undefined }) {
  const title = deps.forms.title(request.formId);
  const lesson = request.lessonDate ? ` (les van ${formatDutchDate(request.lessonDate)})` : '';
  return renderEmail({
    to: request.observer.email,
    subject: `Link ingetrokken: ${title} voor ${request.student.name}`,
    greeting: `Beste ${request.observer.name},`,
    paragraphs: [
      `De link naar het formulier "${title}" voor ${request.student.name}${lesson} is ingetrokken door de opleiding en werkt niet meer.`,
      options.reason ? `Reden: ${options.reason}` : 'Dat gebeurt bijvoorbeeld als een link per ongeluk is doorgestuurd of als de aanvraag niet meer nodig is.',
      request.state === 'ingediend'
        ? `Uw ingediende formulier blijft bewaard; alleen corrigeren via deze link kan niet meer. Moet u toch iets corrigeren, dan krijgt u een nieuwe link. Vragen? Neem contact op met ${options.by}.`
        : request.latestVersion > 0
          ? `Uw opgeslagen concept is bewaard. Moet u het formulier toch invullen, dan krijgt u een nieuwe link. Vragen? Neem contact op met ${options.by}.`
          : `Moet u het formulier toch invullen, dan krijgt u een nieuwe link. Vragen? Neem contact op met ${options.by}.`,
    ],
    footer: `U krijgt deze e-mail als ${OBSERVER_LABELS[request.observerRole]} van ${request.student.name} (${request.vak}, ${request.school}) bij werkplekleren N2 van Hogeschool Rotterdam.`,
  });
}

/** The email that welcomes a student with the link to their own page, sent once per placement. */
export function welcomeEmail(deps: Pick<RequestEmailDeps, 'linkSecret' | 'publicOrigin'>, placement: Placement, linkId: string) {
  return renderEmail({
    to: placement.student.email,
    subject: `Welkom bij werkplekleren N2 ${placement.schoolYear}`,
    greeting: `Beste ${placement.student.name},`,
    paragraphs: [
      `Je bent geplaatst bij ${placement.school} voor ${placement.vak}, met ${placement.wpb.name} als werkplekbegeleider.`,
      'Op je eigen pagina zie je de taken en de deadline van deze periode, vraag je een lesobservatie aan en zie je welke kijkwijzers binnen zijn en welke nog ontbreken.',
      'De link is persoonlijk: stuur hem niet door. Bewaar deze e-mail; je krijgt de link ook in elke wekelijkse e-mail.',
    ],
    action: { label: 'Mijn werkplekleren', url: studentUrl(deps, linkId) },
    footer: `Je krijgt deze e-mail omdat je als student in het rooster van werkplekleren N2 (${placement.schoolYear}) staat. Vragen? Neem contact op met je instituutsopleider, ${placement.io.name}.`,
  });
}

/** The staff page of a submitted form, opened after signing in (`/overzicht/formulier/<year>/<nr>/<requestId>`). */
export function staffFormUrl(deps: Pick<RequestEmailDeps, 'publicOrigin'>, request: Pick<RequestRecord, 'schoolYear' | 'studentNumber' | 'requestId'>): string {
  const path = [request.schoolYear, request.studentNumber, request.requestId].map(encodeURIComponent).join('/');
  return `${deps.publicOrigin}/overzicht/formulier/${path}`;
}

/**
 * The email that tells the SO or the IO of a placement that the WPB's advice is in (or was
 * corrected): who the student is, when it came in, and the link to read it after signing in. Never
 * the answers: they are read on the staff page, within the reader's scope.
 */
export function adviceSubmittedEmail(
  deps: Pick<RequestEmailDeps, 'publicOrigin'>,
  input: { request: RequestRecord; title: string; reader: Person; role: 'so' | 'io'; submittedAt: string; correction: boolean },
) {
  const { request, title, reader, role } = input;
  const when = formatDutchInstant(input.submittedAt, { time: 'minute' });
  return renderEmail({
    to: reader.email,
    subject: `${input.correction ? 'Gecorrigeerd' : 'Ingediend'}: ${title} voor ${request.student.name}`,
    greeting: `Beste ${reader.name},`,
    paragraphs: [
      input.correction
        ? `${request.observer.name}, de werkplekbegeleider, heeft het advies over ${request.student.name} gecorrigeerd op ${when}. De nieuwe versie vervangt wat eerder was ingediend.`
        : `Het advies van de werkplekbegeleider over ${request.student.name} is binnen: ${request.observer.name} heeft het ingediend op ${when}.`,
      'U leest het advies na inloggen met de knop hieronder. De inhoud staat niet in deze e-mail.',
    ],
    list: [
      { label: 'Student', value: request.student.name },
      { label: 'Studentnummer', value: request.studentNumber },
      { label: 'School', value: request.school },
      { label: 'Vak', value: request.vak },
    ],
    action: { label: 'Advies lezen (na inloggen)', url: staffFormUrl(deps, request) },
    footer: `U krijgt deze e-mail als ${OBSERVER_LABELS[role]} van ${request.student.name} (${request.vak}, ${request.school}) bij werkplekleren N2 van Hogeschool Rotterdam.`,
  });
}
