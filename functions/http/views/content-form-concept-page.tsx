import { countOf } from '#shared/dutch.ts';
import { formItems } from '#shared/forms/definition.ts';
import type { FormConceptView } from '#shared/usecases/content.ts';
import { Layout } from '#shared/web/layout.tsx';
import { formConceptPath } from './content-forms-page.tsx';
import { byWhomWhen, CONTENT_CSS, FORM_AREA } from './content-parts.tsx';

const KIND_LABELS = { kijkwijzer: 'kijkwijzer', advies: 'advies', experiment: 'feedback op een experiment' } as const;

/**
 * A checked form workbook, before it is published: a summary, what it changes against the latest
 * version, the form as the WPB will see it (two frames of the preview page: desktop and a 390 px
 * phone), and Publiceren.
 */
export function ContentFormConceptPage(props: FormConceptView) {
  const { definition: def, changes } = props;
  const items = formItems(def);
  const questions = items.filter((item) => item.type !== 'note').length;
  const preview = `${formConceptPath(props.uploadId)}/voorbeeld`;
  return (
    <Layout title={`Concept: ${def.title}`} extraCss={CONTENT_CSS}>
      <p>
        <a href={FORM_AREA.home}>{FORM_AREA.homeLabel}</a>
      </p>
      <h1>
        Concept: {def.title}, versie {props.nextVersion}
      </h1>
      <p role="status" class="success">
        De werkmap is in orde. Er is nog niets gepubliceerd.
      </p>
      <ul>
        <li>
          Formulier: {def.id} ({KIND_LABELS[def.kind]}), wordt versie {props.nextVersion}
          {props.baseVersion > 0 ? ` (nu geldt versie ${props.baseVersion})` : ''}.
        </li>
        <li>
          {countOf(def.sections.length, 'onderdeel', 'onderdelen')}, {countOf(questions, 'vraag', 'vragen')}
          {items.length > questions ? `, ${countOf(items.length - questions, 'tekstblok', 'tekstblokken')}` : ''}.
        </li>
        <li>{def.draftContent ? 'Gemarkeerd als concept-inhoud (eigen woorden, nog niet de officiële tekst).' : 'Officiële tekst (niet gemarkeerd als concept-inhoud).'}</li>
        <li>
          Geüpload: {props.fileName}, {byWhomWhen(props.uploadedAt, props.uploadedBy)}.
        </li>
      </ul>
      <h2>Wijzigingen ten opzichte van versie {props.baseVersion}</h2>
      {props.baseVersion === 0 ? (
        <p>Dit is de eerste versie van dit formulier.</p>
      ) : changes.length === 0 ? (
        <p>Geen wijzigingen in de titel, de inleiding, de vragen of hun teksten.</p>
      ) : (
        <ul class="changes" aria-label="Wijzigingen">
          {changes.map((change) => (
            <li>{change}</li>
          ))}
        </ul>
      )}
      <h2>Voorbeeld: zo ziet de werkplekbegeleider het formulier</h2>
      <p class="muted">
        Met voorbeeldgegevens. In het voorbeeld kan niets worden verstuurd of opgeslagen.{' '}
        <a href={preview} target="_blank">
          Voorbeeld in een eigen venster openen
        </a>
      </p>
      <div class="frames">
        <figure class="frame frame-desktop">
          <figcaption>Op een computer</figcaption>
          <iframe src={preview} title={`Voorbeeld van ${def.title} op een computer`}></iframe>
        </figure>
        <figure class="frame frame-phone">
          <figcaption>Op een telefoon (390 pixels breed)</figcaption>
          <iframe src={preview} title={`Voorbeeld van ${def.title} op een telefoon`} width="390"></iframe>
        </figure>
      </div>
      <h2>Publiceren</h2>
      {props.outdated ? (
        <p class="error" role="alert">
          Intussen is er een andere versie van dit formulier gepubliceerd, dus dit concept kan niet meer worden gepubliceerd. Download de nieuwste
          versie, breng uw wijzigingen daarin aan en upload die.
        </p>
      ) : (
        <form method="post" action={`${formConceptPath(props.uploadId)}/publiceren`}>
          <p>
            Na publiceren krijgen nieuwe aanvragen versie {props.nextVersion}. Formulieren waaraan al begonnen is (ook opgeslagen concepten),
            houden hun eigen versie. Een gepubliceerde versie kan niet meer worden gewijzigd.
          </p>
          <div class="actions">
            <button type="submit">Publiceren</button>
            <a href={FORM_AREA.home}>Annuleren</a>
          </div>
        </form>
      )}
    </Layout>
  );
}
