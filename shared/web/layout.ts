import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

type Content = HtmlEscapedString | Promise<HtmlEscapedString>;

/** Inline styles: one small sheet, readable on a phone, no external requests. */
const STYLES = `
:root { color-scheme: light; --accent: #c8102e; --ink: #1d1d1b; --muted: #5c5c5c; --line: #d9d9d9; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fafafa; }
header { background: var(--accent); color: #fff; padding: .75rem 1rem; }
header a { color: #fff; text-decoration: none; font-weight: 600; }
main { max-width: 52rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
.notice { background: #fff4d6; border-left: 4px solid #e0a800; padding: .75rem 1rem; margin: 1rem 0; }
.error { background: #fde8ea; border-left: 4px solid var(--accent); padding: .75rem 1rem; margin: 1rem 0; }
.muted { color: var(--muted); }
.badge { display: inline-block; font-size: .8rem; padding: 0 .4rem; border-radius: .25rem; background: #fff4d6; border: 1px solid #e0a800; }
footer { max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: var(--muted); font-size: .85rem; }
`;

/** The page shell every Dutch page shares. Content is escaped by hono/html. */
export function page(title: string, body: Content): Content {
  return html`<!doctype html>
<html lang="nl">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="referrer" content="same-origin" />
    <title>${title} · Werkplekleren N2</title>
    <style>${raw(STYLES)}</style>
  </head>
  <body>
    <header><a href="/">Werkplekleren N2</a></header>
    <main>${body}</main>
    <footer>Werkplekleren N2 · Hogeschool Rotterdam · Samen Opleiden Rotterdam</footer>
  </body>
</html>`;
}
