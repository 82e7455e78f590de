import { beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../../shared/auth/scope.ts';
import { MemoryMailer } from '../../../shared/mail/mailer.ts';
import {
  peekSignInLink,
  requestSignIn,
  resumeSession,
  SignInLinkGoneError,
  SignInLinkNotFoundError,
  signOut,
  spendSignInLink,
} from '../../../shared/usecases/sign-in.ts';
import { appDeps } from '../../support/app.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';
import { movableClock, staffPlacement } from '../../support/staff.ts';

const ADMIN = 'coordinator.uc@hr.example.nl';

describe('the sign-in use-cases, against the local table', () => {
  const clock = movableClock('2025-11-10T09:00');
  const mailer = new MemoryMailer();
  let deps: ReturnType<typeof appDeps>;

  /** The token in the newest sign-in email to an address. */
  function tokenSentTo(address: string): string {
    const mail = mailer.sent.filter((m) => m.to.toLowerCase() === address.toLowerCase()).at(-1);
    const token = mail?.text.match(/\/inloggen\/([A-Za-z0-9_-]{43})/)?.[1];
    if (!token) throw new Error(`no sign-in link sent to ${address}`);
    return token;
  }

  const sentTo = (address: string) => mailer.sent.filter((m) => m.to.toLowerCase() === address.toLowerCase());

  beforeAll(async () => {
    const clients = localClients();
    deps = appDeps(clients, { tableName: await freshTable(clients), bucket: await freshBucket(clients) }, clock, { mailer, adminEmails: [ADMIN] });
    deps.signInRateLimits = { perAddress: 1000 };
    await deps.placements.create(staffPlacement('870001', 'uc'), clock.now().toString());
  });

  it('emails a staff member a link that opens and signs them in with their scope', async () => {
    await requestSignIn(deps, { email: 'IO.uc@hr.example.nl' });

    const mail = sentTo('io.uc@hr.example.nl').at(-1)!;
    expect(mail.to).toBe('IO.uc@hr.example.nl');
    expect(mail.subject).toBe('Inloggen bij Werkplekleren N2');
    expect(mail.text).toContain('https://werkplekleren.test/inloggen/');
    const token = tokenSentTo('io.uc@hr.example.nl');
    expect(await peekSignInLink(deps, { token })).toEqual({ email: 'io.uc@hr.example.nl' });
    const { sessionId } = await spendSignInLink(deps, { token });
    const staff = await resumeSession(deps, { sessionId });
    expect(staff?.email).toBe('io.uc@hr.example.nl');
    expect(staff?.name).toBe('Ivo Jansen');
    expect(staff?.scope.io['2025-2026']).toEqual([{ studentNumber: '870001', school: 'Wolfert van Borselen' }]);
    expect(staff?.scope.admin).toBe(false);
  });

  it('sends nothing to an unknown address or to a WPB, and answers them without an error', async () => {
    const before = mailer.sent.length;

    await requestSignIn(deps, { email: 'nobody.uc@hr.example.nl' });
    await requestSignIn(deps, { email: 'jan.870001@wolfert.example.nl' });

    expect(mailer.sent).toHaveLength(before);
  });

  it('sends an admin from config, who is on no roster, a link', async () => {
    await requestSignIn(deps, { email: ADMIN });

    const { sessionId } = await spendSignInLink(deps, { token: tokenSentTo(ADMIN) });
    expect((await resumeSession(deps, { sessionId }))?.scope.admin).toBe(true);
  });

  it('sends at most the budget of emails per address in a window, and again after it', async () => {
    let elapsed = Date.parse('2025-11-10T08:00:00Z');
    const limited = { ...deps, signInRateLimits: { perAddress: 2, perAddressWindowMs: 60 * 60_000, now: () => elapsed } };
    const owner = 'so.budget@wolfert.example.nl';
    await deps.placements.create(staffPlacement('870002', 'budget'), clock.now().toString());

    for (let i = 0; i < 4; i++) await requestSignIn(limited, { email: owner });
    expect(sentTo(owner)).toHaveLength(2);

    elapsed += 60 * 60_000 + 1000;
    await requestSignIn(limited, { email: owner });
    expect(sentTo(owner)).toHaveLength(3);
  });

  it('takes at least the answer floor for a known and an unknown address alike', async () => {
    const floored = { ...deps, signInAnswerMs: 300 };
    const timed = async (email: string) => {
      const started = performance.now();
      await requestSignIn(floored, { email });
      return performance.now() - started;
    };

    expect(await timed('io.uc@hr.example.nl')).toBeGreaterThanOrEqual(295);
    expect(await timed('nobody.uc@hr.example.nl')).toBeGreaterThanOrEqual(295);
  });

  it('answers without an error and sends nothing when storing the link fails', async () => {
    const failing = {
      ...deps,
      signIns: Object.assign(Object.create(Object.getPrototypeOf(deps.signIns)), deps.signIns, {
        create: async () => {
          throw Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ProvisionedThroughputExceededException' });
        },
      }),
    };
    const before = sentTo('io.uc@hr.example.nl').length;

    await expect(requestSignIn(failing, { email: 'io.uc@hr.example.nl' })).resolves.toBeUndefined();

    expect(sentTo('io.uc@hr.example.nl')).toHaveLength(before);
  });

  it('refuses a malformed or unknown link as not found, and opening a link does not spend it', async () => {
    await requestSignIn(deps, { email: 'so.uc@wolfert.example.nl' });
    const token = tokenSentTo('so.uc@wolfert.example.nl');
    const tampered = (token[0] === 'A' ? 'B' : 'A') + token.slice(1);

    await expect(peekSignInLink(deps, { token: `${token}x` })).rejects.toBeInstanceOf(SignInLinkNotFoundError);
    await expect(peekSignInLink(deps, { token: tampered })).rejects.toBeInstanceOf(SignInLinkNotFoundError);
    await expect(spendSignInLink(deps, { token: `${token}x` })).rejects.toBeInstanceOf(SignInLinkNotFoundError);
    await peekSignInLink(deps, { token });
    await expect(spendSignInLink(deps, { token })).resolves.toHaveProperty('sessionId');
  });

  it('spends a link once: the second spend and a later open are refused, and one session exists', async () => {
    await requestSignIn(deps, { email: 'sco.uc@wolfert.example.nl' });
    const token = tokenSentTo('sco.uc@wolfert.example.nl');

    const results = await Promise.allSettled([spendSignInLink(deps, { token }), spendSignInLink(deps, { token })]);

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected');
    expect(refused?.reason).toBeInstanceOf(SignInLinkGoneError);
    await expect(peekSignInLink(deps, { token })).rejects.toBeInstanceOf(SignInLinkNotFoundError);
  });

  it('refuses a link older than ten minutes, opened or spent', async () => {
    await requestSignIn(deps, { email: 'io.uc@hr.example.nl' });
    const token = tokenSentTo('io.uc@hr.example.nl');
    clock.advance(10 * 60_000 + 1000);
    try {
      await expect(peekSignInLink(deps, { token })).rejects.toBeInstanceOf(SignInLinkGoneError);
      await expect(spendSignInLink(deps, { token })).rejects.toBeInstanceOf(SignInLinkGoneError);
    } finally {
      clock.set('2025-11-10T09:00');
    }
  });

  it('refuses a link of an address that lost its access since the link was sent', async () => {
    await requestSignIn(deps, { email: ADMIN });
    const token = tokenSentTo(ADMIN);

    await expect(spendSignInLink({ ...deps, adminEmails: [] }, { token })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('ends the session the browser had at a new sign-in', async () => {
    await requestSignIn(deps, { email: 'io.uc@hr.example.nl' });
    const first = (await spendSignInLink(deps, { token: tokenSentTo('io.uc@hr.example.nl') })).sessionId;
    await requestSignIn(deps, { email: 'io.uc@hr.example.nl' });

    const second = (await spendSignInLink(deps, { token: tokenSentTo('io.uc@hr.example.nl'), previousSession: first })).sessionId;

    expect(second).not.toBe(first);
    expect(await resumeSession(deps, { sessionId: first })).toBeUndefined();
    expect((await resumeSession(deps, { sessionId: second }))?.email).toBe('io.uc@hr.example.nl');
  });

  it('ends the session on the server at sign-out', async () => {
    await requestSignIn(deps, { email: 'io.uc@hr.example.nl' });
    const { sessionId } = await spendSignInLink(deps, { token: tokenSentTo('io.uc@hr.example.nl') });

    await signOut(deps, { sessionId });

    expect(await resumeSession(deps, { sessionId })).toBeUndefined();
  });
});
