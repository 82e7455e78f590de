/**
 * The browser script served as /static/bekeken.js. Mail scanners open links (GET) before people
 * do, so opening a page is logged as "link geopend" only; this script tells the app that a person
 * is there: on the first touch, click, key or focus in the page it POSTs once to the URL in its own
 * `data-bekeken` attribute, which logs "bekeken". A scanner that renders the page sends none of
 * these events. The POST is same-origin (the CSRF check holds) and carries no body.
 */
export const VIEWED_JS = `(() => {
  const script = document.currentScript;
  const url = script && script.dataset.bekeken;
  if (!url) return;
  const events = ['pointerdown', 'keydown', 'focusin', 'touchstart'];
  const once = () => {
    for (const name of events) document.removeEventListener(name, once, true);
    fetch(url, { method: 'POST', credentials: 'same-origin', keepalive: true }).catch(() => undefined);
  };
  for (const name of events) document.addEventListener(name, once, { capture: true, passive: true });
})();
`;
