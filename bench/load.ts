/**
 * Benchmark 6: load on the real Node server (@hono/node-server serving createApp with appDeps over
 * the local stand-ins, in a process of its own): 50 connections, each an observer with a request
 * of their own, alternately opening the form (GET, which gives the `basis`) and saving it (POST:
 * a draft first, then submits and corrections with complete answers). Counts errors, the saves
 * the server accepted (303) against the versions found in DynamoDB afterwards, and the p99
 * latency against a hello route on the same server under the same load.
 *
 * Run alone: `npx tsx bench/load.ts` (BENCH_LOAD_SECONDS=30 for a shorter run; BENCH_PROFILE_DIR=<dir>
 * writes a CPU profile of the server there).
 */
import { fork, type ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import { freePort, LOCAL_CREDENTIALS, LOCAL_REGION } from '../infra/local/stack.ts';
import { tokenFor } from '../shared/links.ts';
import { createRequest } from '../shared/usecases/observation.ts';
import { ensureStudentLink } from '../shared/usecases/welcome.ts';
import { appDeps, TEST_LINK_SECRET } from '../test/support/app.ts';
import { BENCH_ORIGIN, benchClock, benchPlacement, formBody, KIJKWIJZER } from './fixtures.ts';
import type { LoadServerConfig, LoadServerMessage } from './load-server.ts';
import { clearInbox, fmtInt, fmtMs, fmtRatio, freshBucket, freshTable, isMain, percentile, runAlone, yesNo, type BenchContext } from './support.ts';

const CONNECTIONS = 50;
const DEFAULT_SECONDS = 60;
/** The link pages' limits (60 per token, 300 per address a minute) would stop one load generator at once. */
const LIFTED_LIMITS = { perAddress: 1_000_000_000, perToken: 1_000_000_000 };

type Kind = 'get' | 'post';

/** What one autocannon run saw, per kind of request. */
interface Observed {
  result: autocannon.Result;
  status: Record<Kind, Record<string, number>>;
  latency: Record<Kind, number[]>;
  postsSent: number;
  /** POSTs answered 303 whose Location says the form was submitted (not a draft). */
  submitsSeen: number;
  basisMissing: number;
}

function cannon(options: autocannon.Options, observed: Omit<Observed, 'result'>, kindOf: (client: autocannon.Client) => Kind): Promise<Observed> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve({ ...observed, result })));
    instance.on('response', (client, statusCode, _bytes, responseTime) => {
      const kind = kindOf(client);
      observed.status[kind][statusCode] = (observed.status[kind][statusCode] ?? 0) + 1;
      observed.latency[kind].push(responseTime);
    });
  });
}

function emptyObserved(): Omit<Observed, 'result'> {
  return { status: { get: {}, post: {} }, latency: { get: [], post: [] }, postsSent: 0, submitsSeen: 0, basisMissing: 0 };
}

/** Starts bench/load-server.ts in a child process (same node and tsx loader) and waits for it. */
async function startServer(config: LoadServerConfig): Promise<{ child: ChildProcess; stats: () => Promise<Extract<LoadServerMessage, { type: 'stats' }>> }> {
  const profileDir = process.env.BENCH_PROFILE_DIR;
  const child = fork(new URL('./load-server.ts', import.meta.url), [], {
    execArgv: [...process.execArgv, ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
    env: { ...process.env, BENCH_LOAD_SERVER: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the load server did not start within 60 s')), 60_000);
    child.once('exit', (code) => reject(new Error(`the load server exited (${code})`)));
    child.on('message', (message: LoadServerMessage) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve();
      }
      if (message.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(`the load server failed: ${message.error}`));
      }
    });
  });
  const stats = () =>
    new Promise<Extract<LoadServerMessage, { type: 'stats' }>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the load server did not report its counts')), 10_000);
      const listener = (message: LoadServerMessage) => {
        if (message.type !== 'stats') return;
        clearTimeout(timer);
        child.off('message', listener);
        resolve(message);
      };
      child.on('message', listener);
      child.send('stats');
    });
  return { child, stats };
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    if (child.connected) child.send('stop');
    else child.kill('SIGTERM');
  });
}

