import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/http/app.tsx';
import { getForm } from '../../../forms/index.ts';
import { fieldName } from '../../../shared/forms/answers.ts';
import { formItems } from '../../../shared/forms/definition.ts';
import { ensureStudentLink } from '../../../shared/usecases/welcome.ts';
import type { AwsClients } from '../../../shared/store/clients.ts';
import { RequestStore } from '../../../shared/store/requests.ts';
import { type RequestRecord } from '../../../shared/model/requests.ts';
import { appDeps, TEST_ORIGIN } from '../../support/app.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';
import { completeFields } from '../../support/forms.ts';
import { inboxOf, tokenIn } from '../../support/inbox.ts';
import { movableClock, postForm as postStaffForm, signIn, staffPlacement } from '../../support/staff.ts';

/**
 * Hostile probes on requests, withdrawals, the form POST and the staff actions (issue 11, items 4
 * and 5), through the real app against the local stand-ins: replays, ids of another student or
 * request, races held open at the store, bad `basis` values, bodies of the wrong shape or size.
 * Every answer must be a 4xx with a Dutch message (never a 500), and nothing may be half-written.
 */

type Gate = { entered: () => void; release: Promise<void> };

/** A RequestStore whose saveVersion or withdraw can be held at its start, to interleave a race. */
class GatedRequestStore extends RequestStore {
  holdSave: Gate | undefined;
  holdWithdraw: Gate | undefined;
  override async saveVersion(...args: Parameters<RequestStore['saveVersion']>) {
    const hold = this.holdSave;
    this.holdSave = undefined;
    if (hold) {
      hold.entered();
      await hold.release;
    }
    return super.saveVersion(...args);
  }
  override async withdraw(...args: Parameters<RequestStore['withdraw']>) {
    const hold = this.holdWithdraw;
    this.holdWithdraw = undefined;
    if (hold) {
      hold.entered();
      await hold.release;
    }
    return super.withdraw(...args);
  }
}

