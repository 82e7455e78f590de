import type { PlacementRecord } from '../../shared/model/placements.ts';
import { keys, requestKeys } from '../../shared/store/keys.ts';
import { type RequestRecord, type StudentLinkRecord } from '../../shared/model/requests.ts';

/**
 * Raw year-index items as DynamoDB returns them for `PlacementStore.yearItems`, built the way the
 * stores write them (keys, GSI keys, `entity`, then the record), so pure digest code can be tested
 * without the emulators.
 */

/** A placement item (PlacementStore.create / update). */
export function placementItem(record: PlacementRecord): Record<string, unknown> {
  return {
    ...keys.placement(record.schoolYear, record.studentNumber),
    ...keys.placementYearIndex(record.schoolYear, record.school, record.studentNumber),
    entity: 'placement',
    schoolYear: record.schoolYear,
    studentNumber: record.studentNumber,
    student: record.student,
    vak: record.vak,
    school: record.school,
    wpb: record.wpb,
    so: record.so,
    io: record.io,
    sco: record.sco,
    rev: record.rev,
    updatedAt: record.updatedAt,
  };
}

/** A request item (RequestStore.create, plus the GSI2 keys saveVersion adds once submitted), without attachments. */
export function requestItem(request: RequestRecord): Record<string, unknown> {
  return {
    ...requestKeys.request(request.schoolYear, request.studentNumber, request.requestId),
    ...requestKeys.requestYearIndex(request.schoolYear, request.school, request.studentNumber, request.requestId),
    ...(request.state === 'ingediend' ? requestKeys.periodIndex(request) : {}),
    entity: 'request',
    ...request,
    attachmentCount: 0,
  };
}

/** A student page link item (RequestStore.createStudentLink). */
export function studentLinkItem(record: StudentLinkRecord): Record<string, unknown> {
  return {
    ...requestKeys.studentLink(record.schoolYear, record.studentNumber),
    ...requestKeys.studentLinkYearIndex(record.schoolYear, record.school, record.studentNumber),
    entity: 'student-link',
    ...record,
  };
}

/** The items of a year in index order (by GSI1SK), as one Query would return them. */
export function yearItems(parts: {
  placements?: readonly PlacementRecord[];
  requests?: readonly RequestRecord[];
  studentLinks?: readonly StudentLinkRecord[];
}): Record<string, unknown>[] {
  const items = [
    ...(parts.placements ?? []).map(placementItem),
    ...(parts.requests ?? []).map(requestItem),
    ...(parts.studentLinks ?? []).map(studentLinkItem),
  ];
  // DynamoDB orders sort keys by their bytes, not by locale.
  return items.sort((a, b) => Buffer.compare(Buffer.from(String(a.GSI1SK)), Buffer.from(String(b.GSI1SK))));
}
