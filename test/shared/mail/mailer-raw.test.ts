import { describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SendEmailCommand, SendRawEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { SesMailer } from '../../../shared/mail/mailer.ts';
import { composeMime } from '../../../shared/mail/mime.ts';

const ICS = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:a@b\r\nSUMMARY:Lesbezoek bij Zoë\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';

/** The raw message with its quoted-printable soft line breaks undone, for reading. */
const readable = (raw: Uint8Array) => Buffer.from(raw).toString('utf8').replace(/=\r\n/g, '');

describe('SesMailer with a calendar invitation', () => {
  it('sends raw MIME with SendRawEmail: sender, Reply-To, the configuration set, text, HTML and the text/calendar alternative', async () => {
    const ses = mockClient(SESClient);
    ses.on(SendRawEmailCommand).resolves({ MessageId: 'raw-1' });
    const mailer = new SesMailer(new SESClient({ region: 'eu-west-1' }), 'Werkplekleren N2 <werkplekleren@example.org>', 'io@example.org', 'werkplekleren-events', composeMime);

    const id = await mailer.send({
      to: 'jan@example.org',
      subject: 'Lesbezoek bij Zoë\r\nBcc: iedereen@example.org',
      text: 'Beste Jan,',
      html: '<p>Beste Jan,</p>',
      calendar: { method: 'REQUEST', ics: ICS },
    });

    expect(id).toBe('raw-1');
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
    const input = ses.commandCalls(SendRawEmailCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ Source: 'Werkplekleren N2 <werkplekleren@example.org>', ConfigurationSetName: 'werkplekleren-events', Destinations: ['jan@example.org'] });
    const raw = readable(input.RawMessage!.Data!);
    const headers = raw.slice(0, raw.indexOf('\r\n\r\n'));
    expect(headers).toMatch(/^From: Werkplekleren N2 <werkplekleren@example.org>$/m);
    expect(headers).toMatch(/^To: jan@example.org$/m);
    expect(headers).toMatch(/^Reply-To: io@example.org$/m);
    expect(headers).not.toMatch(/^Bcc:/im);
    expect(headers).toContain('multipart/mixed');
    expect(raw).toContain('Content-Type: multipart/alternative');
    expect(raw).toContain('Content-Type: text/plain; charset=utf-8');
    expect(raw).toContain('Content-Type: text/html; charset=utf-8');
    expect(raw).toContain('Content-Type: text/calendar; charset=utf-8; method=REQUEST');
    expect(raw).toContain('METHOD:REQUEST');
    ses.restore();
  });

  it('says METHOD=CANCEL on the calendar part of a cancellation', async () => {
    const ses = mockClient(SESClient);
    ses.on(SendRawEmailCommand).resolves({ MessageId: 'raw-2' });
    const mailer = new SesMailer(new SESClient({ region: 'eu-west-1' }), 'werkplekleren@example.org', undefined, undefined, composeMime);

    await mailer.send({ to: 'jan@example.org', subject: 'Geannuleerd', text: 'x', html: '<p>x</p>', calendar: { method: 'CANCEL', ics: ICS.replace('REQUEST', 'CANCEL') } });

    const raw = readable(ses.commandCalls(SendRawEmailCommand)[0]!.args[0].input.RawMessage!.Data!);
    expect(raw).toContain('Content-Type: text/calendar; charset=utf-8; method=CANCEL');
    expect(raw).not.toMatch(/^Reply-To:/m);
    ses.restore();
  });

  it('keeps sending a message without a calendar part with SendEmail, as before', async () => {
    const ses = mockClient(SESClient);
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
    const mailer = new SesMailer(new SESClient({ region: 'eu-west-1' }), 'werkplekleren@example.org', undefined, undefined, composeMime);

    await mailer.send({ to: 'jan@example.org', subject: 'Onderwerp', text: 'x', html: '<p>x</p>' });

    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(0);
    ses.restore();
  });

  it('refuses a calendar invitation when built without a MIME composer (the digest functions), sending nothing', async () => {
    const ses = mockClient(SESClient);
    const mailer = new SesMailer(new SESClient({ region: 'eu-west-1' }), 'werkplekleren@example.org');

    await expect(mailer.send({ to: 'jan@example.org', subject: 's', text: 'x', html: 'x', calendar: { method: 'REQUEST', ics: ICS } })).rejects.toThrow(/MIME composer/);
    expect(ses.calls()).toHaveLength(0);
    ses.restore();
  });
});