/** A gate: `entered` resolves when the held call arrives, `release()` lets it go on. */
function gate() {
  let entered!: () => void;
  let release!: () => void;
  const arrived = new Promise<void>((resolve) => (entered = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  return { hold: { entered, release: released } satisfies Gate, arrived, release };
}

const DEF = getForm('kijkwijzer-pedagogiek')!;

describe('hostile probes on requests, withdrawals, the form POST and staff actions', () => {
  const clock = movableClock('2025-11-10T09:00');
  let clients: AwsClients;
  let deps: ReturnType<typeof appDeps>;
  let app: ReturnType<typeof createApp>;
  let gated: GatedRequestStore;

  beforeAll(async () => {
    clients = localClients();
    const names = { tableName: await freshTable(clients), bucket: await freshBucket(clients) };
    gated = new GatedRequestStore(clients.doc, names.tableName);
    deps = { ...appDeps(clients, names, clock), requests: gated };
    app = createApp(deps);
  });

  const post = (path: string, fields: Record<string, string>) =>
    app.request(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: TEST_ORIGIN },
      body: new URLSearchParams(fields).toString(),
    });

  /** A placement (IO `io.<ioSuffix>@...`) with one kijkwijzer request to its WPB. */
  async function requested(studentNumber: string, ioSuffix = `h${studentNumber}`) {
    const p = staffPlacement(studentNumber, ioSuffix);
    await deps.placements.create(p, clock.now().toString());
    await ensureStudentLink(deps, p);
    const studentToken = tokenIn((await inboxOf(p.student.email))[0], 's');
    const asked = await post(`/s/${studentToken}/aanvragen`, { formId: 'kijkwijzer-pedagogiek', observerRole: 'wpb', lessonDate: '2025-11-07' });
    expect(asked.status).toBe(303);
    const token = tokenIn((await inboxOf(p.wpb.email)).at(-1), 'f');
    const [request] = await deps.requests.listForPlacement(p.schoolYear, p.studentNumber);
    return { p, studentToken, token, request: request! };
  }

  const submit = (token: string, basis = '0', extra: Record<string, string> = {}) => post(`/f/${token}`, { ...completeFields(DEF), actie: 'versturen', basis, ...extra });
  const reread = (r: RequestRecord) => deps.requests.get(r.schoolYear, r.studentNumber, r.requestId);
  const withdrawPath = (studentToken: string, requestId: string) => `/s/${studentToken}/aanvragen/${requestId}/intrekken`;
  const withdrawMails = async (address: string) => (await inboxOf(address)).filter((m) => m.subject.startsWith('Ingetrokken:'));

  /** A 4xx answer with Dutch text and no trace of a stack. */
  async function expectDutch4xx(response: Response, status: number, text: RegExp) {
    expect(response.status).toBe(status);
    const body = await response.text();
    expect(body).toMatch(text);
    expect(body).not.toMatch(/at \S+\.tsx?:\d+|TypeError|ReferenceError|Er ging iets mis<\/h1><p>Probeer het later/);
  }

  it('a replayed confirmed withdrawal (three at once, then again) withdraws once and emails the observer once', async () => {
    const { p, studentToken, token, request } = await requested('7701');

    const first = await Promise.all([0, 1, 2].map(() => post(withdrawPath(studentToken, request.requestId), { bevestigd: 'ja' })));
    const later = await post(withdrawPath(studentToken, request.requestId), { bevestigd: 'ja' });
    const unconfirmed = await post(withdrawPath(studentToken, request.requestId), {});

    for (const response of [...first, later, unconfirmed]) {
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(`/s/${studentToken}?ingetrokken=1`);
    }
    expect((await reread(request))?.state).toBe('ingetrokken');
    expect(await withdrawMails(p.wpb.email)).toHaveLength(1);
    const events = await deps.audit.listForPlacement(p.schoolYear, p.studentNumber);
    expect(events.filter((e) => e.action === 'aanvraag ingetrokken')).toHaveLength(1);
    await expectDutch4xx(await app.request(`/f/${token}`), 410, /ingetrokken/);
    await expectDutch4xx(await submit(token), 410, /ingetrokken/);
  });

  it("withdrawing another student's request through one's own link is a Dutch 404 and leaves it alone", async () => {
    const mine = await requested('7702');
    const theirs = await requested('7703');

    const response = await post(withdrawPath(mine.studentToken, theirs.request.requestId), { bevestigd: 'ja' });
    const beacon = await post(`/s/${mine.studentToken}/formulieren/${theirs.request.requestId}/bekeken`, {});
    const view = await app.request(`/s/${mine.studentToken}/formulieren/${theirs.request.requestId}`);

    await expectDutch4xx(response, 404, /Deze aanvraag bestaat niet/);
    await expectDutch4xx(beacon, 404, /niet/);
    await expectDutch4xx(view, 404, /niet/);
    expect((await reread(theirs.request))?.state).toBe('gevraagd');
    expect(await withdrawMails(theirs.p.wpb.email)).toHaveLength(0);
  });

  it('withdrawing a submitted request is a Dutch 409, and nothing is sent', async () => {
    const { p, studentToken, token, request } = await requested('7704');
    expect((await submit(token)).status).toBe(303);

    await expectDutch4xx(await post(withdrawPath(studentToken, request.requestId), { bevestigd: 'ja' }), 409, /al ingediend/);
    await expectDutch4xx(await post(withdrawPath(studentToken, request.requestId), {}), 409, /al ingediend/);
    expect((await reread(request))?.state).toBe('ingediend');
    expect(await withdrawMails(p.wpb.email)).toHaveLength(0);
  });

  it('a withdrawal that lands while the submit is under way wins; the submit gets the 410 page and writes nothing', async () => {
    const { p, studentToken, token, request } = await requested('7705');
    const g = gate();
    gated.holdSave = g.hold;

    const submitting = submit(token);
    await g.arrived;
    const withdrawn = await post(withdrawPath(studentToken, request.requestId), { bevestigd: 'ja' });
    g.release();
    const submitted = await submitting;

    expect(withdrawn.status).toBe(303);
    await expectDutch4xx(submitted, 410, /ingetrokken/);
    const current = (await reread(request))!;
    expect(current.state).toBe('ingetrokken');
    expect(current.latestVersion).toBe(0);
    expect(await deps.requests.getVersion(current, 1)).toBeUndefined();
    expect(await withdrawMails(p.wpb.email)).toHaveLength(1);
    expect((await inboxOf(p.wpb.email)).filter((m) => m.subject.startsWith('Ontvangen:'))).toHaveLength(0);
  });

  it('a submit that lands while the withdrawal is under way wins; the withdrawal is a Dutch 409 and sends nothing', async () => {
    const { p, studentToken, token, request } = await requested('7706');
    const g = gate();
    gated.holdWithdraw = g.hold;

    const withdrawing = post(withdrawPath(studentToken, request.requestId), { bevestigd: 'ja' });
    await g.arrived;
    const submitted = await submit(token);
    g.release();
    const withdrawn = await withdrawing;

    expect(submitted.status).toBe(303);
    await expectDutch4xx(withdrawn, 409, /al ingediend/);
    expect((await reread(request))?.state).toBe('ingediend');
    expect(await withdrawMails(p.wpb.email)).toHaveLength(0);
  });

  it('`basis` values other than the plain decimal version, and a replayed submit, are Dutch 4xx that write nothing', async () => {
    const { token, request } = await requested('7707');
    for (const basis of ['-1', '1.5', '1e21', '0x10', '', ' 0', '0 ', '+0', '١', '99999999999999999', '9999999999999999', '1'.repeat(5000)]) {
      const response = await submit(token, basis);
      expect([400, 409], JSON.stringify(basis.slice(0, 20))).toContain(response.status);
      const text = await response.text();
      expect(text).toMatch(/onvolledig verstuurd|opnieuw op/);
    }
    expect((await reread(request))?.latestVersion).toBe(0);

    expect((await submit(token, '0')).status).toBe(303);
    await expectDutch4xx(await submit(token, '0'), 409, /intussen door iemand anders opgeslagen/);
    expect((await reread(request))?.latestVersion).toBe(1);
  });

  it('answers and `basis` sent as files in a multipart body, or repeated, are Dutch 4xx, never a 500', async () => {
    const { token, request } = await requested('7708');
    const firstText = formItems(DEF).find((item) => item.type === 'text')!;

    const asFile = new FormData();
    for (const [name, value] of Object.entries(completeFields(DEF))) asFile.append(name, value);
    asFile.set(fieldName(firstText.code), new Blob(['antwoord als bestand']), 'antwoord.txt');
    asFile.append('actie', 'versturen');
    asFile.append('basis', '0');
    const basisFile = new FormData();
    for (const [name, value] of Object.entries(completeFields(DEF))) basisFile.append(name, value);
    basisFile.append('actie', 'versturen');
    basisFile.append('basis', new Blob(['0']), 'basis.txt');
    const actieFile = new FormData();
    for (const [name, value] of Object.entries(completeFields(DEF))) actieFile.append(name, value);
    actieFile.append('actie', new Blob(['versturen']), 'actie.txt');
    actieFile.append('basis', '0');

    for (const body of [asFile, basisFile, actieFile]) {
      const response = await app.request(`/f/${token}`, { method: 'POST', headers: { Origin: TEST_ORIGIN }, body });
      expect(response.status).toBe(400);
      expect(await response.text()).not.toMatch(/Probeer het later opnieuw/);
    }
    const broken = await app.request(`/f/${token}`, {
      method: 'POST',
      headers: { Origin: TEST_ORIGIN, 'Content-Type': 'multipart/form-data; boundary=xyz' },
      body: '--xyz\r\nContent-Disposition: form-data; name="basis"\r\n\r\n0\r\n--xy',
    });
    await expectDutch4xx(broken, 400, /kon niet worden gelezen/);
    expect((await reread(request))?.latestVersion).toBe(0);
  });

  it('an answer of 1 MB is a Dutch 413 and an answer above the form limit a Dutch 400; neither writes anything', async () => {
    const { token, request } = await requested('7709');
    const firstText = formItems(DEF).find((item) => item.type === 'text')!;

    const huge = await submit(token, '0', { [fieldName(firstText.code)]: 'a'.repeat(1024 * 1024) });
    const long = await submit(token, '0', { [fieldName(firstText.code)]: 'a'.repeat(60_000) });

    await expectDutch4xx(huge, 413, /te groot/);
    expect(long.status).toBe(400);
    expect(await long.text()).toMatch(/tekens/);
    expect((await reread(request))?.latestVersion).toBe(0);
  });

  it('a request with control characters, huge values or bad choices in any field is a Dutch 4xx and asks nothing', async () => {
    const { p, studentToken } = await requested('7710');
    const valid = { formId: 'kijkwijzer-pedagogiek', observerRole: 'wpb', lessonDate: '2025-11-07' };
    const cases: [Record<string, string>, number, RegExp][] = [
      [{ ...valid, className: '2B\r\nBEGIN:VEVENT' }, 400, /De klas bevat een regeleinde/],
      [{ ...valid, className: '2B\u202E' }, 400, /De klas bevat een onzichtbaar teken/],
      [{ ...valid, className: 'x'.repeat(41) }, 400, /hoogstens 40 tekens/],
      [{ ...valid, question: 'Wat?\u0000' }, 400, /De vraag bevat een nulteken/],
      [{ ...valid, question: 'x'.repeat(1001) }, 400, /hoogstens 1000 tekens/],
      [{ ...valid, question: 'x'.repeat(1024 * 1024) }, 413, /te groot/],
      [{ ...valid, formId: 'advies-wpb' }, 400, /Kies een kijkwijzer uit de lijst/],
      [{ ...valid, formId: '__proto__' }, 400, /Kies een kijkwijzer/],
      [{ ...valid, observerRole: 'sco' }, 400, /Kies wie de les observeert/],
      [{ ...valid, observerRole: 'constructor' }, 400, /Kies wie de les observeert/],
      [{ ...valid, lessonDate: '2025-02-30' }, 400, /lesdatum/],
      [{ ...valid, lessonDate: '2027-01-10' }, 400, /les/],
      [{ ...valid, lessonDate: '+002025-11-07' }, 400, /lesdatum/],
    ];
    const before = (await inboxOf(p.wpb.email)).length;
    for (const [fields, status, text] of cases) {
      const response = await post(`/s/${studentToken}/aanvragen`, fields);
      expect(response.status, JSON.stringify(fields).slice(0, 120)).toBe(status);
      expect(await response.text()).toMatch(text);
    }
    expect(await deps.requests.listForPlacement(p.schoolYear, p.studentNumber)).toHaveLength(1);
    expect(await inboxOf(p.wpb.email)).toHaveLength(before);
  });

  it('beacons: a body above the beacon limit is a 413, a replay only logs, a GET or HEAD logs no "bekeken"', async () => {
    const { p, token } = await requested('7711');

    const big = await app.request(`/f/${token}/bekeken`, { method: 'POST', headers: { Origin: TEST_ORIGIN, 'Content-Type': 'text/plain' }, body: 'x'.repeat(5000) });
    const head = await app.request(`/f/${token}`, { method: 'HEAD' });
    const replays = await Promise.all([0, 1, 2].map(() => app.request(`/f/${token}/bekeken`, { method: 'POST', headers: { Origin: TEST_ORIGIN } })));
    const foreign = await app.request(`/f/${token}/bekeken`, { method: 'POST', headers: { Origin: 'https://evil.example' } });

    expect(big.status).toBe(413);
    expect(head.status).toBe(200);
    for (const r of replays) expect(r.status).toBe(204);
    expect(foreign.status).toBe(403);
    const events = await deps.audit.listForPlacement(p.schoolYear, p.studentNumber);
    expect(events.filter((e) => e.action === 'bekeken')).toHaveLength(3);
    expect(events.filter((e) => e.action === 'link geopend')).toHaveLength(0);
    expect((await reread((await deps.requests.listForPlacement(p.schoolYear, p.studentNumber))[0]!))?.state).toBe('gevraagd');
  });

  it('staff: a confirmed revoke replayed (two at once, then again) revokes once and emails once; outside scope is 403, a foreign request id 404', async () => {
    const mine = await requested('7712', 'hrev1');
    const other = await requested('7713', 'hrev2');
    const session = await signIn(app, mine.p.io.email);
    const revokePath = (r: RequestRecord) => `/overzicht/aanvraag/${r.schoolYear}/${r.studentNumber}/${r.requestId}/intrekken`;
    const revokeMails = async (address: string) => (await inboxOf(address)).filter((m) => /ingetrokken|werkt niet meer/i.test(m.subject));

    const outside = await postStaffForm(app, revokePath(other.request), { bevestigd: 'ja' }, { cookie: session });
    const swapped = await postStaffForm(app, `/overzicht/aanvraag/${mine.request.schoolYear}/${mine.request.studentNumber}/${other.request.requestId}/intrekken`, { bevestigd: 'ja' }, { cookie: session });
    const anonymous = await postStaffForm(app, revokePath(mine.request), { bevestigd: 'ja' });
    const both = await Promise.all([0, 1].map(() => postStaffForm(app, revokePath(mine.request), { bevestigd: 'ja', reden: 'Verkeerde\r\nBcc: x@evil.example WPB' }, { cookie: session })));
    const again = await postStaffForm(app, revokePath(mine.request), { bevestigd: 'ja' }, { cookie: session });

    await expectDutch4xx(outside, 403, /hoort niet bij uw studenten/);
    await expectDutch4xx(swapped, 404, /Deze aanvraag bestaat niet/);
    await expectDutch4xx(anonymous, 401, /niet \(meer\) ingelogd/);
    expect(both.map((r) => r.status).sort()).toEqual([303, 409]);
    await expectDutch4xx(again, 409, /al ingetrokken/);
    const [otherNow, mineNow] = [await reread(other.request), await reread(mine.request)];
    expect(otherNow).toMatchObject({ requestId: other.request.requestId });
    expect(otherNow!.linkRevokedAt).toBeUndefined();
    expect(mineNow!.linkRevokedAt).toBeDefined();
    expect(await revokeMails(mine.p.wpb.email)).toHaveLength(1);
    expect(await revokeMails(other.p.wpb.email)).toHaveLength(0);
    await expectDutch4xx(await app.request(`/f/${mine.token}`), 410, /werkt niet meer/);
    expect((await app.request(`/f/${other.token}`)).status).toBe(200);
  });

  it('staff: "WPB vervangen" with control characters in the name or address is a Dutch 400 and changes nothing', async () => {
    const { p } = await requested('7714', 'hwpb');
    const session = await signIn(app, p.io.email);
    const path = `/overzicht/student/${p.schoolYear}/${p.studentNumber}/wpb`;
    for (const [naam, email] of [
      ['Nieuwe\r\nWPB', 'nieuw@wolfert.example.nl'],
      ['Nieuwe \u202EWPB', 'nieuw@wolfert.example.nl'],
      ['Nieuwe WPB', 'nieuw@wolfert.example.nl\r\nBcc: x@evil.example'],
      ['x'.repeat(20_000), 'nieuw@wolfert.example.nl'],
    ] as const) {
      const response = await postStaffForm(app, path, { naam, email }, { cookie: session });
      expect([400, 413]).toContain(response.status);
      expect(await response.text()).not.toMatch(/Probeer het later opnieuw/);
    }
    expect((await deps.placements.get(p.schoolYear, p.studentNumber))?.wpb.email).toBe(p.wpb.email);
  });
});
