import { formatDutchDate, formatDutchInstant, periodLabel } from '#shared/calendar.ts';
import { AnswersView, FORM_CSS } from '#shared/forms/render.tsx';
import { OBSERVER_LABELS_SHORT } from '#shared/overview/labels.ts';
import type { SubmissionPageData } from '#shared/usecases/overview.ts';
import { Layout } from '#shared/web/layout.tsx';
import { AttachmentItems } from './attachment-list.tsx';
import { AuditLog } from './overview-parts.tsx';

/** A submitted form as staff read it: the answers of one version, the attachments, every version and the log. */
export function SubmissionPage(props: SubmissionPageData) {
  const { request, def, version, versions } = props;
  const base = `/overzicht/formulier/${request.schoolYear}/${request.studentNumber}/${request.requestId}`;
  return (
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
      <p>
        <a href={`${base}.pdf?versie=${version.version}`}>Download als pdf</a>
      </p>
      <AnswersView def={def} answers={version.answers} />
      <h2>Bijlagen</h2>
      <AttachmentItems attachments={props.attachments} href={(a) => `/overzicht/bijlage/${request.schoolYear}/${request.studentNumber}/${request.requestId}/${a.id}`} />
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
      <AuditLog events={props.events} />
      <p>
        <a href={`/overzicht/student/${request.schoolYear}/${request.studentNumber}`}>Alles van {request.student.name}, met het logboek van de student</a>
      </p>
    </Layout>
  );
}
