import type { EmailMessage } from './mailer.ts';
import { toSafeLine } from '../text.ts';

/**
 * The raw MIME of an email with a calendar invitation, built by nodemailer's MailComposer: a
 * multipart/alternative of the plain text, the HTML and the `text/calendar; method=REQUEST` (or
 * CANCEL) part that Outlook and Google read as an invitation, and the same calendar as an `.ics`
 * attachment for clients that show only attachments. From, To, Reply-To and the (one-line) subject
 * as SesMailer sends every email. MailComposer is imported when the first invitation is sent: in
 * the http function's split bundle it is a chunk of its own, off the module load.
 */
export async function composeMime(message: EmailMessage, envelope: { from: string; replyTo?: string | undefined }): Promise<Uint8Array> {
  const { default: MailComposer } = await import('nodemailer/lib/mail-composer');
  return new MailComposer({
    from: envelope.from,
    to: message.to,
    ...(envelope.replyTo ? { replyTo: envelope.replyTo } : {}),
    subject: toSafeLine(message.subject),
    text: message.text,
    html: message.html,
    ...(message.calendar ? { icalEvent: { method: message.calendar.method, filename: 'uitnodiging.ics', content: message.calendar.ics } } : {}),
  })
    .compile()
    .build();
}
