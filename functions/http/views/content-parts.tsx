import { formatDutchInstant } from '#shared/calendar.ts';
import { countOf } from '#shared/dutch.ts';
import { formatProblem, WORKBOOK_MAX_BYTES, type SheetProblem } from '#shared/xlsx/workbook.ts';
import { Layout } from '#shared/web/layout.tsx';

/**
 * The parts the content pages share (`/beheer/formulieren`, `/beheer/schooljaren`): their style,
 * the upload form, the list of a refused workbook's problems, and the pages after an upload or a
 * publication that are the same for forms and school years.
 */

/** The style of the content pages: wider than the default page, for tables and the preview frames. */
export const CONTENT_CSS = `
main, footer { max-width: 72rem; }
.problems li { margin: .25rem 0; }
.changes li { margin: .15rem 0; }
table { font-size: .95rem; }
.frames { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
.frame { margin: 0; }
.frame figcaption { font-weight: 600; margin: 0 0 .25rem; }
.frame iframe { display: block; box-sizing: content-box; border: 2px solid var(--line); border-radius: .3rem; background: #fafafa; }
.frame-desktop { flex: 1 1 40rem; min-width: 0; }
.frame-desktop iframe { width: calc(100% - 4px); height: 56rem; }
.frame-phone { max-width: 100%; }
.frame-phone iframe { width: 390px; max-width: calc(100% - 4px); height: 844px; }
.digest { background: #fff; border: 1px solid var(--line); border-radius: .3rem; padding: .5rem 1rem; margin: 1rem 0; }
#maandag { width: auto; min-width: 12rem; }
.nowrap { white-space: nowrap; overflow-wrap: normal; }
details { margin: .5rem 0; }
details summary { cursor: pointer; font-weight: 600; }
details h3 { font-size: 1rem; margin: .75rem 0 .25rem; }
.digest pre { white-space: pre-wrap; overflow-wrap: anywhere; font: inherit; font-size: .95rem; margin: .5rem 0; }
`;

/** "2 MB": the upload limit as people read it. */
export const WORKBOOK_LIMIT_TEXT = `${WORKBOOK_MAX_BYTES / 1024 / 1024} MB`;

/** The file field and its button: where a workbook is uploaded to be checked. */
export function WorkbookUploadForm(props: { action: string; label: string }) {
  return (
    <form method="post" action={props.action} enctype="multipart/form-data">
      <label for="bestand">
        {props.label} (Excel-werkmap .xlsx, hooguit {WORKBOOK_LIMIT_TEXT})
      </label>
      <input type="file" id="bestand" name="bestand" accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required />
      <div class="actions">
        <button type="submit">Controleren</button>
      </div>
      <p class="muted">U ziet eerst wat er verandert en een voorbeeld; er wordt pas iets gepubliceerd als u op Publiceren klikt.</p>
    </form>
  );
}

/** When and by whom, as the lists show it: "maandag 3 november 2025 om 09:00, door a@b.nl". */
export function byWhomWhen(at: string, by: string): string {
  return `${formatDutchInstant(at, { time: 'minute' })}, door ${by}`;
}

/** Where a kind of content is managed, for the pages that are the same for both. */
export interface ContentArea {
  /** `/beheer/formulieren` or `/beheer/schooljaren`. */
  home: string;
  /** "formulieren beheren". */
  homeLabel: string;
  /** What the upload field asks for: "Formulier" or "Schooljaar". */
  uploadLabel: string;
}

/** The two content areas. */
export const FORM_AREA: ContentArea = { home: '/beheer/formulieren', homeLabel: 'Terug naar formulieren beheren', uploadLabel: 'Formulier' };
export const YEAR_AREA: ContentArea = { home: '/beheer/schooljaren', homeLabel: 'Terug naar schooljaren beheren', uploadLabel: 'Schooljaar' };

/** A refused workbook (422): every problem as "blad …, rij …, kolom …: …", nothing stored, and the upload form again. */
export function WorkbookProblemsPage(props: { area: ContentArea; fileName: string; problems: readonly SheetProblem[] }) {
  const { problems } = props;
  return (
    <Layout title="Werkmap niet in orde" extraCss={CONTENT_CSS}>
      <p>
        <a href={props.area.home}>{props.area.homeLabel}</a>
      </p>
      <h1>Werkmap niet in orde</h1>
      <div class="error" role="alert">
        <h2>
          Niets opgeslagen: {countOf(problems.length, 'probleem', 'problemen')} in {props.fileName}
        </h2>
        <p>Verbeter de werkmap en upload hem opnieuw. Er is niets opgeslagen en niets gepubliceerd.</p>
      </div>
      <ol class="problems" aria-label="Problemen">
        {problems.map((problem) => (
          <li>{formatProblem(problem)}</li>
        ))}
      </ol>
      <h2>Opnieuw uploaden</h2>
      <WorkbookUploadForm action={props.area.home} label={props.area.uploadLabel} />
    </Layout>
  );
}

/** A publication that came too late (409): someone else was first, or the concept is gone. */
export function ContentConflictPage(props: { area: ContentArea; message: string }) {
  return (
    <Layout title="Niet gepubliceerd" extraCss={CONTENT_CSS}>
      <h1>Niet gepubliceerd</h1>
      <p class="error" role="alert">
        {props.message}
      </p>
      <p>Er is niets gepubliceerd. Bekijk de huidige versies en upload uw werkmap zo nodig opnieuw.</p>
      <p>
        <a href={props.area.home}>{props.area.homeLabel}</a>
      </p>
    </Layout>
  );
}

/** After a publication: what is live now, and for whom. */
export function ContentPublishedPage(props: { area: ContentArea; heading: string; lines: readonly string[] }) {
  return (
    <Layout title={props.heading} extraCss={CONTENT_CSS}>
      <h1>{props.heading}</h1>
      <div class="success" role="status">
        {props.lines.map((line) => (
          <p>{line}</p>
        ))}
      </div>
      <p>
        <a href={props.area.home}>{props.area.homeLabel}</a> · <a href="/overzicht">Naar het overzicht</a>
      </p>
    </Layout>
  );
}
