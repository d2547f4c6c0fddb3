import { createHash } from 'node:crypto';

// The gateway's own stylesheet: system fonts only, no third-party resources (the CSP allows none).
// Colours are checked for WCAG AA contrast: text #1b1f24 on #ffffff, links and buttons #1a56b8.
// The focus ring contrasts at least 3:1 with what surrounds it (WCAG 2.2, 1.4.11): #b45309 on the
// white card is 5.0:1, #f2a900 on the dark card 7.8:1.
export const stylesheet = `
:root { color-scheme: light dark; --fg: #1b1f24; --muted: #4b5563; --bg: #f4f5f7; --card: #ffffff;
  --border: #c9ced6; --accent: #1a56b8; --accent-fg: #ffffff; --danger: #a61b1b; --focus: #b45309; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e8eaed; --muted: #b4bac3; --bg: #15171a; --card: #202328; --border: #4a5059;
    --accent: #8ab4f8; --accent-fg: #0b1a33; --danger: #ff9b9b; --focus: #f2a900; }
}
*, *::before, *::after { box-sizing: border-box; }
html { font-size: 100%; -webkit-text-size-adjust: 100%; }
body { margin: 0; min-height: 100vh; display: flex; flex-direction: column; align-items: center;
  background: var(--bg); color: var(--fg); line-height: 1.5;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 1rem; top: 1rem; background: var(--card); padding: .5rem 1rem; }
header.site, footer.site { width: 100%; max-width: 30rem; padding: 1rem 1.25rem; color: var(--muted); font-size: .9rem; }
header.site { display: flex; align-items: center; gap: .6rem; }
header.site .brand { font-weight: 600; color: var(--fg); }
header.site .logo { height: 2rem; width: auto; }
ul.footer-links { list-style: none; margin: .5rem 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
[hidden] { display: none !important; }
main { width: 100%; max-width: 30rem; background: var(--card); border: 1px solid var(--border);
  border-radius: .5rem; padding: 1.5rem 1.25rem; }
h1 { font-size: 1.4rem; line-height: 1.25; margin: 0 0 1rem; }
p, form { margin: 0 0 1rem; }
a { color: var(--accent); }
label { display: block; font-weight: 600; margin: 0 0 .25rem; }
input[type="text"], input[type="password"] { display: block; width: 100%; font: inherit; color: inherit;
  background: var(--card); border: 1px solid var(--muted); border-radius: .35rem; padding: .6rem .7rem; margin: 0 0 1rem; }
.field-hint { color: var(--muted); font-size: .9rem; margin: -.75rem 0 1rem; }
.actions { display: flex; flex-wrap: wrap; gap: .75rem; margin-top: .5rem; }
button { font: inherit; font-weight: 600; border-radius: .35rem; padding: .6rem 1.2rem; cursor: pointer;
  border: 2px solid var(--accent); background: var(--accent); color: var(--accent-fg); }
button.secondary { background: transparent; color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, .error:focus { outline: 3px solid var(--focus); outline-offset: 2px; }
.error { color: var(--danger); font-weight: 600; border-left: 4px solid var(--danger); padding-left: .75rem; }
.app { font-weight: 700; }
.warning { border-left: 4px solid var(--focus); padding-left: .75rem; }
.user-code-shown, .request-id { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; letter-spacing: .08em; }
ul.scopes { margin: 0 0 1rem; padding-left: 1.25rem; }
ul.scopes code, .code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
.verifier { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 1.6rem;
  letter-spacing: .08em; text-align: center; padding: .75rem; border: 2px dashed var(--border);
  border-radius: .35rem; user-select: all; overflow-wrap: anywhere; }
.user-code { text-transform: uppercase; letter-spacing: .15em; font-family: ui-monospace, Menlo, Consolas, monospace; }
.muted { color: var(--muted); font-size: .9rem; }
@media (max-width: 32rem) {
  main { border-left: 0; border-right: 0; border-radius: 0; }
  .actions button { flex: 1 1 auto; }
}
`.trim();

// The URL carries a digest of the content, so the long cache lifetime can never serve a stale sheet.
const version = createHash('sha256').update(stylesheet).digest('base64url').slice(0, 12);

export const stylesheetPath = '/assets/gateway.css';
export const stylesheetHref = `${stylesheetPath}?v=${version}`;
export const stylesheetEtag = `"${version}"`;
