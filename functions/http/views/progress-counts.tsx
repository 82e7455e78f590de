import { kijkwijzerTypeList } from '#shared/dutch.ts';
import { kijkwijzerText, shortDutchDate, visitText, type ProgressCounts, type TalkCount } from '#shared/progress/counts.ts';

/*
 * The counts of one student (shared/progress/counts.ts) as HTML: a definition list on the
 * student's pages, a few short lines in the overview's column. Plain data in, no judgement added:
 * "ontbreekt" appears only where the counts say so (the last period it belongs in has ended).
 */

/*
 * Inline styles (the pages allow them): the component brings its own layout to any page, one
 * column at 390 px, without touching the page's CSS.
 */
const DL = 'margin:.5rem 0 1rem';
const DT = 'font-weight:600;margin-top:.5rem';
const DD = 'margin:.1rem 0 0';
const MISSING = 'background:#fde8ea;border-color:#7a0019;color:#5c0013';

/** "ontbreekt" and what is missing, marked. */
function Missing(props: { text: string }) {
  return (
    <span class="state state-ontbreekt" style={MISSING}>
      {props.text}
    </span>
  );
}

/** Where one talk stands, for the full list (a talk not due yet says when it is). */
function talkState(talk: TalkCount): string {
  const periods = talk.periods.map((n) => `OP${n}`).join(' of ');
  switch (talk.state) {
    case 'gehouden':
      return `gehouden op ${shortDutchDate(talk.date!)}`;
    case 'gepland':
      return `gepland op ${shortDutchDate(talk.date!)} om ${talk.start}`;
    case 'ontbreekt':
      return `ontbreekt (hoorde in ${periods})`;
    case 'te-plannen':
      return `nog te plannen (in ${periods})`;
    case 'later':
      return `in ${periods}`;
  }
}

/** The student's counts as a definition list: lesbezoeken, driehoeksgesprekken, kijkwijzers. */
export function ProgressCountsList(props: { counts: ProgressCounts }) {
  const { visits, talks, kijkwijzers } = props.counts;
  return (
    <dl class="counts" style={DL}>
      <dt style={DT}>Lesbezoeken (met ingediende kijkwijzer)</dt>
      <dd style={DD} data-count="wpb">
        {visits.wpb.missing ? <Missing text={visitText('werkplekbegeleider', visits.wpb)} /> : visitText('werkplekbegeleider', visits.wpb)}
      </dd>
      <dd style={DD} data-count="so">
        {visits.so.missing ? <Missing text={visitText('schoolopleider', visits.so)} /> : visitText('schoolopleider', visits.so)}
      </dd>
      <dt style={DT}>Driehoeksgesprekken</dt>
      <dd style={DD}>
        <ul style="margin:.1rem 0 0;padding-left:1.2rem">
          {talks.map((talk) => (
            <li data-talk={talk.type}>
              {talk.label}: {talk.state === 'ontbreekt' ? <Missing text={talkState(talk)} /> : talkState(talk)}
            </li>
          ))}
        </ul>
      </dd>
      <dt style={DT}>Kijkwijzers</dt>
      <dd style={DD} data-count="kijkwijzers">
        {kijkwijzers.due && kijkwijzers.missing.length > 0 ? <Missing text={kijkwijzerText(kijkwijzers)} /> : kijkwijzerText(kijkwijzers)}
        {kijkwijzers.required.length > 0 && kijkwijzers.submitted.length > 0 && (
          <>
            <br />
            <span class="muted">Binnen: {kijkwijzerTypeList(kijkwijzers.submitted)}.</span>
          </>
        )}
      </dd>
    </dl>
  );
}

/** The counts in a few short lines, for a table cell of the overview. */
export function ProgressCountsCompact(props: { counts: ProgressCounts }) {
  const { visits, talks } = props.counts;
  const count = (state: TalkCount['state']) => talks.filter((t) => t.state === state).length;
  const [held, planned, missing] = [count('gehouden'), count('gepland'), count('ontbreekt')];
  const talkParts = [`${held} van ${talks.length} gehouden`, ...(planned > 0 ? [`${planned} gepland`] : [])];
  return (
    <ul class="counts-compact" style="margin:0;padding:0;list-style:none">
      <li>
        Lesbezoeken: WPB {visits.wpb.done}/{visits.wpb.required}, SO {visits.so.done}/{visits.so.required}
        {(visits.wpb.missing || visits.so.missing) && (
          <>
            {' '}
            <Missing text="ontbreekt" />
          </>
        )}
      </li>
      <li>
        Gesprekken: {talkParts.join(', ')}
        {missing > 0 && (
          <>
            {' '}
            <Missing text={`${missing} ontbreekt`} />
          </>
        )}
      </li>
    </ul>
  );
}
