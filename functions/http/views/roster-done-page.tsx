import type { ImportSummary } from '#shared/roster/import.ts';
import { Layout } from '#shared/web/layout.tsx';
import { ROSTER_CSS } from './roster-upload-page.tsx';

/** What a confirmed import did. */
export interface RosterDonePageProps {
  summary: ImportSummary;
  after: { welcomed: number; autoRequests: number };
  /** The parser's notes on the file (an encoding, duplicate rows). */
  notes: string[];
}

/** After a confirmation: what was imported and which emails went out. */
export function RosterDonePage(props: RosterDonePageProps) {
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
