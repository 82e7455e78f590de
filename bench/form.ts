/**
 * Benchmark 2: the observer's form page (GET /f/<token>) and a full, valid kijkwijzer submit
 * (POST /f/<token>, actie=versturen) in process through `app.request()`, with the real app,
 * validation and rendering over in-memory stores, against a hello-world Hono route measured the
 * same way; and (benchFormCalls) the DynamoDB calls each of them makes over DynamoDB Local,
 * counted by a middleware on the SDK client, with the sequential rounds they take.
 *
 * Run alone: `npx tsx bench/form.ts` (both; starts a local stack).
 */
import { Hono } from 'hono';
import { createApp } from '../functions/http/app.tsx';
import { createRequest, type RequestDeps } from '../shared/usecases/observation.ts';
import { ensureStudentLink } from '../shared/usecases/welcome.ts';
import { tokenFor } from '../shared/links.ts';
import { BENCH_LINK_SECRET, BENCH_ORIGIN, benchClock, benchPlacement, formBody, KIJKWIJZER } from './fixtures.ts';
import { memoryAppDeps } from './memory-stores.ts';
import { compareTimes, fmtMs, fmtRatio, freshBucket, freshTable, isMain, runAlone, yesNo, type BenchContext } from './support.ts';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { MemoryMailer } from '../shared/mail/mailer.ts';
import { AuditStore } from '../shared/store/audit.ts';
import { LinkStore } from '../shared/store/links.ts';
import { PlacementStore } from '../shared/store/placements.ts';
import { RequestStore } from '../shared/store/requests.ts';
import { appDeps } from '../test/support/app.ts';

const GOAL = 5;
/** The link pages' rate limits, lifted: in-process requests all count under one "unknown" address. */
const NO_LIMITS = { perAddress: 1_000_000_000, perToken: 1_000_000_000 };

