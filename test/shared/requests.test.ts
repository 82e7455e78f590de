import { describe, expect, it } from 'vitest';
import { schoolYears } from '../../shared/calendar.ts';
import { parseInstant } from '../../shared/clock.ts';
import { isEditable, linkValidUntil, periodForNewRequest } from '../../shared/model/request-rules.ts';
import { shippedCalendar } from '../../shared/content/calendar-catalog.ts';
import { requestEmail } from '../../shared/mail/request-emails.ts';
import { formCatalog } from '../../forms/index.ts';
import type { RequestRecord } from '../../shared/model/requests.ts';
import { hashToken, isWellFormedToken, tokenFor } from '../../shared/links.ts';

describe('periodForNewRequest', () => {
  it('takes the current period while its deadline has not passed', () => {
    const { year, period } = periodForNewRequest(parseInstant('2025-11-12T23:59'), schoolYears);

    expect([year.id, period.number]).toEqual(['2025-2026', 1]);
  });

  it('takes the next period once the deadline has passed, even inside the current period', () => {
    const { year, period } = periodForNewRequest(parseInstant('2025-11-13T00:00'), schoolYears);

    expect([year.id, period.number]).toEqual(['2025-2026', 2]);
  });

  it('takes the next period between periods, in the provisional year too', () => {
    const { year, period } = periodForNewRequest(parseInstant('2026-11-22T12:00'), schoolYears);

    expect([year.id, year.provisional, period.number]).toEqual(['2026-2027', true, 2]);
  });

  it('answers a date after every known period with a Dutch 400', () => {
    expect(() => periodForNewRequest(parseInstant('2031-01-01'), schoolYears)).toThrowError(/geen lopende of komende onderwijsperiode/);
  });
});

describe('deadlines and links', () => {
  it('keeps a form editable until the end of the deadline day in Amsterdam', () => {
    const request = { schoolYear: '2025-2026', deadline: '2026-02-04' };

    expect(isEditable(request, parseInstant('2026-02-04T23:59:59'))).toBe(true);
    expect(isEditable(request, parseInstant('2026-02-05T00:00'))).toBe(false);
  });

  it('lets a link open until the deadline plus the grace', () => {
    expect(linkValidUntil('2026-02-04', 14)).toBe('2026-02-18T23:00:00Z');
  });

  it('derives a 32-byte token from the link id that only the secret can make, and stores only its hash', () => {
    const token = tokenFor('a'.repeat(32), 'link-id');

    expect(isWellFormedToken(token)).toBe(true);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(tokenFor('a'.repeat(32), 'link-id')).toBe(token);
    expect(tokenFor('b'.repeat(32), 'link-id')).not.toBe(token);
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('the request email', () => {
  const base: RequestRecord = {
    schoolYear: '2025-2026',
    studentNumber: '1012001',
    requestId: 'r1',
    formId: 'advies-wpb',
    observerRole: 'wpb',
    observer: { name: "Jan van 't Hek", email: 'jan@example.nl' },
    period: 4,
    deadline: '2026-05-29',
    state: 'gevraagd',
    latestVersion: 0,
    linkId: 'abc',
    linkHash: 'hash',
    createdAt: '2026-04-20T07:00:00Z',
    origin: 'auto',
    student: { name: 'Zoë de Vries', email: 'zoe@student.hr.nl' },
    school: 'Wolfert van Borselen',
    vak: 'Nederlands',
  };
  const deps = { linkSecret: 'test-link-secret-of-at-least-32-characters', publicOrigin: 'https://werkplekleren.test', forms: formCatalog, calendar: shippedCalendar };

  it('names the advice with its own article, "het advies", never "de advies"', () => {
    const email = requestEmail(deps, base);

    expect(email.text).toContain('vragen we u het advies van de werkplekbegeleider in te vullen voor Zoë de Vries');
    expect(email.text).not.toMatch(/de advies/i);
  });

  it('names an experiment as the handbook does, not lower-cased ("experiment wpp7")', () => {
    const email = requestEmail(deps, { ...base, formId: 'experiment-wpp7', period: 1 });

    expect(email.text).toContain('de feedback op experiment WPP7 (Nieuwsgierig maken en houden)');
    expect(email.text).not.toContain('wpp7');
  });

  it('names a kijkwijzer a student asked for with "de"', () => {
    const email = requestEmail(deps, { ...base, formId: 'kijkwijzer-digitale-didactiek', origin: 'student', lessonDate: '2026-04-22' });

    expect(email.text).toContain('Zoë de Vries vraagt u de kijkwijzer digitale didactiek in te vullen over de les van woensdag 22 april 2026');
  });

  it('gives a published deadline as the date alone, in a final year', () => {
    const email = requestEmail(deps, base);

    expect(email.text).toContain('Invullen kan tot en met vrijdag 29 mei 2026. U heeft geen account nodig.');
    expect(email.text).not.toContain('afgeleid');
    expect(email.text).not.toContain('voorlopig');
  });

  it('marks a deadline the calendar derived rather than published "afgeleid", with the reason', () => {
    const email = requestEmail(deps, { ...base, schoolYear: '2024-2025', period: 1, deadline: '2024-11-15' });

    expect(email.text).toContain('Invullen kan tot en met vrijdag 15 november 2024 (afgeleid: De tekst noemt geen deadline per periode; de laatste dag van de periode is gebruikt). U heeft geen account nodig.');
    expect(email.html).toContain('vrijdag 15 november 2024 (afgeleid: De tekst noemt geen deadline per periode; de laatste dag van de periode is gebruikt)');
    expect(email.text).not.toContain('voorlopig');
  });

  it('marks the deadline of a provisional year "(voorlopig)" and says what the year\'s note says, as the digest does', () => {
    const email = requestEmail(deps, { ...base, schoolYear: '2026-2027', period: 1, deadline: '2026-11-11', formId: 'experiment-wpp7' });

    expect(email.text).toContain('Invullen kan tot en met woensdag 11 november 2026 (afgeleid: Voorlopig: 2025-11-12 plus 52 weken) (voorlopig). U heeft geen account nodig.');
    expect(email.text).toContain(
      'Let op: voor schooljaar 2026-2027 geldt een voorlopige planning. De datums voor 2026-2027 zijn nog niet gepubliceerd. Ze volgen het patroon van 2025-2026 en kunnen nog veranderen.',
    );
    expect(email.html).toContain('(afgeleid: Voorlopig: 2025-11-12 plus 52 weken) (voorlopig)');
  });

  it('gives a deadline the calendar no longer has (the year was published again since) as the date alone', () => {
    const email = requestEmail(deps, { ...base, schoolYear: '2024-2025', period: 1, deadline: '2024-11-14' });

    expect(email.text).toContain('Invullen kan tot en met donderdag 14 november 2024. U heeft geen account nodig.');
    expect(email.text).not.toContain('afgeleid');
  });
});
