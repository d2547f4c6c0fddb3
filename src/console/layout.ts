import { html, type HtmlValue, type SafeHtml } from '../pages/templates/html';
import { stylesheetHref } from '../pages/stylesheet';
import { consoleStylesheetHref } from './stylesheet';
import { english, type PageWords } from '../pages/words';

// The skeleton of the wide pages (/account, /console): the same head, skip link and stylesheet as
// every other page (pages/templates/layout.ts), plus the console sheet and a navigation bar.

export interface NavLink {
  href: string;
  label: string;
}

export interface WideLayoutInput {
  title: string;
  /** Shown in the header: "Account" or "Operators' console". */
  brand: string;
  nav: readonly NavLink[];
  /** The nav entry of this page (aria-current). */
  current?: string;
  main: SafeHtml;
  /** Who is signed in, with the sign-out link. */
  username: string;
  /** The frame's own words in the page's language (the account page); English without. */
  words?: Pick<PageWords, 'lang' | 'skipToContent' | 'signedInAsFooter' | 'signOut'>;
}

export function wideLayout(input: WideLayoutInput): SafeHtml {
  const words = input.words ?? english;
  const links: HtmlValue[] = input.nav.map((link) =>
    link.href === input.current ? html`<li><a href="${link.href}" aria-current="page">${link.label}</a></li>` : html`<li><a href="${link.href}">${link.label}</a></li>`,
  );
  return html`<!doctype html>
<html lang="${words.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${input.title}</title>
<link rel="stylesheet" href="${stylesheetHref}">
<link rel="stylesheet" href="${consoleStylesheetHref}">
</head>
<body>
<a class="skip" href="#main">${words.skipToContent}</a>
<header class="site wide"><span class="brand">${input.brand}</span>
<nav class="console" aria-label="${input.brand}"><ul>${links}</ul></nav></header>
<main id="main" class="wide">
${input.main}
</main>
<footer class="site wide"><span>${words.signedInAsFooter} <strong>${input.username}</strong></span> <a href="/logout">${words.signOut}</a></footer>
</body>
</html>
`;
}

/** A table that scrolls sideways on a narrow screen; focusable so a keyboard can scroll it too. */
export function tableWrap(label: string, table: SafeHtml): SafeHtml {
  return html`<div class="table-wrap" role="region" aria-label="${label}" tabindex="0">${table}</div>`;
}

export function isoDate(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}