export async function benchForm(ctx: BenchContext): Promise<void> {
  const { deps, requests, mailer, audit, unfakedCalls } = memoryAppDeps({
    clock: benchClock(),
    publicOrigin: BENCH_ORIGIN,
    linkSecret: BENCH_LINK_SECRET,
    rateLimits: NO_LIMITS,
  });
  const app = createApp(deps);

  // One placement, its student link (the receipt links to the student's page) and a kijkwijzer
  // request of the WPB, made by the real request code over the memory stores.
  const placement = benchPlacement(1);
  const requestDeps: RequestDeps = deps;
  await ensureStudentLink(requestDeps, placement);
  const request = await createRequest(
    requestDeps,
    placement,
    { formId: KIJKWIJZER.id, observerRole: 'wpb', lessonDate: '2025-11-12', className: 'H2b', question: 'Let op mijn klassenmanagement' },
    { origin: 'student' },
  );
  const token = tokenFor(BENCH_LINK_SECRET, request.linkId);
  const path = `/f/${token}`;
  const post = (body: string) =>
    app.request(path, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: BENCH_ORIGIN }, body });

  // A saved draft with every answer, so the page renders a filled-in form.
  let basis = 0;
  const draft = await post(formBody('concept', basis));
  if (draft.status !== 303) throw new Error(`saving a draft answered ${draft.status}`);
  basis++;

  const hello = new Hono().get('/', (c) => c.text('hallo'));
  const times = await compareTimes({
    hello: async () => {
      const response = await hello.request('/');
      if (response.status !== 200) throw new Error(`hello answered ${response.status}`);
      await response.text();
    },
    render: async () => {
      const response = await app.request(path);
      if (response.status !== 200) throw new Error(`GET /f/<token> answered ${response.status}`);
      await response.text();
    },
    submit: async () => {
      const response = await post(formBody('versturen', basis));
      if (response.status !== 303) throw new Error(`POST /f/<token> answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
      basis++;
      // The receipts go to a MemoryMailer; keep its list from growing for the whole run.
      mailer.sent.length = 0;
    },
    // For the notes: createApp's middleware alone (secure headers, CSRF check, body check).
    health: async () => {
      const response = await app.request('/health');
      await response.text();
    },
  });
  const { hello: helloTime, render: renderTime, submit: submitTime, health } = times;
  const pageBytes = (await (await app.request(path)).text()).length;
  if (unfakedCalls.length > 0) throw new Error(`the form routes called stores the benchmark does not fake: ${[...new Set(unfakedCalls)].join(', ')}`);
  const versions = await requests.listVersions(request);
  if (versions.length !== basis) throw new Error(`expected ${basis} versions in the memory store, found ${versions.length}`);

  const renderRatio = renderTime.ms / helloTime.ms;
  ctx.report({
    benchmark: '2 form page render (GET /f/<token>, in process)',
    figure: `${fmtMs(renderTime.ms)} per page (${Math.round(pageBytes / 1024)} kB)`,
    baseline: `hello route ${fmtMs(helloTime.ms)}`,
    ratio: fmtRatio(renderRatio),
    goal: `≤ ${GOAL}×`,
    met: yesNo(renderRatio <= GOAL),
  });
  const submitRatio = submitTime.ms / helloTime.ms;
  ctx.report({
    benchmark: '2 form submit (POST /f/<token>, full kijkwijzer, in process)',
    figure: `${fmtMs(submitTime.ms)} per submit`,
    baseline: `hello route ${fmtMs(helloTime.ms)}`,
    ratio: fmtRatio(submitRatio),
    goal: `≤ ${GOAL}×`,
    met: yesNo(submitRatio <= GOAL),
  });

  ctx.note(
    `2: median of 15 interleaved batches (each ≥ 100 ms) after 0.5 s warm-up, \`app.request()\` in process, body read; memory stores (bench/memory-stores.ts), ` +
      `link-page rate limits lifted (all in-process requests share one address). Submit = full valid kijkwijzer-pedagogiek with actie=versturen ` +
      `(validation, append-only version, an audit event, two receipt emails rendered into a MemoryMailer), ${versions.length} versions saved, ` +
      `${audit.recorded} audit events recorded (page views and saves). ` +
      `For scale: GET /health through createApp's middleware (secure headers, CSRF check) takes ${fmtMs(health.ms)} ` +
      `(${fmtRatio(health.ms / helloTime.ms)} the bare hello route).`,
  );
}

/** What one HTTP request cost in DynamoDB: its calls by command, and the sequential rounds they took. */
interface CallCount {
  calls: string[];
  rounds: number;
}

/**
 * Counts the DynamoDB calls of a client (one middleware on its stack, so every command counts,
 * retries once) and the rounds they take: a call that starts while none is in flight starts a new
 * round; calls started while another is under way share its round.
 */
function countCalls(doc: DynamoDBDocumentClient): { during(run: () => Promise<void>): Promise<CallCount> } {
  let inFlight = 0;
  // Only the calls made while `during` runs count: set up between measurements goes uncounted.
  let current: CallCount | undefined;
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      if (!current) return next(args);
      if (inFlight === 0) current.rounds++;
      inFlight++;
      current.calls.push(String(context.commandName).replace(/Command$/, ''));
      try {
        return await next(args);
      } finally {
        inFlight--;
      }
    },
    { step: 'initialize', name: 'benchCountCalls' },
  );
  return {
    async during(run) {
      const count: CallCount = { calls: [], rounds: 0 };
      current = count;
      try {
        await run();
      } finally {
        current = undefined;
      }
      return count;
    },
  };
}

/** "3 calls in 2 rounds (GetItem, BatchGetItem, PutItem)". */
const callText = (count: CallCount) => `${count.calls.length} calls in ${count.rounds} rounds (${count.calls.join(', ')})`;

/** The goals of issue 12: a GET reads with ≤ 2 calls in ≤ 2 rounds (its audit write beside them), a POST makes ≤ 3 calls. */
const GET_READS = 2;
const POST_CALLS = 3;

/**
 * Benchmark 2, DynamoDB calls: the real app over DynamoDB Local, the form path's stores on a
 * client whose calls are counted; one GET and one POST each of a new form, a draft and a submit.
 */
