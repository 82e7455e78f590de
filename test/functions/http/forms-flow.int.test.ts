import { beforeAll, describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { createApp } from '../../../functions/http/app.tsx';
import { getForm } from '../../../forms/index.ts';
import { parseInstant, type Clock } from '../../../shared/clock.ts';
import { ensureStudentLink } from '../../../shared/usecases/welcome.ts';
import { Placement } from '../../../shared/roster/placement.ts';
import type { AwsClients } from '../../../shared/store/clients.ts';
import { appDeps, TEST_ORIGIN } from '../../support/app.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';
import { completeFields } from '../../support/forms.ts';
import { inboxOf, tokenIn } from '../../support/inbox.ts';

const kijkwijzer = getForm('kijkwijzer-pedagogiek')!;

/** A clock the test moves. */
function movableClock(start: string): Clock & { set(value: string): void } {
  let now = parseInstant(start);
  return { now: () => now, set: (value) => (now = parseInstant(value)) };
}

function placement(suffix: string) {
  return Placement.parse({
    schoolYear: '2025-2026',
    studentNumber: `77${suffix}`,
    student: { name: 'Zoë de Vries', email: `zoe.${suffix}@student.example.nl` },
    vak: 'Nederlands',
    school: 'Wolfert van Borselen',
    wpb: { name: "Jan van 't Hek", email: `jan.${suffix}@wolfert.example.nl` },
    so: { name: 'Saskia Bakker', email: `so.${suffix}@wolfert.example.nl` },
    io: { name: 'Ivo Jansen', email: `io.${suffix}@hr.example.nl` },
    sco: { name: 'Fatima El Amrani', email: `sco.${suffix}@wolfert.example.nl` },
  });
}

describe('a kijkwijzer from request to submission, over the real SDK and the local stand-ins', () => {
  let clients: AwsClients;
  let names: { tableName: string; bucket: string };
  const clock = movableClock('2025-11-10T09:00');
  let app: ReturnType<typeof createApp>;
  let deps: ReturnType<typeof appDeps>;

  const post = (path: string, fields: Record<string, string>, origin: string | null = TEST_ORIGIN) =>
    app.request(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(origin ? { Origin: origin } : {}) },
      body: new URLSearchParams(fields).toString(),
    });

  /** Sets up a placement, the student's link (from the welcome email) and a request (from the WPB's email). */
  async function requestedKijkwijzer(suffix: string) {
    const p = placement(suffix);
    await deps.placements.create(p, clock.now().toString());
    await ensureStudentLink(deps, p);
    const studentToken = tokenIn((await inboxOf(p.student.email))[0], 's');
    const response = await post(`/s/${studentToken}/aanvragen`, {
      formId: 'kijkwijzer-pedagogiek',
      observerRole: 'wpb',
      lessonDate: '2025-11-12',
      className: 'H2b',
      question: 'Let op mijn klassenmanagement',
    });
    expect(response.status).toBe(303);
    const wpbMail = (await inboxOf(p.wpb.email)).at(-1);
    return { p, studentToken, formToken: tokenIn(wpbMail, 'f'), wpbMail };
  }

  async function request(p: Placement) {
    return (await deps.requests.listForPlacement(p.schoolYear, p.studentNumber))[0]!;
  }

  beforeAll(async () => {
    clients = localClients();
    names = { tableName: await freshTable(clients), bucket: await freshBucket(clients) };
    deps = appDeps(clients, names, clock);
    app = createApp(deps);
  });

  it('welcomes the student with their own page, which shows the period, the tasks and what is missing', async () => {
    const p = placement('01');
    await deps.placements.create(p, clock.now().toString());

    await ensureStudentLink(deps, p);
    await ensureStudentLink(deps, p);

    const mails = await inboxOf(p.student.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('Welkom bij werkplekleren N2 2025-2026');
    expect(mails[0]!.body.html).toContain('Mijn werkplekleren');
    const page = await (await app.request(`/s/${tokenIn(mails[0], 's')}`)).text();
    expect(page).toContain('Zoë de Vries');
    expect(page).toContain('Deze periode: periode 1 (OP1)');
    expect(page).toContain('woensdag 12 november 2025');
    // One place for the year's progress: the "Voortgang" list, no second kijkwijzer section beside it.
    expect(page).toContain('kijkwijzers nog nodig: pedagogiek, didactiek en vakdidactiek (vóór het einde van OP3)');
    expect(page).not.toContain('Kijkwijzers vóór het einde van periode');
  });

  it('emails the WPB a link when the student asks for an observation, and lists the request as gevraagd', async () => {
    const { p, studentToken, wpbMail } = await requestedKijkwijzer('02');

    expect(wpbMail!.subject).toBe('Kijkwijzer pedagogiek voor Zoë de Vries');
    expect(wpbMail!.body.text).toContain("Beste Jan van 't Hek,");
    expect(wpbMail!.body.text).toContain('woensdag 12 november 2025');
    expect(wpbMail!.body.text).toContain('Let op mijn klassenmanagement');
    expect(wpbMail!.body.text).toContain(`${TEST_ORIGIN}/f/`);
    const stored = await request(p);
    expect(stored).toMatchObject({ formId: 'kijkwijzer-pedagogiek', observerRole: 'wpb', state: 'gevraagd', period: 1, deadline: '2025-11-12', className: 'H2b' });
    expect(JSON.stringify(stored)).not.toContain(tokenIn(wpbMail, 'f'));
    expect(await (await app.request(`/s/${studentToken}`)).text()).toContain('state-gevraagd');
  });

  it('keeps a draft, rejects an incomplete submit with every value kept, then submits and sends both emails', async () => {
    const { p, formToken, studentToken } = await requestedKijkwijzer('03');
    const full = completeFields(kijkwijzer);
    const draft = { 'a.PED-1': 'goed', 'a.FEEDBACK': 'Rustige start; "duidelijk" <b>', basis: '0', actie: 'concept' };

    expect((await post(`/f/${formToken}`, draft)).status).toBe(303);
    const reopened = await (await app.request(`/f/${formToken}?opgeslagen=concept`)).text();
    expect(reopened).toContain('Uw concept is opgeslagen');
    expect(reopened).toContain('Rustige start; &quot;duidelijk&quot; &lt;b&gt;');
    expect((await request(p)).state).toBe('concept');

    const incomplete = await post(`/f/${formToken}`, { 'a.PED-1': 'goed', 'a.FEEDBACK': 'Alleen feedback', basis: '1', actie: 'versturen' });
    expect(incomplete.status).toBe(400);
    const errorPage = await incomplete.text();
    expect(errorPage).toContain('foutmeldingen');
    expect(errorPage).toContain('Alleen feedback');
    expect(errorPage).toMatch(/value="goed"[^>]*checked|checked[^>]*value="goed"/);

    const submitted = await post(`/f/${formToken}`, { ...full, basis: '1', actie: 'versturen' });
    expect(submitted.status).toBe(303);
    expect(submitted.headers.get('location')).toBe(`/f/${formToken}?opgeslagen=verstuurd`);

    const stored = await request(p);
    expect(stored.state).toBe('ingediend');
    const versions = await deps.requests.listVersions(stored);
    expect(versions.map((v) => [v.version, v.status])).toEqual([
      [1, 'concept'],
      [2, 'ingediend'],
    ]);
    expect(versions[1]!.answers['PED-1']).toBe('voldoende');
    const receipt = (await inboxOf(p.wpb.email)).at(-1)!;
    expect(receipt.subject).toBe('Ontvangen: Kijkwijzer pedagogiek voor Zoë de Vries');
    expect(receipt.body.text).toContain('(FEEDFORWARD)');
    const toStudent = (await inboxOf(p.student.email)).at(-1)!;
    expect(toStudent.subject).toBe("Kijkwijzer pedagogiek is ingediend door Jan van 't Hek");
    const studentPage = await (await app.request(`/s/${studentToken}`)).text();
    expect(studentPage).toContain('state-ingediend');
    expect(studentPage).toContain('kijkwijzers nog nodig: didactiek en vakdidactiek (vóór het einde van OP3)');
    expect(studentPage).toContain('Binnen: pedagogiek.');
    const view = await (await app.request(`/s/${studentToken}/formulieren/${stored.requestId}`)).text();
    expect(view).toContain('(FEEDFORWARD)');
  });

  it('lets two saves on the same version both arrive without losing either: one wins, the other gets its values back', async () => {
    const { p, formToken } = await requestedKijkwijzer('04');

    const [a, b] = await Promise.all([
      post(`/f/${formToken}`, { 'a.FEEDBACK': 'Versie van A', basis: '0', actie: 'concept' }),
      post(`/f/${formToken}`, { 'a.FEEDBACK': 'Versie van B', basis: '0', actie: 'concept' }),
    ]);

    expect([a.status, b.status].sort()).toEqual([303, 409]);
    const loser = a.status === 409 ? a : b;
    expect(await loser.text()).toMatch(/Versie van [AB]/);
    const versions = await deps.requests.listVersions(await request(p));
    expect(versions).toHaveLength(1);
  });

  it('answers a replayed POST (the same body sent again) with 409 and stores nothing new', async () => {
    const { p, formToken } = await requestedKijkwijzer('10');
    const body = { ...completeFields(kijkwijzer), basis: '0', actie: 'versturen' };

    const first = await post(`/f/${formToken}`, body);
    const replay = await post(`/f/${formToken}`, body);

    expect(first.status).toBe(303);
    expect(replay.status).toBe(409);
    expect(await replay.text()).toContain('intussen door iemand anders opgeslagen');
    expect(await deps.requests.listVersions(await request(p))).toHaveLength(1);
    expect((await inboxOf(p.wpb.email)).filter((m) => m.subject.startsWith('Ontvangen:'))).toHaveLength(1);
  });

  it('refuses a cross-site POST and a POST without Origin, and stores nothing', async () => {
    const { p, formToken } = await requestedKijkwijzer('05');

    const evil = await post(`/f/${formToken}`, { 'a.FEEDBACK': 'x', basis: '0', actie: 'concept' }, 'https://evil.example');
    const bare = await post(`/f/${formToken}`, { 'a.FEEDBACK': 'x', basis: '0', actie: 'concept' }, null);

    expect(evil.status).toBe(403);
    expect(await evil.text()).toContain('niet vanaf deze website verstuurd');
    expect(bare.status).toBe(403);
    expect((await request(p)).latestVersion).toBe(0);
  });

  it('answers unknown, tampered and wrong-kind links with 404 and a revoked link with 410, revealing nothing', async () => {
    const { p, formToken, studentToken } = await requestedKijkwijzer('06');
    const tampered = formToken.slice(0, -1) + (formToken.endsWith('A') ? 'B' : 'A');

    const unknown = await app.request('/f/abc');
    const changed = await app.request(`/f/${tampered}`);
    const wrongKind = await app.request(`/f/${studentToken}`);
    await deps.requests.revokeLink((await request(p)).linkHash, clock.now().toString());
    const revoked = await app.request(`/f/${formToken}`);

    expect(unknown.status).toBe(404);
    expect(changed.status).toBe(404);
    expect(wrongKind.status).toBe(404);
    expect(await changed.text()).toContain('Deze link is niet geldig');
    expect(revoked.status).toBe(410);
    const gone = await revoked.text();
    expect(gone).toContain('werkt niet meer');
    expect(gone).not.toContain('Zoë');
  });

  it('shows the form read-only after the deadline, refuses a draft then, and expires the link after the grace', async () => {
    const { p, formToken } = await requestedKijkwijzer('07');
    try {
      clock.set('2025-11-13T08:00');
      const page = await (await app.request(`/f/${formToken}`)).text();
      const late = await post(`/f/${formToken}`, { 'a.FEEDBACK': 'te laat', basis: '0', actie: 'concept' });
      clock.set(Temporal.Instant.from('2025-11-12T23:00:00Z').add({ hours: 24 * 14 }).toString());
      const expired = await app.request(`/f/${formToken}`);

      expect(page).toContain('De deadline is verstreken');
      expect(page).not.toContain('name="actie"');
      expect(late.status).toBe(403);
      expect((await request(p)).latestVersion).toBe(0);
      expect(expired.status).toBe(410);
    } finally {
      clock.set('2025-11-10T09:00');
    }
  });

  it('refuses a draft after submitting, so a submitted form never goes back to concept', async () => {
    const { p, formToken } = await requestedKijkwijzer('08');
    await post(`/f/${formToken}`, { ...completeFields(kijkwijzer), basis: '0', actie: 'versturen' });

    const draft = await post(`/f/${formToken}`, { 'a.FEEDBACK': 'nu concept', basis: '1', actie: 'concept' });

    expect(draft.status).toBe(400);
    expect((await request(p)).state).toBe('ingediend');
  });

  it('rejects a bad request from the student page with Dutch messages and keeps the values', async () => {
    const p = placement('09');
    await deps.placements.create(p, clock.now().toString());
    await ensureStudentLink(deps, p);
    const token = tokenIn((await inboxOf(p.student.email))[0], 's');

    const response = await post(`/s/${token}/aanvragen`, { formId: 'kijkwijzer-onbekend', observerRole: 'rector', lessonDate: '2025-02-30', className: 'H2b' });

    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('Kies wie de les observeert.');
    expect(page).toContain('Vul een geldige lesdatum in.');
    expect(page).toContain('value="H2b"');
    expect(await deps.requests.listForPlacement(p.schoolYear, p.studentNumber)).toEqual([]);
  });
});
