import { Hono } from 'hono';
import type { MiddlewareHandler } from 'hono';
import { schoolYears } from '#shared/calendar.ts';
import { DomainError, ValidationError } from '#shared/errors.ts';
import { formTitle } from '#forms/index.ts';
import { afterImport } from '#shared/requests.ts';
import { importPlacements, type ImportSummary } from '#shared/roster/import.ts';
import { formatProblem, parseRoster, type RosterParseResult } from '#shared/roster/parse.ts';
import { emailKey, samePlacement, type Placement, type StaffRole } from '#shared/roster/placement.ts';
import {
  ROSTER_UPLOAD_VALID_HOURS,
  RosterUploadChangedError,
  type PendingRosterUpload,
  type RosterUploadStore,
} from '#shared/roster/upload-store.ts';
import type { PlacementRecord } from '#shared/store/placements.ts';
import { Layout } from '#shared/web/layout.tsx';
import type { AppEnv } from '../env.ts';
import { ForbiddenError, loadSession, requireStaff } from '../session.ts';
import { BODY_LIMITS, readForm } from '../body.ts';

// The roster routes need one dependency of their own. It is declared here, next to its only
// user, so that the app module only mounts these routes; buildDeps and the test deps provide it.
/** The largest roster file accepted: a roster of a few hundred students is tens of kilobytes. */
export const ROSTER_MAX_BYTES = 2 * 1024 * 1024;

/** How many rows the preview shows. */
const PREVIEW_ROWS = 10;

/** Roster management for admins (coordinators): upload, preview, confirm. Mounted at /beheer. */
export const rosterRoutes = new Hono<AppEnv>();

/** Signed in as an admin from ADMIN_EMAILS; any other staff member gets a 403. */
const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!c.get('staff')?.scope.admin) throw new ForbiddenError('Alleen coördinatoren (beheerders) kunnen het rooster beheren.');
  await next();
};

rosterRoutes.use(loadSession, requireStaff, requireAdmin);

/** A roster file above {@link ROSTER_MAX_BYTES}. */
export class RosterTooLargeError extends DomainError {
  constructor() {
    super(`Het bestand is groter dan ${ROSTER_MAX_BYTES / 1024 / 1024} MB. Een rooster is een CSV-bestand van hooguit enkele honderden kilobytes; controleer of u het goede bestand kiest.`, 413);
  }
}

/** A confirmation of an upload that was imported already, or never existed. */
export class RosterUploadGoneError extends DomainError {
  constructor(message = 'Dit rooster is al verwerkt, of de upload bestaat niet (meer). Er is nu niets geïmporteerd. Upload het bestand opnieuw als u het nog eens wilt importeren.') {
    super(message, 410);
  }
}

rosterRoutes.get('/rooster', (c) => c.html(<UploadPage />));

/** The 400 for a roster form whose body cannot be read. */
const UNREADABLE = 'Het formulier kon niet worden gelezen. Laad de pagina opnieuw en kies het bestand nog eens.';

// Bodies are read only here, after the session and the role (above): the file and its multipart
// framing within the limit, anything larger refused unread (on AWS the function URL caps it at 6 MB).
rosterRoutes.post('/rooster', readForm(ROSTER_MAX_BYTES + 64 * 1024, { tooLarge: () => new RosterTooLargeError(), unreadable: UNREADABLE }), async (c) => {
  const body = await c.req.parseBody();
  const file = body.bestand;
  if (!(file instanceof File) || file.size === 0) {
    return c.html(<UploadPage error="Kies een rooster (CSV-bestand) om te uploaden." />, 400);
  }
  if (file.size > ROSTER_MAX_BYTES) throw new RosterTooLargeError();

  const deps = c.get('deps');
  const bytes = new Uint8Array(await file.arrayBuffer());
  const parsed = parseRoster(bytes, { knownYears: schoolYears.map((y) => y.id) });
  const name = file.name || 'rooster.csv';
  if (!parsed.ok) return c.html(<PreviewPage fileName={name} size={file.size} parsed={parsed} />, 422);

  // Only reads: what the import would do, row by row.
  const existing = await deps.placements.getMany(parsed.placements);
  const rows = parsed.placements.map((placement) => classify(placement, existing.get(`${placement.schoolYear}#${placement.studentNumber}`)));
  const upload = await deps.rosterUploads.put(bytes, c.get('staff')!.email, deps.clock.now());
  return c.html(<PreviewPage fileName={name} size={file.size} parsed={parsed} rows={rows} upload={upload} />);
});

