import { html, type HtmlValue, type SafeHtml } from './html';
import { stylesheetHref } from '../stylesheet';

export interface LayoutInput {
  /** The page's own title; also its h1 unless the main content brings one. */
  title: string;
  main: SafeHtml;
  /** Extra footer content (e.g. a sign-out form); the gateway's name is always there. */
  footer?: HtmlValue;
}

/** The one page skeleton: every page is a single card with a heading and at most one form. */
export function layout(input: LayoutInput): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${input.title}</title>
<link rel="stylesheet" href="${stylesheetHref}">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site"><span class="brand">Account sign-in</span></header>
<main id="main">
${input.main}
</main>
<footer class="site">${input.footer}</footer>
</body>
</html>
`;
}
