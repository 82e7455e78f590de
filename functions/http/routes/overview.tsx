import { Hono } from 'hono';
import type { Context } from 'hono';
import * as z from 'zod';
import { formatDutchDate, formatDutchInstant, periodLabel, schoolYears } from '#shared/calendar.ts';
import { calendarFeed } from '#shared/digest/ics.ts';
import { NotFoundError, ValidationError } from '#shared/errors.ts';
import { formTitle, getForm } from '#forms/index.ts';
import { kijkwijzerTypeList } from '#shared/dutch.ts';
import { AnswersView, FORM_CSS } from '#shared/forms/render.tsx';
import { covers, ForbiddenError, type Staff } from '#shared/auth/scope.ts';
import { loadOverview, type OverviewRow } from '#shared/overview/model.ts';
import { choosePeriod, type PeriodChoice } from '#shared/overview/period.ts';
import { exportCsv, exportFileName, planExport } from '#shared/overview/csv.ts';
import { OBSERVER_LABELS_SHORT } from '#shared/overview/labels.ts';
import type { AdviceSignal } from '#shared/overview/signals.ts';
import type { RequestRecord } from '#shared/store/requests.ts';
import { Layout } from '#shared/web/layout.tsx';
import type { AppEnv } from '../env.ts';
import { requireStaff } from '../session.ts';
import { recordAudit } from '../audit.ts';
import { serveAttachment } from '../attachment-response.ts';
import { AttachmentItems } from '../attachment-list.tsx';
import { attachmentsWithVerdicts } from '#shared/attachments/serve.ts';
import type { AuditEvent } from '#shared/store/audit.ts';
import type { Temporal } from 'temporal-polyfill';
import { ACTIONS_CSS, AuditLog, currentPage, noticeOf, overviewActionRoutes, ReplaceWpbForm, RequestActions } from './overview-actions.tsx';

/** The staff overview of a period: students against the forms due, submissions, CSV. */
export const overviewRoutes = new Hono<AppEnv>();

overviewRoutes.use(requireStaff);
overviewRoutes.route('/', overviewActionRoutes);

/** The state filter of the overview. */
const STATUS_FILTERS = {
  ingediend: 'met iets ingediend',
  concept: 'met een concept',
  gevraagd: 'met iets gevraagd',
  ontbreekt: 'met ontbrekende kijkwijzers',
  niets: 'met niets ingediend',
  signaal: 'met een signaal',
} as const;
type StatusFilter = keyof typeof STATUS_FILTERS;

const OverviewQuery = z.object({
  jaar: z.string().max(20).optional(),
  periode: z.string().max(4).optional(),
  school: z.string().max(200).optional(),
  status: z.enum(Object.keys(STATUS_FILTERS) as [StatusFilter, ...StatusFilter[]], { message: 'Kies een geldige status.' }).optional(),
});

/** Reads the period and the filters from the query; empty values count as absent. */
function readQuery(c: Context<AppEnv>) {
  const raw = Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== ''));
  const parsed = OverviewQuery.safeParse(raw);
  if (!parsed.success) throw new ValidationError(parsed.error.issues[0]?.message ?? 'Ongeldige keuze.');
  const choice = choosePeriod(parsed.data.jaar, parsed.data.periode, c.get('deps').clock.now());
  return { choice, school: parsed.data.school, status: parsed.data.status };
}

function matches(row: OverviewRow, status: StatusFilter | undefined): boolean {
  switch (status) {
    case undefined:
      return true;
    case 'ontbreekt':
      return row.missing.length > 0;
    case 'niets':
      return row.nothingIn;
    case 'signaal':
      return row.signal !== undefined;
    default:
      return row.requests.some((r) => r.state === status);
  }
}

const AgendaRole = z.enum(['io', 'so', 'sco'], { message: 'Kies een rol: io, so of sco.' });