rosterRoutes.post('/rooster/bevestigen', readForm(BODY_LIMITS.staffForm, { unreadable: UNREADABLE }), async (c) => {
  const body = await c.req.parseBody();
  const id = typeof body.upload === 'string' ? body.upload : '';
  if (id === '') throw new ValidationError('Er is geen rooster om te bevestigen. Upload het bestand opnieuw.');
  const deps = c.get('deps');
  const staff = c.get('staff')!;
  const claimed = await deps.rosterUploads.claim(id, staff.email, deps.clock.now());
  if (claimed === 'gone') throw new RosterUploadGoneError();
  if (claimed === 'expired') {
    throw new RosterUploadGoneError(`De controle van dit rooster is verlopen (na ${ROSTER_UPLOAD_VALID_HOURS} uur). Er is niets geïmporteerd; upload het bestand opnieuw.`);
  }
  if (claimed === 'not-yours') throw new ForbiddenError('Dit rooster is door een andere beheerder geüpload; alleen die kan het bevestigen.');

  let result: { parsed: RosterParseResult; summary?: ImportSummary; after?: { welcomed: number; autoRequests: number } };
  try {
    const bytes = await deps.rosterUploads.read(claimed);
    // Parsed again from the stored bytes: the browser only ever sends the upload's id.
    const parsed = parseRoster(bytes, { knownYears: schoolYears.map((y) => y.id) });
    result = { parsed };
    if (parsed.ok) {
      result.summary = await importPlacements(deps.placements, parsed.placements, deps.clock.now().toString());
      result.after = await afterImport(deps, parsed.placements, formTitle);
    }
  } catch (error) {
    if (error instanceof RosterUploadChangedError) {
      await removeQuietly(deps.rosterUploads, claimed);
      throw new DomainError('Het bestand is na de controle gewijzigd en is daarom niet geïmporteerd. Upload het opnieuw.', 409);
    }
    // Nothing or only part was written; the import is idempotent, so the owner may simply confirm again.
    await deps.rosterUploads.release(claimed).catch(() => undefined);
    throw error;
  }
  await removeQuietly(deps.rosterUploads, claimed);
  if (!result.parsed.ok || !result.summary || !result.after) {
    // Only when the calendar data changed between preview and confirmation.
    return c.html(<PreviewPage fileName="rooster.csv" size={claimed.size} parsed={result.parsed} />, 409);
  }
  return c.html(<DonePage summary={result.summary} after={result.after} notes={result.parsed.notes} />);
});

async function removeQuietly(store: RosterUploadStore, upload: PendingRosterUpload): Promise<void> {
  try {
    await store.remove(upload);
  } catch (error) {
    // The bucket's lifecycle rule removes what is left under roster-uploads/ after a day.
    console.error(JSON.stringify({ level: 'error', msg: 'roster upload not removed', error: String((error as Error).name) }));
  }
}

/** What the import would do with one row. */
interface PreviewRow {
  placement: Placement;
  status: 'nieuw' | 'gewijzigd' | 'ongewijzigd';
  /** The roster columns that change, for a changed row. */
  changes: string[];
}

const PERSON_COLUMNS: Record<'student' | StaffRole, string> = { student: 'student', wpb: 'wpb', so: 'so', io: 'io', sco: 'sco' };

