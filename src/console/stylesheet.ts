import { createHash } from 'node:crypto';

// Additions to the gateway's stylesheet for the pages that hold more than one card: /account and
// /console (wide main, navigation, tables, charts). A separate sheet so the shared one stays as the
// sign-in pages need it; the same colour variables, so both follow light and dark mode.
export const consoleStylesheet = `
main.wide { max-width: 64rem; }
header.site.wide, footer.site.wide { max-width: 64rem; display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; align-items: baseline; }
nav.console ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
nav.console a[aria-current="page"] { font-weight: 700; color: var(--fg); }
section.card { margin: 0 0 1.5rem; }
section.item { border-top: 1px solid var(--border); padding-top: .25rem; }
section.item h2 { margin-top: .75rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .75rem; }
.notice { border-left: 4px solid var(--accent); padding-left: .75rem; font-weight: 600; }
.table-wrap { overflow-x: auto; margin: 0 0 1rem; }
table { border-collapse: collapse; width: 100%; font-size: .95rem; }
caption { text-align: left; font-weight: 600; padding: 0 0 .5rem; }
th, td { text-align: left; vertical-align: top; padding: .45rem .6rem; border-bottom: 1px solid var(--border); }
th { font-weight: 600; }
td form { margin: 0; }
td button, .inline button { padding: .3rem .8rem; }
.inline { display: inline; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0 0 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem; }
figure.chart { margin: 0; border: 1px solid var(--border); border-radius: .35rem; padding: .75rem; }
figure.chart figcaption { font-weight: 600; margin: 0 0 .5rem; }
figure.chart svg { width: 100%; height: auto; display: block; }
svg .bar { fill: var(--accent); }
svg .bar-label, svg .bar-value { fill: var(--fg); font-size: 12px; }
.stat { font-size: 1.6rem; font-weight: 700; }
input[type="search"] { font: inherit; color: inherit; background: var(--card); border: 1px solid var(--muted); border-radius: .35rem; padding: .5rem .6rem; }
form.registration { max-width: 40rem; }
fieldset { border: 0; padding: 0; margin: 0 0 1rem; min-width: 0; }
fieldset.plain { margin: 0; }
legend { font-weight: 600; padding: 0; margin: 0 0 .25rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.field { margin: 0 0 1rem; }
.field input[type="text"], .field input[type="password"] { margin: 0; }
.field .field-hint { margin: 0 0 .35rem; }
.check { display: flex; flex-wrap: wrap; gap: .25rem .5rem; align-items: baseline; margin: 0 0 .35rem; }
.field.check { margin: 0 0 1rem; }
.check input { flex: none; }
.check label { display: inline; margin: 0; flex: 1 1 0; min-width: 0; }
.check .field-hint, .check .field-error { flex-basis: 100%; }
input[type="checkbox"] { width: 1.1rem; height: 1.1rem; accent-color: var(--accent); }
textarea, select { display: block; width: 100%; font: inherit; color: inherit; background: var(--card); border: 1px solid var(--muted); border-radius: .35rem; padding: .5rem .6rem; }
textarea { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .9rem; }
.field-error { color: var(--danger); font-weight: 600; margin: 0 0 .35rem; }
.invalid input[type="text"], .invalid input[type="password"], .invalid textarea, .invalid select { border: 2px solid var(--danger); }
select:focus-visible, textarea:focus-visible, [role="alert"]:focus { outline: 3px solid var(--focus); outline-offset: 2px; }
div.error { margin: 0 0 1rem; }
.error ul { margin: 0; padding-left: 1.25rem; }
.error p { margin: 0 0 .25rem; }
a.button-link { display: inline-block; font-weight: 600; border: 2px solid var(--accent); border-radius: .35rem; padding: .3rem .8rem; text-decoration: none; }
@media (max-width: 40rem) {
  dl.facts { grid-template-columns: 1fr; }
  dl.facts dd { margin-bottom: .5rem; }
  th, td { padding: .4rem .35rem; }
  /* Rows as blocks of "label: value" lines: the column heads stay for screen readers only. */
  table.stack thead { position: absolute; left: -9999px; }
  table.stack caption { display: block; }
  table.stack, table.stack tbody, table.stack tr, table.stack th, table.stack td { display: block; width: 100%; }
  table.stack tr { border-bottom: 1px solid var(--border); padding: .5rem 0; }
  table.stack th, table.stack td { border: 0; padding: .15rem 0; }
  table.stack td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; }
}
`.trim();

const version = createHash('sha256').update(consoleStylesheet).digest('base64url').slice(0, 12);

export const consoleStylesheetPath = '/assets/console.css';
export const consoleStylesheetHref = `${consoleStylesheetPath}?v=${version}`;
export const consoleStylesheetEtag = `"${version}"`;
