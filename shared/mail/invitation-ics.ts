import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { Temporal } from 'temporal-polyfill';
import { tzlib_get_ical_block } from 'timezones-ical-library';
import { TIME_ZONE } from '../clock.ts';
import { toSafeLine, toSafeText } from '../text.ts';
import { appointmentUid, invitationLocation, invitationSummary, type InvitationInput } from './invitation.ts';

/**
 * The calendar invitation of an appointment for one participant (docs/workflow.md, "Email and
 * calendar"): an iCalendar text with `METHOD:REQUEST` (planned or changed) or `METHOD:CANCEL`
 * (cancelled, or this participant's part cancelled), written with ical-generator.
 *
 * - UID `<appointmentId>@<public host>`: the same for every participant and every change, so a
 *   calendar updates the event it has rather than adding one; SEQUENCE is the appointment's.
 * - DTSTART/DTEND as Amsterdam wall times (`TZID=Europe/Amsterdam`) with that zone's VTIMEZONE,
 *   which Outlook needs to place them; DTSTAMP in UTC.
 * - ORGANIZER the student, ATTENDEE the recipient (RSVP=TRUE, PARTSTAT=NEEDS-ACTION).
 *
 * Every text passes `shared/text.ts` first: a CR or LF would end a property and start one of the
 * sender's choosing. ical-generator escapes `\ ; ,` and line breaks in TEXT values; a quoted
 * parameter (the names, CN) cannot hold `"` at all, so names are written there in RFC 6868's
 * encoding (`^'` for `"`, `^^` for `^`), which ical.js and Apple Calendar read back.
 */

/** The iCalendar text of the invitation (CRLF line ends, folded at 75 octets). */
export function invitationIcs(input: InvitationInput): string {
  const { appointment, recipient, method } = input;
  const calendar = ical({
    prodId: { company: 'Hogeschool Rotterdam', product: 'werkplekleren-n2', language: 'NL' },
    method: method === 'CANCEL' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
    // No calendar-wide zone (ical-generator would then write DTSTAMP without its UTC "Z"): only
    // the generator, which writes the VTIMEZONE of each event's zone.
    timezone: { name: null, generator: amsterdamTimezone },
  });
  const wall = (time: string) => Temporal.PlainDate.from(appointment.date).toPlainDateTime(Temporal.PlainTime.from(time)).toZonedDateTime(TIME_ZONE);
  const description = [...(input.details ?? []), ...(input.link ? [`${input.link.label}: ${input.link.url}`] : [])].join('\n');
  const event = calendar.createEvent({
    id: appointmentUid(appointment.appointmentId, input.publicOrigin),
    sequence: appointment.sequence,
    stamp: new Date(input.now.epochMilliseconds),
    start: wall(appointment.start),
    end: wall(appointment.end),
    timezone: TIME_ZONE,
    summary: toSafeLine(invitationSummary(appointment)),
    location: toSafeLine(invitationLocation(appointment)),
    ...(description ? { description: toSafeText(description) } : {}),
    status: method === 'CANCEL' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: { name: parameterText(appointment.student.name), email: appointment.student.email },
  });
  event.createAttendee({
    name: parameterText(recipient.name),
    email: recipient.email,
    rsvp: true,
    status: ICalAttendeeStatus.NEEDSACTION,
    role: ICalAttendeeRole.REQ,
  });
  return calendar.toString();
}

/**
 * A name for a quoted parameter value (CN): one safe line, `^` and `"` in RFC 6868's encoding. A
 * backslash, which a parameter value cannot escape and ical-generator would double, becomes `/`.
 */
function parameterText(name: string): string {
  return toSafeLine(name).replace(/\^/g, '^^').replace(/"/g, "^'").replace(/\\/g, '/');
}

/**
 * The VTIMEZONE of a zone from timezones-ical-library. Its block for Europe/Amsterdam is that of
 * Europe/Brussels (the same rules since 1970, which is all the block holds; the IANA data links
 * the two): renamed, so the TZID matches the one DTSTART names.
 */
function amsterdamTimezone(zone: string): string | null {
  const block = tzlib_get_ical_block(zone);
  const text = Array.isArray(block) ? block[0] : undefined;
  if (!text) return null;
  return text.replace(/^TZID:.*$/m, `TZID:${zone}`).replace(/^X-LIC-LOCATION:.*$/m, `X-LIC-LOCATION:${zone}`);
}
