import { beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../../shared/errors.ts';
import { checkLink, hashToken, tokenFor } from '../../../shared/links.ts';
import { NotWithdrawableError } from '../../../shared/model/request-rules.ts';
import type { Placement } from '../../../shared/roster/placement.ts';
import { LinkNotFoundError } from '../../../shared/usecases/links.ts';
import {
  askForObservation,
  createRequest,
  openStudentPage,
  openStudentSubmission,
  withdrawRequest,
} from '../../../shared/usecases/observation.ts';
import { ensureStudentLink } from '../../../shared/usecases/welcome.ts';
import { appDeps } from '../../support/app.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';
import { inboxOf } from '../../support/inbox.ts';
import { movableClock, staffPlacement } from '../../support/staff.ts';

/** What the student fills in on their page. */
const asked = { formId: 'kijkwijzer-pedagogiek', observerRole: 'wpb', lessonDate: '2025-11-05', className: 'H2b', question: 'Let op de instructie.' };

describe('asking for an observation and withdrawing it, without HTTP, on DynamoDB Local and the local inbox', () => {
  const clock = movableClock('2025-11-10T09:00');
  let deps: ReturnType<typeof appDeps>;
  let seq = 0;

  /** A fresh placement of 2025-2026 and the token of its student's page. */
  async function student(): Promise<{ p: Placement; token: string }> {
    seq += 1;
    const p = staffPlacement(String(9301000 + seq), 'observation-usecase');
    await deps.placements.create(p, clock.now().toString());
    const { linkId } = await ensureStudentLink(deps, p);
    return { p, token: tokenFor(deps.linkSecret, linkId) };
  }

  const stored = (p: Placement) => deps.requests.listForPlacement(p.schoolYear, p.studentNumber);

  beforeAll(async () => {
    const clients = localClients();
    deps = appDeps(clients, { tableName: await freshTable(clients), bucket: await freshBucket(clients) }, clock);
  });

  it('opens the page of the current period, with the kijkwijzers of the year and the lesson dates a request accepts', async () => {
    const { p, token } = await student();

    const page = await openStudentPage(deps, { token });

    expect(page.placement.studentNumber).toBe(p.studentNumber);
    expect([page.year.id, page.period?.period.number, page.period?.current]).toEqual(['2025-2026', 1, true]);
    expect(page.kijkwijzers.map((k) => k.title)).toContain('Kijkwijzer pedagogiek');
    expect(page.lessonRange).toEqual({ min: page.year.start, max: page.period?.period.deadline, period: 1 });
    expect(page.requests).toEqual([]);
  });

  it('refuses a token that is no link with a 404, looking nothing up for it', async () => {
    await expect(openStudentPage(deps, { token: 'x'.repeat(43) })).rejects.toBeInstanceOf(LinkNotFoundError);
    await expect(openStudentPage(deps, { token: 'not-a-token' })).rejects.toBeInstanceOf(LinkNotFoundError);
  });

  it('stores the request asked for and emails its observer a link that opens the form', async () => {
    const { p, token } = await student();

    const result = await askForObservation(deps, { token, fields: asked });

    expect(result.kind).toBe('asked');
    const [request] = await stored(p);
    expect(request).toMatchObject({ formId: 'kijkwijzer-pedagogiek', observerRole: 'wpb', lessonDate: '2025-11-05', className: 'H2b', state: 'gevraagd', origin: 'student', period: 1 });
    const mails = await inboxOf(p.wpb.email);
    expect(mails.map((m) => m.subject)).toEqual([`Kijkwijzer pedagogiek voor ${p.student.name}`]);
    expect(mails[0]!.body.text).toContain('Vraag van de student: Let op de instructie.');
    const link = await deps.links.get(hashToken(tokenFor(deps.linkSecret, request!.linkId)));
    expect(checkLink(link, 'form', clock.now())).toMatchObject({ purpose: 'form', recipient: p.wpb.email });
  });

  it('asks nothing and says per field in Dutch what is wrong when the fields are not right', async () => {
    const { p, token } = await student();

    const result = await askForObservation(deps, { token, fields: { formId: 'advies-wpb', observerRole: 'sco', lessonDate: '2025-02-30', className: 'x'.repeat(41) } });

    expect(result.kind).toBe('invalid');
    if (result.kind !== 'invalid') return;
    expect(result.errors).toEqual({
      observerRole: 'Kies wie de les observeert.',
      lessonDate: 'Vul een geldige lesdatum in.',
      className: 'De klas mag hoogstens 40 tekens lang zijn.',
    });
    expect(result.values.formId).toBe('advies-wpb');
    expect(await stored(p)).toEqual([]);
    expect(await inboxOf(p.wpb.email)).toEqual([]);
  });

  it("refuses a form outside the year's kijkwijzers and a lesson after the period's deadline", async () => {
    const { p, token } = await student();

    const result = await askForObservation(deps, { token, fields: { ...asked, formId: 'advies-wpb', lessonDate: '2026-01-10' } });

    expect(result.kind === 'invalid' && result.errors.formId).toBe('Kies een kijkwijzer uit de lijst.');
    expect(result.kind === 'invalid' && result.errors.lessonDate).toMatch(/^De lesdatum ligt na de deadline van deze aanvraag/);
    expect(await stored(p)).toEqual([]);
  });

  it('asks to confirm first, then withdraws once: the link answers 410, the observer is told once, the log says so', async () => {
    const { p, token } = await student();
    await askForObservation(deps, { token, fields: asked });
    const [request] = await stored(p);
    const input = { token, requestId: request!.requestId };

    const unconfirmed = await withdrawRequest(deps, { ...input, confirmed: false });
    expect(unconfirmed).toMatchObject({ kind: 'confirm', reference: 'de kijkwijzer pedagogiek' });
    expect((await stored(p))[0]!.state).toBe('gevraagd');

    expect(await withdrawRequest(deps, { ...input, confirmed: true })).toEqual({ kind: 'withdrawn' });
    expect(await withdrawRequest(deps, { ...input, confirmed: true })).toEqual({ kind: 'withdrawn' });

    expect((await stored(p))[0]!.state).toBe('ingetrokken');
    const link = await deps.links.get(hashToken(tokenFor(deps.linkSecret, request!.linkId)));
    expect(checkLink(link, 'form', clock.now())).toEqual({ status: 410, reason: 'revoked' });
    const subjects = (await inboxOf(p.wpb.email)).map((m) => m.subject);
    expect(subjects.filter((s) => s.startsWith('Ingetrokken: '))).toEqual([`Ingetrokken: Kijkwijzer pedagogiek voor ${p.student.name}`]);
    const events = await deps.audit.listForPlacement(p.schoolYear, p.studentNumber);
    expect(events.filter((e) => e.action === 'aanvraag ingetrokken')).toHaveLength(1);
  });

  it('refuses to withdraw an automatic request with a Dutch 409, and another placement\'s request with a 404', async () => {
    const mine = await student();
    const theirs = await student();
    const auto = await createRequest(deps, mine.p, { formId: 'advies-wpb', observerRole: 'wpb' }, { origin: 'auto' });
    await askForObservation(deps, { token: theirs.token, fields: asked });
    const [foreign] = await stored(theirs.p);

    await expect(withdrawRequest(deps, { token: mine.token, requestId: auto.requestId, confirmed: true })).rejects.toBeInstanceOf(NotWithdrawableError);
    await expect(withdrawRequest(deps, { token: mine.token, requestId: foreign!.requestId, confirmed: true })).rejects.toBeInstanceOf(NotFoundError);

    expect((await stored(mine.p))[0]!.state).toBe('gevraagd');
    expect((await stored(theirs.p))[0]!.state).toBe('gevraagd');
  });

  it('shows no form that was not submitted, and logs no opening of it', async () => {
    const { p, token } = await student();
    await askForObservation(deps, { token, fields: asked });
    const [request] = await stored(p);

    await expect(openStudentSubmission(deps, { token, requestId: request!.requestId, countAsOpened: true })).rejects.toBeInstanceOf(NotFoundError);

    const events = await deps.audit.listForPlacement(p.schoolYear, p.studentNumber);
    expect(events.filter((e) => e.action === 'link geopend')).toEqual([]);
  });

  it('makes no request for a placement of another school year than the period a request made now goes into', async () => {
    seq += 1;
    const p = { ...staffPlacement(String(9301000 + seq), 'observation-usecase'), schoolYear: '2024-2025' };

    await expect(createRequest(deps, p, { formId: 'kijkwijzer-pedagogiek', observerRole: 'wpb', lessonDate: '2025-11-05' }, { origin: 'student' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect(await stored(p)).toEqual([]);
  });
});
