import ICAL from 'ical.js';
import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import { appointmentUid, type InvitationInput } from '../../../shared/mail/invitation.ts';
import { invitationIcs } from '../../../shared/mail/invitation-ics.ts';
import type { AppointmentRecord } from '../../../shared/model/appointments.ts';

const STUDENT = { name: "Daniëlle van 't Hoff-Çelik", email: 'danielle@student.example.nl' };
const WPB = { name: 'Jan Ó Briain', email: 'jan@wolfert.example.nl' };

function lesbezoek(overrides: Partial<AppointmentRecord> = {}): AppointmentRecord {
  return {
    schoolYear: '2025-2026',
    studentNumber: '1001',
    appointmentId: '20251110T090000-abcdef',
    kind: 'lesbezoek',
    date: '2025-11-12',
    start: '09:30',
    end: '10:20',
    period: 1,
    className: '2B',
    participants: [{ role: 'wpb', person: WPB, state: 'uitgenodigd', formId: 'kijkwijzer-pedagogiek', requestId: 'r1' }],
    state: 'gepland',
    sequence: 0,
    rev: 0,
    createdAt: '2025-11-10T08:00:00Z',
    updatedAt: '2025-11-10T08:00:00Z',
    student: STUDENT,
    school: 'Wolfert van Borselen',
    vak: 'Nederlands',
    ...overrides,
  };
}

const input = (overrides: Partial<InvitationInput> = {}): InvitationInput => ({
  appointment: lesbezoek(),
  recipient: WPB,
  method: 'REQUEST',
  publicOrigin: 'https://werkplekleren.example.nl',
  now: Temporal.Instant.from('2025-11-10T08:00:00Z'),
  link: { label: 'Kijkwijzer openen', url: 'https://werkplekleren.example.nl/f/abc' },
  details: ['Klas: 2B'],
  ...overrides,
});

/** The parsed calendar and its one event (ical.js, Mozilla's parser: independent of the writer). */
function parse(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const events = calendar.getAllSubcomponents('vevent');
  expect(events).toHaveLength(1);
  return { calendar, event: events[0]! };
}

/** The property names of a component, in order. */
const propertyNames = (component: ICAL.Component) => component.getAllProperties().map((p) => p.name);

