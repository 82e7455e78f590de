import type { Temporal } from 'temporal-polyfill';
import { formatDutchDate } from '../calendar.ts';
import type { FormCatalog } from '../forms/catalog.ts';
import { formUrl } from '../links.ts';
import { PARTICIPANT_LABELS, whenText } from '../model/appointment-rules.ts';
import { invited, TALK_RHYTHM, type AppointmentRecord, type Participant } from '../model/appointments.ts';
import type { RequestRecord } from '../model/requests.ts';
import { invitationLocation, invitationSummary } from './invitation.ts';
import type * as InvitationWriter from './invitation-ics.ts';
import type { EmailMessage } from './mailer.ts';
import { appointmentUrl } from './report-emails.ts';
import { renderEmail } from './templates.ts';

/**
 * The emails of an appointment's participants (docs/workflow.md, "Email and calendar"): the
 * invitation when it is planned or moved (the details, their link, and the calendar invitation
 * `METHOD:REQUEST`), and the cancellation when it, or their part, is cancelled (`METHOD:CANCEL`).
 * A lesbezoek observer's link is their kijkwijzer's form link; a gesprek participant's is the
 * appointment's page (`/a/<token>`).
 */

/**
 * The iCalendar writer (ical-generator with the Amsterdam VTIMEZONE), imported on the first
 * invitation or cancellation: a chunk of its own in the Lambda bundle, not loaded by every request.
 */
function invitationWriter(): Promise<typeof InvitationWriter> {
  return import('./invitation-ics.ts');
}

/** What the appointment emails need: the link secret and origin for the links and the UID, the forms' names. */
export interface AppointmentEmailDeps {
  linkSecret: string;
  publicOrigin: string;
  forms: Pick<FormCatalog, 'title' | 'reference'>;
}

/** What one email is about. */
export interface ParticipantEmailInput {
  appointment: AppointmentRecord;
  participant: Participant;
  /** A lesbezoek observer's kijkwijzer request (its current link). */
  request?: RequestRecord;
  now: Temporal.Instant;
}

/** The recipient's link and its label; none for a lesbezoek part without its request. */
function linkOf(deps: AppointmentEmailDeps, input: ParticipantEmailInput): { label: string; url: string } | undefined {
  if (input.appointment.kind === 'lesbezoek') return input.request ? { label: 'Kijkwijzer openen', url: formUrl(deps, input.request.linkId) } : undefined;
  return input.participant.linkId ? { label: 'Afspraak bekijken', url: appointmentUrl(deps, input.participant.linkId) } : undefined;
}

/** The details of an appointment, as a list in the email and as lines of the calendar's description. */
function details(deps: AppointmentEmailDeps, input: ParticipantEmailInput): { label: string; value: string }[] {
  const { appointment, participant } = input;
  const others = invited(appointment).filter((p) => p.role !== participant.role);
  return [
    { label: 'Wanneer', value: whenText(appointment) },
    { label: 'Waar', value: invitationLocation(appointment) },
    ...(appointment.className ? [{ label: 'Klas', value: appointment.className }] : []),
    ...(appointment.talkType ? [{ label: 'Soort gesprek', value: TALK_RHYTHM[appointment.talkType].label }] : []),
    ...(participant.formId ? [{ label: 'Kijkwijzer', value: deps.forms.title(participant.formId) }] : []),
    { label: 'Student', value: `${appointment.student.name} (${appointment.student.email})` },
    ...(others.length > 0 ? [{ label: 'Ook uitgenodigd', value: others.map((p) => `${p.person.name}, ${PARTICIPANT_LABELS[p.role]}`).join('; ') }] : []),
  ];
}

const footer = (appointment: AppointmentRecord, participant: Participant) =>
  `U krijgt deze e-mail als ${PARTICIPANT_LABELS[participant.role]} van ${appointment.student.name} (${appointment.vak}, ${appointment.school}) bij werkplekleren N2 van Hogeschool Rotterdam. Vragen over de afspraak? Neem contact op met ${appointment.student.name}, ${appointment.student.email}.`;

/**
 * The invitation of one participant, with the calendar invitation (`METHOD:REQUEST`, the
 * appointment's SEQUENCE): `change` says whether it was just planned or moved.
 */
