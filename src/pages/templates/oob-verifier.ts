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
    title: 'Your verification code',
    scripts: [scriptHref],
    main: html`<h1>Access allowed</h1>
<p>To finish, enter this verification code in <span class="app">${input.appName}</span>:</p>
<p class="verifier"><output id="verifier" aria-label="Verification code">${input.verifier}</output></p>
<div class="actions"><button type="button" class="secondary" data-copy="verifier" data-copy-status="copy-status" hidden>Copy code</button></div>
<p id="copy-status" class="muted" role="status" aria-live="polite"></p>
<p class="muted">Upper or lower case, with or without the dash. The code works once and expires soon; after a few wrong tries it stops working and you start again from the application. You may close this window afterwards.</p>`,
  });
}
