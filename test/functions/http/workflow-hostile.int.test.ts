import type ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createApp } from '../../../functions/http/app.tsx';
import { getForm } from '../../../forms/index.ts';
import { getPeriod, getSchoolYear } from '../../../shared/calendar.ts';
import { fieldName } from '../../../shared/forms/answers.ts';
import { formToWorkbook, readFormWorkbook } from '../../../shared/forms/xlsform.ts';
import { formatProblem } from '../../../shared/xlsx/workbook.ts';
import { tokenFor } from '../../../shared/links.ts';
import { CONCERN_TEXT_MAX } from '../../../shared/model/concerns.ts';
import type { ObserverRole, RequestRecord } from '../../../shared/model/requests.ts';
import type { Placement } from '../../../shared/roster/placement.ts';
import type { AwsClients } from '../../../shared/store/clients.ts';
import { workflowKeys } from '../../../shared/store/keys.ts';
import { createRequest } from '../../../shared/usecases/observation.ts';
import { ensureStudentLink } from '../../../shared/usecases/welcome.ts';
import { appDeps, TEST_ORIGIN } from '../../support/app.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';
import { completeFields } from '../../support/forms.ts';
import { cellAt, editWorkbook, headers, rowWhere, sheet } from '../../support/edit-workbook.ts';
import { inboxOf, tokenIn } from '../../support/inbox.ts';
import { getWithSession, movableClock, postForm, signIn, staffPlacement } from '../../support/staff.ts';

const YEAR = '2025-2026';
const choice = { year: getSchoolYear(YEAR)!, period: getPeriod(YEAR, 1)! };

/** Text as Hono's JSX writes it into a page. */
const escaped = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');

/**
 * A hostile review of the concerns about progress (issue 14, docs/workflow.md): replays, double
 * posts and races of a raise and a close, with the stored concerns and the open marker compared
 * after each; forged, swapped and out-of-scope steps; links that may not raise one; hostile reasons;
 * HEAD requests. Through the app on DynamoDB Local and the local SES inbox.
 */
