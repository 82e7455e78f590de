import { formatDutchInstant } from '../calendar.ts';
import { CONCERN_NEXT_STEPS, CONCERN_ROLE_LABELS, type ConcernRecord } from '../model/concerns.ts';
import type { Person } from '../roster/placement.ts';
import { renderEmail } from './templates.ts';

/** The emails of a concern about a student's progress (docs/workflow.md, "Concerns about progress"). */

/** Who is told of a new concern: the placement's SO, IO and SCO. */
export type ConcernReaderRole = 'so' | 'io' | 'sco';

/** Each reader role in a sentence. */
const READER_LABELS: Record<ConcernReaderRole, string> = {
  so: 'schoolopleider (SO)',
  io: 'instituutsopleider (IO)',
  sco: 'schoolcoördinator (SCO)',
};

/** Who raised it, in a sentence. */
const RAISER_LABELS = {
  wpb: 'de werkplekbegeleider (WPB)',
  so: 'de schoolopleider (SO)',
  io: 'de instituutsopleider (IO)',
  sco: 'de schoolcoördinator (SCO)',
} as const;

/** The staff page of a student, opened after signing in (`/overzicht/student/<year>/<nr>`). */
export function staffStudentUrl(deps: { publicOrigin: string }, placement: { schoolYear: string; studentNumber: string }): string {
  const path = [placement.schoolYear, placement.studentNumber].map(encodeURIComponent).join('/');
  return `${deps.publicOrigin}/overzicht/student/${path}`;
}

/**
 * The email that tells the SO, the IO or the SCO of a placement that a concern about the student's
 * progress was raised: the student, who raised it and when, the reason (its line breaks kept), what
 * happens next, and the link to the student's page, where the steps are recorded after signing in.
 */
export function concernRaisedEmail(deps: { publicOrigin: string }, input: { concern: ConcernRecord; reader: Person; role: ConcernReaderRole }) {
  const { concern, reader, role } = input;
  const { student, raisedBy } = concern;
  const when = formatDutchInstant(concern.raisedAt, { time: 'minute' });
  return renderEmail({
    to: reader.email,
    subject: `Zorg over de voortgang van ${student.name}`,
    greeting: `Beste ${reader.name},`,
    paragraphs: [
      `${raisedBy.name}, ${RAISER_LABELS[raisedBy.role]}, heeft op ${when} een zorg gemeld over de voortgang van ${student.name} (${concern.vak}, ${concern.school}).`,
      'Leg elke stap vast op de pagina van de student, met de knop hieronder (na inloggen). Daar staat ook wie wat wanneer heeft vastgelegd.',
    ],
    list: [
      { label: 'Student', value: `${student.name} (${concern.studentNumber})` },
      { label: 'Gemeld door', value: `${raisedBy.name} (${CONCERN_ROLE_LABELS[raisedBy.role]}, ${raisedBy.email})` },
      { label: 'Reden', value: concern.reason },
    ],
    sections: [{ heading: 'Wat er nu gebeurt (handleiding werkplekleren)', items: CONCERN_NEXT_STEPS.map((text) => ({ text })) }],
    action: { label: 'Pagina van de student openen (na inloggen)', url: staffStudentUrl(deps, concern) },
    footer: `U krijgt deze e-mail als ${READER_LABELS[role]} van ${student.name} (${concern.vak}, ${concern.school}) bij werkplekleren N2 van Hogeschool Rotterdam.`,
  });
}
