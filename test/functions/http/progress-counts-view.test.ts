import { describe, expect, it } from 'vitest';
import { ProgressCountsCompact, ProgressCountsList } from '../../../functions/http/views/progress-counts.tsx';
import { getSchoolYear } from '../../../shared/calendar.ts';
import { parseInstant } from '../../../shared/clock.ts';
import type { TalkType } from '../../../shared/model/appointments.ts';
import { progressCounts } from '../../../shared/progress/counts.ts';

/*
 * The counts view: every talk listed with where it stands, "ontbreekt" marked only where the
 * counts say so, and the compact lines of the overview's column.
 */

const year = getSchoolYear('2025-2026')!;
const talk = (talkType: TalkType, date: string): Parameters<typeof progressCounts>[2][number] => ({
  kind: 'gesprek',
  talkType,
  state: 'gepland',
  date,
  start: '10:00',
  end: '11:00',
  participants: [],
});

describe('ProgressCountsList', () => {
  it('lists each talk of the rhythm, marking only the one whose period has ended', () => {
    const counts = progressCounts(year, [{ state: 'ingediend', formId: 'kijkwijzer-pedagogiek', observerRole: 'so' }], [talk('tussentijds', '2026-01-14')], parseInstant('2025-12-01T12:00'));

    const html = String(ProgressCountsList({ counts }));

    expect(html).toContain('<li data-talk="kennismaking">kennismakingsgesprek: <span class="state state-ontbreekt"');
    expect(html).toContain('ontbreekt (hoorde in OP1)</span>');
    expect(html).toContain('<li data-talk="tussentijds">tussentijds gesprek: gepland op 14 januari om 10:00</li>');
    expect(html).toContain('<li data-talk="op4">gesprek in OP4: in OP4</li>');
    expect(html).toContain('<li data-talk="eind">eindgesprek (CGI): in OP4</li>');
    expect(html).toContain('schoolopleider 1 van 1');
    expect(html).toContain('kijkwijzers nog nodig: didactiek en vakdidactiek (vóór het einde van OP3)');
    expect(html.match(/state-ontbreekt/g)).toHaveLength(1);
  });

  it('on the first day of OP1 marks nothing missing', () => {
    const html = String(ProgressCountsList({ counts: progressCounts(year, [], [], parseInstant('2025-09-08T07:00')) }));

    expect(html).not.toContain('ontbreekt');
    expect(html).toContain('kennismakingsgesprek: nog te plannen (in OP1)');
  });
});

describe('ProgressCountsCompact', () => {
  it('says the lesbezoeken and the talks held, planned and missing in two short lines', () => {
    const counts = progressCounts(year, [{ state: 'ingediend', formId: 'kijkwijzer-didactiek', observerRole: 'wpb' }], [talk('tussentijds', '2026-01-14')], parseInstant('2025-12-01T12:00'));

    const html = String(ProgressCountsCompact({ counts }));

    expect(html).toContain('<li>Lesbezoeken: WPB 1/2, SO 0/1</li>');
    expect(html).toContain('Gesprekken: 0 van 4 gehouden, 1 gepland <span class="state state-ontbreekt"');
    expect(html).toContain('>1 ontbreekt</span>');
  });
});