function classify(placement: Placement, previous: PlacementRecord | undefined): PreviewRow {
  if (!previous) return { placement, status: 'nieuw', changes: [] };
  if (samePlacement(previous, placement)) return { placement, status: 'ongewijzigd', changes: [] };
  const changes: string[] = [];
  if (previous.vak !== placement.vak) changes.push('vak');
  if (previous.school !== placement.school) changes.push('school');
  for (const [role, column] of Object.entries(PERSON_COLUMNS) as [keyof typeof PERSON_COLUMNS, string][]) {
    if (previous[role].name !== placement[role].name) changes.push(`${column}_naam`);
    if (emailKey(previous[role].email) !== emailKey(placement[role].email)) changes.push(`${column}_email`);
  }
  return { placement, status: 'gewijzigd', changes };
}

const ROSTER_CSS = `
main { max-width: 64rem; }
.counts { display: flex; flex-wrap: wrap; gap: 1rem; padding: 0; list-style: none; }
.counts li { background: #fff; border: 1px solid var(--line); border-radius: .3rem; padding: .5rem 1rem; }
.counts strong { display: block; font-size: 1.4rem; }
.problems li { margin: .25rem 0; }
table { font-size: .95rem; }
`;

function kilobytes(size: number): string {
  return `${Math.max(1, Math.round(size / 1024)).toLocaleString('nl-NL')} kB`;
}

function UploadForm() {
  return (
    <form method="post" action="/beheer/rooster" enctype="multipart/form-data">
      <label for="bestand">Rooster (CSV-bestand, hooguit {ROSTER_MAX_BYTES / 1024 / 1024} MB)</label>
      <input type="file" id="bestand" name="bestand" accept=".csv,text/csv" required />
      <div class="actions">
        <button type="submit">Controleren</button>
      </div>
    </form>
  );
}

function UploadPage(props: { error?: string }) {
  return (
    <Layout title="Rooster beheren" extraCss={ROSTER_CSS}>
      <p>
        <a href="/overzicht">Naar het overzicht</a>
      </p>
      <h1>Rooster beheren</h1>
      <p>
        Upload het rooster als CSV-bestand met een kopregel, gescheiden door ; of , (zoals Excel het opslaat). U ziet eerst wat er zou
        veranderen en welke regels fouten bevatten; er wordt pas iets opgeslagen als u bevestigt.
      </p>
      <p class="muted">
        Kolommen: schooljaar, studentnummer, student_naam, student_email, vak, school, wpb_naam, wpb_email, so_naam, so_email, io_naam,
        io_email, sco_naam, sco_email.
      </p>
      {props.error && (
        <p class="error" role="alert">
          {props.error}
        </p>
      )}
      <UploadForm />
    </Layout>
  );
}

