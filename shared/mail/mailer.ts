import { SendEmailCommand, SendRawEmailCommand, type SESClient } from '@aws-sdk/client-ses';
import { toSafeLine } from '../text.ts';

/**
 * One email: Dutch, always both plain text and HTML. The subject is made one line of visible text
 * on sending (`shared/text.ts`), so a name with a line break cannot add a header.
 */
export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /**
   * A calendar invitation (shared/mail/invitation.ts): sent as the `text/calendar; method=...`
   * alternative beside the text and HTML, which Outlook and Google show as an invitation.
   */
  calendar?: { method: 'REQUEST' | 'CANCEL'; ics: string };
}

/** Mailer port: sends one email, returns the provider's message id. */
export interface Mailer {
  send(message: EmailMessage): Promise<string>;
}

/**
 * Builds the raw MIME of a message with a calendar invitation (shared/mail/mime.ts, nodemailer's
 * MailComposer). Passed to the SesMailer of the functions that send invitations only, so the
 * other bundles (the digest functions) carry no MIME code.
 */
export type MimeComposer = (message: EmailMessage, envelope: { from: string; replyTo?: string | undefined }) => Promise<Uint8Array>;

/**
 * Sends through SES (v1 SendEmail), which the local aws-ses-v2-local also speaks. On AWS every send
 * names the configuration set, without which SES publishes no bounce or complaint events. A
 * message with a calendar invitation is built as raw MIME by `composeMime` (text, HTML and the
 * `text/calendar` alternative) and sent with SendRawEmail, with the same sender, Reply-To,
 * configuration set and one-line subject.
 */
export class SesMailer implements Mailer {
  constructor(
    private readonly ses: SESClient,
    private readonly from: string,
    private readonly replyTo?: string,
    private readonly configurationSet?: string,
    private readonly composeMime?: MimeComposer,
  ) {}

  async send(message: EmailMessage): Promise<string> {
    if (message.calendar) return this.sendRaw(message);
    const result = await this.ses.send(
      new SendEmailCommand({
        Source: this.from,
        ConfigurationSetName: this.configurationSet,
        ReplyToAddresses: this.replyTo ? [this.replyTo] : undefined,
        Destination: { ToAddresses: [message.to] },
        Message: {
          Subject: { Data: toSafeLine(message.subject), Charset: 'UTF-8' },
          Body: {
            Text: { Data: message.text, Charset: 'UTF-8' },
            Html: { Data: message.html, Charset: 'UTF-8' },
          },
        },
      }),
    );
    return result.MessageId ?? '';
  }

  private async sendRaw(message: EmailMessage): Promise<string> {
    if (!this.composeMime) throw new Error('this mailer was built without a MIME composer: it cannot send calendar invitations');
    const raw = await this.composeMime({ ...message, subject: toSafeLine(message.subject) }, { from: this.from, replyTo: this.replyTo });
    const result = await this.ses.send(
      new SendRawEmailCommand({
        Source: this.from,
        ConfigurationSetName: this.configurationSet,
        Destinations: [message.to],
        RawMessage: { Data: raw },
      }),
    );
    return result.MessageId ?? '';
  }
}

/** Keeps sent emails in memory: for unit tests of code that sends. */
export class MemoryMailer implements Mailer {
  readonly sent: EmailMessage[] = [];
  async send(message: EmailMessage): Promise<string> {
    // As SES gets it from SesMailer, the calendar invitation included.
    this.sent.push({ ...message, subject: toSafeLine(message.subject) });
    return `memory-${this.sent.length}`;
  }
}
