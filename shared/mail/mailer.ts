import { SendEmailCommand, type SESClient } from '@aws-sdk/client-ses';
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
}

/** Mailer port: sends one email, returns the provider's message id. */
export interface Mailer {
  send(message: EmailMessage): Promise<string>;
}

/**
 * Sends through SES (v1 SendEmail), which the local aws-ses-v2-local also speaks. On AWS every send
 * names the configuration set, without which SES publishes no bounce or complaint events.
 */
export class SesMailer implements Mailer {
  constructor(
    private readonly ses: SESClient,
    private readonly from: string,
    private readonly replyTo?: string,
    private readonly configurationSet?: string,
  ) {}

  async send(message: EmailMessage): Promise<string> {
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
}

/** Keeps sent emails in memory: for unit tests of code that sends. */
export class MemoryMailer implements Mailer {
  readonly sent: EmailMessage[] = [];
  async send(message: EmailMessage): Promise<string> {
    // As SES gets it from SesMailer.
    this.sent.push({ ...message, subject: toSafeLine(message.subject) });
    return `memory-${this.sent.length}`;
  }
}
