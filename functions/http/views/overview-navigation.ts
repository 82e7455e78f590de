/**
 * Where the staff pages go after an action, and what they say when they get there. Every action
 * ends in a 303 back to where it was started (`terug`, only `/overzicht` paths) with
 * `melding=<code>`, which the page shows as a fixed Dutch notice: the query carries only the code.
 */

/** The notices an action's redirect can ask for. */
export const NOTICES = {
  herinnerd: 'De herinnering is verstuurd, met dezelfde link als eerder: een opgeslagen concept staat er nog in.',
  ingetrokken: 'De link is ingetrokken: hij werkt niet meer, en de observator heeft daarover een e-mail gekregen. Stuur een nieuwe link als de observator het formulier toch moet invullen.',
  'nieuwe-link': 'Er is een nieuwe link verstuurd. De oude link werkt niet meer.',
  'wpb-vervangen': 'De WPB is vervangen. Open aanvragen zijn met een nieuwe link naar de nieuwe WPB gestuurd; ingediende formulieren blijven bij de vorige WPB.',
  'wpb-vervangen-mail-mislukt':
    'De WPB is vervangen, maar niet elke e-mail aan de nieuwe WPB kon worden verstuurd. Stuur bij die aanvragen een nieuwe link.',
  'zorg-gemeld': 'De zorg is gemeld en staat hieronder. De SO, de IO en de SCO van deze student krijgen er een e-mail over (behalve wie de zorg meldde).',
  'zorgstap-vastgelegd': 'De stap is vastgelegd bij de zorg, met de datum en uw naam.',
} as const;
export type NoticeCode = keyof typeof NOTICES;

/** The notice of a `melding` query value, if it names one. */
export function noticeText(code: string | undefined): string | undefined {
  return code && Object.hasOwn(NOTICES, code) ? NOTICES[code as NoticeCode] : undefined;
}

/** A page's path and query without its notice (from the request URL): where an action on it returns to. */
export function pageWithoutNotice(requestUrl: string): string {
  const url = new URL(requestUrl);
  url.searchParams.delete('melding');
  return url.pathname + url.search;
}

const INTERNAL = 'http://intern.invalid';

/** Where to go after an action: `terug` when it is an overview page of ours, else `fallback`; with the notice. */
export function backTo(raw: unknown, fallback: string, notice?: NoticeCode): string {
  let url = new URL(fallback, INTERNAL);
  if (typeof raw === 'string' && raw.startsWith('/overzicht') && raw.length <= 2000) {
    const asked = new URL(raw, INTERNAL);
    if (asked.origin === INTERNAL && /^\/overzicht(\/|$)/.test(asked.pathname)) url = asked;
  }
  if (notice) url.searchParams.set('melding', notice);
  return url.pathname + url.search;
}
