import { placementInScope, type Staff } from '../auth/scope.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import type { ConcernRecord } from '../model/concerns.ts';
import { alreadyOpenError, closedError, Note, Reason, raiseFor, recordStepOn, staffConcernActor, Step, typed, type ConcernDeps } from './concerns.ts';
import { studentOverviewOf, type StudentOverview, type StudentOverviewDeps } from './overview.ts';

/*
 * The staff side of concerns about progress (docs/workflow.md, "Concerns about progress"), on the
 * student's page in the overview: a signed-in SO, IO or SCO in scope (a coordinator acts as SCO)
 * raises a concern or records one of the seed's steps. Apart from concerns.ts (the WPB's link
 * path) because a refused text shows the whole student page again, which only the staff group
 * loads.
 */

/** A concern id as `newRequestId` makes them, with room to spare; any other names no concern. */
const CONCERN_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** What the staff concern actions need: the concern ports and the student's page. */
export type StaffConcernDeps = ConcernDeps & StudentOverviewDeps;

/** A concern form the student's page shows again, with what was typed and why it was refused. */
export interface ConcernFormState {
  /** `nieuw`: the form to raise one; else the id of the concern whose step form it is. */
  target: string;
  values: { reden?: string; stap?: string; notitie?: string };
  errors: { reden?: string; notitie?: string };
}

/** What a staff member's concern action comes to. */
export type StaffConcernResult =
  | { kind: 'raised'; concern: ConcernRecord }
  | { kind: 'recorded'; concern: ConcernRecord }
  /** A replay (the same step by the same person within a minute): nothing changed. */
  | { kind: 'unchanged'; concern: ConcernRecord }
  /** 400: the text was refused; nothing stored, the student's page shows the form again with the message. */
  | { kind: 'invalid'; page: StudentOverview; form: ConcernFormState };

/**
 * A signed-in SO, IO or SCO (or a coordinator, as SCO) raises a concern on the student's page: the
 * scope first (404, 403), then the reason (the page again with a message; while one is open, that
 * page has no form to raise one: the 409 below instead), then the concern (409
 * when one is open already), the emails to the SO, IO and SCO (not to the person who raised it)
 * and the audit event.
 */
export async function raiseConcern(deps: StaffConcernDeps, input: { staff: Staff; schoolYear: string; studentNumber: string; reason: unknown }): Promise<StaffConcernResult> {
  const placement = placementInScope(input.staff, await deps.placements.get(input.schoolYear, input.studentNumber));
  const reason = Reason.safeParse(input.reason);
  if (!reason.success) {
    const page = await studentOverviewOf(deps, placement);
    // While one is open the page has no form to raise one, so nowhere to show the message: say why.
    if (page.concerns.some((c) => c.state === 'open')) throw await alreadyOpenError(deps, placement);
    const form = { target: 'nieuw', values: { reden: typed(input.reason) }, errors: { reden: reason.error.issues[0]!.message } };
    return { kind: 'invalid', page, form };
  }
  const concern = await raiseFor(deps, placement, staffConcernActor(input.staff, placement), reason.data, input.staff.email);
  return { kind: 'raised', concern };
}

/**
 * A signed-in SO, IO or SCO (or a coordinator, as SCO) records one of the seed's steps on a
 * concern, with an optional note: the scope (404, 403), the concern (404, also another student's
 * id), the step (400 for one not in the list), the note (the page again with a message; a closed
 * concern has no step form: its 409 instead); then as
 * {@link recordStepOn}: a replay changes nothing, a closed concern is a 409, `gesloten` closes it.
 */
export async function recordConcernStep(
  deps: StaffConcernDeps,
  input: { staff: Staff; schoolYear: string; studentNumber: string; concernId: string; step: unknown; note: unknown },
): Promise<StaffConcernResult> {
  const placement = placementInScope(input.staff, await deps.placements.get(input.schoolYear, input.studentNumber));
  // An id that no concern can have is looked up nowhere (a long one is no valid key: a 500 otherwise).
  const concern = CONCERN_ID.test(input.concernId) ? await deps.concerns.get(placement.schoolYear, placement.studentNumber, input.concernId) : undefined;
  if (!concern) throw new NotFoundError('Deze zorg bestaat niet bij deze student.');
  const step = Step.safeParse(input.step);
  if (!step.success) throw new ValidationError(step.error.issues[0]!.message);
  const note = Note.safeParse(input.note);
  if (!note.success) {
    // A closed concern has no step form to show the message at: say it is closed.
    if (concern.state === 'gesloten') throw closedError(concern);
    const form = { target: concern.concernId, values: { stap: step.data, notitie: typed(input.note) }, errors: { notitie: note.error.issues[0]!.message } };
    return { kind: 'invalid', page: await studentOverviewOf(deps, placement), form };
  }
  return recordStepOn(deps, placement, concern, { step: step.data, note: note.data, by: staffConcernActor(input.staff, placement), actor: input.staff.email });
}
