import { beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenError, scopeOf, type Staff } from '../../../shared/auth/scope.ts';
import { getPeriod, getSchoolYear } from '../../../shared/calendar.ts';
import { NotFoundError, ValidationError } from '../../../shared/errors.ts';
import { formUrl, hashToken, tokenFor } from '../../../shared/links.ts';
import { MemoryMailer, type EmailMessage, type Mailer } from '../../../shared/mail/mailer.ts';
import type { RequestRecord } from '../../../shared/model/requests.ts';
import type { Placement } from '../../../shared/roster/placement.ts';
import { createRequest } from '../../../shared/usecases/observation.ts';
import { ActionRefusedError, reissue, remind, replaceWpb, revoke } from '../../../shared/usecases/staff-actions.ts';
import { appDeps } from '../../support/app.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';
import { movableClock, staffPlacement } from '../../support/staff.ts';

const YEAR = '2025-2026';
const choice = { year: getSchoolYear(YEAR)!, period: getPeriod(YEAR, 1)! };

/** A mailer that refuses every email, as SES does when it throttles or the address is suppressed. */
const failingMailer: Mailer = {
  send: async () => {
    throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
  },
};

describe('the staff actions (remind, revoke, reissue, replace the WPB), against the local table', () => {
  const clock = movableClock('2025-11-10T09:00');
  const mailer = new MemoryMailer();
  let deps: ReturnType<typeof appDeps>;
  let io: Staff;
  let mine: Placement;
  let others: Placement;

  /** A student-asked kijkwijzer for a placement, emailed to its observer. */
  const ask = (p: Placement, formId = 'kijkwijzer-pedagogiek', observerRole: 'wpb' | 'so' = 'wpb') =>
    createRequest(deps, p, { formId, observerRole, lessonDate: '2025-11-05' }, { origin: 'student', choice });
  const ref = (r: RequestRecord) => ({ schoolYear: r.schoolYear, studentNumber: r.studentNumber, requestId: r.requestId });
  const reload = async (r: RequestRecord) => (await deps.requests.get(r.schoolYear, r.studentNumber, r.requestId))!;
  const linkOf = (r: RequestRecord) => deps.links.get(hashToken(tokenFor(deps.linkSecret, r.linkId)));
  const mailsTo = (address: string): EmailMessage[] => mailer.sent.filter((m) => m.to.toLowerCase() === address.toLowerCase());
  const eventsOf = async (r: RequestRecord) => deps.audit.listForPlacement(r.schoolYear, r.studentNumber, { requestId: r.requestId });

  beforeAll(async () => {
    const clients = localClients();
    deps = appDeps(clients, { tableName: await freshTable(clients), bucket: await freshBucket(clients) }, clock, { mailer });
    mine = staffPlacement('840001', 'usa');
    others = staffPlacement('840002', 'usb', { school: 'Erasmiaans Gymnasium', so: { name: 'Sam Ander', email: 'so.usb@erasmiaans.example.nl' } });
    // Every placement of this IO before the scope is read, as a sign-in reads it.
    for (const p of [mine, others, staffPlacement('840003', 'usa'), staffPlacement('840004', 'usa')]) await deps.placements.create(p, clock.now().toString());
    const email = mine.io.email;
    io = { email, name: mine.io.name, scope: scopeOf(email, await deps.placements.membershipsOf(email), []) };
  });

  it('reminds the observer with the same link and records who did it', async () => {
    const request = await ask(mine);
    const before = mailsTo(mine.wpb.email).length;

    const result = await remind(deps, { staff: io, ...ref(request) });

    expect(result.request.requestId).toBe(request.requestId);
    const mails = mailsTo(mine.wpb.email);
    expect(mails).toHaveLength(before + 1);
    expect(mails.at(-1)!.subject).toBe('Herinnering: Kijkwijzer pedagogiek voor Zoë de Vries');
    expect(mails.at(-1)!.text).toContain(formUrl(deps, request.linkId));
    expect((await eventsOf(request)).map((e) => [e.action, e.actor, e.detail])).toContainEqual(['herinnerd', io.email, `aan ${mine.wpb.name} (${mine.wpb.email})`]);
  });

  it('refuses a reminder after the deadline with a Dutch 409, and sends and records nothing', async () => {
    const request = await ask(mine, 'kijkwijzer-didactiek');
    const before = mailsTo(mine.wpb.email).length;
    clock.set('2025-12-01T09:00');
    try {
      const refused = remind(deps, { staff: io, ...ref(request) });

      await expect(refused).rejects.toBeInstanceOf(ActionRefusedError);
      await expect(refused).rejects.toMatchObject({ status: 409, message: expect.stringContaining('is verstreken: een herinnering sturen kan niet meer.') });
    } finally {
      clock.set('2025-11-10T09:00');
    }
    expect(mailsTo(mine.wpb.email)).toHaveLength(before);
    expect(await eventsOf(request)).toEqual([]);
  });

  it("refuses every action on another IO's student with 403, an unknown student or request with 404, and changes nothing", async () => {
    const request = await ask(others);
    const before = mailer.sent.length;

    for (const action of [remind, reissue]) await expect(action(deps, { staff: io, ...ref(request) })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(revoke(deps, { staff: io, ...ref(request), confirmed: true })).rejects.toThrow('Deze student hoort niet bij uw studenten.');
    await expect(replaceWpb(deps, { staff: io, schoolYear: YEAR, studentNumber: others.studentNumber, name: 'Indringer', email: 'indringer@example.nl' })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(remind(deps, { staff: io, ...ref(request), studentNumber: '849999' })).rejects.toThrow('Deze student staat niet in het rooster van dit schooljaar.');
    await expect(remind(deps, { staff: io, ...ref(request), studentNumber: mine.studentNumber, requestId: 'bestaat-niet' })).rejects.toEqual(
      new NotFoundError('Deze aanvraag bestaat niet.'),
    );

    expect(mailer.sent).toHaveLength(before);
    expect(await reload(request)).toEqual(request);
    expect((await deps.placements.get(YEAR, others.studentNumber))!.wpb).toEqual(others.wpb);
    expect(await eventsOf(request)).toEqual([]);
  });

  it('asks before it revokes; once confirmed the link is revoked, the observer told why, and the revocation recorded', async () => {
    const request = await ask(mine);
    const before = mailsTo(mine.wpb.email).length;

    const asked = await revoke(deps, { staff: io, ...ref(request), reason: '  doorgestuurd\n naar   een collega ', confirmed: false });

    expect(asked).toMatchObject({ kind: 'confirm', formReference: 'de kijkwijzer pedagogiek' });
    expect((await reload(request)).linkRevokedAt).toBeUndefined();
    expect(mailsTo(mine.wpb.email)).toHaveLength(before);

    const done = await revoke(deps, { staff: io, ...ref(request), reason: '  doorgestuurd\n naar   een collega ', confirmed: true });

    expect(done).toMatchObject({ kind: 'revoked', emailed: true });
    expect((await reload(request)).linkRevokedAt).toBe(clock.now().toString());
    expect((await linkOf(request))!.revokedAt).toBe(clock.now().toString());
    const mail = mailsTo(mine.wpb.email).at(-1)!;
    expect(mail.subject).toBe('Link ingetrokken: Kijkwijzer pedagogiek voor Zoë de Vries');
    expect(mail.text).toContain('Reden: doorgestuurd naar een collega');
    expect(mail.text).toContain(io.email);
    expect((await eventsOf(request)).map((e) => [e.action, e.detail])).toEqual([
      ['link ingetrokken', `link van ${mine.wpb.name} (${mine.wpb.email}); reden: doorgestuurd naar een collega; bericht gestuurd`],
    ]);
    await expect(revoke(deps, { staff: io, ...ref(request), confirmed: true })).rejects.toEqual(new ActionRefusedError('Deze link is al ingetrokken.'));
  });

  it('keeps a revocation whose email fails, and records that the observer was not told', async () => {
    const request = await ask(mine);

    const done = await revoke({ ...deps, mailer: failingMailer }, { staff: io, ...ref(request), confirmed: true });

    expect(done).toMatchObject({ kind: 'revoked', emailed: false });
    expect((await linkOf(request))!.revokedAt).toBe(clock.now().toString());
    expect((await eventsOf(request)).map((e) => e.detail)).toEqual([`link van ${mine.wpb.name} (${mine.wpb.email}); bericht niet verstuurd`]);
  });

  it('sends a new link after a revocation: the old one revoked, the new one emailed and stored, the action recorded', async () => {
    const request = await ask(mine);
    await revoke(deps, { staff: io, ...ref(request), confirmed: true });

    const { request: reissued } = await reissue(deps, { staff: io, ...ref(request) });

    const stored = await reload(request);
    expect(stored.linkId).toBe(reissued.linkId);
    expect(stored.linkId).not.toBe(request.linkId);
    expect(stored.linkRevokedAt).toBeUndefined();
    expect((await linkOf(request))!.revokedAt).toBeDefined();
    expect((await linkOf(stored))!.revokedAt).toBeUndefined();
    const mail = mailsTo(mine.wpb.email).at(-1)!;
    expect(mail.subject).toBe('Kijkwijzer pedagogiek voor Zoë de Vries');
    expect(mail.text).toContain(formUrl(deps, stored.linkId));
    expect((await eventsOf(request)).map((e) => e.action)).toEqual(['nieuwe link', 'link ingetrokken']);
  });

  it('refuses a new WPB the roster rules refuse, with the Dutch message per field and the page to show again', async () => {
    const result = await replaceWpb(deps, { staff: io, schoolYear: YEAR, studentNumber: mine.studentNumber, name: '=HYPERLINK("x")', email: 'geen-adres' });

    expect(result.kind).toBe('invalid');
    if (result.kind !== 'invalid') return;
    expect(result.errors.name).toContain('De naam begint met een formuleteken');
    expect(result.errors.email).toBe('Het e-mailadres is geen geldig e-mailadres.');
    expect(result.page.placement.studentNumber).toBe(mine.studentNumber);
    expect((await deps.placements.get(YEAR, mine.studentNumber))!.rev).toBe(1);
    await expect(replaceWpb(deps, { staff: io, schoolYear: YEAR, studentNumber: mine.studentNumber, name: mine.wpb.name, email: mine.wpb.email.toUpperCase() })).rejects.toEqual(
      new ValidationError('Dit is al de WPB van deze student.'),
    );
  });

  it('replaces the WPB: the placement changes, open requests move with a new link emailed to the new WPB, the rest stays, all recorded', async () => {
    const p = staffPlacement('840003', 'usa');
    const open = await ask(p);
    const bySo = await ask(p, 'kijkwijzer-didactiek', 'so');
    const newWpb = { name: 'Noor de Nieuwe', email: 'noor.840003@wolfert.example.nl' };
    clock.advance(60_000);

    const result = await replaceWpb(deps, { staff: io, schoolYear: YEAR, studentNumber: p.studentNumber, ...newWpb });

    expect(result).toMatchObject({ kind: 'replaced', moved: 1, unsent: 0 });
    const placement = (await deps.placements.get(YEAR, p.studentNumber))!;
    expect([placement.wpb, placement.rev]).toEqual([newWpb, 2]);
    const moved = await reload(open);
    expect(moved.observer).toEqual(newWpb);
    expect((await linkOf(open))!.revokedAt).toBeDefined();
    expect(mailsTo(newWpb.email).map((m) => m.text.includes(formUrl(deps, moved.linkId)))).toEqual([true]);
    expect((await reload(bySo)).observer).toEqual(p.so);
    const events = await deps.audit.listForPlacement(YEAR, p.studentNumber);
    expect(events.map((e) => [e.action, e.requestId, e.detail])).toEqual([
      ['WPB vervangen', open.requestId, `observator ${p.wpb.name} (${p.wpb.email}) → ${newWpb.name} (${newWpb.email}), nieuwe link verstuurd`],
      ['WPB vervangen', undefined, `${p.wpb.name} (${p.wpb.email}) → ${newWpb.name} (${newWpb.email}); 1 open aanvraag naar de nieuwe WPB`],
    ]);
  });

  it('still replaces the WPB when the email to the new one fails, and says how many were not sent', async () => {
    const p = staffPlacement('840004', 'usa');
    const open = await ask(p);

    const result = await replaceWpb({ ...deps, mailer: failingMailer }, { staff: io, schoolYear: YEAR, studentNumber: p.studentNumber, name: 'Noor', email: 'noor.840004@example.nl' });

    expect(result).toMatchObject({ kind: 'replaced', moved: 1, unsent: 1 });
    expect((await reload(open)).observer.email).toBe('noor.840004@example.nl');
  });
});
