import { ROSTER_MAX_BYTES } from '#shared/usecases/roster.ts';
import { Layout } from '#shared/web/layout.tsx';

/** The style of the roster pages (upload, preview, done). */
export const ROSTER_CSS = `
main { max-width: 64rem; }
.counts { display: flex; flex-wrap: wrap; gap: 1rem; padding: 0; list-style: none; }
.counts li { background: #fff; border: 1px solid var(--line); border-radius: .3rem; padding: .5rem 1rem; }
.counts strong { display: block; font-size: 1.4rem; }
.problems li { margin: .25rem 0; }
table { font-size: .95rem; }
`;

/** The file field and its button; on the upload page and again under a refused file's problems. */
export function RosterUploadForm() {
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

/** `/beheer/rooster`: what a roster file looks like, and the form to upload one. */
export function RosterUploadPage(props: { error?: string }) {
  return (
    <Layout title="Rooster beheren" extraCss={ROSTER_CSS}>
      <p>
        <a href="/overzicht">Naar het overzicht</a> · <a href="/beheer/formulieren">Formulieren beheren</a> · <a href="/beheer/schooljaren">Schooljaren beheren</a>
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
      <RosterUploadForm />
    </Layout>
  );
}
