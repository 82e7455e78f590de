import { DomainError } from '../errors.ts';
import type { Placement, PlacementRole } from '../roster/placement.ts';

/** A stored placement: the placement plus its revision and when it last changed. */
export interface PlacementRecord extends Placement {
  rev: number;
  updatedAt: string;
}

/** A person's role on one placement, as found through the person index. */
export interface Membership {
  email: string;
  name: string;
  role: PlacementRole;
  schoolYear: string;
  studentNumber: string;
  studentName: string;
  school: string;
}

/** Someone else changed the placement between read and write; the caller may retry. */
export class PlacementConflictError extends DomainError {
  constructor(studentNumber: string) {
    super(`De plaatsing van student ${studentNumber} is tegelijk door iemand anders gewijzigd; probeer het opnieuw.`, 409);
  }
}
