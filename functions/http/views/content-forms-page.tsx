import type { FormListEntry } from '#shared/usecases/content.ts';
import { Layout } from '#shared/web/layout.tsx';
import { byWhomWhen, CONTENT_CSS, FORM_AREA, WorkbookUploadForm } from './content-parts.tsx';

/** The path of a form version's workbook. */
export function formWorkbookPath(formId: string, version: number): string {
  return `/beheer/formulieren/${formId}/${version}.xlsx`;
}

/** The path of a form concept's page. */
export function formConceptPath(uploadId: string): string {
  return `/beheer/formulieren/concept/${uploadId}`;
}

/** `/beheer/formulieren`: every form and version, its state, who and when, the downloads, and the upload field. */
export function ContentFormsPage(props: { forms: readonly FormListEntry[]; error?: string }) {
  return (
    <Layout title="Formulieren beheren" extraCss={CONTENT_CSS}>
      <p>
        <a href="/overzicht">Naar het overzicht</a> · <a href="/beheer/schooljaren">Schooljaren beheren</a> · <a href="/beheer/rooster">Rooster uploaden</a>
      </p>
      <h1>Formulieren beheren</h1>
      <p>
        Elk formulier (de kijkwijzers, het advies, de feedback op experimenten) is een Excel-werkmap in XLSForm-vorm, met de bladen survey,
        choices en settings. Download de versie die u wilt aanpassen, wijzig hem in Excel en upload hem hier. U ziet eerst de wijzigingen en het
        formulier zoals de werkplekbegeleider het ziet; pas met Publiceren wordt het de nieuwe versie.
      </p>
      <p class="muted">
        Gepubliceerde versies veranderen nooit. Nieuwe aanvragen krijgen de nieuwste versie; formulieren waaraan al begonnen is, houden hun
        versie.
      </p>
      {props.error && (
        <p class="error" role="alert">
          {props.error}
        </p>
      )}
      <h2>Werkmap uploaden</h2>
      <WorkbookUploadForm action={FORM_AREA.home} label="Formulier" />
      <h2>Formulieren en versies</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Formulier</th>
            <th scope="col" class="nowrap">Versie</th>
            <th scope="col">Status</th>
            <th scope="col">Wie en wanneer</th>
            <th scope="col">Werkmap</th>
          </tr>
        </thead>
        <tbody>
          {props.forms.flatMap((form) => [
            ...[...form.versions].reverse().map((v) => (
              <tr data-form={form.formId} data-version={String(v.version)}>
                <th scope="row" data-label="Formulier">
                  {form.title}
                  <br />
                  <span class="muted">{form.formId}</span>
                </th>
                <td data-label="Versie">{v.version}</td>
                <td data-label="Status">
                  <span class="state state-ingediend">gepubliceerd</span> {v.origin === 'meegeleverd' ? 'meegeleverd' : `via upload (${v.fileName ?? 'werkmap'})`}
                </td>
                <td data-label="Wie en wanneer">{v.publishedAt && v.publishedBy ? byWhomWhen(v.publishedAt, v.publishedBy) : '—'}</td>
                <td data-label="Werkmap">
                  <a href={formWorkbookPath(form.formId, v.version)} download>
                    Download versie {v.version} (.xlsx)
                  </a>
                </td>
              </tr>
            )),
            ...form.concepts.map((concept) => (
              <tr data-form={form.formId} data-concept={concept.uploadId}>
                <th scope="row" data-label="Formulier">
                  {form.title}
                  <br />
                  <span class="muted">{form.formId}</span>
                </th>
                <td data-label="Versie">{concept.baseVersion + 1}</td>
                <td data-label="Status">
                  <span class="state state-concept">concept</span> {concept.fileName}
                </td>
                <td data-label="Wie en wanneer">{byWhomWhen(concept.uploadedAt, concept.uploadedBy)}</td>
                <td data-label="Werkmap">
                  <a href={formConceptPath(concept.uploadId)}>Bekijken en publiceren</a>
                </td>
              </tr>
            )),
          ])}
        </tbody>
      </table>
    </Layout>
  );
}
