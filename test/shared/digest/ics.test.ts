import { describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { getSchoolYear, type SchoolYear } from '../../../shared/calendar.ts';
import { calendarCatalog, shippedCalendar } from '../../../shared/content/calendar-catalog.ts';
import { calendarFeed as feedOf, deadlineUid, type CalendarFeedInput } from '../../../shared/digest/ics.ts';
import { ROLES, tasksFor, type TaskFile } from '../../../shared/tasks.ts';

/** Undoes RFC 5545 line folding and splits the text into its events' property maps. */
function parse(ics: string): { lines: string[]; events: Map<string, string>[] } {
  const lines = ics.replace(/\r\n[ \t]/g, '').split('\r\n').filter(Boolean);
  const events: Map<string, string>[] = [];
  let current: Map<string, string> | undefined;
  for (const line of lines) {
    if (line === 'BEGIN:VEVENT') current = new Map();
    else if (line === 'END:VEVENT') {
      events.push(current!);
      current = undefined;
    } else if (current) {
      const colon = line.indexOf(':');
      current.set(line.slice(0, colon), line.slice(colon + 1));
    }
  }
  return { lines, events };
}

/** The feed over the shipped calendar and tasks. */
const calendarFeed = (input: Omit<CalendarFeedInput, 'calendar'>): string => feedOf({ ...input, calendar: shippedCalendar });

const unescape = (text: string): string => text.replace(/\\n/g, '\n').replace(/\\([,;\\])/g, '$1');

describe('calendarFeed', () => {
  const year = getSchoolYear('2025-2026')!;
  const ics = (name: string) => calendarFeed({ year, role: 'wpb', name });

  it('has a deadline and a period event for each of the four periods', () => {
    const ics = calendarFeed({ year, role: 'student', name: 'Zoë de Vries' });
    const { lines, events } = parse(ics);

    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines.at(-1)).toBe('END:VCALENDAR');
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(8);
    expect(lines).toContain('PRODID:-//Hogeschool Rotterdam//werkplekleren-n2//NL');
    expect(lines).toContain('X-WR-TIMEZONE:Europe/Amsterdam');
    expect(events.filter((e) => e.get('SUMMARY')?.startsWith('Deadline'))).toHaveLength(4);
  });

  it('puts the OP2 deadline of 2025-2026 on 4 February 2026 as an all-day event, with the tasks of the role', () => {
    const { events } = parse(calendarFeed({ year, role: 'wpb' }));

    const op2 = events.find((e) => e.get('UID') === '2025-2026-op2-deadline@werkplekleren-n2')!;
    expect(op2.get('DTSTART;VALUE=DATE')).toBe('20260204');
    expect(op2.get('DTEND;VALUE=DATE')).toBe('20260205');
    expect(op2.get('SUMMARY')).toBe('Deadline OP2 werkplekleren N2');
    const description = unescape(op2.get('DESCRIPTION')!);
    expect(description).toContain('Deadline van periode 2 (OP2): woensdag 4 februari 2026');
    for (const task of tasksFor('2025-2026', 'wpb', 2)) expect(description).toContain(`- ${task.text}`);
  });

  it('spans each period from its first to its last day', () => {
    const { events } = parse(calendarFeed({ year, role: 'student' }));

    const op1 = events.find((e) => e.get('UID') === '2025-2026-op1@werkplekleren-n2')!;
    expect([op1.get('DTSTART;VALUE=DATE'), op1.get('DTEND;VALUE=DATE')]).toEqual(['20250908', '20251115']);
  });

  it('keeps the UIDs stable between two calls, so subscribing again updates rather than duplicates', () => {
    const uids = (ics: string) => parse(ics).events.map((e) => e.get('UID'));

    const first = uids(calendarFeed({ year, role: 'student', now: Temporal.Instant.from('2025-09-01T06:00:00Z') }));
    const second = uids(calendarFeed({ year, role: 'student', now: Temporal.Instant.from('2026-01-05T06:00:00Z') }));

    expect(second).toEqual(first);
    expect(first).toContain(deadlineUid('2025-2026', 4));
    expect(new Set(first).size).toBe(8);
  });

  it('writes DTSTAMP in UTC', () => {
    const { events } = parse(calendarFeed({ year, role: 'student', now: Temporal.Instant.from('2026-01-05T06:00:00Z') }));

    expect(events[0]!.get('DTSTAMP')).toBe('20260105T060000Z');
  });

  it('marks every summary of the provisional 2026-2027 "(voorlopig)" and puts its note in every description', () => {
    const { events, lines } = parse(calendarFeed({ year: getSchoolYear('2026-2027')!, role: 'student' }));

    // Every date of 2026-2027 is derived (2025-2026 plus 52 weeks), so every event is "afgeleid" too.
    expect(events.map((e) => e.get('SUMMARY'))).toEqual(
      [1, 2, 3, 4].flatMap((n) => [`Deadline OP${n} werkplekleren N2 (voorlopig) (afgeleid)`, `OP${n} werkplekleren N2 (voorlopig) (afgeleid)`]),
    );
    for (const event of events) {
      expect(unescape(event.get('DESCRIPTION')!)).toContain('De datums voor 2026-2027 zijn nog niet gepubliceerd. Ze volgen het patroon van 2025-2026 en kunnen nog veranderen.');
    }
    expect(lines.some((line) => line.startsWith('X-WR-CALNAME:') && line.includes('(voorlopig)'))).toBe(true);
  });

  it('marks a derived deadline "(afgeleid)" in its summary and says why in its description, and leaves a published one as it is', () => {
    // 2024-2025: the seed names no deadline for OP1-OP3 (the last day of the period is used); OP4's is quoted.
    const { events } = parse(calendarFeed({ year: getSchoolYear('2024-2025')!, role: 'wpb' }));
    const event = (uid: string) => events.find((e) => e.get('UID') === uid)!;

    expect(event('2024-2025-op1-deadline@werkplekleren-n2').get('SUMMARY')).toBe('Deadline OP1 werkplekleren N2 (afgeleid)');
    expect(unescape(event('2024-2025-op1-deadline@werkplekleren-n2').get('DESCRIPTION')!)).toContain(
      'Deadline van periode 1 (OP1): vrijdag 15 november 2024 (afgeleid: De tekst noemt geen deadline per periode; de laatste dag van de periode is gebruikt) (schooljaar 2024-2025).',
    );
    expect(event('2024-2025-op4-deadline@werkplekleren-n2').get('SUMMARY')).toBe('Deadline OP4 werkplekleren N2');
    expect(unescape(event('2024-2025-op4-deadline@werkplekleren-n2').get('DESCRIPTION')!)).toContain(
      'Deadline van periode 4 (OP4): woensdag 4 juni 2025 (schooljaar 2024-2025).',
    );
    expect(event('2024-2025-op1@werkplekleren-n2').get('SUMMARY')).toBe('OP1 werkplekleren N2');
    expect(unescape(event('2024-2025-op1@werkplekleren-n2').get('DESCRIPTION')!)).toBe(
      'Periode 1 (OP1): maandag 9 september 2024 tot en met vrijdag 15 november 2024; deadline vrijdag 15 november 2024 (afgeleid: De tekst noemt geen deadline per periode; de laatste dag van de periode is gebruikt).',
    );
  });

  it('marks a period whose start or end is derived "(afgeleid)", naming which dates are and why', () => {
    // 2025-2026: the seed gives the month of each start only; the deadlines are quoted.
    const { events } = parse(calendarFeed({ year, role: 'student' }));
    const op2 = events.find((e) => e.get('UID') === '2025-2026-op2@werkplekleren-n2')!;

    expect(op2.get('SUMMARY')).toBe('OP2 werkplekleren N2 (afgeleid)');
    expect(unescape(op2.get('DESCRIPTION')!)).toBe(
      "Periode 2 (OP2): maandag 24 november 2025 (afgeleid: De tekst noemt alleen 'Start: november'; maandag na een week zonder periode, zoals in 2024-2025) tot en met vrijdag 6 februari 2026 (afgeleid: Vrijdag van de week van de deadline (4 februari), zoals in 2024-2025); deadline woensdag 4 februari 2026.",
    );
  });

  it('takes the tasks and the provisional mark from the calendar it is given, not from the shipped files', () => {
    const published: SchoolYear = { ...year, provisional: true, note: 'De Hogeschool publiceert de definitieve data in juni.' };
    const tasks: TaskFile = {
      years: {
        '2025-2026': Object.fromEntries(
          ROLES.map((role) => [role, Object.fromEntries([1, 2, 3, 4].map((n) => [`OP${n}`, [{ id: `2025-2026.${role}.op${n}.lesbezoek`, text: `Plan één lesbezoek met Daniëlle van 't Hoff in OP${n}.`, source: { seed: '000', quote: 'lesbezoek' } }]]))]),
        ),
      },
    };

    const ics = feedOf({ year: published, role: 'wpb', calendar: calendarCatalog([published], tasks) });
    const op3 = parse(ics).events.find((e) => e.get('UID') === '2025-2026-op3-deadline@werkplekleren-n2')!;

    expect(op3.get('SUMMARY')).toBe('Deadline OP3 werkplekleren N2 (voorlopig)');
    const description = unescape(op3.get('DESCRIPTION')!);
    expect(description).toContain('De Hogeschool publiceert de definitieve data in juni.');
    expect(description.split('\n').slice(-2)).toEqual(['Taken in periode 3 (OP3) voor de rol Werkplekbegeleider (WPB):', "- Plan één lesbezoek met Daniëlle van 't Hoff in OP3."]);
  });

  it('writes a name with line breaks, a line separator and a bidi override as one harmless line, adding no event or property', () => {
    const injected = 'Eva\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil@x\r\nSUMMARY:Betaal nu\u2028DESCRIPTION:x\u202Eahc, de Boer; jr\\';

    const { lines, events } = parse(calendarFeed({ year, role: 'wpb', name: injected }));

    expect(events).toHaveLength(8);
    expect(events.map((e) => e.get('UID'))).not.toContain('evil@x');
    expect(events.map((e) => e.get('SUMMARY'))).not.toContain('Betaal nu');
    // Every line is a property this feed writes; nothing starts where the name broke off.
    const names = new Set(lines.map((line) => line.split(/[:;]/, 1)[0]));
    expect([...names].sort()).toEqual(
      ['BEGIN', 'END', 'VERSION', 'PRODID', 'NAME', 'X-WR-CALNAME', 'X-WR-CALDESC', 'X-WR-TIMEZONE', 'UID', 'SEQUENCE', 'DTSTAMP', 'DTSTART', 'DTEND', 'X-MICROSOFT-CDO-ALLDAYEVENT', 'X-MICROSOFT-MSNCALENDAR-ALLDAYEVENT', 'SUMMARY', 'TRANSP', 'DESCRIPTION'].sort(),
    );
    const calname = lines.find((line) => line.startsWith('X-WR-CALNAME:'))!.slice('X-WR-CALNAME:'.length);
    expect(unescape(calname)).toBe('Werkplekleren N2 2025-2026 – Eva END:VEVENT BEGIN:VEVENT UID:evil@x SUMMARY:Betaal nu DESCRIPTION:xahc, de Boer; jr\\');
    expect(lines.find((line) => line.startsWith('NAME:'))).toBe(`NAME:${calname}`);
    const stray = [...ics(injected)].filter((c) => c !== '\r' && c !== '\n' && /[\p{Cc}\p{Zl}\p{Zp}\u202A-\u202E\u2066-\u2069]/u.test(c));
    expect(stray).toEqual([]);
  });

  it('keeps names in any script as they are', () => {
    for (const name of ["Daniëlle van 't Hoff", 'Óscar Çelik', 'Ayşe Yılmaz', 'محمد']) {
      const calname = parse(ics(name)).lines.find((line) => line.startsWith('X-WR-CALNAME:'))!;
      expect(calname).toBe(`X-WR-CALNAME:Werkplekleren N2 2025-2026 – ${name}`);
    }
  });

  it('does not mark a published year provisional', () => {
    expect(calendarFeed({ year, role: 'student' })).not.toContain('voorlopig');
  });
});