export async function invitationEmail(deps: AppointmentEmailDeps, input: ParticipantEmailInput & { change: 'gepland' | 'verplaatst' }): Promise<EmailMessage> {
  const { appointment, participant, request } = input;
  const student = appointment.student.name;
  const link = linkOf(deps, input);
  const moved = input.change === 'verplaatst';
  const paragraphs =
    appointment.kind === 'lesbezoek'
      ? [
          moved
            ? `${student} heeft het lesbezoek verplaatst naar ${whenText(appointment)}. Hieronder staan de nieuwe gegevens; de afspraak in uw agenda wordt bijgewerkt als u de uitnodiging accepteert.`
            : `${student} heeft een lesbezoek gepland en vraagt u de les te observeren${appointment.className ? ` in klas ${appointment.className}` : ''}.`,
          ...(participant.formId && request
            ? [
                `U vult daarbij ${deps.forms.reference(participant.formId)} in. Met de knop hieronder opent u het formulier; u kunt een concept opslaan en later verdergaan, tot en met ${formatDutchDate(request.deadline)}. U heeft geen account nodig. De link is persoonlijk: stuur hem niet door.`,
              ]
            : []),
        ]
      : [
          moved
            ? `${student} heeft het driehoeksgesprek verplaatst naar ${whenText(appointment)}. Hieronder staan de nieuwe gegevens; de afspraak in uw agenda wordt bijgewerkt als u de uitnodiging accepteert.`
            : `${student} heeft een driehoeksgesprek gepland${appointment.talkType ? ` (${TALK_RHYTHM[appointment.talkType].label})` : ''} en nodigt u daarvoor uit.`,
          `Met de knop hieronder ziet u de afspraak en, na het gesprek, het verslag dat ${student} ervan maakt. U heeft geen account nodig. De link is persoonlijk: stuur hem niet door.`,
        ];
  paragraphs.push('De uitnodiging voor uw agenda zit bij deze e-mail: accepteer hem om de afspraak in uw agenda te zetten.');
  const list = details(deps, input);
  const email = renderEmail({
    to: participant.person.email,
    subject: `${moved ? 'Verplaatst: ' : ''}${invitationSummary(appointment)} op ${formatDutchDate(appointment.date)} om ${appointment.start}`,
    greeting: `Beste ${participant.person.name},`,
    paragraphs,
    list,
    ...(link ? { action: link } : {}),
    footer: footer(appointment, participant),
  });
  const ics = (await invitationWriter()).invitationIcs({
    appointment,
    recipient: participant.person,
    method: 'REQUEST',
    publicOrigin: deps.publicOrigin,
    now: input.now,
    details: list.map((item) => `${item.label}: ${item.value}`),
    ...(link ? { link } : {}),
  });
  return { ...email, calendar: { method: 'REQUEST', ics } };
}

/**
 * The cancellation of one participant's part, or of the whole appointment (`whole`), with the
 * calendar's `METHOD:CANCEL` of the same UID: the event leaves their calendar.
 */
export async function cancellationEmail(deps: AppointmentEmailDeps, input: ParticipantEmailInput & { whole: boolean }): Promise<EmailMessage> {
  const { appointment, participant } = input;
  const student = appointment.student.name;
  const what = appointment.kind === 'lesbezoek' ? 'het lesbezoek' : 'het driehoeksgesprek';
  const paragraphs = [
    input.whole
      ? `${student} heeft ${what} van ${whenText(appointment)} geannuleerd.`
      : `${student} heeft u afgemeld voor ${what} van ${whenText(appointment)}: u hoeft er niet bij te zijn.`,
    ...(appointment.kind === 'lesbezoek' && participant.formId
      ? [`U hoeft ${deps.forms.reference(participant.formId)} hiervoor niet in te vullen. De link uit de eerdere e-mail werkt niet meer.`]
      : []),
    'Met de annulering bij deze e-mail verdwijnt de afspraak uit uw agenda.',
  ];
  const email = renderEmail({
    to: participant.person.email,
    subject: `Geannuleerd: ${invitationSummary(appointment)} op ${formatDutchDate(appointment.date)} om ${appointment.start}`,
    greeting: `Beste ${participant.person.name},`,
    paragraphs,
    footer: footer(appointment, participant),
  });
  const ics = (await invitationWriter()).invitationIcs({
    appointment,
    recipient: participant.person,
    method: 'CANCEL',
    publicOrigin: deps.publicOrigin,
    now: input.now,
    details: [input.whole ? 'Deze afspraak is geannuleerd.' : 'U bent voor deze afspraak afgemeld.'],
  });
  return { ...email, calendar: { method: 'CANCEL', ics } };
}
