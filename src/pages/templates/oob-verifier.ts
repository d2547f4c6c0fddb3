import { html, type SafeHtml } from './html';
import { layout } from './layout';

export interface OobVerifierPageInput {
  /** The OAuth 1.0a consumer name. */
  appName: string;
  verifier: string;
}

/** OAuth 1.0a out-of-band callback (`oob`): the user copies the oauth_verifier into the application by hand. */
export function oobVerifierPage(input: OobVerifierPageInput): SafeHtml {
  return layout({
    title: 'Your verification code',
    main: html`<h1>Access allowed</h1>
<p>To finish, enter this verification code in <span class="app">${input.appName}</span>:</p>
<p class="verifier"><output aria-label="Verification code">${input.verifier}</output></p>
<p class="muted">The code works once and expires soon. You may close this window afterwards.</p>`,
  });
}
