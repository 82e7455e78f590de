import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/http/app.tsx';
import { getForm } from '../../../forms/index.ts';
import { getPeriod, getSchoolYear } from '../../../shared/calendar.ts';
import { tokenFor } from '../../../shared/links.ts';
import { createRequest } from '../../../shared/usecases/observation.ts';
import type { Placement } from '../../../shared/roster/placement.ts';
import type { RequestRecord } from '../../../shared/model/requests.ts';
import { appDeps, TEST_ORIGIN } from '../../support/app.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';
import { completeFields } from '../../support/forms.ts';
import { inboxOf, tokenIn } from '../../support/inbox.ts';
import { getWithSession, movableClock, postForm, signIn, staffPlacement } from '../../support/staff.ts';

const YEAR = '2025-2026';
const choice = { year: getSchoolYear(YEAR)!, period: getPeriod(YEAR, 1)! };
const OVERVIEW = `/overzicht?jaar=${YEAR}&periode=1`;
const kijkwijzer = getForm('kijkwijzer-pedagogiek')!;
const WPB = { name: "Daniëlle van 't Hoff-Çelik", email: 'danielle.vanthoff-celik@wolfert-van-borselen.example.nl' };

describe('"Link intrekken" asks first and tells the observer; the receipt after a submission says what the observer understands', () => {
  const clock = movableClock('2025-11-10T09:00');
  let app: ReturnType<typeof createApp>;
  let deps: ReturnType<typeof appDeps>;
  let session: string;
  let seq = 0;

  async function placement(): Promise<Placement> {
    seq += 1;
    const nr = String(850000 + seq);
    const p = staffPlacement(nr, 'rev', { wpb: { ...WPB, email: `${seq}.${WPB.email}` } });
    await deps.placements.create(p, clock.now().toString());
    return p;
  }

  async function ask(p: Placement): Promise<RequestRecord> {
    return createRequest(deps, p, { formId: kijkwijzer.id, observerRole: 'wpb', lessonDate: '2025-11-05', className: 'H2b' }, { origin: 'student', choice });
  }

  const tokenOf = (r: RequestRecord) => tokenFor(deps.linkSecret, r.linkId);
  const revokePath = (r: RequestRecord) => `/overzicht/aanvraag/${r.schoolYear}/${r.studentNumber}/${r.requestId}/intrekken`;
  const reload = async (r: RequestRecord) => (await deps.requests.get(r.schoolYear, r.studentNumber, r.requestId))!;

  beforeAll(async () => {
    const clients = localClients();
    deps = appDeps(clients, { tableName: await freshTable(clients), bucket: await freshBucket(clients) }, clock);
    app = createApp({ ...deps, signInRateLimits: { perAddress: 1000, perClient: 1000 } });
    await placement();
    session = await signIn(app, 'io.rev@hr.example.nl');
  });

  describe('Link intrekken', () => {
    it('shows a confirmation step first (no JavaScript needed) and changes and sends nothing', async () => {
      const p = await placement();
      const request = await ask(p);
      const mails = (await inboxOf(p.wpb.email)).length;

      const response = await postForm(app, revokePath(request), { terug: OVERVIEW }, { cookie: session });

      expect(response.status).toBe(200);
      const page = await response.text();
      expect(page).toContain('Link intrekken?');
      expect(page).toContain(`action="${revokePath(request)}"`);
      expect(page).toContain('name="bevestigd" value="ja"');
      expect(page).toContain(`name="terug" value="${OVERVIEW.replace('&', '&amp;')}"`);
      expect(page).toContain(`href="${OVERVIEW.replace('&', '&amp;')}"`);
      expect(page).toContain('Daniëlle van &#39;t Hoff-Çelik');
      expect(await reload(request)).toEqual(request);
      expect((await app.request(`/f/${tokenOf(request)}`)).status).toBe(200);
      expect(await inboxOf(p.wpb.email)).toHaveLength(mails);
    });

    it('revokes once confirmed and emails the observer that the link no longer works, why, and whom to ask', async () => {
      const p = await placement();
      const request = await ask(p);
      const token = tokenOf(request);
      const mails = (await inboxOf(p.wpb.email)).length;

      const response = await postForm(app, revokePath(request), { terug: OVERVIEW, bevestigd: 'ja', reden: 'De link is per ongeluk\r\ndoorgestuurd.' }, { cookie: session });

      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(`${OVERVIEW}&melding=ingetrokken`);
      expect((await reload(request)).linkRevokedAt).toBe(clock.now().toString());
      const gone = await app.request(`/f/${token}`);
      expect(gone.status).toBe(410);
      expect(await gone.text()).toContain('vraag de student of de schoolopleider om een nieuwe');
      const inbox = await inboxOf(p.wpb.email);
      expect(inbox).toHaveLength(mails + 1);
      const mail = inbox.at(-1)!;
      expect(mail.subject).toBe('Link ingetrokken: Kijkwijzer pedagogiek voor Zoë de Vries');
      for (const part of [mail.body.text!, mail.body.html!]) {
        expect(part).toContain('is ingetrokken door de opleiding en werkt niet meer');
        expect(part).toContain('Reden: De link is per ongeluk doorgestuurd.');
        expect(part).toContain('Vragen? Neem contact op met io.rev@hr.example.nl.');
      }
      expect(mail.body.text).toContain("Beste Daniëlle van 't Hoff-Çelik,");
      expect(mail.body.text).not.toContain(`/f/${token}`);
      const events = await deps.audit.listForPlacement(p.schoolYear, p.studentNumber, { requestId: request.requestId });
      expect(events.find((e) => e.action === 'link ingetrokken')?.detail).toContain('reden: De link is per ongeluk doorgestuurd.; bericht gestuurd');
    });
  });

  describe('the receipt (the observer\'s email after a submission), read from the local inbox', () => {
    const submit = (token: string, basis: string) => postForm(app, `/f/${token}`, { ...completeFields(kijkwijzer), basis, actie: 'versturen' });

    it('says no version number for a first submission after a draft, and carries the form link in the text and the HTML part', async () => {
      const p = await placement();
      const request = await ask(p);
      const token = tokenOf(request);
      expect((await postForm(app, `/f/${token}`, { 'a.FEEDBACK': 'Eerst een concept', basis: '0', actie: 'concept' })).status).toBe(303);

      expect((await submit(token, '1')).status).toBe(303);

      const receipt = (await inboxOf(p.wpb.email)).filter((m) => m.subject.startsWith('Ontvangen:')).at(-1)!;
      expect(receipt.subject).toBe('Ontvangen: Kijkwijzer pedagogiek voor Zoë de Vries');
      const { text, html } = receipt.body as { text: string; html: string };
      expect(text).toMatch(/Uw formulier voor Zoë de Vries is ontvangen( op [^.]+)?\./);
      for (const part of [text, html]) {
        expect(part).not.toMatch(/versie \d/i);
        expect(part).not.toContain('correctie voor');
        expect(part).not.toContain('dezelfde link.');
        expect(part).not.toMatch(/knop hieronder/);
        expect(part).toContain('tot en met woensdag 12 november 2025 met de link hieronder');
        expect(part).toContain(`${TEST_ORIGIN}/f/${token}`);
      }
      expect(tokenIn(receipt, 'f')).toBe(token);
      expect(text).toContain(`Formulier openen om te corrigeren: ${TEST_ORIGIN}/f/${token}`);
      expect(html).toContain(`href="${TEST_ORIGIN}/f/${token}"`);
    });

    it('calls a later submission a correction, still without a version number', async () => {
      const p = await placement();
      const request = await ask(p);
      const token = tokenOf(request);
      expect((await submit(token, '0')).status).toBe(303);
      expect((await submit(token, '1')).status).toBe(303);

      const receipts = (await inboxOf(p.wpb.email)).filter((m) => m.subject.startsWith('Ontvangen:'));
      expect(receipts).toHaveLength(2);
      expect(receipts[0]!.body.text).toMatch(/Uw formulier voor Zoë de Vries is ontvangen( op [^.;]+)?\./);
      expect(receipts[1]!.body.text).toMatch(/Uw correctie voor Zoë de Vries is ontvangen( op [^.;]+)?; deze vervangt wat u eerder had ingediend\./);
      for (const part of [receipts[1]!.body.text!, receipts[1]!.body.html!]) expect(part).not.toMatch(/versie \d/i);
    });

    it('builds the link from PUBLIC_ORIGIN, never from the Host header', async () => {
      const p = await placement();
      const request = await ask(p);
      const token = tokenOf(request);

      const response = await app.request(`http://evil.example/f/${token}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: TEST_ORIGIN, Host: 'evil.example' },
        body: new URLSearchParams({ ...completeFields(kijkwijzer), basis: '0', actie: 'versturen' }).toString(),
      });

      expect(response.status).toBe(303);
      const receipt = (await inboxOf(p.wpb.email)).filter((m) => m.subject.startsWith('Ontvangen:')).at(-1)!;
      expect(receipt.body.text).toContain(`${TEST_ORIGIN}/f/${token}`);
      expect(receipt.body.text).not.toContain('evil.example');
    });

    it('tells the observer in the request email that the link below is personal, in words true of the text part too', async () => {
      const p = await placement();
      await ask(p);

      const mail = (await inboxOf(p.wpb.email)).at(-1)!;

      for (const part of [mail.body.text!, mail.body.html!]) {
        expect(part).not.toContain('knop hieronder');
        expect(part).toContain('De link hieronder is persoonlijk');
      }
      expect(mail.body.text).toMatch(/Formulier openen: https:\/\/werkplekleren\.test\/f\/[A-Za-z0-9_-]{43}/);
    });
  });

  it('shows the staff overview with the revoke button still a plain form (it leads to the confirmation)', async () => {
    const p = await placement();
    const request = await ask(p);

    const text = await (await getWithSession(app, OVERVIEW, session)).text();

    expect(text).toContain(`action="${revokePath(request)}"`);
  });
});
