import { html, SafeHtml, type HtmlValue } from './html';
import { stylesheetHref } from '../stylesheet';
import { defaultBranding, type PageBranding } from '../branding';
import { english, type PageWords } from '../words';

/** Page content drawn in the request's language (or fixed, for content that has no words of ours). */
export type Worded<T> = T | ((words: PageWords) => T);

const inWords = <T>(value: Worded<T>, words: PageWords): T => (typeof value === 'function' ? (value as (w: PageWords) => T)(words) : value);

export interface LayoutInput {
  /** The page's own title; also its h1 unless the main content brings one. */
  title: Worded<string>;
  main: Worded<SafeHtml>;
  /** Extra footer content (e.g. a sign-out form); the gateway's name is always there. */
  footer?: Worded<HtmlValue>;
  /** Script files of ours the page loads (assets.ts); sendPage must then allow them (`scripts: true`). */
  scripts?: readonly string[];
}

/** What the frame around a page knows about the request: the operator's branding and the browser's language (pages/chrome.ts). */
export interface PageChrome {
  branding: PageBranding;
  words: PageWords;
}

function footerLinks(branding: PageBranding, words: PageWords): HtmlValue {
  if (branding.footerLinks.length === 0) return null;
  // Config values checked to be http(s) URLs or paths (config/pages.ts), so they may go in an href.
  return html`<nav aria-label="${words.footerLinks}"><ul class="footer-links">${branding.footerLinks.map((l) => html`<li><a href="${l.href}">${l.text}</a></li>`)}</ul></nav>`;
}

function render(input: LayoutInput, { branding, words }: PageChrome): string {
  const name = branding.productName ?? words.defaultProductName;
  const own = inWords(input.title, words);
  const title = branding.productName ? `${own} · ${branding.productName}` : own;
  return html`<!doctype html>
<html lang="${words.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${title}</title>
<link rel="stylesheet" href="${stylesheetHref}">
${branding.brandStylesheetHref ? html`<link rel="stylesheet" href="${branding.brandStylesheetHref}">` : null}
${(input.scripts ?? []).map((src) => html`<script src="${src}" defer></script>`)}
</head>
<body>
<a class="skip" href="#main">${words.skipToContent}</a>
<header class="site">${branding.logoHref ? html`<img class="logo" src="${branding.logoHref}" alt="" height="32">` : null}<span class="brand">${name}</span></header>
<main id="main">
${inWords(input.main, words)}
</main>
<footer class="site">${inWords(input.footer, words)}${footerLinks(branding, words)}</footer>
</body>
</html>
`.value;
}

/**
 * A whole page whose frame (header, footer, stylesheets) is drawn for the request that sends it:
 * sendPage redraws it with the configured branding, in the browser's language. As plain SafeHtml
 * (`.value`) it carries the default frame in English, so a template's output can be inspected
 * without a request.
 */
export class PageDocument extends SafeHtml {
  constructor(private readonly input: LayoutInput) {
    super(render(input, { branding: defaultBranding, words: english }));
  }

  /** The page in the frame of this request. */
  framed(chrome: PageChrome): SafeHtml {
    return new SafeHtml(render(this.input, chrome));
  }

  /** Whether the page loads a script of ours (its CSP must then allow 'self' scripts). */
  get hasScripts(): boolean {
    return (this.input.scripts ?? []).length > 0;
  }
}

/** The one page skeleton: every page is a single card with a heading and at most one form. */
export function layout(input: LayoutInput): PageDocument {
  return new PageDocument(input);
}
