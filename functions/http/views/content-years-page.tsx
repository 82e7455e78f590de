import type { YearListEntry } from '#shared/usecases/content.ts';
import { Layout } from '#shared/web/layout.tsx';
import { byWhomWhen, CONTENT_CSS, WorkbookUploadForm, YEAR_AREA } from './content-parts.tsx';

/** The path of a school year's workbook, as it applies now. */
export function yearWorkbookPath(yearId: string): string {
  return `/beheer/schooljaren/${yearId}.xlsx`;
}

/** The path of a school-year concept's page. */
export function yearConceptPath(uploadId: string): string {
  return `/beheer/schooljaren/concept/${uploadId}`;
}

/** `/beheer/schooljaren`: every school year (voorlopig or definitief), its version, who and when, the downloads, and the upload field. */
export function ContentYearsPage(props: { years: readonly YearListEntry[]; error?: string }) {
  return (
    <Layout title="Schooljaren beheren" extraCss={CONTENT_CSS}>
      <p>
        <a href="/overzicht">Naar het overzicht</a> · <a href="/beheer/formulieren">Formulieren beheren</a> · <a href="/beheer/rooster">Rooster uploaden</a>
      </p>
      <h1>Schooljaren beheren</h1>
      <p>
        Een schooljaar is een Excel-werkmap met de bladen schooljaar (de stage en de kijkwijzers), periodes (begin, einde en deadline van OP1
        tot en met OP4, en welke formulieren automatisch worden gevraagd) en taken (per rol en periode, met de bron). Download een schooljaar,
        pas het aan of maak er een nieuw schooljaar van, en upload het hier. U ziet eerst de wijzigingen en wat elke rol in het weekoverzicht
        krijgt; pas met Publiceren geldt het, vanaf de volgende aanvraag en het volgende weekoverzicht.
      </p>
      {props.error && (
        <p class="error" role="alert">
          {props.error}
        </p>
      )}
      <h2>Werkmap uploaden</h2>
      <WorkbookUploadForm action={YEAR_AREA.home} label="Schooljaar" />
      <h2>Schooljaren</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Schooljaar</th>
            <th scope="col">Status</th>
            <th scope="col" class="nowrap">Versie</th>
            <th scope="col">Wie en wanneer</th>
            <th scope="col">Werkmap</th>
          </tr>
        </thead>
        <tbody>
          {props.years.flatMap((year) => [
            ...(year.version > 0
              ? [
                  <tr data-year={year.yearId} data-version={String(year.version)}>
                    <th scope="row" data-label="Schooljaar">
                      {year.yearId}
                    </th>
                    <td data-label="Status">
                      <span class={year.status === 'voorlopig' ? 'badge' : 'state state-ingediend'}>{year.status}</span>
                    </td>
                    <td data-label="Versie">
                      {year.version} ({year.origin === 'meegeleverd' ? 'meegeleverd' : `via upload: ${year.fileName ?? 'werkmap'}`})
                      {year.versions.length > 1 && (
                        <>
                          <br />
                          <span class="muted">eerdere versies: {year.versions.slice(0, -1).map((v) => v.version).join(', ')}</span>
                        </>
                      )}
                    </td>
                    <td data-label="Wie en wanneer">{year.publishedAt && year.publishedBy ? byWhomWhen(year.publishedAt, year.publishedBy) : '—'}</td>
                    <td data-label="Werkmap">
                      <a href={yearWorkbookPath(year.yearId)} download>
                        Download {year.yearId} (.xlsx)
                      </a>
                    </td>
                  </tr>,
                ]
              : []),
            ...year.concepts.map((concept) => (
              <tr data-year={year.yearId} data-concept={concept.uploadId}>
                <th scope="row" data-label="Schooljaar">
                  {year.yearId}
                </th>
                <td data-label="Status">
                  <span class="state state-concept">concept</span>
                </td>
                <td data-label="Versie">
                  wordt versie {concept.baseVersion + 1} ({concept.fileName})
                </td>
                <td data-label="Wie en wanneer">{byWhomWhen(concept.uploadedAt, concept.uploadedBy)}</td>
                <td data-label="Werkmap">
                  <a href={yearConceptPath(concept.uploadId)}>Bekijken en publiceren</a>
                </td>
              </tr>
            )),
          ])}
        </tbody>
      </table>
    </Layout>
  );
}
