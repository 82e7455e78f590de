import { describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SendEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { SesMailer } from '../../../shared/mail/mailer.ts';
import { renderEmail } from '../../../shared/mail/templates.ts';

describe('SesMailer', () => {
  it('sends Dutch text and HTML as UTF-8 from the configured sender, naming the configuration set', async () => {
    const ses = mockClient(SESClient);
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const mailer = new SesMailer(new SESClient({ region: 'eu-west-1' }), 'werkplekleren@example.org', 'io@example.org', 'werkplekleren-events');

    const id = await mailer.send({ to: 'zoe@example.org', subject: 'Kijkwijzer voor Zoë', text: 'Beste Zoë,', html: '<p>Beste Zoë,</p>' });

    expect(id).toBe('m-1');
    const input = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      Source: 'werkplekleren@example.org',
      ConfigurationSetName: 'werkplekleren-events',
      ReplyToAddresses: ['io@example.org'],
      Destination: { ToAddresses: ['zoe@example.org'] },
      Message: { Subject: { Data: 'Kijkwijzer voor Zoë', Charset: 'UTF-8' }, Body: { Text: { Data: 'Beste Zoë,', Charset: 'UTF-8' } } },
    });
    ses.restore();
  });

  it('sends a subject whose name holds line breaks, a line separator or a bidi override as one line', async () => {
    const ses = mockClient(SESClient);
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-2' });
    const mailer = new SesMailer(new SESClient({ region: 'eu-west-1' }), 'werkplekleren@example.org');
    const subject = 'Kijkwijzer voor Eva\r\nBcc: iedereen@example.org\u2028de \u202EBoer\u0000';

    await mailer.send({ to: 'jan@example.org', subject, text: 'x', html: '<p>x</p>' });
    const rendered = renderEmail({ to: 'jan@example.org', subject, greeting: 'Beste Jan,', paragraphs: [], footer: 'f' });

    const sent = ses.commandCalls(SendEmailCommand)[0]!.args[0].input.Message!.Subject!.Data;
    expect(sent).toBe('Kijkwijzer voor Eva Bcc: iedereen@example.org de Boer');
    expect(rendered.subject).toBe('Kijkwijzer voor Eva Bcc: iedereen@example.org de Boer');
    ses.restore();
  });
});