describe('concerns about progress, attacked', () => {
  const clock = movableClock('2025-11-10T09:00');
  let clients: AwsClients;
  let tableName: string;
  let app: ReturnType<typeof createApp>;
  let deps: ReturnType<typeof appDeps>;
  const sessions: Record<string, string> = {};
  /** Every placement by a short name; all but `elders` share their SO, IO and SCO. */
  const p: Record<'dubbel' | 'race' | 'stap' | 'buur' | 'tekst' | 'link' | 'elders', Placement> = {} as never;
  const wpb: Partial<Record<keyof typeof p, RequestRecord>> = {};

  const tokenOf = (r: RequestRecord) => tokenFor(deps.linkSecret, r.linkId);
  const studentPage = (pl: Placement) => `/overzicht/student/${pl.schoolYear}/${pl.studentNumber}`;
  const raiseByLink = (r: RequestRecord, reden: string, options: { origin?: string | null } = {}) => postForm(app, `/f/${tokenOf(r)}/zorg`, { reden }, options);
  const raiseSigned = (pl: Placement, session: string, reden: string) => postForm(app, `${studentPage(pl)}/zorgen`, { reden, terug: studentPage(pl) }, { cookie: session });
  const step = (pl: Placement, concernId: string, session: string, fields: Record<string, string>) =>
    postForm(app, `${studentPage(pl)}/zorgen/${concernId}/stappen`, { terug: studentPage(pl), ...fields }, { cookie: session });
  const concernsOf = (pl: Placement) => deps.concerns.listForPlacement(pl.schoolYear, pl.studentNumber);
  const subjectOf = (pl: Placement) => `Zorg over de voortgang van ${pl.student.name}`;
  const concernMails = async (address: string, pl: Placement) => (await inboxOf(address)).filter((m) => m.subject === subjectOf(pl));
  const marker = async (pl: Placement) =>
    (await clients.doc.send(new GetCommand({ TableName: tableName, Key: workflowKeys.openConcernMarker(pl.schoolYear, pl.studentNumber), ConsistentRead: true }))).Item;
  const auditOf = async (pl: Placement, action: string) => (await deps.audit.listForPlacement(YEAR, pl.studentNumber)).filter((e) => e.action === action);

  /** The open marker and the stored concerns agree: a marker exactly when one concern is open, naming it. */
  async function expectMarkerAgrees(pl: Placement): Promise<void> {
    const open = (await concernsOf(pl)).filter((c) => c.state === 'open');
    expect(open.length).toBeLessThanOrEqual(1);
    const item = await marker(pl);
    expect(item?.concernId).toBe(open[0]?.concernId);
  }

  async function ask(pl: Placement, observerRole: ObserverRole = 'wpb', formId = 'kijkwijzer-pedagogiek'): Promise<RequestRecord> {
    return createRequest(deps, pl, { formId, observerRole, lessonDate: '2025-11-05' }, { origin: 'student', choice });
  }

  beforeAll(async () => {
    clients = localClients();
    tableName = await freshTable(clients);
    deps = appDeps(clients, { tableName, bucket: await freshBucket(clients) }, clock, { adminEmails: ['admin.vijand@hr.example.nl'] });
    app = createApp({ ...deps, signInRateLimits: { perAddress: 1000, perClient: 1000 }, rateLimits: { perAddress: 1_000_000, perToken: 1_000_000 } } as typeof deps);
    const names = {
      dubbel: "Ëlif Ó'Çonnor",
      race: 'Daniël Çelik',
      stap: "Joëlle van 't Veld",
      buur: 'Noë Ómer',
      tekst: 'Zoë Ërdem',
      link: 'Chloë Ünal',
      elders: 'Björn Ïsaksen',
    } as const;
    for (const [index, key] of (Object.keys(names) as (keyof typeof names)[]).entries()) {
      const nr = String(886_001 + index);
      const suffix = key === 'elders' ? 'vijand2' : 'vijand1';
      p[key] = staffPlacement(nr, suffix, {
        student: { name: names[key], email: `student.${nr}@student.example.nl` },
        wpb: { name: `Wïm "WPB" ${key}`, email: `wpb.${nr}@wolfert.example.nl` },
        ...(key === 'elders' ? { school: 'Erasmiaans Gymnasium' } : {}),
      });
      await deps.placements.create(p[key], clock.now().toString());
      wpb[key] = await ask(p[key]);
    }
    sessions.so = await signIn(app, p.dubbel.so.email);
    sessions.io = await signIn(app, p.dubbel.io.email);
    sessions.sco = await signIn(app, p.dubbel.sco.email);
    sessions.eldersSo = await signIn(app, p.elders.so.email);
    sessions.eldersIo = await signIn(app, p.elders.io.email);
  });

  it('stores one concern for three posts at once and a replay after the redirect, and emails the SO, the IO and the SCO once each', async () => {
    const r = wpb.dubbel!;
    const reason = 'Komt te laat.\r\nGeen lesvoorbereiding.';

    const answers = await Promise.all([raiseByLink(r, reason), raiseByLink(r, reason), raiseByLink(r, reason)]);
    const replay = await raiseByLink(r, reason);

    expect(answers.map((a) => a.status).sort()).toEqual([303, 409, 409]);
    expect(replay.status).toBe(409);
    const text = await replay.text();
    expect(text).toContain(`Er staat al een zorg open voor ${escaped(p.dubbel.student.name)}`);
    expect(text).toContain('Er is geen tweede zorg gemeld');
    const concerns = await concernsOf(p.dubbel);
    expect(concerns).toHaveLength(1);
    expect(concerns[0]!.reason).toBe('Komt te laat.\nGeen lesvoorbereiding.');
    await expectMarkerAgrees(p.dubbel);
    for (const person of [p.dubbel.so, p.dubbel.io, p.dubbel.sco]) expect(await concernMails(person.email, p.dubbel), person.email).toHaveLength(1);
    expect(await concernMails(p.dubbel.wpb.email, p.dubbel)).toEqual([]);
    expect(await concernMails(p.dubbel.student.email, p.dubbel)).toEqual([]);
    expect(await auditOf(p.dubbel, 'zorg gemeld')).toHaveLength(1);
  });

  it('keeps the open marker and the concerns in step when a raise races a close, round after round', async () => {
    const pl = p.race;
    let raised = 0;
    expect((await raiseSigned(pl, sessions.io!, 'Eerste zorg')).status).toBe(303);
    raised++;
    for (let round = 0; round < 6; round++) {
      clock.advance(2 * 60_000);
      const open = (await concernsOf(pl)).find((c) => c.state === 'open');
      if (!open) {
        expect((await raiseSigned(pl, sessions.io!, `Zorg ronde ${round}`)).status).toBe(303);
        raised++;
        await expectMarkerAgrees(pl);
        continue;
      }
      const [close, raise] = await Promise.all([
        step(pl, open.concernId, sessions.so!, { stap: 'gesloten', notitie: `Ronde ${round}` }),
        raiseByLink(wpb.race!, `Nieuwe zorg in ronde ${round}`),
      ]);
      expect(close.status, `close in round ${round}`).toBe(303);
      expect([303, 409], `raise in round ${round}`).toContain(raise.status);
      if (raise.status === 303) raised++;
      await expectMarkerAgrees(pl);
      const after = await concernsOf(pl);
      expect(after.find((c) => c.concernId === open.concernId)!.state).toBe('gesloten');
      expect(after.filter((c) => c.state === 'open')).toHaveLength(raise.status === 303 ? 1 : 0);
    }
    expect(await concernsOf(pl)).toHaveLength(raised);
    // The SCO is told of every concern raised, and of nothing else.
    expect(await concernMails(pl.sco.email, pl)).toHaveLength(raised);
  });

  it('refuses forged steps: unknown (400), another student\'s concern id either way (404), a huge or odd id (404), out of scope (403); nothing changes', async () => {
    expect((await raiseSigned(p.stap, sessions.so!, 'Zorg over de stappen')).status).toBe(303);
    expect((await raiseSigned(p.buur, sessions.so!, 'Zorg over de buurman')).status).toBe(303);
    const [mine] = await concernsOf(p.stap);
    const [neighbour] = await concernsOf(p.buur);
    const before = { mine: await concernsOf(p.stap), neighbour: await concernsOf(p.buur) };
    const steps = await auditOf(p.stap, 'zorgstap vastgelegd');
    for (const stap of ['Gesloten', 'gesloten ', '', 'contact,gesloten', '__proto__', 'constructor', 'toString', 'x'.repeat(5000)]) {
      const response = await step(p.stap, mine!.concernId, sessions.so!, { stap });
      expect(response.status, stap.slice(0, 20)).toBe(400);
      expect(await response.text()).toContain('Kies een van de stappen uit de lijst. Er is niets vastgelegd.');
    }
    const missing = await postForm(app, `${studentPage(p.stap)}/zorgen/${mine!.concernId}/stappen`, { notitie: 'zonder stap' }, { cookie: sessions.so! });
    expect(missing.status).toBe(400);

    // Swapped ids: each student's concern on the other's path.
    for (const [pl, id] of [
      [p.stap, neighbour!.concernId],
      [p.buur, mine!.concernId],
    ] as const) {
      const response = await step(pl, id, sessions.so!, { stap: 'contact' });
      expect(response.status).toBe(404);
      expect(await response.text()).toContain('Deze zorg bestaat niet bij deze student.');
    }
    for (const id of ['x'.repeat(3000), encodeURIComponent('ë#CONCERNOPEN'), 'CONCERNOPEN', encodeURIComponent(`${mine!.concernId}#`), '%00']) {
      const response = await step(p.stap, id, sessions.so!, { stap: 'contact' });
      expect(response.status, id.slice(0, 20)).toBe(404);
    }

    // Staff out of scope: another school's SO, another placement's IO.
    for (const session of [sessions.eldersSo!, sessions.eldersIo!]) {
      expect((await step(p.stap, mine!.concernId, session, { stap: 'contact' })).status).toBe(403);
      expect((await raiseSigned(p.buur, session, 'Ook een zorg')).status).toBe(403);
    }
    // Someone in scope on a student who does not exist, and on a school year that does not.
    expect((await step({ ...p.stap, studentNumber: '886999' }, mine!.concernId, sessions.so!, { stap: 'contact' })).status).toBe(404);
    expect((await step({ ...p.stap, schoolYear: '1999-2000' }, mine!.concernId, sessions.so!, { stap: 'contact' })).status).toBe(404);

    expect(await concernsOf(p.stap)).toEqual(before.mine);
    expect(await concernsOf(p.buur)).toEqual(before.neighbour);
    expect(await auditOf(p.stap, 'zorgstap vastgelegd')).toEqual(steps);
  });

  it('lets a WPB link holder record no step, and changes nothing for a replayed step or a step on a closed concern', async () => {
    const [concern] = await concernsOf(p.stap);
    const token = tokenOf(wpb.stap!);

    // No step route exists under the WPB's link; a step's fields posted to the raise are a raise without a reason.
    expect((await postForm(app, `/f/${token}/zorg/${concern!.concernId}/stappen`, { stap: 'gesloten' })).status).toBe(404);
    const asStep = await postForm(app, `/f/${token}/zorg`, { stap: 'gesloten', notitie: 'klaar' });
    expect(asStep.status).toBe(409);
    expect(await asStep.text()).toContain(`Er staat al een zorg open voor ${escaped(p.stap.student.name)}`);
    expect((await concernsOf(p.stap))[0]).toEqual(concern);

    clock.advance(60_000);
    expect((await step(p.stap, concern!.concernId, sessions.so!, { stap: 'contact', notitie: 'Gebeld.' })).status).toBe(303);
    clock.advance(10_000);
    const replay = await step(p.stap, concern!.concernId, sessions.so!, { stap: 'contact', notitie: 'Gebeld.' });
    expect(replay.status).toBe(303);
    const afterReplay = (await concernsOf(p.stap))[0]!;
    expect(afterReplay.steps).toHaveLength(1);
    expect(afterReplay.rev).toBe(1);
    expect(await auditOf(p.stap, 'zorgstap vastgelegd')).toHaveLength(1);

    clock.advance(60_000);
    expect((await step(p.stap, concern!.concernId, sessions.io!, { stap: 'gesloten' })).status).toBe(303);
    await expectMarkerAgrees(p.stap);
    clock.advance(60_000);
    for (const [session, stap] of [
      [sessions.so!, 'verbetertraject'],
      [sessions.io!, 'gesloten'],
      [sessions.sco!, 'gesloten'],
    ] as const) {
      const late = await step(p.stap, concern!.concernId, session, { stap });
      expect(late.status, stap).toBe(409);
      expect(await late.text()).toContain('is al afgesloten');
    }
    const closed = (await concernsOf(p.stap))[0]!;
    expect(closed.state).toBe('gesloten');
    expect(closed.rev).toBe(2);
    expect(closed.steps.map((s) => s.step)).toEqual(['contact', 'gesloten']);
    await expectMarkerAgrees(p.stap);
  });

  it('closes once when two people close at the same moment and a third records a step: one closing step, the marker gone, rev and steps agree', async () => {
    const pl = p.buur;
    const [concern] = await concernsOf(pl);
    expect(concern!.state).toBe('open');
    clock.advance(5 * 60_000);

    const [bySo, byIo, bySco] = await Promise.all([
      step(pl, concern!.concernId, sessions.so!, { stap: 'gesloten' }),
      step(pl, concern!.concernId, sessions.io!, { stap: 'gesloten' }),
      step(pl, concern!.concernId, sessions.sco!, { stap: 'verbetertraject' }),
    ]);

    expect([bySo!.status, byIo!.status].sort()).toEqual([303, 409]);
    expect([303, 409]).toContain(bySco!.status);
    const [after] = await concernsOf(pl);
    expect(after!.state).toBe('gesloten');
    expect(after!.steps.filter((s) => s.step === 'gesloten')).toHaveLength(1);
    expect(after!.steps.at(-1)!.step).toBe('gesloten');
    expect(after!.steps).toHaveLength(bySco!.status === 303 ? 2 : 1);
    expect(after!.rev).toBe(after!.steps.length);
    await expectMarkerAgrees(pl);
    expect(await auditOf(pl, 'zorgstap vastgelegd')).toHaveLength(after!.steps.length);
  });

  it('answers a refused text where its form is gone with the 409 that says why: a reason while one is open, a note on a closed concern', async () => {
    // A stale page: the concern of p.dubbel is open, of p.stap closed, since the page was loaded.
    const [open] = await concernsOf(p.dubbel);
    const [closed] = await concernsOf(p.stap);
    const tooLong = 'ë'.repeat(CONCERN_TEXT_MAX + 1);

    const byLink = await raiseByLink(wpb.dubbel!, tooLong);
    const signed = await raiseSigned(p.dubbel, sessions.sco!, '   ');
    const note = await step(p.stap, closed!.concernId, sessions.sco!, { stap: 'verbetertraject', notitie: tooLong });

    for (const response of [byLink, signed]) {
      expect(response.status).toBe(409);
      expect(await response.text()).toContain(`Er staat al een zorg open voor ${escaped(p.dubbel.student.name)} (gemeld op`);
    }
    expect(note.status).toBe(409);
    expect(await note.text()).toContain(`Deze zorg over ${escaped(p.stap.student.name)} is al afgesloten`);
    expect(await concernsOf(p.dubbel)).toEqual([open]);
    expect(await concernsOf(p.stap)).toEqual([closed]);
  });

  it('lets only the present WPB raise one by link: the SO\'s and IO\'s form links 403, the student\'s link and bad tokens 404, a replaced or reissued link 410', async () => {
    const pl = p.link;
    const soLink = await ask(pl, 'so', 'kijkwijzer-didactiek');
    const ioLink = await ask(pl, 'io', 'kijkwijzer-didactiek');
    for (const r of [soLink, ioLink]) {
      for (const response of [await app.request(`/f/${tokenOf(r)}/zorg`), await raiseByLink(r, 'Zorg van de SO of IO')]) {
        expect(response.status).toBe(403);
        expect(await response.text()).toContain('Via een formulierlink kan alleen de werkplekbegeleider een zorg melden');
      }
    }
    await ensureStudentLink(deps, pl);
    const studentToken = tokenIn((await inboxOf(pl.student.email))[0], 's');
    for (const token of [studentToken, 'abc', 'A'.repeat(43), `${tokenOf(wpb.link!)}x`]) {
      expect((await postForm(app, `/f/${token}/zorg`, { reden: 'Zorg' })).status, token).toBe(404);
      expect((await app.request(`/f/${token}/zorg`)).status, token).toBe(404);
    }

    // A reissued link: the old token is gone, the new one works.
    const old = tokenOf(wpb.link!);
    const reissued = await postForm(app, `/overzicht/aanvraag/${YEAR}/${pl.studentNumber}/${wpb.link!.requestId}/nieuwe-link`, { terug: studentPage(pl) }, { cookie: sessions.io! });
    expect(reissued.status).toBe(303);
    expect((await raiseByLink(wpb.link!, 'Met de oude link')).status).toBe(410);
    const fresh = (await deps.requests.get(YEAR, pl.studentNumber, wpb.link!.requestId))!;
    expect(tokenOf(fresh)).not.toBe(old);
    expect((await app.request(`/f/${tokenOf(fresh)}/zorg`)).status).toBe(200);

    // The WPB replaced: the former WPB's links raise nothing, the moved open request's (410) nor the submitted one's (403).
    const didactiek = getForm('kijkwijzer-didactiek')!;
    const submitted = await ask(pl, 'wpb', didactiek.id);
    expect((await postForm(app, `/f/${tokenOf(submitted)}`, { ...completeFields(didactiek), basis: '0', actie: 'versturen' })).status).toBe(303);
    const replaced = await postForm(app, `${studentPage(pl)}/wpb`, { naam: 'Nieuwe Wëpebe', email: `nieuw.${pl.studentNumber}@wolfert.example.nl`, terug: studentPage(pl) }, { cookie: sessions.so! });
    expect(replaced.status).toBe(303);
    expect((await postForm(app, `/f/${tokenOf(fresh)}/zorg`, { reden: 'Zorg van de vorige WPB' })).status).toBe(410);
    const former = await postForm(app, `/f/${tokenOf(submitted)}/zorg`, { reden: 'Zorg van de vorige WPB' });
    expect(former.status).toBe(403);
    expect(await former.text()).toContain(`U bent niet meer de werkplekbegeleider van ${escaped(pl.student.name)}`);

    expect(await concernsOf(pl)).toEqual([]);
    expect(await marker(pl)).toBeUndefined();
    expect(await concernMails(pl.so.email, pl)).toEqual([]);
  });

  it('refuses hostile reasons by link and signed in: a Dutch 400 at the field, the text kept, nothing stored, nobody emailed', async () => {
    const pl = p.tekst;
    const cases: [string, string][] = [
      ['Komt te laat\u0007', 'De reden bevat een stuurteken (U+0007) op positie 13'],
      ['Regel\u2028regel', 'De reden bevat een regeleinde (U+2028) op positie 6'],
      ['Alinea\u2029alinea', 'De reden bevat een regeleinde (U+2029) op positie 7'],
      ['Volgende\u0085regel', 'De reden bevat een regeleinde (U+0085) op positie 9'],
      ['Jan \u202Efdp.exe', 'De reden bevat een onzichtbaar teken dat de leesrichting verandert (U+202E) op positie 5'],
      ['\u2066geïsoleerd\u2069', 'De reden bevat een onzichtbaar teken dat de leesrichting verandert (U+2066) op positie 1'],
      ['on\u200Bzichtbaar', 'De reden bevat een onzichtbaar teken (U+200B) op positie 3'],
      ['x'.repeat(CONCERN_TEXT_MAX + 1), `De reden is langer dan ${CONCERN_TEXT_MAX} tekens`],
      ['   ', 'Vul de reden in'],
      ['\u00A0\u3000\u2003', 'Vul de reden in'],
      ['\r\n\t\r\n', 'Vul de reden in'],
      ['', 'Vul de reden in'],
    ];
    for (const [reden, message] of cases) {
      for (const response of [await raiseByLink(wpb.tekst!, reden), await raiseSigned(pl, sessions.io!, reden)]) {
        expect(response.status, message).toBe(400);
        const html = await response.text();
        expect(html, message).toContain(message);
        expect(html, message).toContain('aria-invalid="true"');
      }
    }
    // The text comes back as typed, to be fixed (escaped, never as markup).
    const kept = await (await raiseByLink(wpb.tekst!, '<b>vet</b> en "quotes"\u0007')).text();
    expect(kept).toContain('&lt;b&gt;vet&lt;/b&gt; en &quot;quotes&quot;');
    expect(kept).not.toContain('<b>vet</b>');

    expect(await concernsOf(pl)).toEqual([]);
    expect(await marker(pl)).toBeUndefined();
    for (const person of [pl.so, pl.io, pl.sco]) expect(await concernMails(person.email, pl)).toEqual([]);
  });

  it('keeps a formula-like reason with markup harmless in the staff pages, the emails and the CSV, and away from the student', async () => {
    const pl = p.tekst;
    const reason = "=cmd|' /C calc'!A0\r\n+SUM(1;1) @HYPERLINK(\"x\")\r\n<script>alert('zorg')</script> & 't klopt niet";
    const stored = reason.replaceAll('\r\n', '\n');

    expect((await raiseByLink(wpb.tekst!, reason)).status).toBe(303);

    const [concern] = await concernsOf(pl);
    expect(concern!.reason).toBe(stored);
    const page = await (await getWithSession(app, studentPage(pl), sessions.sco!)).text();
    expect(page).toContain(escaped(stored));
    expect(page).not.toContain('<script>alert');
    const overviewPage = await getWithSession(app, `/overzicht?jaar=${YEAR}&periode=1`, sessions.so!);
    expect(overviewPage.status).toBe(200);
    const overview = await overviewPage.text();
    expect(overview).not.toContain('<script>alert');
    for (const person of [pl.so, pl.io, pl.sco]) {
      const [mail] = await concernMails(person.email, pl);
      expect(mail!.body.text).toContain(stored);
      expect(mail!.body.html).not.toContain('<script>alert');
      expect(mail!.body.html).toContain('&lt;script&gt;');
    }
    const export_ = await getWithSession(app, `/overzicht/export.csv?jaar=${YEAR}&periode=1`, sessions.so!);
    expect(export_.status).toBe(200);
    const csv = await export_.text();
    expect(csv).not.toContain('cmd|');
    expect(csv).not.toContain('calc');

    await ensureStudentLink(deps, pl);
    const token = tokenIn((await inboxOf(pl.student.email))[0], 's');
    const own = await (await app.request(`/s/${token}`)).text();
    const feed = await (await app.request(`/s/${token}/agenda.ics`)).text();
    for (const text of [own, feed]) {
      expect(text).not.toContain('calc');
      expect(text.toLowerCase()).not.toContain('zorg gemeld');
    }
    expect(await concernMails(pl.student.email, pl)).toEqual([]);
  });

  it('accepts a reason of exactly the limit once the browser\'s CR LF line breaks count as one', async () => {
    const pl = p.tekst;
    const [open] = await concernsOf(pl);
    clock.advance(60_000);
    expect((await step(pl, open!.concernId, sessions.so!, { stap: 'gesloten' })).status).toBe(303);
    // 250 lines "ë" + CR LF: 750 code units as posted, 500 characters once the line breaks are LF (499 trimmed).
    const reason = 'ë\r\n'.repeat(CONCERN_TEXT_MAX / 2);
    expect((await raiseSigned(pl, sessions.io!, reason)).status).toBe(303);
    const latest = (await concernsOf(pl)).find((c) => c.state === 'open')!;
    expect(latest.reason).toBe('ë\n'.repeat(CONCERN_TEXT_MAX / 2).trim());
    await expectMarkerAgrees(pl);
  });

  it('refuses a raise from another site (no Origin of ours): 403, nothing stored', async () => {
    const pl = p.tekst;
    const before = await concernsOf(pl);
    for (const origin of ['https://boos.example', null, 'null']) {
      const response = await raiseByLink(wpb.tekst!, 'Zorg van elders', { origin });
      expect(response.status, String(origin)).toBe(403);
    }
    expect(await concernsOf(pl)).toEqual(before);
  });

  it('changes nothing on HEAD requests to the concern page and the concern routes', async () => {
    const pl = p.tekst;
    const before = { concerns: await concernsOf(pl), marker: await marker(pl), events: await deps.audit.listForPlacement(YEAR, pl.studentNumber) };
    const token = tokenOf(wpb.tekst!);

    const page = await app.request(`/f/${token}/zorg`, { method: 'HEAD' });
    expect(page.status).toBe(200);
    expect(await page.text()).toBe('');
    expect((await app.request(`/f/${token}/zorg?gemeld=1`, { method: 'HEAD' })).status).toBe(200);
    for (const path of [`${studentPage(pl)}/zorgen`, `${studentPage(pl)}/zorgen/x/stappen`]) {
      const response = await app.request(path, { method: 'HEAD', headers: { Cookie: `__Host-sessie=${sessions.so}`, Origin: TEST_ORIGIN } });
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.status, path).toBeLessThan(500);
    }

    expect({ concerns: await concernsOf(pl), marker: await marker(pl), events: await deps.audit.listForPlacement(YEAR, pl.studentNumber) }).toEqual(before);
  });

  it('refuses a reason posted as a file, or as JSON: a Dutch 400, nothing stored', async () => {
    const pl = p.elders;
    const form = new FormData();
    form.append('reden', new File(['Zorg in een bestand'], 'reden.txt', { type: 'text/plain' }));
    const asFile = await app.request(`/f/${tokenOf(wpb.elders!)}/zorg`, { method: 'POST', headers: { Origin: TEST_ORIGIN }, body: form });
    expect(asFile.status).toBe(400);
    expect(await asFile.text()).toContain('De reden ontbreekt.');
    const asJson = await app.request(`/f/${tokenOf(wpb.elders!)}/zorg`, { method: 'POST', headers: { Origin: TEST_ORIGIN, 'Content-Type': 'application/json' }, body: JSON.stringify({ reden: 'Zorg als JSON' }) });
    expect(asJson.status).toBe(400);
    expect(await concernsOf(pl)).toEqual([]);
  });

  it('answers 410 for a WPB link once the school year is over, and stores nothing (runs last: it moves the clock)', async () => {
    const before = await concernsOf(p.elders);
    clock.set('2026-09-01T09:00');
    for (const response of [await app.request(`/f/${tokenOf(wpb.elders!)}/zorg`), await raiseByLink(wpb.elders!, 'Te laat gemeld')]) {
      expect(response.status).toBe(410);
      expect(await response.text()).toContain('Deze link werkt niet meer');
    }
    expect(await concernsOf(p.elders)).toEqual(before);
  });
});

