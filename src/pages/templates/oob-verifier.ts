import { html } from './html';
import { layout, type PageDocument } from './layout';
import { scriptHref } from '../script';

export interface OobVerifierPageInput {
  /** The OAuth 1.0a consumer name. */
  appName: string;
  /** As the user should type it, grouped (KXRT-4MPQ). */
  verifier: string;
}

/**
 * OAuth 1.0a out-of-band callback (`oob`): the user copies the oauth_verifier into the application
 * by hand. The copy button is drawn hidden and shown by our script, so without scripts the page
 * shows no button that does nothing.
 */
export function oobVerifierPage(input: OobVerifierPageInput): PageDocument {
  return layout({
    title: (w) => w.verifierTitle,
    scripts: [scriptHref],
    main: (w) => {
      const [before, after] = w.enterVerifierIn(input.appName);
      return html`<h1>${w.accessAllowed}</h1>
<p>${before}<span class="app">${input.appName}</span>${after}</p>
<p class="verifier"><output id="verifier" aria-label="${w.verificationCode}">${input.verifier}</output></p>
<div class="actions"><button type="button" class="secondary" data-copy="verifier" data-copy-status="copy-status" data-copied="${w.copied}" data-selected="${w.selectedToCopy}" hidden>${w.copyCode}</button></div>
<p id="copy-status" class="muted" role="status" aria-live="polite"></p>
<p class="muted">${w.verifierHint}</p>`;
    },
  });
}
