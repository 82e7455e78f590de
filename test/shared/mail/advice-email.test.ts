import { describe, expect, it } from 'vitest';
import { adviceSubmittedEmail, staffFormUrl } from '../../../shared/mail/request-emails.ts';
import { MemoryMailer } from '../../../shared/mail/mailer.ts';
import type { RequestRecord } from '../../../shared/model/requests.ts';

/** The email that tells the SO and the IO the WPB's advice is in (issue 14, must-have 4). */

const request: RequestRecord = {
  schoolYear: '2025-2026',
  studentNumber: '1000123',
  requestId: 'auto-advies-wpb-op4',
  formId: 'advies-wpb',
  observerRole: 'wpb',
  observer: { name: 'Jan "de Baas" van \'t Hek', email: 'jan@wolfert.example.nl' },
  period: 4,
  deadline: '2026-05-29',
  state: 'ingediend',
  latestVersion: 1,
  submittedAt: '2026-05-06T12:03:00Z',
  linkId: 'link',
  linkHash: 'hash',
  createdAt: '2026-05-04T05:00:00Z',
  origin: 'auto',
  student: { name: 'Zoë <b>Çelik</b>\r\nBcc: x@evil.example =1+1', email: 'zoe@student.example.nl' },
  school: 'Wolfert & Borselen',
  vak: 'Nederlands',
};
const deps = { publicOrigin: 'https://werkplekleren.test' };

describe('adviceSubmittedEmail', () => {
  it('names the student and links to the staff page, without answers or form link', () => {
    const mail = adviceSubmittedEmail(deps, {
      request,
      title: 'Advies WPB',
      reader: { name: 'Óscar Jansen', email: 'oscar@hr.example.nl' },
      role: 'io',
      submittedAt: '2026-05-06T12:03:00Z',
      correction: false,
    });
    expect(mail.to).toBe('oscar@hr.example.nl');
    expect(mail.text).toContain('Beste Óscar Jansen,');
    expect(mail.text).toContain('heeft het ingediend op woensdag 6 mei 2026 om 14:03.');
    expect(mail.text).toContain('- Studentnummer: 1000123');
    expect(mail.text).toContain('- School: Wolfert & Borselen');
    expect(mail.text).toContain('Advies lezen (na inloggen): https://werkplekleren.test/overzicht/formulier/2025-2026/1000123/auto-advies-wpb-op4');
    expect(mail.text).toContain('instituutsopleider (IO)');
    expect(mail.text).not.toContain('/f/');
  });

  it('keeps hostile names harmless: one subject line, escaped HTML', async () => {
    const mail = adviceSubmittedEmail(deps, {
      request,
      title: 'Advies WPB',
      reader: { name: 'Saskia Ëlberg', email: 'saskia@wolfert.example.nl' },
      role: 'so',
      submittedAt: '2026-05-07T07:15:00Z',
      correction: true,
    });
    const mailer = new MemoryMailer();
    await mailer.send(mail);
    const sent = mailer.sent[0]!;
    expect(sent.subject).not.toMatch(/[\r\n]/);
    expect(sent.subject.startsWith('Gecorrigeerd: Advies WPB voor Zoë')).toBe(true);
    expect(sent.html).not.toContain('<b>Çelik</b>');
    expect(sent.html).toContain('&lt;b&gt;Çelik&lt;/b&gt;');
    expect(sent.text).toContain('gecorrigeerd op donderdag 7 mei 2026 om 09:15');
  });

  it('builds the staff link from the request, encoding its parts', () => {
    expect(staffFormUrl(deps, { schoolYear: '2025-2026', studentNumber: '1000123', requestId: 'a/b c' })).toBe(
      'https://werkplekleren.test/overzicht/formulier/2025-2026/1000123/a%2Fb%20c',
    );
  });
});
