import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/http/app.tsx';
import { SIGN_IN_SENT } from '../../../functions/http/views/sign-in-page.tsx';
import type { AwsClients } from '../../../shared/store/clients.ts';
import { appDeps, TEST_ORIGIN } from '../../support/app.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';
import { inboxOf } from '../../support/inbox.ts';
import { getWithSession, movableClock, postForm, sessionCookieOf, signIn, signInTokenFor, staffPlacement } from '../../support/staff.ts';

describe('staff sign-in by emailed link, over the real SDK and the local stand-ins', () => {
  let clients: AwsClients;
  let tableName: string;
  const clock = movableClock('2025-11-10T09:00');
  let app: ReturnType<typeof createApp>;
  let deps: ReturnType<typeof appDeps>;

  async function countSessions(): Promise<number> {
    const result = await clients.doc.send(
      new ScanCommand({ TableName: tableName, FilterExpression: 'begins_with(PK, :s)', ExpressionAttributeValues: { ':s': 'SESSION#' }, ConsistentRead: true }),
    );
    return result.Count ?? 0;
  }

  beforeAll(async () => {
    clients = localClients();
    tableName = await freshTable(clients);
    deps = appDeps(clients, { tableName, bucket: await freshBucket(clients) }, clock, { adminEmails: ['coordinator.si@hr.example.nl'] });
    // Generous limits here: this file signs in many times from one (unknown) address.
    app = createApp({ ...deps, signInRateLimits: { perAddress: 1000, perClient: 1000 } });
    await deps.placements.create(staffPlacement('880001', 'si'), clock.now().toString());
  });

  it('shows the sign-in form', async () => {
    const response = await app.request('/inloggen');

    expect(response.status).toBe(200);
    expect(await response.text()).toContain('name="email"');
  });

  it('gives known and unknown addresses the same answer, and emails only the known one', async () => {
    const known = await postForm(app, '/inloggen', { email: 'IO.si@hr.example.nl' });
    const unknown = await postForm(app, '/inloggen', { email: 'nobody.si@hr.example.nl' });

    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    const [knownText, unknownText] = [await known.text(), await unknown.text()];
    expect(knownText).toContain(SIGN_IN_SENT);
    expect(unknownText).toBe(knownText);
    expect(await inboxOf('nobody.si@hr.example.nl')).toHaveLength(0);
    const mails = await inboxOf('io.si@hr.example.nl');
    expect(mails.at(-1)!.subject).toBe('Inloggen bij Werkplekleren N2');
    expect(mails.at(-1)!.body.text).toContain('https://werkplekleren.test/inloggen/');
  });

  it('answers known and unknown addresses no sooner than the answer floor, so timing tells nothing', async () => {
    const floored = createApp({ ...deps, signInRateLimits: { perAddress: 1000, perClient: 1000 }, signInAnswerMs: 400 });
    const timed = async (email: string) => {
      const started = performance.now();
      const response = await postForm(floored, '/inloggen', { email });
      return { elapsed: performance.now() - started, text: await response.text(), status: response.status };
    };
    const before = (await inboxOf('io.si@hr.example.nl')).length;

    const known = await timed('io.si@hr.example.nl');
    const unknown = await timed('nobody.si@hr.example.nl');

    // A lower bound only (a timer never fires early by more than its rounding): both waited for the floor.
    expect(known.elapsed).toBeGreaterThanOrEqual(395);
    expect(unknown.elapsed).toBeGreaterThanOrEqual(395);
    expect([known.status, unknown.status]).toEqual([200, 200]);
    expect(unknown.text).toBe(known.text);
    expect(await inboxOf('io.si@hr.example.nl')).toHaveLength(before + 1);
  });

  it('gives the same answer when storing the sign-in link fails for a known address', async () => {
    const failingSignIns = Object.assign(Object.create(Object.getPrototypeOf(deps.signIns)), deps.signIns, {
      create: async () => {
        throw Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ProvisionedThroughputExceededException' });
      },
    });
    const broken = createApp({ ...deps, signIns: failingSignIns, signInRateLimits: { perAddress: 1000, perClient: 1000 } });
    const before = (await inboxOf('io.si@hr.example.nl')).length;

    const known = await postForm(broken, '/inloggen', { email: 'io.si@hr.example.nl' });
    const unknown = await postForm(broken, '/inloggen', { email: 'nobody.si@hr.example.nl' });

    expect([known.status, unknown.status]).toEqual([200, 200]);
    expect(await known.text()).toBe(await unknown.text());
    expect(await inboxOf('io.si@hr.example.nl')).toHaveLength(before);
  });

  it('sends no link to a WPB, who is on the roster but not staff of the overview', async () => {
    await postForm(app, '/inloggen', { email: 'jan.880001@wolfert.example.nl' });

    expect(await inboxOf('jan.880001@wolfert.example.nl')).toHaveLength(0);
  });

  it('sends a link to an admin from config who is on no roster', async () => {
    const session = await signIn(app, 'coordinator.si@hr.example.nl');

    expect(await (await getWithSession(app, '/overzicht', session)).text()).toContain('coordinator.si@hr.example.nl');
  });

  it('shows an Inloggen button on GET without spending the token, then signs in on the POST with a __Host- session cookie', async () => {
    await postForm(app, '/inloggen', { email: 'so.si@wolfert.example.nl' });
    const token = await signInTokenFor('so.si@wolfert.example.nl');

    const first = await app.request(`/inloggen/${token}`);
    const second = await app.request(`/inloggen/${token}`);
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('>Inloggen</button>');
    expect(second.status).toBe(200);

    const response = await postForm(app, `/inloggen/${token}`, {});
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/overzicht');
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^__Host-sessie=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('Secure');
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Domain');
    const overview = await getWithSession(app, '/overzicht', sessionCookieOf(response)!);
    expect(overview.status).toBe(200);
    expect(overview.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses a replayed sign-in token with 410 and no cookie', async () => {
    await postForm(app, '/inloggen', { email: 'io.si@hr.example.nl' });
    const token = await signInTokenFor('io.si@hr.example.nl');
    expect((await postForm(app, `/inloggen/${token}`, {})).status).toBe(303);

    const replay = await postForm(app, `/inloggen/${token}`, {});

    expect(replay.status).toBe(410);
    expect(replay.headers.get('set-cookie')).toBeNull();
    expect((await app.request(`/inloggen/${token}`)).status).toBe(404);
  });

  it('refuses a token older than ten minutes, on GET and on POST', async () => {
    await postForm(app, '/inloggen', { email: 'sco.si@wolfert.example.nl' });
    const token = await signInTokenFor('sco.si@wolfert.example.nl');
    clock.advance(10 * 60_000 + 1000);
    try {
      expect((await app.request(`/inloggen/${token}`)).status).toBe(410);
      const response = await postForm(app, `/inloggen/${token}`, {});
      expect(response.status).toBe(410);
      expect(response.headers.get('set-cookie')).toBeNull();
    } finally {
      clock.set('2025-11-10T09:00');
    }
  });

  it('refuses a tampered token: 404 on GET, no session on POST', async () => {
    await postForm(app, '/inloggen', { email: 'io.si@hr.example.nl' });
    const token = await signInTokenFor('io.si@hr.example.nl');
    const tampered = (token[0] === 'A' ? 'B' : 'A') + token.slice(1);

    expect((await app.request(`/inloggen/${tampered}`)).status).toBe(404);
    expect((await app.request(`/inloggen/${token}x`)).status).toBe(404);
    const response = await postForm(app, `/inloggen/${tampered}`, {});
    expect(response.status).toBe(410);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('makes exactly one session when the same token is posted twice at once', async () => {
    await postForm(app, '/inloggen', { email: 'so.si@wolfert.example.nl' });
    const token = await signInTokenFor('so.si@wolfert.example.nl');
    const before = await countSessions();

    const responses = await Promise.all([postForm(app, `/inloggen/${token}`, {}), postForm(app, `/inloggen/${token}`, {})]);

    expect(responses.map((r) => r.status).sort()).toEqual([303, 410]);
    expect(responses.filter((r) => sessionCookieOf(r))).toHaveLength(1);
    expect(await countSessions()).toBe(before + 1);
  });

  it('ends the session on the server at sign-out: the old cookie opens nothing', async () => {
    const session = await signIn(app, 'io.si@hr.example.nl');
    expect((await getWithSession(app, '/overzicht', session)).status).toBe(200);

    const out = await postForm(app, '/uitloggen', {}, { cookie: session });

    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/__Host-sessie=;.*Max-Age=0/);
    const after = await getWithSession(app, '/overzicht', session);
    expect(after.status).toBe(303);
    expect(after.headers.get('location')).toBe('/inloggen');
  });

  it('sends a visitor without a session to the sign-in page', async () => {
    const response = await app.request('/overzicht');

    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/inloggen');
  });

  it('refuses a cross-site POST of a sign-in token without spending it, and a cross-site sign-out', async () => {
    await postForm(app, '/inloggen', { email: 'io.si@hr.example.nl' });
    const token = await signInTokenFor('io.si@hr.example.nl');

    const crossSite = await postForm(app, `/inloggen/${token}`, {}, { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.get('set-cookie')).toBeNull();
    const session = sessionCookieOf(await postForm(app, `/inloggen/${token}`, {}))!;
    expect(session).toBeDefined();

    expect((await postForm(app, '/uitloggen', {}, { cookie: session, origin: null })).status).toBe(403);
    expect((await getWithSession(app, '/overzicht', session)).status).toBe(200);
    expect((await postForm(app, '/inloggen', { email: 'io.si@hr.example.nl' }, { origin: 'https://evil.example' })).status).toBe(403);
  });

  it('ends a session after the idle timeout', async () => {
    const session = await signIn(app, 'io.si@hr.example.nl');
    clock.advance(119 * 60_000);
    try {
      expect((await getWithSession(app, '/overzicht', session)).status).toBe(200);
      clock.advance(119 * 60_000);
      expect((await getWithSession(app, '/overzicht', session)).status).toBe(200);
      clock.advance(121 * 60_000);
      expect((await getWithSession(app, '/overzicht', session)).status).toBe(303);
    } finally {
      clock.set('2025-11-10T09:00');
    }
  });

  it('ends a busy session at the absolute timeout', async () => {
    const session = await signIn(app, 'io.si@hr.example.nl');
    try {
      for (let hour = 1; hour < 12; hour++) {
        clock.advance(60 * 60_000);
        expect((await getWithSession(app, '/overzicht', session)).status).toBe(200);
      }
      clock.advance(60 * 60_000);
      expect((await getWithSession(app, '/overzicht', session)).status).toBe(303);
    } finally {
      clock.set('2025-11-10T09:00');
    }
  });

  it('gives a new session id at every sign-in and ends the one the browser had', async () => {
    const first = await signIn(app, 'io.si@hr.example.nl');
    await postForm(app, '/inloggen', { email: 'io.si@hr.example.nl' });
    const token = await signInTokenFor('io.si@hr.example.nl');

    const second = sessionCookieOf(await postForm(app, `/inloggen/${token}`, {}, { cookie: first }))!;

    expect(second).not.toBe(first);
    expect((await getWithSession(app, '/overzicht', first)).status).toBe(303);
    expect((await getWithSession(app, '/overzicht', second)).status).toBe(200);
  });

  it('limits sign-in requests per client address with a 429', async () => {
    const limited = createApp({ ...deps, signInRateLimits: { perAddress: 1000, perClient: 3 } });

    const perClient = [];
    for (let i = 0; i < 4; i++) perClient.push((await postForm(limited, '/inloggen', { email: `person${i}.si@hr.example.nl` }, { ip: '192.0.2.2' })).status);

    expect(perClient).toEqual([200, 200, 200, 429]);
  });

  it('sends at most three emails an hour for an address asked for by 20 clients, answers all alike, and never locks the owner out', async () => {
    // The default limits (three emails per address per hour, 50 requests per client per 15
    // minutes) on a rate-limit clock of their own; the app's clock stays fixed, as a demo's NOW does.
    let elapsed = Date.parse('2025-11-10T08:00:00Z');
    const guarded = createApp({ ...deps, signInRateLimits: { now: () => elapsed } });
    const owner = 'so.lock@wolfert.example.nl';
    await deps.placements.create(staffPlacement('880002', 'lock'), clock.now().toString());

    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => postForm(guarded, '/inloggen', { email: owner }, { ip: `198.51.100.${i + 1}` })));

    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(200));
    const texts = await Promise.all(answers.map((r) => r.text()));
    expect(new Set(texts).size).toBe(1);
    expect(texts[0]).toContain(SIGN_IN_SENT);
    expect(await inboxOf(owner)).toHaveLength(3);

    // The owner asks too, later in the hour: the same answer, no fourth email, and the newest link works.
    elapsed += 5 * 60_000;
    const own = await postForm(guarded, '/inloggen', { email: owner }, { ip: '203.0.113.7' });
    expect(own.status).toBe(200);
    expect(await own.text()).toBe(texts[0]);
    expect(await inboxOf(owner)).toHaveLength(3);
    const signedIn = await postForm(guarded, `/inloggen/${await signInTokenFor(owner)}`, {}, { ip: '203.0.113.7' });
    expect(signedIn.status).toBe(303);
    expect((await getWithSession(guarded, '/overzicht', sessionCookieOf(signedIn)!)).status).toBe(200);

    // An hour after the first email a new one is sent again.
    elapsed += 55 * 60_000 + 1000;
    expect((await postForm(guarded, '/inloggen', { email: owner }, { ip: '203.0.113.7' })).status).toBe(200);
    expect(await inboxOf(owner)).toHaveLength(4);
  });

  it('answers a malformed address with a Dutch 400 and sends nothing', async () => {
    const response = await postForm(app, '/inloggen', { email: 'geen-adres' });

    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Vul een geldig e-mailadres in');
  });

  it('takes the last value of an address sent twice, as a single field', async () => {
    const single = await postForm(app, '/inloggen', { email: 'io.si@hr.example.nl' });
    const before = (await inboxOf('io.si@hr.example.nl')).length;

    const twice = await app.request('/inloggen', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: TEST_ORIGIN },
      body: new URLSearchParams([['email', 'a@x'], ['email', 'io.si@hr.example.nl']]).toString(),
    });

    expect(twice.status).toBe(200);
    expect(await twice.text()).toBe(await single.text());
    expect(await inboxOf('io.si@hr.example.nl')).toHaveLength(before + 1);
  });
});
