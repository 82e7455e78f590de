import { describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { getSchoolYear } from '../../../shared/calendar.ts';
import { parseInstant } from '../../../shared/clock.ts';
import type { AppointmentRecord, Participant, TalkType } from '../../../shared/model/appointments.ts';
import type { ObserverRole, RequestState } from '../../../shared/model/requests.ts';
import { anythingMissing, countsLine, progressCounts, type ProgressCounts } from '../../../shared/progress/counts.ts';

/*
 * The counts per student and school year, against the seeds' rhythm (TALK_RHYTHM) and the year's
 * own kijkwijzer rule, at concrete instants of both seed years. Expected values are written out
 * from shared/data/school-years.json: 2025-2026 OP1 runs 8 September to 14 November 2025, OP2 24
 * November 2025 to 6 February 2026, OP3 9 February to 24 April 2026, OP4 27 April to 10 July 2026;
 * 2024-2025 OP1 9 September to 15 November 2024, OP4 5 May to 11 July 2025.
 */

const y2025 = getSchoolYear('2025-2026')!;
const y2024 = getSchoolYear('2024-2025')!;

type CountRequest = { state: RequestState; formId: string; observerRole: ObserverRole };
type CountAppointment = Pick<AppointmentRecord, 'kind' | 'talkType' | 'state' | 'date' | 'start' | 'end' | 'participants'>;

const req = (formId: string, observerRole: ObserverRole, state: RequestState = 'ingediend'): CountRequest => ({ formId, observerRole, state });

const participant = (role: Participant['role'], state: Participant['state'] = 'uitgenodigd'): Participant => ({
  role,
  person: { name: `Ëlla 't ${role.toUpperCase()}`, email: `${role}@school.example.nl` },
  state,
});

function talk(talkType: TalkType, date: string, start = '10:00', end = '11:00', state: AppointmentRecord['state'] = 'gepland'): CountAppointment {
  return { kind: 'gesprek', talkType, state, date, start, end, participants: [participant('wpb'), participant('io')] };
}

function visit(date: string, roles: Participant[], state: AppointmentRecord['state'] = 'gepland'): CountAppointment {
  return { kind: 'lesbezoek', state, date, start: '09:00', end: '09:50', participants: roles };
}

/** Each talk type's state, in TALK_TYPES order. */
const states = (counts: ProgressCounts) => Object.fromEntries(counts.talks.map((t) => [t.type, t.state]));

describe('progressCounts: the lesbezoeken', () => {
  const now = parseInstant('2025-12-01T12:00');

  it('counts submitted kijkwijzers of the WPB and of the SO, and nothing else', () => {
    const requests = [
      req('kijkwijzer-pedagogiek', 'wpb'),
      req('kijkwijzer-didactiek', 'wpb', 'concept'),
      req('kijkwijzer-didactiek', 'wpb', 'ingetrokken'),
      req('advies-wpb', 'wpb'),
      req('kijkwijzer-vakdidactiek', 'so'),
      req('kijkwijzer-vakdidactiek', 'io'),
    ];

    const { visits } = progressCounts(y2025, requests, [], now);

    expect(visits.wpb).toEqual({ done: 1, required: 2, planned: 0, missing: false });
    expect(visits.so).toEqual({ done: 1, required: 1, planned: 0, missing: false });
  });

  it('counts a lesbezoek still ahead as planned for each observer still invited, not a cancelled one or one whose end has passed', () => {
    const appointments = [
      visit('2025-12-03', [participant('wpb'), participant('so', 'geannuleerd')]),
      visit('2025-12-10', [participant('so')], 'geannuleerd'),
      visit('2025-11-26', [participant('wpb')]),
    ];

    const { visits } = progressCounts(y2025, [], appointments, now);

    expect([visits.wpb.planned, visits.so.planned]).toEqual([1, 0]);
  });

  it('counts a visit whose kijkwijzer is already in as done, not also as planned', () => {
    const submitted = { ...req('kijkwijzer-pedagogiek', 'wpb'), requestId: 'r-wpb' };
    const open = { ...req('kijkwijzer-didactiek', 'so', 'gevraagd'), requestId: 'r-so' };
    const ahead = visit('2025-12-10', [
      { ...participant('wpb'), formId: 'kijkwijzer-pedagogiek', requestId: 'r-wpb' },
      { ...participant('so'), formId: 'kijkwijzer-didactiek', requestId: 'r-so' },
    ]);

    const { visits } = progressCounts(y2025, [submitted, open], [ahead], now);

    expect(visits.wpb).toMatchObject({ done: 1, planned: 0 });
    expect(visits.so).toMatchObject({ done: 0, planned: 1 });
  });

  it('calls too few lesbezoeken missing only once the last period of the year has ended (10 July 2026)', () => {
    const lastDay = progressCounts(y2025, [req('kijkwijzer-didactiek', 'wpb')], [], parseInstant('2026-07-10T23:59'));
    const after = progressCounts(y2025, [req('kijkwijzer-didactiek', 'wpb')], [], parseInstant('2026-07-11T00:00'));

    expect([lastDay.visits.wpb.missing, lastDay.visits.so.missing]).toEqual([false, false]);
    expect([after.visits.wpb.missing, after.visits.so.missing]).toEqual([true, true]);
  });
});

describe('progressCounts: the driehoeksgesprekken against the rhythm', () => {
  it('on the first day of OP1 has the kennismaking to plan, the others later, nothing missing', () => {
    const counts = progressCounts(y2025, [], [], parseInstant('2025-09-08T07:00'));

    expect(states(counts)).toEqual({ kennismaking: 'te-plannen', tussentijds: 'later', op4: 'later', eind: 'later' });
    expect(anythingMissing(counts)).toBe(false);
  });

  it('calls the kennismaking missing only the day after OP1 ends (14 November 2025), never on its last day', () => {
    expect(states(progressCounts(y2025, [], [], parseInstant('2025-11-14T23:59'))).kennismaking).toBe('te-plannen');
    expect(states(progressCounts(y2025, [], [], parseInstant('2025-11-15T00:00'))).kennismaking).toBe('ontbreekt');
  });

  it('keeps the tussentijds gesprek to plan through OP2 and OP3, and missing only after OP3 (24 April 2026)', () => {
    expect(states(progressCounts(y2025, [], [], parseInstant('2025-11-24T07:00'))).tussentijds).toBe('te-plannen');
    expect(states(progressCounts(y2025, [], [], parseInstant('2026-02-09T07:00'))).tussentijds).toBe('te-plannen');
    expect(states(progressCounts(y2025, [], [], parseInstant('2026-04-24T18:00'))).tussentijds).toBe('te-plannen');
    expect(states(progressCounts(y2025, [], [], parseInstant('2026-04-25T08:00'))).tussentijds).toBe('ontbreekt');
  });

  it('says planned until the end has passed in Amsterdam, then held (6 October 2025 is summer time, UTC+2)', () => {
    const appointments = [talk('kennismaking', '2025-10-06', '10:00', '11:00')];

    const before = progressCounts(y2025, [], appointments, Temporal.Instant.from('2025-10-06T08:59:00Z'));
    const after = progressCounts(y2025, [], appointments, Temporal.Instant.from('2025-10-06T09:00:00Z'));

    expect(before.talks[0]).toMatchObject({ type: 'kennismaking', state: 'gepland', date: '2025-10-06', start: '10:00' });
    expect(after.talks[0]).toMatchObject({ type: 'kennismaking', state: 'gehouden', date: '2025-10-06' });
  });

  it('does not count a cancelled talk: after OP1 a kennismaking that was only cancelled is missing', () => {
    const counts = progressCounts(y2025, [], [talk('kennismaking', '2025-10-06', '10:00', '11:00', 'geannuleerd')], parseInstant('2025-12-01T12:00'));

    expect(states(counts).kennismaking).toBe('ontbreekt');
  });

  it('prefers a held talk over a planned one of the same type, and counts a talk held in another period for its type', () => {
    const appointments = [talk('tussentijds', '2026-03-12', '13:00', '14:00'), talk('tussentijds', '2025-12-15'), talk('kennismaking', '2025-11-20')];

    const counts = progressCounts(y2025, [], appointments, parseInstant('2026-01-05T12:00'));

    expect(counts.talks.map((t) => [t.type, t.state, t.date])).toEqual([
      ['kennismaking', 'gehouden', '2025-11-20'],
      ['tussentijds', 'gehouden', '2025-12-15'],
      ['op4', 'later', undefined],
      ['eind', 'later', undefined],
    ]);
  });

  it('ignores a lesbezoek for the talks and a gesprek for the lesbezoeken', () => {
    const counts = progressCounts(y2025, [], [visit('2025-10-06', [participant('wpb')]), { ...talk('kennismaking', '2025-12-08'), participants: [participant('wpb')] }], parseInstant('2025-10-01T12:00'));

    expect(states(counts).kennismaking).toBe('gepland');
    expect(counts.visits.wpb.planned).toBe(1);
  });

  it('in 2024-2025 follows the same rhythm: OP4 talks missing only after 11 July 2025', () => {
    expect(states(progressCounts(y2024, [], [], parseInstant('2025-07-11T20:00')))).toEqual({
      kennismaking: 'ontbreekt',
      tussentijds: 'ontbreekt',
      op4: 'te-plannen',
      eind: 'te-plannen',
    });
    expect(states(progressCounts(y2024, [], [], parseInstant('2025-07-12T08:00')))).toEqual({
      kennismaking: 'ontbreekt',
      tussentijds: 'ontbreekt',
      op4: 'ontbreekt',
      eind: 'ontbreekt',
    });
  });

  it('on the first day of every period of both seed years calls nothing missing that belongs to that period or a later one', () => {
    for (const year of [y2024, y2025]) {
      for (const period of year.periods) {
        const counts = progressCounts(year, [], [], parseInstant(`${period.start}T00:00`));
        const due = counts.talks.filter((t) => t.periods.includes(period.number) || t.periods[0]! > period.number);
        expect(due.filter((t) => t.state === 'ontbreekt'), `${year.id} OP${period.number}`).toEqual([]);
        expect(counts.talks.filter((t) => t.periods.at(-1)! < period.number).every((t) => t.state === 'ontbreekt'), `${year.id} OP${period.number}`).toBe(true);
        expect([counts.visits.wpb.missing, counts.visits.so.missing], `${year.id} OP${period.number}`).toEqual([false, false]);
        expect(counts.kijkwijzers.due, `${year.id} OP${period.number}`).toBe(period.number > (year.requiredKijkwijzers?.byEndOfPeriod ?? 5));
      }
    }
  });
});

describe('progressCounts: the kijkwijzer types against the year\'s own rule', () => {
  const requests = [req('kijkwijzer-pedagogiek', 'wpb'), req('kijkwijzer-didactiek', 'so', 'gevraagd')];

  it('in 2025-2026 needs all three by the end of OP3: still to do on 24 April 2026, overdue the day after', () => {
    const during = progressCounts(y2025, requests, [], parseInstant('2026-04-24T12:00'));
    const after = progressCounts(y2025, requests, [], parseInstant('2026-04-25T12:00'));

    expect(during.kijkwijzers).toEqual({
      submitted: ['pedagogiek'],
      required: ['pedagogiek', 'didactiek', 'vakdidactiek'],
      missing: ['didactiek', 'vakdidactiek'],
      byEndOfPeriod: 3,
      due: false,
    });
    expect(after.kijkwijzers.due).toBe(true);
  });

  it('in 2024-2025 requires none: nothing is missing, what is in is listed', () => {
    const counts = progressCounts(y2024, [req('kijkwijzer-digitale-didactiek', 'wpb')], [], parseInstant('2025-07-20T12:00'));

    expect(counts.kijkwijzers).toEqual({ submitted: ['digitale-didactiek'], required: [], missing: [], due: false });
  });
});

describe('countsLine', () => {
  it('says the counts in one Dutch line for emails', () => {
    const counts = progressCounts(
      y2025,
      [req('kijkwijzer-pedagogiek', 'wpb'), req('kijkwijzer-vakdidactiek', 'wpb')],
      [talk('kennismaking', '2025-10-06'), talk('tussentijds', '2026-03-12', '13:00', '14:00'), visit('2026-01-14', [participant('so')])],
      parseInstant('2026-01-05T12:00'),
    );

    expect(countsLine(counts)).toBe(
      'lesbezoeken WPB 2 van 2, SO 0 van 1 (1 gepland); driehoeksgesprekken: kennismakingsgesprek gehouden op 6 oktober, tussentijds gesprek gepland op 12 maart; kijkwijzers nog nodig: didactiek (vóór het einde van OP3)',
    );
  });

  it('names what is missing once it is, and a year without a kijkwijzer rule', () => {
    const counts = progressCounts(y2024, [], [], parseInstant('2025-07-14T12:00'));

    expect(countsLine(counts)).toBe(
      'lesbezoeken WPB 0 van 2 (2 ontbreekt), SO 0 van 1 (1 ontbreekt); driehoeksgesprekken: kennismakingsgesprek ontbreekt (hoorde in OP1), tussentijds gesprek ontbreekt (hoorde in OP2 of OP3), gesprek in OP4 ontbreekt (hoorde in OP4), eindgesprek (CGI) ontbreekt (hoorde in OP4); kijkwijzers: dit jaar geen verplichte typen',
    );
  });

  it('before the year starts says no talks yet', () => {
    expect(countsLine(progressCounts(y2025, [], [], parseInstant('2025-08-04T07:00')))).toBe(
      'lesbezoeken WPB 0 van 2, SO 0 van 1; driehoeksgesprekken: nog geen; kijkwijzers nog nodig: pedagogiek, didactiek en vakdidactiek (vóór het einde van OP3)',
    );
  });
});
