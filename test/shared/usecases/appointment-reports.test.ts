import { describe, expect, it } from 'vitest';
import { reportAttachmentKeys } from '../../../shared/attachments/object-keys.ts';
import { tokenFor } from '../../../shared/links.ts';
import { reportEmail } from '../../../shared/mail/report-emails.ts';
import type { AppointmentRecord } from '../../../shared/model/appointments.ts';
import { sentAsIs } from '../../../shared/usecases/appointment-reports.ts';

const deps = { linkSecret: 'test-link-secret-of-at-least-32-characters', publicOrigin: 'https://werkplekleren.test' };

const appointment: AppointmentRecord = {
  schoolYear: '2025-2026',
  studentNumber: '8873001',
  appointmentId: '20251001T090000-abcdef',
  kind: 'gesprek',
  talkType: 'op4',
  date: '2026-05-20',
  start: '10:00',
  end: '11:00',
  period: 4,
  participants: [
    { role: 'wpb', person: { name: 'Jan "de Baas" van \'t Hek', email: 'jan@school.example.nl' }, state: 'uitgenodigd', linkId: 'link-wpb' },
    { role: 'so', person: { name: 'Saskia', email: 'so@school.example.nl' }, state: 'geannuleerd', linkId: 'link-so' },
  ],
  state: 'gepland',
  sequence: 1,
  rev: 5,
  createdAt: '2026-05-01T08:00:00Z',
  updatedAt: '2026-05-01T08:00:00Z',
  student: { name: 'Zoë =Çelik "Ó"', email: 'zoe@student.example.nl' },
  school: 'Wolfert van Borselen',
  vak: 'Nederlands',
  report: { text: 'Regel 1\nRegel "2" =SUM(A1)\n\n<b>vet</b>', writtenAt: '2026-05-20T09:30:00Z', attachment: { id: 'a', key: 'k', name: 'bijlage Ó.pdf', size: 10, type: 'application/pdf' } },
};

describe('the verslag email', () => {
  it('names the gesprek, keeps the line breaks, escapes the HTML and links to the participant\'s own /a/ page', () => {
    const mail = reportEmail(deps, appointment, appointment.participants[0]!, { updated: false });
    expect(mail.to).toBe('jan@school.example.nl');
    expect(mail.subject).toBe('Verslag driehoeksgesprek Zoë =Çelik "Ó" (woensdag 20 mei 2026)');
    expect(mail.text).toContain('Beste Jan "de Baas" van \'t Hek,');
    expect(mail.text).toContain('Zoë =Çelik "Ó" stuurt u het verslag van het gesprek in OP4 van woensdag 20 mei 2026.');
    expect(mail.text).toContain('- Verslag: Regel 1\nRegel "2" =SUM(A1)\n\n<b>vet</b>');
    expect(mail.text).toContain('Bij het verslag hoort een bijlage: bijlage Ó.pdf.');
    expect(mail.text).toContain(`https://werkplekleren.test/a/${tokenFor(deps.linkSecret, 'link-wpb')}`);
    expect(mail.text).toContain('als werkplekbegeleider (WPB) bij het driehoeksgesprek');
    expect(mail.html).toContain('white-space:pre-wrap">Regel 1\nRegel &quot;2&quot; =SUM(A1)\n\n&lt;b&gt;vet&lt;/b&gt;</td>');
    expect(mail.html).not.toContain('<b>vet</b>');
  });

  it('says "Bijgewerkt verslag" for a changed verslag sent again', () => {
    const mail = reportEmail(deps, appointment, appointment.participants[0]!, { updated: true });
    expect(mail.subject).toBe('Bijgewerkt verslag driehoeksgesprek Zoë =Çelik "Ó" (woensdag 20 mei 2026)');
    expect(mail.text).toContain('heeft het verslag van het gesprek in OP4 van woensdag 20 mei 2026 bijgewerkt.');
  });

  it('keeps a line break in a name out of the subject', () => {
    const mail = reportEmail(deps, { ...appointment, student: { name: 'Zoë\r\nBcc: x@y.nl', email: 'zoe@student.example.nl' } }, appointment.participants[0]!, { updated: false });
    expect(mail.subject).not.toMatch(/[\r\n]/);
  });
});

describe('sentAsIs', () => {
  it('is true only for a verslag sent at or after it was last written (instants compared, not strings)', () => {
    expect(sentAsIs(undefined)).toBe(false);
    expect(sentAsIs({ text: 'x', writtenAt: '2026-05-20T09:30:00Z' })).toBe(false);
    expect(sentAsIs({ text: 'x', writtenAt: '2026-05-20T09:30:00Z', sentAt: '2026-05-20T09:30:00Z' })).toBe(true);
    expect(sentAsIs({ text: 'x', writtenAt: '2026-05-20T09:30:00.001Z', sentAt: '2026-05-20T09:30:00Z' })).toBe(false);
    expect(sentAsIs({ text: 'x', writtenAt: '2026-05-20T09:30:00Z', sentAt: '2026-05-20T09:30:00.5Z' })).toBe(true);
  });
});

describe('reportAttachmentKeys', () => {
  it('puts the upload under uploads/ and the served copy under attachments/<year>/<nr>/appointments/<id>/', () => {
    expect(reportAttachmentKeys({ schoolYear: '2025-2026', studentNumber: '8873001', appointmentId: '20251001T090000-abc_-', attachmentId: 'att1' })).toEqual({
      upload: 'uploads/2025-2026/8873001/appointments/20251001T090000-abc_-/att1',
      served: 'attachments/2025-2026/8873001/appointments/20251001T090000-abc_-/att1',
    });
  });

  it('throws on a part that could carry a path', () => {
    expect(() => reportAttachmentKeys({ schoolYear: '2025-2026', studentNumber: '8873001', appointmentId: '../x', attachmentId: 'a' })).toThrow(/invalid appointmentId/);
    expect(() => reportAttachmentKeys({ schoolYear: '2025-2026', studentNumber: '88/73', appointmentId: 'x', attachmentId: 'a' })).toThrow(/studentNumber/);
  });
});
