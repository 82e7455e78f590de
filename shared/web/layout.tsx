import type { Child, FC } from 'hono/jsx';
import { raw } from 'hono/html';

/**
 * One small style sheet, inline (CSP allows inline styles only), readable on a phone, AA contrast.
 * On phones (under 40rem) a table's rows become stacked blocks, each cell under its column's name
 * (the cell's `data-label`, shown by ::before), so nothing scrolls sideways at 390 px; the header
 * row stays in the document for screen readers but is moved off screen. Long words and addresses
 * wrap anywhere in cells.
 */
export const BASE_CSS = `
:root { color-scheme: light; --accent: #a50d25; --ink: #1d1d1b; --muted: #555555; --line: #c8c8c8; --focus: #1a5fb4; }
* { box-sizing: border-box; }
body { margin: 0; font: 17px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fafafa; }
header { background: var(--accent); color: #fff; padding: .75rem 1rem; }
header a { color: #fff; text-decoration: none; font-weight: 600; }
main { max-width: 48rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
a { color: #0b4f9c; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
.notice { background: #fff4d6; border-left: 4px solid #8a6d00; padding: .75rem 1rem; margin: 1rem 0; }
.success { background: #e6f4ea; border-left: 4px solid #1e6b34; padding: .75rem 1rem; margin: 1rem 0; }
.error { background: #fde8ea; border-left: 4px solid var(--accent); padding: .75rem 1rem; margin: 1rem 0; }
.muted { color: var(--muted); }
.badge { display: inline-block; font-size: .85rem; padding: 0 .4rem; border-radius: .25rem; background: #fff4d6; border: 1px solid #8a6d00; color: #4d3d00; }
.state { display: inline-block; white-space: nowrap; font-size: .85rem; padding: 0 .4rem; border-radius: .25rem; border: 1px solid var(--line); }
.state-ingediend { background: #e6f4ea; border-color: #1e6b34; color: #14481f; }
.state-concept { background: #fff4d6; border-color: #8a6d00; color: #4d3d00; }
.state-gevraagd { background: #eef2f8; border-color: #3d5a80; color: #1f3149; }
.state-ingetrokken { background: #f0f0f0; border-color: #6b6b6b; color: #3d3d3d; text-decoration: line-through; }
form.inline { display: inline-block; margin: .15rem .25rem .15rem 0; }
button.small { padding: .1rem .5rem; font-size: .85rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
a.button { display: inline-block; text-decoration: none; }
.button.secondary { background: #fff; color: var(--accent); }
button, .button { font: inherit; padding: .6rem 1.1rem; border-radius: .3rem; border: 2px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: var(--accent); }
.actions { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1.5rem 0; }
label { display: block; font-weight: 600; margin: .75rem 0 .25rem; }
input[type=text], input[type=date], select, textarea { font: inherit; width: 100%; padding: .5rem; border: 1px solid #767676; border-radius: .25rem; background: #fff; color: var(--ink); }
footer { max-width: 48rem; margin: 2rem auto; padding: 0 1rem; color: var(--muted); font-size: .9rem; }
main, footer { overflow-wrap: break-word; }
th, td { overflow-wrap: anywhere; }
select, input, textarea, img, video { max-width: 100%; }
@media (max-width: 40rem) {
  main { padding: .75rem; }
  table, thead, tbody, tr, th, td { display: block; width: 100%; }
  thead tr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  tr { border-bottom: 1px solid var(--line); padding: .5rem 0; }
  th, td { border-bottom: 0; padding: .15rem .5rem; }
  th[scope=row] { padding-top: .4rem; }
  td[data-label]::before { content: attr(data-label); display: block; font-size: .85rem; font-weight: 600; color: var(--muted); }
}
`;

/** The page shell every Dutch page shares. */
export const Layout: FC<{ title: string; extraCss?: string; children?: Child }> = ({ title, extraCss, children }) => (
  <>
    {raw('<!doctype html>')}
    <html lang="nl">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <meta name="robots" content="noindex" />
        <title>{`${title} · Werkplekleren N2`}</title>
        <style>{raw(BASE_CSS + (extraCss ?? ''))}</style>
      </head>
      <body>
        <header>
          <a href="/">Werkplekleren N2</a>
        </header>
        <main id="inhoud">{children}</main>
        <footer>Werkplekleren N2 · Hogeschool Rotterdam · Opleidingsschool Rotterdam (OSR)</footer>
      </body>
    </html>
  </>
);

/** The page shell as a function, for routes that render with hono/html. */
export function page(title: string, body: Child) {
  return <Layout title={title}>{body}</Layout>;
}