function PreviewPage(props: { fileName: string; size: number; parsed: RosterParseResult; rows?: PreviewRow[]; upload?: PendingRosterUpload }) {
  const { parsed, rows = [] } = props;
  const count = (status: PreviewRow['status']) => rows.filter((r) => r.status === status).length;
  const changed = rows.filter((r) => r.status === 'gewijzigd');
  return (
    <Layout title="Rooster controleren" extraCss={ROSTER_CSS}>
      <p>
        <a href="/beheer/rooster">Terug naar rooster beheren</a>
      </p>
      <h1>Rooster controleren</h1>
      <p>
        Bestand: {props.fileName} ({kilobytes(props.size)}).
      </p>
      {parsed.notes.length > 0 && (
        <div class="notice">
          <h2>Let op</h2>
          <ul>
            {parsed.notes.map((note) => (
              <li>{note}</li>
            ))}
          </ul>
        </div>
      )}
      {!parsed.ok ? (
        <>
          <div class="error" role="alert">
            <h2>
              Niets geïmporteerd: {parsed.problems.length} {parsed.problems.length === 1 ? 'probleem' : 'problemen'}
            </h2>
            <p>Verbeter het bestand en upload het opnieuw. Er is niets opgeslagen.</p>
          </div>
          <ol class="problems" aria-label="Problemen">
            {parsed.problems.map((problem) => (
              <li data-line={String(problem.line)}>{formatProblem(problem)}</li>
            ))}
          </ol>
          <h2>Opnieuw uploaden</h2>
          <UploadForm />
        </>
      ) : (
        <>
          <p role="status">Het bestand is in orde: {rows.length} {rows.length === 1 ? 'plaatsing' : 'plaatsingen'}. Bij bevestigen gebeurt het volgende:</p>
          <ul class="counts">
            <li data-count="nieuw">
              <strong>{count('nieuw')}</strong> nieuw
            </li>
            <li data-count="gewijzigd">
              <strong>{count('gewijzigd')}</strong> gewijzigd
            </li>
            <li data-count="ongewijzigd">
              <strong>{count('ongewijzigd')}</strong> ongewijzigd
            </li>
          </ul>
          <p class="muted">
            Nieuwe studenten krijgen een welkomstmail met de link naar hun pagina; de automatische aanvragen van de huidige periode worden
            verstuurd.
          </p>
          {changed.length > 0 && (
            <>
              <h2>Gewijzigde plaatsingen</h2>
              <ul>
                {changed.map((r) => (
                  <li>
                    {r.placement.studentNumber} {r.placement.student.name} ({r.placement.schoolYear}): {r.changes.join(', ')}
                  </li>
                ))}
              </ul>
            </>
          )}
          <h2>{rows.length > PREVIEW_ROWS ? `De eerste ${PREVIEW_ROWS} regels` : 'De regels'}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">Schooljaar</th>
                <th scope="col">Student</th>
                <th scope="col">Vak en school</th>
                <th scope="col">WPB</th>
                <th scope="col">IO</th>
                <th scope="col">Wat er gebeurt</th>
              </tr>
            </thead>
            <tbody>
              {rows.slice(0, PREVIEW_ROWS).map((r) => (
                <tr data-student={r.placement.studentNumber}>
                  <td>{r.placement.schoolYear}</td>
                  <td>
                    {r.placement.student.name}
                    <br />
                    <span class="muted">{r.placement.studentNumber}</span>
                  </td>
                  <td>
                    {r.placement.vak}
                    <br />
                    <span class="muted">{r.placement.school}</span>
                  </td>
                  <td>{r.placement.wpb.name}</td>
                  <td>{r.placement.io.name}</td>
                  <td>{r.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {props.upload && (
            <form method="post" action="/beheer/rooster/bevestigen">
              <input type="hidden" name="upload" value={props.upload.id} />
              <div class="actions">
                <button type="submit">Bevestigen</button>
                <a href="/beheer/rooster">Annuleren</a>
              </div>
              <p class="muted">U kunt dit tot {ROSTER_UPLOAD_VALID_HOURS} uur na het uploaden bevestigen.</p>
            </form>
          )}
        </>
      )}
    </Layout>
  );
}

function DonePage(props: { summary: ImportSummary; after: { welcomed: number; autoRequests: number }; notes: string[] }) {
  const { summary, after } = props;
  return (
    <Layout title="Rooster geïmporteerd" extraCss={ROSTER_CSS}>
      <h1>Rooster geïmporteerd</h1>
      <p class="success" role="status">
        Het rooster is geïmporteerd: {summary.created} nieuw, {summary.updated} gewijzigd, {summary.unchanged} ongewijzigd.
      </p>
      <ul>
        <li>{after.welcomed === 1 ? '1 welkomstmail verstuurd' : `${after.welcomed} welkomstmails verstuurd`}.</li>
        <li>{after.autoRequests === 1 ? '1 automatische aanvraag verstuurd' : `${after.autoRequests} automatische aanvragen verstuurd`}.</li>
      </ul>
      {props.notes.length > 0 && (
        <ul>
          {props.notes.map((note) => (
            <li>{note}</li>
          ))}
        </ul>
      )}
      <p>
        <a href="/overzicht">Naar het overzicht</a> · <a href="/beheer/rooster">Nog een rooster uploaden</a>
      </p>
    </Layout>
  );
}
