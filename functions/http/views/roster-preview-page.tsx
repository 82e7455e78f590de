import { formatProblem, type RosterParseResult } from '#shared/roster/parse.ts';
import { ROSTER_UPLOAD_VALID_HOURS } from '#shared/model/roster-uploads.ts';
import type { PreviewRow } from '#shared/usecases/roster.ts';
import { Layout } from '#shared/web/layout.tsx';
import { ROSTER_CSS, RosterUploadForm } from './roster-upload-page.tsx';

/** How many rows the preview shows. */
const PREVIEW_ROWS = 10;

/** A checked roster file: its problems, or what confirming it would do. */
export interface RosterPreviewPageProps {
  fileName: string;
  /** The file's size in bytes. */
  size: number;
  parsed: RosterParseResult;
  /** What the import would do, row by row (a good file). */
  rows?: PreviewRow[];
  /** The id to confirm the stored file with; without it the page offers no confirmation. */
  uploadId?: string;
}

function kilobytes(size: number): string {
  return `${Math.max(1, Math.round(size / 1024)).toLocaleString('nl-NL')} kB`;
}

/** The preview of an uploaded roster file, before anything is stored. */
export function RosterPreviewPage(props: RosterPreviewPageProps) {
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
          <RosterUploadForm />
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
          {props.uploadId && (
            <form method="post" action="/beheer/rooster/bevestigen">
              <input type="hidden" name="upload" value={props.uploadId} />
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
