import { describe, expect, it } from 'vitest';
import { ForbiddenError, placementInScope, type StaffScope } from '../../../shared/auth/scope.ts';
import { NotFoundError } from '../../../shared/errors.ts';

const YEAR = '2025-2026';
const placement = { schoolYear: YEAR, studentNumber: '850001', school: 'Wolfert van Borselen' };
const staff = (scope: Partial<StaffScope>) => ({ scope: { admin: false, io: {}, schools: {}, ...scope } });

describe('placementInScope, the one scope check of every staff route', () => {
  it('returns the placement to its IO, to the SO or SCO of its school, and to an admin', () => {
    expect(placementInScope(staff({ io: { [YEAR]: [{ studentNumber: '850001', school: 'Wolfert van Borselen' }] } }), placement)).toBe(placement);
    expect(placementInScope(staff({ schools: { [YEAR]: ['Wolfert van Borselen'] } }), placement)).toBe(placement);
    expect(placementInScope(staff({ admin: true }), placement)).toBe(placement);
  });

  it('refuses another IO, another school and another school year with a Dutch 403', () => {
    const refused = [
      staff({ io: { [YEAR]: [{ studentNumber: '850002', school: 'Wolfert van Borselen' }] } }),
      staff({ schools: { [YEAR]: ['Erasmiaans Gymnasium'] } }),
      staff({ schools: { '2026-2027': ['Wolfert van Borselen'] }, io: { '2026-2027': [{ studentNumber: '850001', school: 'Wolfert van Borselen' }] } }),
      staff({}),
    ];

    for (const person of refused) {
      expect(() => placementInScope(person, placement)).toThrow(new ForbiddenError('Deze student hoort niet bij uw studenten.'));
      expect(() => placementInScope(person, placement)).toThrow(ForbiddenError);
    }
  });

  it('answers a student the roster does not hold with a Dutch 404, also for an admin', () => {
    expect(() => placementInScope(staff({ admin: true }), undefined)).toThrow(NotFoundError);
    expect(() => placementInScope(staff({}), undefined)).toThrow('Deze student staat niet in het rooster van dit schooljaar.');
  });
});
