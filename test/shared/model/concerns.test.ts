import { describe, expect, it } from 'vitest';
import { concernSummary, type ConcernRecord } from '../../../shared/model/concerns.ts';

const wpb = { role: 'wpb', name: "Özlem Çelik-'t Hart", email: 'ozlem@wolfert.example.nl' } as const;
const so = { role: 'so', name: 'Saskia Bakker', email: 'so@wolfert.example.nl' } as const;

/** A concern raised on Tuesday 3 March 2026 at 23:30 in Amsterdam (22:30 UTC). */
const concern = (overrides: Partial<ConcernRecord> = {}): Pick<ConcernRecord, 'raisedAt' | 'raisedBy' | 'steps' | 'state'> => ({
  raisedAt: '2026-03-03T22:30:00Z',
  raisedBy: wpb,
  steps: [],
  state: 'open',
  ...overrides,
});

describe('concernSummary: a concern in one Dutch line', () => {
  it('names the day in Amsterdam, who raised it and that no step is recorded yet', () => {
    expect(concernSummary(concern())).toBe("zorg gemeld op 3 maart door Özlem Çelik-'t Hart (WPB); nog geen stap vastgelegd");
  });

  it('names the last step and its day', () => {
    const steps = [
      { step: 'contact', at: '2026-03-05T09:00:00Z', by: so },
      { step: 'verbetertraject', at: '2026-03-11T23:15:00Z', by: so, note: 'Plan\nvoor 4 weken' },
    ] as const;
    expect(concernSummary(concern({ steps: [...steps] }))).toBe("zorg gemeld op 3 maart door Özlem Çelik-'t Hart (WPB); laatste stap: Verbetertraject gestart (12 maart)");
  });

  it('says when a closed concern was closed', () => {
    const steps = [{ step: 'gesloten', at: '2026-03-20T10:00:00Z', by: so }] as const;
    expect(concernSummary(concern({ steps: [...steps], state: 'gesloten', raisedBy: so }))).toBe('zorg gemeld op 3 maart door Saskia Bakker (SO); afgesloten op 20 maart');
  });
});
