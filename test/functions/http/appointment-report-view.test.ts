import { describe, expect, it } from 'vitest';
import { ReportSection, type ReportSectionProps } from '../../../functions/http/views/appointment-report.tsx';
import type { AppointmentRecord } from '../../../shared/model/appointments.ts';

const appointment: AppointmentRecord = {
  schoolYear: '2025-2026',
  studentNumber: '8871999',
  appointmentId: '20251001T090000-abcdef',
  kind: 'gesprek',
  talkType: 'tussentijds',
  date: '2025-12-03',
  start: '13:00',
  end: '14:00',
  period: 2,
  participants: [
    { role: 'so', person: { name: 'Ömer Çakır', email: 'omer@school.example.nl' }, state: 'uitgenodigd', linkId: 'x' },
    { role: 'io', person: { name: 'Ivo Jansen', email: 'ivo@hr.example.nl' }, state: 'uitgenodigd', linkId: 'y' },
  ],
  state: 'gepland',
  sequence: 0,
  rev: 3,
  createdAt: '2025-11-01T08:00:00Z',
  updatedAt: '2025-11-01T08:00:00Z',
  student: { name: 'Zoë de Vries', email: 'zoe@student.example.nl' },
  school: 'Wolfert van Borselen',
  vak: 'Nederlands',
};

const render = (props: Partial<ReportSectionProps>) => String(ReportSection({ token: 'T'.repeat(43), appointment, held: true, ...props }));
const base = `/s/${'T'.repeat(43)}/afspraken/${appointment.appointmentId}/verslag`;

/** The verslag section of the student's appointment page, in each state of the gesprek and its verslag. */
describe('the verslag section of the appointment page', () => {
  it('shows nothing for a lesbezoek', () => {
    expect(render({ appointment: { ...appointment, kind: 'lesbezoek', talkType: undefined } })).toBe('');
  });

  it('before the gesprek: what comes after it, and no form', () => {
    const html = render({ held: false });
    expect(html).toContain('Na afloop van het gesprek (woensdag 3 december 2025, tot 14:00) schrijf je hier het verslag en stuur je het naar Ömer Çakır, Ivo Jansen.');
    expect(html).not.toContain('<form');
  });

  it('a cancelled gesprek: no verslag, no form', () => {
    const html = render({ appointment: { ...appointment, state: 'geannuleerd' } });
    expect(html).toContain('Dit gesprek is geannuleerd; er hoort geen verslag bij.');
    expect(html).not.toContain('<form');
  });

  it('held, nothing saved: the multipart form with the textarea and the file field, no send button', () => {
    const html = render({});
    expect(html).toContain('Nog geen verslag opgeslagen.');
    expect(html).toContain(`<form method="post" action="${base}" enctype="multipart/form-data" novalidate="">`);
    expect(html).toContain('maxlength="5000"');
    expect(html).toContain('type="file" id="veld-bijlage" name="bijlage"');
    expect(html).toContain('Opslaan');
    expect(html).not.toContain('Versturen naar de deelnemers');
  });

  it('saved and not sent: the text in the textarea, line breaks kept, and "Versturen naar de deelnemers"', () => {
    const html = render({ appointment: { ...appointment, report: { text: 'Regel één\n\nRegel "twee"', writtenAt: '2025-12-03T13:30:00Z' } } });
    expect(html).toContain('Opgeslagen op woensdag 3 december 2025 om 14:30; nog niet verstuurd.');
    expect(html).toContain('>Regel één\n\nRegel &quot;twee&quot;</textarea>');
    expect(html).toContain(`<form method="post" action="${base}/versturen">`);
    expect(html).toContain('De deelnemers krijgen het verslag per e-mail: Ömer Çakır, Ivo Jansen.');
  });

  it('sent and unchanged: when, and no send button; changed since: the bijgewerkt send', () => {
    const sent = render({ appointment: { ...appointment, report: { text: 'Klaar.', writtenAt: '2025-12-03T13:30:00Z', sentAt: '2025-12-03T13:31:00Z' } } });
    expect(sent).toContain('Verstuurd op woensdag 3 december 2025 om 14:31.');
    expect(sent).not.toContain('Versturen naar de deelnemers');
    const changed = render({ appointment: { ...appointment, report: { text: 'Klaar, aangevuld.', writtenAt: '2025-12-04T08:00:00Z', sentAt: '2025-12-03T13:31:00Z' } } });
    expect(changed).toContain('Verstuurd op woensdag 3 december 2025 om 14:31; daarna gewijzigd op donderdag 4 december 2025 om 09:00.');
    expect(changed).toContain('De deelnemers krijgen het bijgewerkte verslag per e-mail');
  });

  it('the stored attachment: a link with a note while the scan runs, none when it was blocked', () => {
    const attachment = { id: 'a1', key: 'attachments/x', name: 'verslag Zoë.pdf', size: 2048, type: 'application/pdf' };
    const pending = render({ appointment: { ...appointment, report: { text: 'Zie bijlage.', writtenAt: '2025-12-03T13:30:00Z', attachment } } });
    expect(pending).toContain(`<a href="${base}/bijlage">verslag Zoë.pdf</a>`);
    expect(pending).toContain('wordt op virussen gecontroleerd');
    expect(pending).toContain('name="bijlageVerwijderen" value="ja"');
    const blocked = render({ appointment: { ...appointment, report: { text: 'Zie bijlage.', writtenAt: '2025-12-03T13:30:00Z', attachment: { ...attachment, scanVerdict: 'threat' } } } });
    expect(blocked).not.toContain(`href="${base}/bijlage"`);
    expect(blocked).toContain('geblokkeerd: mogelijk een virus');
  });

  it('shows the notice a known `verslag` value names, and nothing for another', () => {
    expect(render({ notice: 'bijgewerkt' })).toContain('Het bijgewerkte verslag is verstuurd naar de deelnemers.');
    expect(render({ notice: '<script>' })).not.toContain('class="success"');
  });
});
