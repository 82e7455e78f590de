import type { Period, SchoolYear } from '#shared/calendar.ts';
import { EXAMPLE_SCHOOL, EXAMPLE_STUDENT, EXAMPLE_VAK } from '#shared/digest/preview.ts';
import type { FormDefinition } from '#shared/forms/definition.ts';
import type { RequestRecord } from '#shared/model/requests.ts';
import { FormPage } from './form-page.tsx';

/**
 * The token the preview's form page is rendered with. It cannot be a link token (those are 43
 * characters), so the page's own links and its form lead nowhere; the route's policy also forbids
 * the form to post and the scripts to call out (routes/content.tsx).
 */
export const PREVIEW_TOKEN = 'voorbeeld';

/**
 * A form exactly as the WPB sees it: the observer's own page (FormPage), over a request for an
 * example student in the given period, nothing filled in yet.
 */
export function FormPreviewPage(props: { def: FormDefinition; year: SchoolYear; period: Period }) {
  const { def, year, period } = props;
  const request: RequestRecord = {
    schoolYear: year.id,
    studentNumber: 'VOORBEELD1',
    requestId: 'voorbeeld',
    formId: def.id,
    observerRole: 'wpb',
    observer: { name: 'Karin de Wit', email: 'k.dewit@voorbeeldschool.nl' },
    lessonDate: period.start,
    className: '2B',
    period: period.number,
    deadline: period.deadline,
    state: 'gevraagd',
    latestVersion: 0,
    linkId: 'voorbeeld',
    linkHash: 'voorbeeld',
    createdAt: `${period.start}T08:00:00Z`,
    origin: 'student',
    student: { ...EXAMPLE_STUDENT },
    school: EXAMPLE_SCHOOL,
    vak: EXAMPLE_VAK,
  };
  return <FormPage token={PREVIEW_TOKEN} request={request} def={def} attachments={[]} editable={true} answers={{}} />;
}