/** The school year's deadlines and a staff role's tasks as a calendar feed (ICS). */
overviewRoutes.get('/agenda.ics', (c) => {
  const staff = c.get('staff')!;
  const { choice } = readQuery(c);
  const fallback = Object.keys(staff.scope.io).length > 0 ? 'io' : 'so';
  const role = AgendaRole.safeParse(c.req.query('rol') || fallback);
  if (!role.success) throw new ValidationError(role.error.issues[0]?.message ?? 'Kies een rol.');
  c.header('Content-Type', 'text/calendar; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="werkplekleren-${choice.year.id}-${role.data}.ics"`);
  c.header('Cache-Control', 'no-store');
  return c.body(calendarFeed({ year: choice.year, role: role.data, name: staff.name, now: c.get('deps').clock.now() }));
});

overviewRoutes.get('/', async (c) => {
  const staff = c.get('staff')!;
  const { choice, school, status } = readQuery(c);
  const overview = await loadOverview(c.get('deps'), staff.scope, choice, school);
  const rows = overview.rows.filter((row) => matches(row, status));
  const deps = c.get('deps');
  // Who downloaded this period's CSV: for coordinators only (one event per export, see README).
  const exports = staff.scope.admin ? await deps.audit.listExports(choice.year.id, choice.period.number, { limit: 50 }) : undefined;
  return c.html(
    <OverviewPage
      staff={staff}
      choice={choice}
      rows={rows}
      total={overview.rows.length}
      schools={overview.schools}
      school={school}
      status={status}
      now={deps.clock.now()}
      graceDays={deps.linkGraceDays}
      back={currentPage(c)}
      notice={noticeOf(c)}
      exports={exports}
    />,
  );
});

const CsvQuery = z.object({ scheiding: z.enum([';', ','], { message: 'Kies ; of , als scheidingsteken.' }).optional() });

overviewRoutes.get('/export.csv', async (c) => {
  const staff = c.get('staff')!;
  const { choice, school } = readQuery(c);
  const separator = CsvQuery.safeParse({ scheiding: c.req.query('scheiding') || undefined });
  if (!separator.success) throw new ValidationError(separator.error.issues[0]?.message ?? 'Ongeldig scheidingsteken.');
  const plan = planExport(staff.scope, choice, school);
  const deps = c.get('deps');
  if (c.req.method === 'GET') {
    await recordAudit(
      c,
      { schoolYear: choice.year.id, exportPeriod: choice.period.number },
      { actor: staff.email, action: 'CSV gedownload', detail: `${school ?? 'alle scholen in bereik'}; scheidingsteken ${separator.data.scheiding ?? ';'}` },
    );
  }
  c.header('Content-Type', 'text/csv; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="${exportFileName(choice)}"`);
  c.header('Cache-Control', 'no-store');
  return c.body(exportCsv(deps.requests, plan, { delimiter: separator.data.scheiding ?? ';', origin: deps.publicOrigin }));
});

/** Loads a request the signed-in person may see: 404 when it does not exist, 403 when it is not theirs. */
async function loadRequest(c: Context<AppEnv>): Promise<RequestRecord> {
  const staff = c.get('staff')!;
  const deps = c.get('deps');
  const year = c.req.param('year') ?? '';
  const studentNumber = c.req.param('studentNumber') ?? '';
  const placement = await deps.placements.get(year, studentNumber);
  if (!placement) throw new NotFoundError('Deze student staat niet in het rooster van dit schooljaar.');
  if (!covers(staff.scope, placement)) throw new ForbiddenError('Deze student hoort niet bij uw studenten.');
  const request = await deps.requests.get(year, studentNumber, c.req.param('requestId') ?? '');
  if (!request || request.state !== 'ingediend') throw new NotFoundError('Dit formulier is (nog) niet ingediend.');
  return request;
}

overviewRoutes.get('/formulier/:year/:studentNumber/:requestId', async (c) => {
  const request = await loadRequest(c);
  const deps = c.get('deps');
  const versions = (await deps.requests.listVersions(request)).filter((v) => v.status === 'ingediend');
  const asked = Number(c.req.query('versie') ?? request.latestVersion);
  const version = versions.find((v) => v.version === asked) ?? versions.at(-1);
  const def = version && getForm(version.formId, version.formVersion);
  if (!version || !def) throw new NotFoundError('Dit formulier is (nog) niet ingediend.');
  const attachments = await attachmentsWithVerdicts(deps, request);
  const base = `/overzicht/formulier/${request.schoolYear}/${request.studentNumber}/${request.requestId}`;
  if (c.req.method === 'GET') await recordAudit(c, request, { actor: c.get('staff')!.email, action: 'bekeken', requestId: request.requestId, detail: `versie ${version.version}` });
  const events = await deps.audit.listForPlacement(request.schoolYear, request.studentNumber, { requestId: request.requestId });
  return c.html(
    <Layout title={def.title} extraCss={FORM_CSS}>
      <p>
        <a href={`/overzicht?jaar=${request.schoolYear}&periode=${request.period}`}>Terug naar het overzicht</a>
      </p>
      <h1>{def.title}</h1>
      <p>
        Voor {request.student.name} ({request.studentNumber}, {request.vak}, {request.school}), ingevuld door {request.observer.name} (
        {OBSERVER_LABELS_SHORT[request.observerRole]}), {periodLabel({ number: request.period })}
        {request.lessonDate && <>, les van {formatDutchDate(request.lessonDate)}</>}.
      </p>
      <p>
        Versie {version.version}, ingediend op {formatDutchInstant(version.savedAt, { time: 'minute' })}.
      </p>
      <AnswersView def={def} answers={version.answers} />
      <h2>Bijlagen</h2>
      <AttachmentItems attachments={attachments} href={(a) => `/overzicht/bijlage/${request.schoolYear}/${request.studentNumber}/${request.requestId}/${a.id}`} />
      <h2>Versies</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Versie</th>
            <th scope="col">Ingediend op</th>
            <th scope="col">Door</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr>
              <td data-label="Versie">{v.version === version.version ? <strong>{v.version} (getoond)</strong> : <a href={`${base}?versie=${v.version}`}>{v.version}</a>}</td>
              <td data-label="Ingediend op">{formatDutchInstant(v.savedAt, { time: 'minute' })}</td>
              <td data-label="Door">{v.savedBy}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Logboek</h2>
      <AuditLog events={events} />
      <p>
        <a href={`/overzicht/student/${request.schoolYear}/${request.studentNumber}`}>Alles van {request.student.name}, met het logboek van de student</a>
      </p>
    </Layout>,
  );
});

overviewRoutes.get('/bijlage/:year/:studentNumber/:requestId/:attachmentId', async (c) => {
  const request = await loadRequest(c);
  return serveAttachment(c, request, c.req.param('attachmentId'), c.get('staff')!.email);
});

const SIGNAL_TEXT: Record<AdviceSignal['kind'], string> = {
  'positief-bij-lage-scores': 'Positief advies, maar de meeste scores in de laatste kijkwijzers zijn onder voldoende',
  'negatief-bij-goede-scores': 'Negatief advies, maar de meeste scores in de laatste kijkwijzers zijn voldoende of goed',
};

const OVERVIEW_CSS = `
main { max-width: 72rem; }
.filters { display: flex; flex-wrap: wrap; gap: 1rem; align-items: end; }
.filters label { margin: 0 0 .25rem; }
.filters select { width: auto; }
.filters > * { min-width: 0; max-width: 100%; }
.signal { color: #7a0019; font-weight: 600; }
`;

function OverviewPage(props: {
  staff: Staff;
  choice: PeriodChoice;
  rows: OverviewRow[];
  total: number;
  schools: string[];
  school: string | undefined;
  status: StatusFilter | undefined;
  now: Temporal.Instant;
  graceDays: number;
  /** This page's path and query: where the actions return to. */
  back: string;
  notice: string | undefined;
  /** The period's CSV downloads (coordinators only). */
  exports: AuditEvent[] | undefined;
}) {
  const { staff, choice, rows, schools } = props;
  const csvQuery = new URLSearchParams({ jaar: choice.year.id, periode: String(choice.period.number), ...(props.school ? { school: props.school } : {}) });
  return (
    <Layout title="Overzicht" extraCss={OVERVIEW_CSS + ACTIONS_CSS}>
      <form method="post" action="/uitloggen" style="float:right">
        <button type="submit" class="secondary">
          Uitloggen
        </button>
      </form>
      <h1>
        Overzicht {periodLabel(choice.period)}, schooljaar {choice.year.id}
      </h1>
      <p class="muted">
        Ingelogd als {staff.name === staff.email ? staff.email : `${staff.name} (${staff.email})`}.
        {staff.scope.admin && (
          <>
            {' '}
            <a href="/beheer/rooster">Rooster uploaden</a>
          </>
        )}{' '}
        <a href={`/overzicht/agenda.ics?jaar=${choice.year.id}`}>Deadlines en taken in uw agenda</a>
      </p>
      {props.notice && (
        <p class="success" role="status">
          {props.notice}
        </p>
      )}
      <p>
        Deadline: <strong>{formatDutchDate(choice.period.deadline)}</strong>. {rows.length} van {props.total} studenten getoond.
      </p>
      <form method="get" action="/overzicht" class="filters">
        <div>
          <label for="jaar">Schooljaar</label>
          <select id="jaar" name="jaar">
            {schoolYears.map((y) => (
              <option value={y.id} selected={y.id === choice.year.id}>
                {y.id}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="periode">Periode</label>
          <select id="periode" name="periode">
            {[1, 2, 3, 4].map((n) => (
              <option value={String(n)} selected={n === choice.period.number}>
                OP{n}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="school">School</label>
          <select id="school" name="school">
            <option value="">alle scholen</option>
            {schools.map((s) => (
              <option value={s} selected={s === props.school}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="status">Studenten</label>
          <select id="status" name="status">
            <option value="">alle</option>
            {Object.entries(STATUS_FILTERS).map(([value, label]) => (
              <option value={value} selected={value === props.status}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <button type="submit">Toon</button>
        </div>
      </form>
      <p>
        <a href={`/overzicht/export.csv?${csvQuery}`}>CSV downloaden</a> (ingediende formulieren van deze periode, voor Excel) ·{' '}
        <a href={`/overzicht/export.csv?${csvQuery}&scheiding=,`}>CSV met komma's</a>
      </p>
      {rows.length === 0 ? (
        <p>Geen studenten om te tonen.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Student</th>
              <th scope="col">School</th>
              <th scope="col">Formulieren deze periode</th>
              <th scope="col">Kijkwijzers</th>
              <th scope="col">Signalen</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr data-student={row.placement.studentNumber}>
                <td data-label="Student">
                  <a href={`/overzicht/student/${row.placement.schoolYear}/${row.placement.studentNumber}`}>{row.placement.student.name}</a>
                  <br />
                  <span class="muted">
                    {row.placement.studentNumber} · {row.placement.vak}
                  </span>
                  <details>
                    <summary>WPB vervangen</summary>
                    <ReplaceWpbForm placement={row.placement} back={props.back} />
                  </details>
                </td>
                <td data-label="School">{row.placement.school}</td>
                <td data-label="Formulieren deze periode">
                  {row.requests.length === 0 ? (
                    <span class="muted">niets gevraagd</span>
                  ) : (
                    <ul>
                      {row.requests.map((r) => (
                        <li>
                          {r.state === 'ingediend' ? (
                            <a href={`/overzicht/formulier/${r.schoolYear}/${r.studentNumber}/${r.requestId}`}>{formTitle(r.formId)}</a>
                          ) : (
                            formTitle(r.formId)
                          )}{' '}
                          <span class={`state state-${r.state}`}>{r.state}</span>
                          {r.state === 'ingediend' && r.submittedAt && <> {formatDutchInstant(r.submittedAt, { time: 'minute' })}</>}
                          <span class="muted"> · {OBSERVER_LABELS_SHORT[r.observerRole]} {r.observer.name}</span>
                          <br />
                          <RequestActions request={r} now={props.now} graceDays={props.graceDays} back={props.back} />
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td data-label="Kijkwijzers">
                  {row.missing.length === 0 ? (
                    <span class="muted">compleet</span>
                  ) : (
                    <>
                      <span class="state state-ontbreekt">ontbreekt</span> {kijkwijzerTypeList(row.missing)}
                    </>
                  )}
                </td>
                <td data-label="Signalen">
                  {row.signal && <p class="signal">{SIGNAL_TEXT[row.signal.kind]} ({row.signal.below} van {row.signal.scored} onder voldoende).</p>}
                  {row.nothingIn && <p class="signal">Niets ingediend deze periode.</p>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.exports && (
        <>
          <h2>Logboek CSV-downloads van deze periode</h2>
          <AuditLog events={props.exports} />
        </>
      )}
    </Layout>
  );
}
