import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/http/app.tsx';
import { staffRoutes } from '../../../functions/http/staff.ts';
import { BODY_LIMITS } from '../../../functions/http/middleware/body.ts';
import { ROSTER_MAX_BYTES } from '../../../shared/usecases/roster.ts';
import { WORKBOOK_MAX_BYTES } from '../../../shared/xlsx/workbook.ts';
import { appDeps, TEST_ORIGIN } from '../../support/app.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';
import { movableClock, signIn, staffPlacement } from '../../support/staff.ts';

/**
 * A 50 MB body to every POST route of the app: each answers with a 4xx and reads at most its own
 * limit, never the whole body. The routes are read from the app itself, so a new POST route is
 * tested here the day it is added, and fails here until it has a limit.
 */

const MB = 1024 * 1024;
const ATTACK_BYTES = 50 * MB;
const CHUNK = 64 * 1024;

const BOUNDARY = '----grens';

/** The workbook uploads (forms and school years), limited to a workbook and its framing. */
const WORKBOOK_ROUTES = ['/beheer/formulieren', '/beheer/schooljaren'];

/**
 * A well-formed multipart body of about `total` bytes (one file field, `bestand`, as the roster
 * upload posts it) that counts the bytes the server pulls from it, one chunk per pull.
 */
function countingBody(total: number) {
  let pulled = 0;
  const encoder = new TextEncoder();
  const head = encoder.encode(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="bestand"; filename="rooster.csv"\r\nContent-Type: text/csv\r\n\r\n`);
  const tail = encoder.encode(`\r\n--${BOUNDARY}--\r\n`);
  const filler = new Uint8Array(CHUNK).fill(0x61);
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const chunk = pulled === 0 ? head : pulled + CHUNK >= total ? tail : filler;
        pulled += chunk.length;
        controller.enqueue(chunk.slice());
        if (chunk === tail) controller.close();
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => pulled };
}

/** A value for each path parameter of the app's routes; a new parameter needs one here. */
const SAMPLES: Record<string, string> = {
  token: 'A'.repeat(43),
  id: 'B'.repeat(22),
  requestId: 'C'.repeat(22),
  year: '2025-2026',
  studentNumber: '860001',
  uploadId: 'D'.repeat(22),
};

/** A concrete path for a route pattern (`/f/:token/bijlagen/:id`, `/overzicht/*`). */
function concrete(pattern: string): string {
  return pattern
    .replace(/:([A-Za-z]+)/g, (_, name: string) => {
      const value = SAMPLES[name];
      if (!value) throw new Error(`no sample value for :${name} in ${pattern}; add one to SAMPLES`);
      return value;
    })
    .replace(/\*$/, 'iets');
}

/** What a route answers without a session: staff routes refuse before reading, the others at their limit. */
function expectedWithoutSession(path: string): number {
  return path.startsWith('/overzicht/') || path.startsWith('/beheer/') ? 401 : 413;
}

describe('body limits: a 50 MB body to each POST route', () => {
  let app: ReturnType<typeof createApp>;
  const sessions = { admin: '', io: '' };
  const ADMIN = 'admin.bl@hr.example.nl';

  /**
   * The app's POST routes, from its own route table and that of the staff group, which app.tsx
   * imports on first use (so its routes are not in the app's table).
   */
  const postRoutes = () => [...new Set([...app.routes, ...staffRoutes.routes].filter((r) => r.method === 'POST').map((r) => r.path))];

  async function attack(path: string, options: { cookie?: string; declare?: boolean } = {}) {
    const body = countingBody(ATTACK_BYTES);
    const response = await app.request(path, {
      method: 'POST',
      headers: {
        Origin: TEST_ORIGIN,
        'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`,
        ...(options.declare ? { 'Content-Length': String(ATTACK_BYTES) } : {}),
        ...(options.cookie ? { Cookie: `__Host-sessie=${options.cookie}` } : {}),
      },
      body: body.stream,
      duplex: 'half',
    } as RequestInit);
    const text = await response.text();
    // Nothing keeps reading after the answer.
    await new Promise((resolve) => setTimeout(resolve, 20));
    return { status: response.status, text, pulled: body.pulled() };
  }

  beforeAll(async () => {
    const clients = localClients();
    const clock = movableClock('2025-11-10T09:00');
    const deps = appDeps(clients, { tableName: await freshTable(clients), bucket: await freshBucket(clients) }, clock, { adminEmails: [ADMIN] });
    app = createApp({ ...deps, signInRateLimits: { perAddress: 1000, perClient: 1000 } });
    await deps.placements.create(staffPlacement('860001', 'bl'), clock.now().toString());
    sessions.admin = await signIn(app, ADMIN);
    sessions.io = await signIn(app, 'io.bl@hr.example.nl');
  });

  it('finds every POST route of the app, the staff ones included', () => {
    const routes = postRoutes();

    expect(routes).toEqual(
      expect.arrayContaining(['/f/:token', '/f/:token/bijlagen', '/s/:token/aanvragen', '/inloggen', '/inloggen/:token', '/uitloggen', '/beheer/rooster', '/beheer/rooster/bevestigen']),
    );
    expect(routes.filter((r) => r.startsWith('/overzicht/')).length).toBeGreaterThanOrEqual(4);
  });

  it('answers each without a session with a Dutch 4xx, and stops reading far short of 50 MB', async () => {
    const results = [];
    for (const route of postRoutes()) {
      const result = await attack(concrete(route));
      results.push({ route, status: result.status, pulledMB: Math.round((result.pulled / MB) * 100) / 100 });
      // At most the route's limit (a verslag with its attachment, 4 MB; else at most a form's, 512 kB) and two chunks.
      expect(result.pulled, route).toBeLessThanOrEqual((route === '/s/:token/afspraken/:id/verslag' ? BODY_LIMITS.report : BODY_LIMITS.form) + 2 * CHUNK);
      expect(result.status, route).toBe(expectedWithoutSession(route));
      expect(result.text, route).toContain('lang="nl"');
    }
    // Staff routes answer before reading a byte of the body beyond what the stream buffers.
    const staff = results.filter(({ route }) => expectedWithoutSession(route) === 401);
    expect(staff.length).toBeGreaterThanOrEqual(6);
    for (const { route, pulledMB } of staff) expect(pulledMB, route).toBeLessThanOrEqual(CHUNK / MB);
  });

  it('refuses a declared 50 MB body on each route without reading it', async () => {
    for (const route of postRoutes()) {
      const result = await attack(concrete(route), { declare: true });
      expect(result.pulled, route).toBeLessThanOrEqual(CHUNK);
      expect(result.status, route).toBe(expectedWithoutSession(route));
    }
  });

  it('answers each staff route with a 413 for a coordinator, after reading at most its limit', async () => {
    const staffRoutes = postRoutes().filter((r) => expectedWithoutSession(r) === 401);
    expect(staffRoutes.length).toBeGreaterThanOrEqual(6);
    for (const route of staffRoutes) {
      const result = await attack(concrete(route), { cookie: sessions.admin });
      const upload = route === '/beheer/rooster' || WORKBOOK_ROUTES.includes(route);
      const limit = route === '/beheer/rooster' ? ROSTER_MAX_BYTES + 64 * 1024 : upload ? WORKBOOK_MAX_BYTES + 64 * 1024 : BODY_LIMITS.staffForm;
      expect(result.pulled, route).toBeLessThanOrEqual(limit + 2 * CHUNK);
      expect(result.status, route).toBe(413);
      if (upload) expect(result.text).toContain('Het bestand is groter dan 2 MB');
      else expect(result.text).toContain('te groot om te verwerken');
    }
  });

  it('checks the role before reading: a 50 MB roster or workbook from an IO is a 403, unread', async () => {
    for (const route of ['/beheer/rooster', '/beheer/rooster/bevestigen', ...WORKBOOK_ROUTES]) {
      const result = await attack(route, { cookie: sessions.io });
      expect(result.pulled, route).toBeLessThanOrEqual(CHUNK);
      expect(result.status, route).toBe(403);
    }
  });

  it('keeps the Dutch 400 for a body that cannot be read, within the limit, on a link page and a staff page', async () => {
    const unreadable = (path: string, cookie?: string) =>
      app.request(path, {
        method: 'POST',
        headers: { Origin: TEST_ORIGIN, 'Content-Type': 'multipart/form-data', ...(cookie ? { Cookie: `__Host-sessie=${cookie}` } : {}) },
        body: 'geen grens',
      });

    const answers = {
      form: await unreadable(`/f/${SAMPLES.token}`),
      student: await unreadable(`/s/${SAMPLES.token}/aanvragen`),
      signIn: await unreadable('/inloggen'),
      staff: await unreadable('/overzicht/student/2025-2026/860001/wpb', sessions.admin),
    };

    expect(Object.values(answers).map((r) => r.status)).toEqual([400, 400, 400, 400]);
    expect(await answers.form.text()).toContain('Het formulier kon niet worden gelezen. Open de pagina opnieuw via de link in uw e-mail');
    expect(await answers.student.text()).toContain('Het formulier kon niet worden gelezen. Open je pagina opnieuw via de link in je e-mail');
    expect(await answers.signIn.text()).toContain('Het formulier kon niet worden gelezen. Laad de pagina opnieuw');
    expect(await answers.staff.text()).toContain('Het formulier kon niet worden gelezen. Laad de pagina opnieuw');
  });
});
