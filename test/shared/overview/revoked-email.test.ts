import { describe, expect, it } from 'vitest';
import { revokedLinkEmail } from '../../../shared/mail/request-emails.ts';
import type { RequestRecord } from '../../../shared/model/requests.ts';

const request: RequestRecord = {
  schoolYear: '2025-2026',
  studentNumber: '1012001',
  requestId: 'r1',
  formId: 'kijkwijzer-pedagogiek',
  observerRole: 'wpb',
  observer: { name: "Jan van 't Hek", email: 'jan@example.nl' },
  lessonDate: '2025-11-05',
  period: 1,
  deadline: '2025-11-12',
  state: 'gevraagd',
  latestVersion: 0,
  linkId: 'abc',
  linkHash: 'hash',
  createdAt: '2025-11-03T07:00:00Z',
  origin: 'student',
  student: { name: 'Zoë de Vries', email: 'zoe@student.hr.nl' },
  school: 'Wolfert van Borselen',
  vak: 'Nederlands',
};
const deps = { forms: { title: () => 'Kijkwijzer pedagogiek', reference: () => 'de kijkwijzer pedagogiek' } };
const options = { by: 'ivo.jansen@hr.example.nl' };

describe('the email that tells an observer their link was revoked', () => {
  it('offers a new link to fill in a form not yet started', () => {
    expect(revokedLinkEmail(deps, request, options).text).toContain('Moet u het formulier toch invullen, dan krijgt u een nieuwe link.');
  });

  it('says a saved draft is kept', () => {
    expect(revokedLinkEmail(deps, { ...request, state: 'concept', latestVersion: 1 }, options).text).toContain('Uw opgeslagen concept is bewaard.');
  });

  it('says a submitted form stays, and does not ask to fill it in', () => {
    const text = revokedLinkEmail(deps, { ...request, state: 'ingediend', latestVersion: 2 }, options).text;

    expect(text).toContain('Uw ingediende formulier blijft bewaard');
    expect(text).not.toContain('toch invullen');
  });
});