describe('the invitation of an appointment (iCalendar)', () => {
  it('is a METHOD:REQUEST with the stable UID, SEQUENCE, DTSTAMP in UTC and the Amsterdam wall times with their VTIMEZONE', () => {
    const ics = invitationIcs(input());
    const { calendar, event } = parse(ics);

    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(event.getFirstPropertyValue('uid')).toBe('20251110T090000-abcdef@werkplekleren.example.nl');
    expect(event.getFirstPropertyValue('sequence')).toBe(0);
    expect(ics).toMatch(/\r\nDTSTAMP:20251110T080000Z\r\n/);
    expect(ics).toContain('DTSTART;TZID=Europe/Amsterdam:20251112T093000\r\n');
    expect(ics).toContain('DTEND;TZID=Europe/Amsterdam:20251112T102000\r\n');
    expect(event.getFirstProperty('dtstart')!.getParameter('tzid')).toBe('Europe/Amsterdam');
    const zone = calendar.getFirstSubcomponent('vtimezone')!;
    expect(zone.getFirstPropertyValue('tzid')).toBe('Europe/Amsterdam');
    // With the VTIMEZONE registered, the wall time is the right instant: 09:30 CET is 08:30 UTC.
    ICAL.TimezoneService.register(zone);
    const start = event.getFirstPropertyValue('dtstart') as ICAL.Time;
    expect(start.toUnixTime()).toBe(Date.parse('2025-11-12T08:30:00Z') / 1000);
    expect(event.getFirstPropertyValue('status')).toBe('CONFIRMED');
  });

  it('puts summer-time appointments at the right instant too (CEST)', () => {
    const { calendar, event } = parse(invitationIcs(input({ appointment: lesbezoek({ date: '2026-04-29', start: '13:00', end: '14:00' }) })));
    ICAL.TimezoneService.register(calendar.getFirstSubcomponent('vtimezone')!);

    expect((event.getFirstPropertyValue('dtstart') as ICAL.Time).toUnixTime()).toBe(Date.parse('2026-04-29T11:00:00Z') / 1000);
  });

  it('names the student as organizer and the recipient as the one attendee who is asked to answer', () => {
    const { event } = parse(invitationIcs(input()));

    const organizer = event.getFirstProperty('organizer')!;
    expect(organizer.getFirstValue()).toBe('mailto:danielle@student.example.nl');
    expect(organizer.getParameter('cn')).toBe(STUDENT.name);
    const attendees = event.getAllProperties('attendee');
    expect(attendees).toHaveLength(1);
    expect(String(attendees[0]!.getFirstValue()).toLowerCase()).toBe('mailto:jan@wolfert.example.nl');
    expect(attendees[0]!.getParameter('cn')).toBe(WPB.name);
    expect(attendees[0]!.getParameter('rsvp')).toBe('TRUE');
    expect(attendees[0]!.getParameter('partstat')).toBe('NEEDS-ACTION');
  });

  it('has the Dutch summary, the school as location and the link in the description', () => {
    const { event } = parse(invitationIcs(input()));

    expect(event.getFirstPropertyValue('summary')).toBe("Lesbezoek bij Daniëlle van 't Hoff-Çelik, klas 2B");
    expect(event.getFirstPropertyValue('location')).toBe('Wolfert van Borselen');
    expect(event.getFirstPropertyValue('description')).toBe('Klas: 2B\nKijkwijzer openen: https://werkplekleren.example.nl/f/abc');
  });

  it('names a driehoeksgesprek by its type, with the place after the school', () => {
    const gesprek = lesbezoek({ kind: 'gesprek', talkType: 'kennismaking', className: undefined, location: 'lokaal 2.14' });
    const { event } = parse(invitationIcs(input({ appointment: gesprek })));

    expect(event.getFirstPropertyValue('summary')).toBe("Driehoeksgesprek (kennismakingsgesprek) met Daniëlle van 't Hoff-Çelik");
    expect(event.getFirstPropertyValue('location')).toBe('Wolfert van Borselen, lokaal 2.14');
  });

  it('is a METHOD:CANCEL with STATUS:CANCELLED, the same UID and the raised SEQUENCE on a cancellation', () => {
    const { calendar, event } = parse(invitationIcs(input({ method: 'CANCEL', appointment: lesbezoek({ sequence: 2 }) })));

    expect(calendar.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(event.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(event.getFirstPropertyValue('uid')).toBe(appointmentUid('20251110T090000-abcdef', 'https://werkplekleren.example.nl'));
    expect(event.getFirstPropertyValue('sequence')).toBe(2);
  });

  it('keeps names and texts with quotes, semicolons, commas, = and ^ intact, and line breaks harmless: one event, no injected property', () => {
    const student = { name: 'Eva "de Boer"; ROLE=CHAIR, x=y ^ \\ Ö', email: 'eva@student.example.nl' };
    const recipient = { name: 'Sas\r\nATTENDEE:mailto:evil@example.org "Bakker"=;,', email: 'so@wolfert.example.nl' };
    const appointment = lesbezoek({
      student,
      className: '2B\r\nBEGIN:VEVENT\nSUMMARY:=gekaapt;,"',
      school: 'School "Noord"; Oost=West',
      location: 'lokaal\n3',
    });
    const ics = invitationIcs(input({ appointment, recipient, details: ['Vraag: "wat"\nEND:VEVENT\r\nBEGIN:VEVENT', 'a;b,c=d\\e'] }));
    const { calendar, event } = parse(ics);

    expect(calendar.getAllSubcomponents().map((c) => c.name)).toEqual(['vtimezone', 'vevent']);
    expect(propertyNames(event)).toEqual(['uid', 'sequence', 'dtstamp', 'dtstart', 'dtend', 'summary', 'location', 'description', 'organizer', 'attendee', 'status']);
    expect(event.getFirstProperty('organizer')!.getParameter('cn')).toBe('Eva "de Boer"; ROLE=CHAIR, x=y ^ / Ö');
    expect(event.getFirstProperty('organizer')!.getParameter('role')).toBeUndefined();
    expect(event.getFirstProperty('attendee')!.getParameter('cn')).toBe('Sas ATTENDEE:mailto:evil@example.org "Bakker"=;,');
    expect(String(event.getFirstProperty('attendee')!.getFirstValue()).toLowerCase()).toBe('mailto:so@wolfert.example.nl');
    expect(event.getFirstPropertyValue('summary')).toBe('Lesbezoek bij Eva "de Boer"; ROLE=CHAIR, x=y ^ \\ Ö, klas 2B BEGIN:VEVENT SUMMARY:=gekaapt;,"');
    expect(event.getFirstPropertyValue('location')).toBe('School "Noord"; Oost=West, lokaal 3');
    expect(event.getFirstPropertyValue('description')).toBe(
      'Vraag: "wat"\nEND:VEVENT\nBEGIN:VEVENT\na;b,c=d\\e\nKijkwijzer openen: https://werkplekleren.example.nl/f/abc',
    );
    // Every physical line is a property, a component boundary or a folded continuation.
    for (const line of ics.split('\r\n').filter(Boolean)) expect(line).toMatch(/^( |[A-Z-]+[;:])/);
  });
});