/** In the answer for the SO and IO only, and nowhere else: it must never reach the student. */
const MARKER = 'GEHEIM-q8v2z';
const PART_NOTE = 'Dit formulier heeft ook een deel dat alleen de schoolopleider en de instituutsopleider lezen.';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The style rules of a page whose selector names `name`, as written. */
function rulesFor(html: string, name: string): string[] {
  const css = html.match(/<style>([\s\S]*?)<\/style>/)?.[1] ?? '';
  return [...css.matchAll(/([^{}]+)\{([^{}]*)\}/g)].filter((m) => m[1]!.includes(name)).map((m) => m[2]!);
}

/**
 * A hostile review of the advice's part for the SO and IO only (issue 14, must-have 4): every place
 * a student reaches, a correction, a published version that adds such a part (read from a workbook
 * typed oddly) while a submission of the version before stays whole, and the WPB's notice on a phone.
 */
describe('the part for the SO and IO only, attacked', () => {
  const clock = movableClock('2026-05-04T09:00');
  const ADMIN = 'admin.lezers-vijand@hr.example.nl';
  let app: ReturnType<typeof createApp>;
  let deps: ReturnType<typeof appDeps>;
  const advice = getForm('advies-wpb')!;

  beforeAll(async () => {
    const clients = localClients();
    deps = appDeps(clients, { tableName: await freshTable(clients), bucket: await freshBucket(clients) }, clock, { adminEmails: [ADMIN] });
    app = createApp({ ...deps, signInRateLimits: { perAddress: 1000, perClient: 1000 }, rateLimits: { perAddress: 1_000_000, perToken: 1_000_000 } } as typeof deps);
  });

  /** A placement with the student's page token (from the welcome email). */
  async function placed(studentNumber: string, suffix: string): Promise<{ pl: Placement; token: string }> {
    const pl = staffPlacement(studentNumber, suffix, {
      student: { name: "Zoë Ó'Çelik", email: `zoe.${studentNumber}@student.example.nl` },
      so: { name: 'Saskia Ëlberg', email: `so.${suffix}@lezers-vijand.example.nl` },
      io: { name: 'Óscar Jansen', email: `io.${suffix}@lezers-vijand.example.nl` },
    });
    await deps.placements.create(pl, clock.now().toString());
    await ensureStudentLink(deps, pl);
    return { pl, token: tokenIn((await inboxOf(pl.student.email))[0], 's') };
  }

  /** Everything a student reaches with their link, as text: pages (GET and HEAD), the calendar, a bogus attachment, the view beacon, their emails. */
  async function whatTheStudentReaches(pl: Placement, token: string, requestId: string): Promise<string> {
    const paths = [`/s/${token}`, `/s/${token}/formulieren/${requestId}`, `/s/${token}/agenda.ics`, `/s/${token}/bijlagen/${requestId}/${'A'.repeat(22)}`, `/s/${token}/bijlagen/${requestId}/x`];
    const parts: string[] = [];
    for (const path of paths) {
      for (const method of ['GET', 'HEAD']) {
        const response = await app.request(path, { method });
        expect(response.status, `${method} ${path}`).toBeLessThan(500);
        parts.push(await response.text(), JSON.stringify([...response.headers]));
      }
    }
    const beacon = await app.request(`/s/${token}/formulieren/${requestId}/bekeken`, { method: 'POST', headers: { Origin: TEST_ORIGIN } });
    parts.push(await beacon.text());
    for (const mail of await inboxOf(pl.student.email)) parts.push(mail.subject, mail.body.text ?? '', mail.body.html ?? '', JSON.stringify(mail.attachments ?? []));
    return parts.join('\n');
  }

  it('never lets the staff-only answer reach the student, after a submission nor after a correction', async () => {
    const { pl, token } = await placed('8866001', 'advies1');
    const request = await createRequest(deps, pl, { formId: advice.id, observerRole: 'wpb' }, { origin: 'auto' });
    const formToken = tokenFor(deps.linkSecret, request.linkId);
    const fields = (staff: string, basis: string) => ({ ...completeFields(advice, 'Zoë plant goed'), [fieldName('ADV-VERTROUWELIJK')]: staff, basis, actie: 'versturen' });

    expect((await postForm(app, `/f/${formToken}`, fields(`Eerste: ${MARKER}-1\nmet "quotes" en <b>markup</b>`, '0'))).status).toBe(303);
    clock.advance(60_000);
    expect((await postForm(app, `/f/${formToken}`, fields(`Correctie: ${MARKER}-2`, '1'))).status).toBe(303);

    const reached = await whatTheStudentReaches(pl, token, request.requestId);
    expect(reached).not.toContain(MARKER);
    expect(reached).not.toContain('Correctie:');
    expect(reached).not.toContain('ADV-VERTROUWELIJK');
    expect(reached).toContain(PART_NOTE);
    expect(reached).toContain('Zoë plant goed (ADV-PED)');
    // Two emails told the student (submitted, corrected), without answers.
    expect((await inboxOf(pl.student.email)).filter((m) => m.subject.startsWith(advice.title))).toHaveLength(2);

    // The SO reads the latest answer on the staff page.
    const session = await signIn(app, pl.so.email);
    const staff = await (await getWithSession(app, `/overzicht/formulier/${YEAR}/${pl.studentNumber}/${request.requestId}`, session)).text();
    expect(staff).toContain(`Correctie: ${MARKER}-2`);
  });

  it('shows the WPB the notice on the part for the SO and IO on a phone (390 px), and says the student reads the attachments', async () => {
    const { pl } = await placed('8866002', 'advies2');
    const request = await createRequest(deps, pl, { formId: advice.id, observerRole: 'wpb' }, { origin: 'auto' });

    const html = await (await app.request(`/f/${tokenFor(deps.linkSecret, request.linkId)}`)).text();

    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1"/>');
    const section = html.match(/<fieldset class="wf-section wf-section-staff" aria-describedby="r-VERTROUWELIJK">([\s\S]*?)<\/fieldset>/)?.[1];
    expect(section).toBeDefined();
    // The notice right under the legend, before the question.
    expect(section!.indexOf('<p class="wf-readers" id="r-VERTROUWELIJK"><strong>Alleen voor de schoolopleider en de instituutsopleider: de student leest dit deel niet.</strong></p>')).toBeGreaterThan(0);
    expect(section!.indexOf('class="wf-readers"')).toBeLessThan(section!.indexOf('name="a.ADV-VERTROUWELIJK"'));
    // No rule hides it or makes it wider than a phone, at any width.
    for (const rule of [...rulesFor(html, 'wf-readers'), ...rulesFor(html, 'wf-section-staff')]) {
      expect(rule).not.toMatch(/display:\s*none|visibility|position|white-space:\s*nowrap|(?:min-)?width:\s*\d{3,}px/);
    }
    expect(html).not.toMatch(/\.wf-readers[^{]*\{[^}]*display:\s*none/);
    // The attachments come after the part for the SO and IO: the WPB is told the student reads them.
    expect(html.indexOf('id="bijlagen"')).toBeGreaterThan(html.indexOf('r-VERTROUWELIJK'));
    expect(html).toContain('bijlagen leest de student wel');
  });

  it('keeps a submission of version 1 whole for the student after version 2 adds a part for the SO and IO (lezers typed oddly in a hidden column)', async () => {
    const { pl, token } = await placed('8866003', 'didactiek');
    const didactiek = getForm('kijkwijzer-didactiek', 1)!;
    const submit = async (request: RequestRecord, extra: Record<string, string> = {}, text = 'Open tekst') =>
      postForm(app, `/f/${tokenFor(deps.linkSecret, request.linkId)}`, { ...completeFields(didactiek, text), ...extra, basis: '0', actie: 'versturen' });
    const first = await createRequest(deps, pl, { formId: didactiek.id, observerRole: 'wpb', lessonDate: '2026-04-29' }, { origin: 'student' });
    expect((await submit(first, {}, `Versie één ${MARKER}-v1`)).status).toBe(303);

    // The coordinator adds a part for the SO and IO before the feedback, "  SO-IO" and a no-break space in a hidden lezers column.
    const session = await signIn(app, ADMIN);
    const download = await getWithSession(app, `/beheer/formulieren/${didactiek.id}/1.xlsx`, session);
    const bytes = await editWorkbook(new Uint8Array(await download.arrayBuffer()), (workbook) => {
      const survey = sheet(workbook, 'survey');
      const at = rowWhere(survey, 'name', 'TERUGKOPPELING');
      survey.insertRow(at, ['begin_group', 'INTERN', 'Alleen voor de SO en IO', null, null, '  SO-IO\u00A0']);
      survey.insertRow(at + 1, ['text', 'DID-INTERN', 'Wat wilt u alleen de SO en IO laten weten?', null, 'nee', null]);
      survey.insertRow(at + 2, ['end_group', null, null, null, null, null]);
      survey.getColumn(headers(survey).indexOf('lezers') + 1).hidden = true;
    });
    const form = new FormData();
    form.append('bestand', new File([bytes as Uint8Array<ArrayBuffer>], 'didactiek.xlsx', { type: XLSX }));
    const uploaded = await app.request('/beheer/formulieren', { method: 'POST', headers: { Origin: TEST_ORIGIN, Cookie: `__Host-sessie=${session}` }, body: form });
    expect(uploaded.status).toBe(303);
    const concept = uploaded.headers.get('location')!.split('/').at(-1)!;
    const published = await postForm(app, `/beheer/formulieren/concept/${concept}/publiceren`, {}, { cookie: session });
    expect(published.status).toBe(200);
    expect(await published.text()).toContain('versie 2 is gepubliceerd');

    // Version 1's submission: whole, without the note.
    const old = await (await app.request(`/s/${token}/formulieren/${first.requestId}`)).text();
    expect(old).toContain(`Versie één ${MARKER}-v1 (FEEDBACK)`);
    expect(old).toContain(`Versie één ${MARKER}-v1 (FEEDFORWARD)`);
    expect(old).not.toContain(PART_NOTE);

    // A new request takes version 2: the WPB sees the notice, the student not the answer.
    const second = await createRequest(deps, pl, { formId: didactiek.id, observerRole: 'wpb', lessonDate: '2026-05-04' }, { origin: 'student' });
    const formPage = await (await app.request(`/f/${tokenFor(deps.linkSecret, second.linkId)}`)).text();
    expect(formPage).toContain('<p class="wf-readers" id="r-INTERN">');
    expect((await submit(second, { [fieldName('DID-INTERN')]: `${MARKER}-v2` })).status).toBe(303);
    const view = await (await app.request(`/s/${token}/formulieren/${second.requestId}`)).text();
    expect(view).not.toContain(MARKER);
    expect(view).toContain(PART_NOTE);
    expect(view).toContain('Open tekst (FEEDBACK)');
    const page = await (await app.request(`/s/${token}`)).text();
    expect(page.split(PART_NOTE)).toHaveLength(2);
    expect(page).not.toContain(`${MARKER}-v2`);
    const so = await signIn(app, pl.so.email);
    expect(await (await getWithSession(app, `/overzicht/formulier/${YEAR}/${pl.studentNumber}/${second.requestId}`, so)).text()).toContain(`${MARKER}-v2`);
  });
});

/**
 * The `lezers` column as coordinators may type it: never a part for the SO and IO read as everyone's.
 * A value either means so-io or is refused at its cell; a column with another header is refused.
 */
describe('lezers in odd forms, read from a workbook', () => {
  const adviesV2 = getForm('advies-wpb', 2)!;

  async function readWith(edit: (survey: ExcelJS.Worksheet) => void) {
    return readFormWorkbook(await editWorkbook(await formToWorkbook(adviesV2), (workbook) => edit(sheet(workbook, 'survey'))));
  }
  const lezers = (survey: ExcelJS.Worksheet, name: string, value: ExcelJS.CellValue) => {
    cellAt(survey, rowWhere(survey, 'name', name), 'lezers').value = value;
  };
  const refusals = (result: Awaited<ReturnType<typeof readFormWorkbook>>) => (result.ok ? [] : result.problems.map(formatProblem));
  const readersOf = (result: Awaited<ReturnType<typeof readFormWorkbook>>) => (result.ok ? result.definition.sections.map((s) => s.readers ?? '-') : result.problems.map(formatProblem));

  it('reads "SO-IO " with spaces, a no-break space, capitals, an upper-case header and a hidden column as the SO and IO only', async () => {
    for (const value of ['SO-IO ', '\u00A0so-io\u00A0', 'So-Io']) {
      expect(readersOf(await readWith((survey) => lezers(survey, 'VERTROUWELIJK', value))), value).toEqual(['-', '-', '-', 'staff']);
    }
    const upper = await readWith((survey) => {
      survey.getRow(1).getCell(headers(survey).indexOf('lezers') + 1).value = ' LEZERS ';
    });
    expect(readersOf(upper)).toEqual(['-', '-', '-', 'staff']);
    const hidden = await readWith((survey) => {
      survey.getColumn(headers(survey).indexOf('lezers') + 1).hidden = true;
    });
    expect(readersOf(hidden)).toEqual(['-', '-', '-', 'staff']);
  });

  it('refuses "so io", look-alike dashes and slashes at the cell, so the part is never published as everyone\'s', async () => {
    for (const value of ['so io', 'so\u2010io', 'so\u2013io', 'SO/IO', 'so_io', 'so-io-student', 'ja']) {
      const problems = refusals(await readWith((survey) => lezers(survey, 'VERTROUWELIJK', value)));
      expect(problems, value).toHaveLength(1);
      expect(problems[0], value).toMatch(/^blad survey, rij \d+, kolom lezers: Onbekende lezers "/);
    }
    // TRUE in Excel is no spelling of so-io either.
    expect(refusals(await readWith((survey) => lezers(survey, 'VERTROUWELIJK', true)))[0]).toContain('Onbekende lezers "ja"');
  });

  it('refuses so-io on an end_group, a question and a note row, and a header spelt otherwise', async () => {
    const whole = 'lezers geldt voor een heel onderdeel: zet so-io op de rij van de begin_group, en laat deze cel leeg.';
    const onEnd = await readWith((survey) => {
      cellAt(survey, rowWhere(survey, 'name', 'ADV-VERTROUWELIJK') + 1, 'lezers').value = 'so-io';
    });
    expect(refusals(onEnd)).toEqual([expect.stringMatching(new RegExp(`kolom lezers: ${whole}$`))]);
    const onQuestion = await readWith((survey) => lezers(survey, 'ADV-TOELICHTING', 'SO-IO '));
    expect(refusals(onQuestion)).toEqual([expect.stringMatching(new RegExp(`kolom lezers: ${whole}$`))]);
    const onNote = await readWith((survey) => {
      const at = rowWhere(survey, 'name', 'ADV-VERTROUWELIJK');
      survey.insertRow(at, ['note', 'ADV-NOTITIE', 'Alleen voor de SO en IO.', null, null, 'so-io']);
    });
    expect(refusals(onNote)).toEqual([expect.stringMatching(new RegExp(`kolom lezers: ${whole}$`))]);

    const typo = await readWith((survey) => {
      survey.getRow(1).getCell(headers(survey).indexOf('lezers') + 1).value = 'lezer';
    });
    expect(refusals(typo)).toEqual([expect.stringContaining('Onbekende kolom "lezer"')]);
  });
});
