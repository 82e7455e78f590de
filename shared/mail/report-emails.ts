import { formatDutchDate } from '../calendar.ts';
import { tokenFor } from '../links.ts';
import { TALK_RHYTHM, type AppointmentRecord, type Participant } from '../model/appointments.ts';
import { PARTICIPANT_LABELS } from '../model/appointment-rules.ts';
import type { EmailMessage } from './mailer.ts';
import { renderEmail } from './templates.ts';

/** What the verslag email needs: the link secret and origin for the participant's link. */
export interface ReportEmailDeps {
  linkSecret: string;
  publicOrigin: string;
}

/** The participant's appointment link: `<origin>/a/<token>`, from the configured origin. */
export function appointmentUrl(deps: ReportEmailDeps, linkId: string): string {
  return `${deps.publicOrigin}/a/${tokenFor(deps.linkSecret, linkId)}`;
}

/** "het kennismakingsgesprek van maandag 6 oktober 2025": the gesprek as a sentence names it. */
export function talkPhrase(appointment: Pick<AppointmentRecord, 'talkType' | 'date'>): string {
  const label = appointment.talkType ? TALK_RHYTHM[appointment.talkType].label : 'driehoeksgesprek';
  return `het ${label} van ${formatDutchDate(appointment.date)}`;
}

/**
 * The email that brings one participant the verslag of a driehoeksgesprek: the text itself (its
 * line breaks kept), whether there is an attachment, and their link to read both. `updated`: the
 * verslag was sent before and has changed since ("Bijgewerkt verslag").
 */
export function reportEmail(deps: ReportEmailDeps, appointment: AppointmentRecord, participant: Participant, options: { updated: boolean }): EmailMessage {
  const report = appointment.report;
  if (!report) throw new Error(`reportEmail: appointment ${appointment.appointmentId} has no verslag`);
  if (!participant.linkId) throw new Error(`reportEmail: participant ${participant.role} of ${appointment.appointmentId} has no link`);
  const student = appointment.student.name;
  const talk = talkPhrase(appointment);
  const paragraphs = [
    options.updated
      ? `${student} heeft het verslag van ${talk} bijgewerkt. Hieronder staat de nieuwe versie; die vervangt het verslag dat u eerder kreeg.`
      : `${student} stuurt u het verslag van ${talk}.`,
  ];
  if (report.attachment) paragraphs.push(`Bij het verslag hoort een bijlage: ${report.attachment.name}. U opent die via de link hieronder.`);
  paragraphs.push('Met de link hieronder leest u het verslag en de gegevens van het gesprek terug. U heeft geen account nodig. De link is persoonlijk: stuur hem niet door.');
  return renderEmail({
    to: participant.person.email,
    subject: `${options.updated ? 'Bijgewerkt verslag' : 'Verslag'} driehoeksgesprek ${student} (${formatDutchDate(appointment.date)})`,
    greeting: `Beste ${participant.person.name},`,
    paragraphs,
    list: [{ label: 'Verslag', value: report.text }],
    action: { label: 'Verslag openen', url: appointmentUrl(deps, participant.linkId) },
    footer: `U krijgt deze e-mail als ${PARTICIPANT_LABELS[participant.role]} bij het driehoeksgesprek van ${student} (${appointment.vak}, ${appointment.school}) bij werkplekleren N2 van Hogeschool Rotterdam. Vragen over het verslag? Neem contact op met ${student} (${appointment.student.email}).`,
  });
}
