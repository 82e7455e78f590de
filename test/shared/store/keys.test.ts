import { describe, expect, it } from 'vitest';
import {
  auditKeys,
  contentKeys,
  keys,
  ledgerKeys,
  linkKeys,
  linkOwnerKeys,
  requestKeys,
  rosterUploadKeys,
  sessionKeys,
  signInBudgetKeys,
  signInKeys,
  suppressionKeys,
} from '../../../shared/store/keys.ts';

// Real data is stored under these keys: a change to any format here orphans it. The expected
// strings are written out, not derived, so a changed builder fails this test.

describe('the keys of the single table', () => {
  it('keep placements, their history and the person index where they are stored', () => {
    expect(keys.placement('2025-2026', '1012001')).toEqual({ PK: 'PLC#2025-2026#1012001', SK: 'PLACEMENT' });
    expect(keys.history('2025-2026', '1012001', '2025-09-01T08:00:00.000Z', 7)).toEqual({
      PK: 'PLC#2025-2026#1012001',
      SK: 'HIST#2025-09-01T08:00:00.000Z#000007',
    });
    expect(keys.yearIndex('2025-2026')).toBe('YEAR#2025-2026');
    expect(keys.yearIndexSort('HR', '1012001')).toBe('SCHOOL#HR#1012001');
    expect(keys.schoolPrefix('HR')).toBe('SCHOOL#HR#');
    expect(keys.placementYearIndex('2025-2026', 'HR', '1012001')).toEqual({ GSI1PK: 'YEAR#2025-2026', GSI1SK: 'SCHOOL#HR#1012001' });
    expect(keys.membership(' Wpb@School.NL ', 'wpb', '2025-2026', '1012001')).toEqual({
      PK: 'PERSON#wpb@school.nl',
      SK: 'ROLE#wpb#2025-2026#1012001',
    });
    expect(keys.membershipPrefix()).toBe('ROLE#');
    expect(keys.membershipPrefix('so')).toBe('ROLE#so#');
    expect(keys.membershipPrefix('so', '2025-2026')).toBe('ROLE#so#2025-2026#');
  });

  it('read a placement partition and tell the placement and history sort keys apart', () => {
    expect(keys.placementOf('PLC#2025-2026#1012001')).toEqual({ schoolYear: '2025-2026', studentNumber: '1012001' });
    expect(keys.isPlacementSort('PLACEMENT')).toBe(true);
    expect(keys.isPlacementSort('REQ#PLACEMENT')).toBe(false);
    expect(keys.isHistorySort('HIST#2025-09-01T08:00:00.000Z#000001')).toBe(true);
    expect(keys.isHistorySort('AUDIT#HIST#')).toBe(false);
  });

  it('keep requests, versions, attachments, uploads and student links in the placement partition', () => {
    expect(requestKeys.request('2025-2026', '1012001', 'r1')).toEqual({ PK: 'PLC#2025-2026#1012001', SK: 'REQ#r1' });
    expect(requestKeys.version('2025-2026', '1012001', 'r1', 12)).toEqual({ PK: 'PLC#2025-2026#1012001', SK: 'SUB#r1#000012' });
    expect(requestKeys.attachment('2025-2026', '1012001', 'r1', 'a1')).toEqual({ PK: 'PLC#2025-2026#1012001', SK: 'ATT#r1#a1' });
    expect(requestKeys.pendingUpload('2025-2026', '1012001', 'r1', 'a1')).toEqual({ PK: 'PLC#2025-2026#1012001', SK: 'UPL#r1#a1' });
    expect(requestKeys.studentLink('2025-2026', '1012001')).toEqual({ PK: 'PLC#2025-2026#1012001', SK: 'STUDENTLINK' });
    expect([requestKeys.requestPrefix(), requestKeys.versionPrefix('r1'), requestKeys.attachmentPrefix('r1')]).toEqual(['REQ#', 'SUB#r1#', 'ATT#r1#']);
    expect(requestKeys.requestOf({ PK: 'PLC#2025-2026#1012001', SK: 'REQ#r1' })).toEqual({ schoolYear: '2025-2026', studentNumber: '1012001', requestId: 'r1' });
  });

  it('place requests and student links in the year index right after their placement, and submitted requests in the period index', () => {
    expect(requestKeys.requestYearIndex('2025-2026', 'HR', '1012001', 'r1')).toEqual({ GSI1PK: 'YEAR#2025-2026', GSI1SK: 'SCHOOL#HR#1012001#REQ#r1' });
    expect(requestKeys.studentLinkYearIndex('2025-2026', 'HR', '1012001')).toEqual({ GSI1PK: 'YEAR#2025-2026', GSI1SK: 'SCHOOL#HR#1012001#LINK' });
    expect(requestKeys.periodIndex({ schoolYear: '2025-2026', period: 2, school: 'HR', studentNumber: '1012001', requestId: 'r1' })).toEqual({
      GSI2PK: 'PERIOD#2025-2026#2',
      GSI2SK: 'HR#1012001#r1',
    });
    expect(requestKeys.periodPrefix('HR')).toBe('HR#');
    expect(requestKeys.periodPrefix('HR', '1012001')).toBe('HR#1012001#');
  });

  it('keep audit events with the student, and CSV exports per period', () => {
    expect(auditKeys.partition({ schoolYear: '2025-2026', studentNumber: '1012001' })).toBe('PLC#2025-2026#1012001');
    expect(auditKeys.partition({ schoolYear: '2025-2026', exportPeriod: 3 })).toBe('AUDIT#EXPORT#2025-2026#3');
    expect(auditKeys.partition({ content: true })).toBe('AUDIT#CONTENT');
    expect(auditKeys.sort('2025-11-10T08:00:00.000Z', 'id1')).toBe('AUDIT#2025-11-10T08:00:00.000Z#id1');
    expect(auditKeys.prefix()).toBe('AUDIT#');
  });

  it('store links, sessions, sign-in tokens and roster uploads under a hash or id only', () => {
    expect(linkKeys('abc')).toEqual({ PK: 'LINK#abc', SK: 'LINK' });
    expect(linkOwnerKeys.request('2025-2026', '1012001', 'r1')).toEqual({ ownerPk: 'PLC#2025-2026#1012001', ownerSk: 'REQ#r1' });
    expect(linkOwnerKeys.studentLink('2025-2026', '1012001')).toEqual({ ownerPk: 'PLC#2025-2026#1012001', ownerSk: 'STUDENTLINK' });
    expect(sessionKeys('abc')).toEqual({ PK: 'SESSION#abc', SK: '-' });
    expect(signInKeys('abc')).toEqual({ PK: 'SIGNIN#abc', SK: '-' });
    expect(signInBudgetKeys('abc')).toEqual({ PK: 'SIGNINMAIL#abc', SK: '-' });
    expect(rosterUploadKeys('abc')).toEqual({ PK: 'ROSTERUPLOAD#abc', SK: '-' });
  });

  it('keep published forms and school years in one partition, concepts in another, workbooks under content/', () => {
    expect(contentKeys.version('form', 'kijkwijzer-didactiek', 2)).toEqual({ PK: 'CONTENT', SK: 'FORM#kijkwijzer-didactiek#V#0002' });
    expect(contentKeys.version('year', '2027-2028', 1)).toEqual({ PK: 'CONTENT', SK: 'YEAR#2027-2028#V#0001' });
    expect(contentKeys.partition()).toBe('CONTENT');
    expect(contentKeys.versionPrefix('form', 'advies-wpb')).toBe('FORM#advies-wpb#V#');
    expect(contentKeys.versionOf('FORM#kijkwijzer-didactiek#V#0012')).toEqual({ kind: 'form', subject: 'kijkwijzer-didactiek', version: 12 });
    expect(contentKeys.versionOf('YEAR#2027-2028#V#0003')).toEqual({ kind: 'year', subject: '2027-2028', version: 3 });
    expect(contentKeys.versionOf('AUDIT#2025')).toBeUndefined();
    expect(contentKeys.draft('form', 'abc')).toEqual({ PK: 'CONTENTDRAFT', SK: 'form#abc' });
    expect(contentKeys.draftPartition()).toBe('CONTENTDRAFT');
    expect(contentKeys.workbookObject('year', '2027-2028', 'abc')).toBe('content/year/2027-2028/abc.xlsx');
  });

  it('keep ledger entries per run and suppressions per lower-cased address', () => {
    expect(ledgerKeys.partition('weekly#2025-W46')).toBe('RUN#weekly#2025-W46');
    expect(ledgerKeys.item('weekly#2025-W46', 'IO@School.nl')).toEqual({ PK: 'RUN#weekly#2025-W46', SK: 'TO#io@school.nl' });
    expect(suppressionKeys.item(' Weg@School.nl')).toEqual({ PK: 'SUPPRESS#weg@school.nl', SK: 'SUPPRESS' });
    expect(suppressionKeys.index('Weg@School.nl')).toEqual({ GSI1PK: 'SUPPRESSED', GSI1SK: 'weg@school.nl' });
    expect(suppressionKeys.emailOf('SUPPRESS#weg@school.nl')).toBe('weg@school.nl');
  });
});