export async function benchLoad(ctx: BenchContext): Promise<void> {
  const stack = ctx.stack;
  if (!stack) throw new Error('needs the local stack');
  const seconds = ctx.loadSeconds ?? DEFAULT_SECONDS;
  const names = { tableName: await freshTable(stack.clients, 'load'), bucket: await freshBucket(stack.clients, 'load') };
  const deps = appDeps(stack.clients, names, benchClock(), { publicOrigin: BENCH_ORIGIN, endpoints: stack.endpoints });

  // 50 observers, each with a kijkwijzer request of their own (made by the real request code).
  const requests = await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, i) => {
      const placement = benchPlacement(i + 1, 'load.bench.example.org');
      await deps.placements.create(placement, '2025-09-01T00:00:00Z');
      await ensureStudentLink(deps, placement);
      return createRequest(
        deps,
        placement,
        { formId: KIJKWIJZER.id, observerRole: 'wpb', lessonDate: '2025-11-12', className: 'H2b' },
        { origin: 'student' },
      );
    }),
  );
  const tokens = requests.map((request) => tokenFor(TEST_LINK_SECRET, request.linkId));

  const port = await freePort();
  const { child, stats } = await startServer({
    port,
    endpoints: stack.endpoints,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    tableName: names.tableName,
    bucket: names.bucket,
    rateLimits: LIFTED_LIMITS,
  });
  try {
    const url = `http://127.0.0.1:${port}`;
    // Warm-up: each form opened once, the hello route a few hundred times.
    for (const token of tokens) await (await fetch(`${url}/f/${token}`)).text();
    for (let i = 0; i < 300; i++) await (await fetch(`${url}/hallo`)).text();

    ctx.log(`forms: ${CONNECTIONS} connections for ${seconds} s (GET the form, POST a save, repeat)`);
    const formsObserved = emptyObserved();
    const kinds = new Map<autocannon.Client, { kind: Kind }>();
    let nextToken = 0;
    const forms = await cannon(
      {
        url,
        connections: CONNECTIONS,
        duration: seconds,
        timeout: 30,
        setupClient(client) {
          const token = tokens[nextToken++ % tokens.length]!;
          const state = { kind: 'get' as Kind, basis: undefined as number | undefined, submitted: false, posts: 0 };
          kinds.set(client, state);
          client.setRequests([
            {
              method: 'GET',
              path: `/f/${token}`,
              setupRequest: (request) => {
                state.kind = 'get';
                return request;
              },
              onResponse: (status, body) => {
                if (status !== 200) return;
                const match = /name="basis" value="(\d+)"/.exec(body);
                state.basis = match ? Number(match[1]) : undefined;
                if (!match) formsObserved.basisMissing++;
                state.submitted = body.includes('Correctie versturen');
              },
            },
            {
              method: 'POST',
              path: `/f/${token}`,
              setupRequest: (request) => {
                state.kind = 'post';
                const actie = !state.submitted && state.posts % 2 === 0 ? 'concept' : 'versturen';
                state.posts++;
                formsObserved.postsSent++;
                return {
                  ...request,
                  headers: { 'content-type': 'application/x-www-form-urlencoded', origin: BENCH_ORIGIN },
                  body: formBody(actie, state.basis ?? 0),
                };
              },
              onResponse: (status, _body, _context, headers) => {
                const location = String((headers as Record<string, unknown> | undefined)?.location ?? '');
                if (status === 303 && location.includes('verstuurd')) formsObserved.submitsSeen++;
              },
            },
          ]);
        },
      },
      formsObserved,
      (client) => kinds.get(client)?.kind ?? 'get',
    );
    // Let the server finish what was in flight when the clock stopped, then count.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const server = await stats();

    let versions = 0;
    let submittedVersions = 0;
    let latestSum = 0;
    for (const request of requests) {
      const stored = await deps.requests.listVersions(request);
      versions += stored.length;
      submittedVersions += stored.filter((v) => v.status === 'ingediend').length;
      latestSum += (await deps.requests.get(request.schoolYear, request.studentNumber, request.requestId))?.latestVersion ?? 0;
    }
    await clearInbox(stack.endpoints);

    ctx.log(`hello: ${CONNECTIONS} connections for ${seconds} s (GET /hallo)`);
    const helloObserved = emptyObserved();
    const hello = await cannon({ url: `${url}/hallo`, connections: CONNECTIONS, duration: seconds, timeout: 30 }, helloObserved, () => 'get');

    const accepted = server.posts['303'] ?? 0;
    const clientSeen = formsObserved.status.post['303'] ?? 0;
    const count = (record: Record<string, number>, keep: (status: number) => boolean) =>
      Object.entries(record).reduce((sum, [status, n]) => (keep(Number(status)) ? sum + n : sum), 0);
    const unexpectedGets = count(formsObserved.status.get, (s) => s !== 200);
    const unexpectedPosts = count(formsObserved.status.post, (s) => s !== 303 && s !== 409);
    const conflicts = formsObserved.status.post['409'] ?? 0;
    const socketErrors = forms.result.errors;
    const errors = socketErrors + unexpectedGets + unexpectedPosts + server.errors;
    const helloErrors = hello.result.errors + count(helloObserved.status.get, (s) => s !== 200);

    const statusText = (record: Record<string, number>) =>
      Object.entries(record)
        .map(([status, n]) => `${status}: ${fmtInt(n)}`)
        .join(', ');
    ctx.report({
      benchmark: `6 load, ${CONNECTIONS} observers saving and submitting for ${seconds} s: errors`,
      figure: `${fmtInt(errors)} errors in ${fmtInt(forms.result.requests.sent)} requests (GET ${statusText(formsObserved.status.get)}; POST ${statusText(formsObserved.status.post)}; socket errors/timeouts ${socketErrors}/${forms.result.timeouts})`,
      baseline: `hello route: ${fmtInt(helloErrors)} errors in ${fmtInt(hello.result.requests.sent)} requests`,
      ratio: '—',
      goal: '0 errors (409 conflicts are not errors)',
      met: yesNo(errors === 0),
    });
    ctx.report({
      benchmark: `6 load: saves accepted vs found in DynamoDB`,
      figure: `${fmtInt(accepted)} accepted (303) by the server, ${fmtInt(versions)} versions found (${fmtInt(submittedVersions)} submitted)`,
      baseline: `client saw ${fmtInt(clientSeen)} 303s (${fmtInt(formsObserved.submitsSeen)} submits); ${fmtInt(formsObserved.postsSent - count(formsObserved.status.post, () => true))} POSTs unanswered when the clock stopped`,
      ratio: fmtRatio(versions / Math.max(1, accepted)),
      goal: 'equal',
      met: yesNo(accepted === versions && latestSum === versions && conflicts === 0),
    });
    // Percentiles from autocannon's response events, so GETs and POSTs can be told apart.
    const allLatencies = [...formsObserved.latency.get, ...formsObserved.latency.post];
    const p99 = percentile(allLatencies, 0.99);
    const helloP99 = percentile(helloObserved.latency.get, 0.99);
    const rate = (observed: Observed) => (observed.latency.get.length + observed.latency.post.length) / observed.result.duration;
    ctx.report({
      benchmark: `6 load: p99 latency under the same load`,
      figure: `${fmtMs(p99)} (GET ${fmtMs(percentile(formsObserved.latency.get, 0.99))}, POST ${fmtMs(percentile(formsObserved.latency.post, 0.99))}; median ${fmtMs(percentile(allLatencies, 0.5))}); ${Math.round(rate(forms))} req/s`,
      baseline: `hello route ${fmtMs(helloP99)} (median ${fmtMs(percentile(helloObserved.latency.get, 0.5))}); ${Math.round(rate(hello))} req/s`,
      ratio: fmtRatio(p99 / helloP99),
      goal: 'reported (issue 7 sets no target)',
      met: 'n/a',
    });
    ctx.note(
      `6: autocannon in this process, ${CONNECTIONS} keep-alive connections, ${seconds} s per run, against @hono/node-server in a child process ` +
        `(createApp with appDeps over DynamoDB Local, s3rver and aws-ses-v2-local; clock fixed at 2025-11-10 09:00 so the forms are open). ` +
        `RATE LIMITS RAISED for this run: the link pages' limits (60/min per token, 300/min per address) are lifted through AppDeps.rateLimits, ` +
        `since one load generator on one address would otherwise get 429s within a second. Each connection owns one request token and loops ` +
        `GET /f/<token> (reads the basis from the hidden input) then POST /f/<token> (complete kijkwijzer; a draft first, then actie=versturen: ` +
        `submits and corrections, each sending two receipt emails through SES). ${fmtInt(conflicts)} conflicts (409). ` +
        `"Accepted" counts the 303s the server sent (the client may miss the last answer of each connection when the clock stops); ` +
        `"found" counts SUB# version items, and the requests' latestVersion sums to ${fmtInt(latestSum)}. ` +
        `Latencies from autocannon's response events (every answer, and per kind); autocannon's own p99 for the forms run was ${fmtMs(forms.result.latency.p99)}.`,
    );
  } finally {
    await stopServer(child);
  }
}

if (isMain(import.meta.url)) await runAlone('load', benchLoad, { needsStack: true });
