import { describe, expect, it } from 'vitest';
import { formTitle } from '../../../forms/index.ts';
import { getSchoolYear, type SchoolYear } from '../../../shared/calendar.ts';
import { shippedCalendar } from '../../../shared/content/calendar-catalog.ts';
import { parseInstant } from '../../../shared/clock.ts';
import { digestFor, digestPeriod } from '../../../shared/digest/content.ts';
import { adviceLines, adviceStatus, adviceText, recipients, yearModel } from '../../../shared/digest/model.ts';
import { renderEmail } from '../../../shared/mail/templates.ts';
import type { PlacementRecord } from '../../../shared/model/placements.ts';
import type { RequestRecord, RequestState } from '../../../shared/model/requests.ts';
import { yearItems } from '../../support/year-items.ts';

/*
 * The advice's status as the SO's and IO's digests show it (issue 14, must-have 4): only in the
 * periods whose automatic requests include the advice, by each year's own rule (2024-2025: OP3,
 * 2025-2026: OP4), "nog niet ingediend" rather than "achter", and the date once it is in.
 */

const year = (id: string): SchoolYear => getSchoolYear(id, shippedCalendar.years)!;
const period = (id: string, n: number) => year(id).periods.find((p) => p.number === n)!;

const advice = (state: RequestState, submittedAt?: string) => ({ formId: 'advies-wpb', state, ...(submittedAt ? { submittedAt } : {}) });

describe('adviceStatus and adviceLines', () => {
  it("follows each year's own rule for the period the advice is asked in", () => {
    expect(adviceStatus(period('2024-2025', 3), [])).toEqual({});
    expect(adviceStatus(period('2024-2025', 4), [])).toBeUndefined();
    expect(adviceStatus(period('2025-2026', 3), [])).toBeUndefined();
    expect(adviceStatus(period('2025-2026', 4), [])).toEqual({});
  });

  it('counts only a submitted advice, and its latest submission', () => {
    const p4 = period('2025-2026', 4);
    expect(adviceStatus(p4, [advice('gevraagd'), advice('concept'), { formId: 'kijkwijzer-pedagogiek', state: 'ingediend', submittedAt: '2026-05-01T10:00:00Z' }])).toEqual({});
    expect(adviceStatus(p4, [advice('ingediend', '2026-05-04T10:00:00Z'), advice('ingediend', '2026-05-12T08:00:00Z')])).toEqual({ submittedAt: '2026-05-12T08:00:00Z' });
  });

  it('says the date in Amsterdam, or that it is not in yet', () => {
    expect(adviceText({ submittedAt: '2026-05-11T22:30:00Z' })).toBe('Advies WPB: ingediend op dinsdag 12 mei 2026');
    expect(adviceText({})).toBe('Advies WPB: nog niet ingediend');
  });

  it('shows no line between periods or in a period that does not ask for the advice', () => {
    expect(adviceLines({ between: true, period: period('2025-2026', 4) }, [])).toEqual([]);
    expect(adviceLines({ between: false, period: period('2025-2026', 2) }, [])).toEqual([]);
    expect(adviceLines({ between: false, period: period('2025-2026', 4) }, [])).toEqual(['Advies WPB: nog niet ingediend']);
  });
});

describe('the advice in the SO and IO digests', () => {
  const person = (name: string, email: string) => ({ name, email });
  const placement = (nr: string, name: string): PlacementRecord => ({
    schoolYear: '2024-2025',
    studentNumber: nr,
    student: person(name, `${nr}@student.example.nl`),
    vak: 'Nederlands',
    school: 'Wolfert van Borselen',
    wpb: person("Jan van 't Hek", `wpb${nr}@wolfert.example.nl`),
    so: person('Saskia Ëlberg', 'saskia@wolfert.example.nl'),
    io: person('Óscar Jansen', 'oscar@hr.example.nl'),
    sco: person('Fatima El Amrani', 'fatima@wolfert.example.nl'),
    rev: 1,
    updatedAt: '2024-09-01T00:00:00Z',
  });
  const zoe = placement('1000001', 'Zoë Çelik');
  const bram = placement('1000002', "Bram 't Hart");
  const submitted: RequestRecord = {
    schoolYear: '2024-2025',
    studentNumber: zoe.studentNumber,
    requestId: 'auto-advies-wpb-op3',
    formId: 'advies-wpb',
    observerRole: 'wpb',
    observer: zoe.wpb,
    period: 3,
    deadline: '2025-04-25',
    state: 'ingediend',
    latestVersion: 1,
    submittedAt: '2025-03-12T13:00:00Z',
    linkId: 'link-zoe',
    linkHash: 'hash-zoe',
    createdAt: '2025-02-10T06:00:00Z',
    origin: 'auto',
    student: zoe.student,
    school: zoe.school,
    vak: zoe.vak,
  };
  const model = yearModel(yearItems({ placements: [zoe, bram], requests: [submitted] }));
  const people = recipients(model);

  function digestText(email: string, monday: string): string {
    const now = parseInstant(`${monday}T07:00`);
    const found = digestPeriod(now, shippedCalendar.years)!;
    const person = people.find((p) => p.email === email)!;
    const digest = digestFor(person, {
      kind: 'weekly',
      now,
      year: found.year,
      period: found.period,
      between: found.between,
      model,
      origin: 'https://werkplekleren.test',
      linkSecret: 'test-link-secret-of-at-least-32-characters',
      formTitle,
      calendar: shippedCalendar,
      suppressed: new Set(),
    });
    return digest ? renderEmail(digest.content).text : '';
  }

  it('shows per student whether the advice is in, in OP3 of 2024-2025', () => {
    const so = digestText('saskia@wolfert.example.nl', '2025-03-17');
    expect(so).toMatch(/Zoë Çelik \(Nederlands, WPB Jan van 't Hek\): [^\n]*; Advies WPB: ingediend op woensdag 12 maart 2025/);
    expect(so).toMatch(/Bram 't Hart \(Nederlands, WPB Jan van 't Hek\): [^\n]*; Advies WPB: nog niet ingediend/);
    const io = digestText('oscar@hr.example.nl', '2025-03-17');
    expect(io).toMatch(/Zoë Çelik \(Nederlands, Wolfert van Borselen\): [^\n]*; Advies WPB: ingediend op woensdag 12 maart 2025/);
    expect(io).toMatch(/Bram 't Hart \(Nederlands, Wolfert van Borselen\): [^\n]*; Advies WPB: nog niet ingediend/);
    expect(io).not.toMatch(/Advies WPB:[^\n]*achter/);
  });

  it('says nothing about the advice in a period of 2024-2025 that does not ask for it', () => {
    expect(digestText('saskia@wolfert.example.nl', '2024-12-02')).not.toContain('Advies WPB');
    expect(digestText('oscar@hr.example.nl', '2025-05-12')).not.toContain('Advies WPB');
  });
});