export async function benchFormCalls(ctx: BenchContext): Promise<void> {
  const stack = ctx.stack;
  if (!stack) throw new Error('the DynamoDB call count needs the local stack');
  const names = { tableName: await freshTable(stack.clients, 'calls'), bucket: await freshBucket(stack.clients, 'calls') };
  const clients = stack.newClients();
  const counter = countCalls(clients.doc);
  const base = appDeps(clients, names, benchClock(), { publicOrigin: BENCH_ORIGIN, endpoints: stack.endpoints, mailer: new MemoryMailer() });
  const deps = {
    ...base,
    rateLimits: NO_LIMITS,
    placements: new PlacementStore(clients.doc, names.tableName),
    requests: new RequestStore(clients.doc, names.tableName),
    links: new LinkStore(clients.doc, names.tableName),
    audit: new AuditStore(clients.doc, names.tableName),
  };
  const app = createApp(deps);
  const placement = benchPlacement(1);
  await deps.placements.create(placement, benchClock().now().toString());
  await ensureStudentLink(deps, placement);
  const request = await createRequest(deps, placement, { formId: KIJKWIJZER.id, observerRole: 'wpb', lessonDate: '2025-11-12' }, { origin: 'student' });
  const path = `/f/${tokenFor(deps.linkSecret, request.linkId)}`;
  const expect = async (response: Response | Promise<Response>, status: number) => {
    const answered = await response;
    await answered.arrayBuffer();
    if (answered.status !== status) throw new Error(`${path.slice(0, 3)}… answered ${answered.status}, expected ${status}`);
  };
  const get = () => counter.during(() => expect(app.request(path), 200));
  const post = (body: string) =>
    counter.during(() =>
      expect(app.request(path, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: BENCH_ORIGIN }, body }), 303),
    );

  const newForm = await get();
  const draft = await post(formBody('concept', 0));
  const filledIn = await get();
  const submit = await post(formBody('versturen', 1));
  const submitted = await get();

  // A second form with one attachment, its scan verdict already recorded (no S3 lookup): the list
  // comes as the copy on the request item, so the counts should not change.
  const other = benchPlacement(2);
  await deps.placements.create(other, benchClock().now().toString());
  await ensureStudentLink(deps, other);
  const withFile = await createRequest(deps, other, { formId: KIJKWIJZER.id, observerRole: 'wpb', lessonDate: '2025-11-12' }, { origin: 'student' });
  await deps.requests.addAttachment(withFile, {
    id: 'a1',
    key: `bench/${withFile.requestId}/a1`,
    name: 'lesplan.pdf',
    size: 20_000,
    type: 'application/pdf',
    addedAt: benchClock().now().toString(),
    scanVerdict: 'clean',
  });
  const filePath = `/f/${tokenFor(deps.linkSecret, withFile.linkId)}`;
  const attachedDraft = await counter.during(() =>
    expect(app.request(filePath, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: BENCH_ORIGIN }, body: formBody('concept', 0) }), 303),
  );
  const attachedGet = await counter.during(() => expect(app.request(filePath), 200));
  const attachedSubmit = await counter.during(() =>
    expect(app.request(filePath, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: BENCH_ORIGIN }, body: formBody('versturen', 1) }), 303),
  );

  const reads = (count: CallCount) => count.calls.filter((name) => !/^(Put|Update|Delete|TransactWrite|BatchWrite)/.test(name)).length;
  const getsMet = [newForm, filledIn, submitted, attachedGet].every((count) => reads(count) <= GET_READS && count.rounds <= 2);
  ctx.report({
    benchmark: '2 DynamoDB calls per form GET (DynamoDB Local)',
    figure: `${callText(filledIn)}; ${reads(filledIn)} reads`,
    baseline: 'issue 12: 5 calls in 5 rounds (link, request, version, attachments, audit)',
    ratio: 'n/a',
    goal: `reads ≤ ${GET_READS} calls in ≤ 2 rounds, audit write beside them`,
    met: yesNo(getsMet),
  });
  const postsMet = [draft, submit, attachedDraft, attachedSubmit].every((count) => count.calls.length <= POST_CALLS);
  ctx.report({
    benchmark: '2 DynamoDB calls per form POST (DynamoDB Local)',
    figure: `submit ${callText(submit)}; draft ${draft.calls.length} calls in ${draft.rounds} rounds`,
    baseline: 'issue 12: ~7 calls (link, request, version, attachments, save, audit, student link)',
    ratio: 'n/a',
    goal: `≤ ${POST_CALLS} calls`,
    met: yesNo(postsMet),
  });
  ctx.note(
    `2, DynamoDB calls: the real app over DynamoDB Local, a middleware on the SDK client counting every command; a round is a call started while no other was in flight. ` +
      `GET of a new form: ${callText(newForm)}; of a draft: ${callText(filledIn)}; of a submitted form: ${callText(submitted)}. ` +
      `POST draft: ${callText(draft)}; submit: ${callText(submit)} (the audit event rides in the save's TransactWriteItems; the receipts' student link comes with the BatchGet). ` +
      `With one attachment (verdict recorded): GET ${callText(attachedGet)}; POST draft ${callText(attachedDraft)}; submit ${callText(attachedSubmit)}. ` +
      `These are the fast path only: fresh requests with links that carry the hints, attachments (if any) copied on the request; a link or request stored before the hints, or a hint left behind, takes one more round. ` +
      `See docs/architecture.md, "Round trips on the WPB's path".`,
  );
}

if (isMain(import.meta.url)) {
  await runAlone(
    'form render and submit, and their DynamoDB calls',
    async (ctx) => {
      await benchForm(ctx);
      await benchFormCalls(ctx);
    },
    { needsStack: true },
  );
}
