import { emailKey } from '../roster/placement.ts';

/** Key builders for the single table (see README, Data model). One place, so keys never drift. */
export const keys = {
  placement: (schoolYear: string, studentNumber: string) => ({
    PK: `PLC#${schoolYear}#${studentNumber}`,
    SK: 'PLACEMENT',
  }),
  placementPartition: (schoolYear: string, studentNumber: string) => `PLC#${schoolYear}#${studentNumber}`,
  history: (schoolYear: string, studentNumber: string, at: string, rev: number) => ({
    PK: `PLC#${schoolYear}#${studentNumber}`,
    SK: `HIST#${at}#${String(rev).padStart(6, '0')}`,
  }),
  yearIndex: (schoolYear: string) => `YEAR#${schoolYear}`,
  yearIndexSort: (school: string, studentNumber: string) => `SCHOOL#${school}#${studentNumber}`,
  schoolPrefix: (school: string) => `SCHOOL#${school}#`,
  membership: (email: string, role: string, schoolYear: string, studentNumber: string) => ({
    PK: `PERSON#${emailKey(email)}`,
    SK: `ROLE#${role}#${schoolYear}#${studentNumber}`,
  }),
  personPartition: (email: string) => `PERSON#${emailKey(email)}`,
};
