import { html } from './html';
import { layout, type PageDocument } from './layout';
import { csrfField } from './fields';

export interface DeviceCodePageInput {
  csrfToken: string;
  /** Where the code is POSTed (a gateway path). */
  action: string;
  /** Prefilled from verification_uri_complete, or what the user typed before an error. */
  userCode?: string;
  /** An English sentence of the flow's (said in the browser's language when the pages know it). */
  problem?: string | null;
}

/** The name the device flow reads the typed code from. */
export const userCodeField = 'user_code';

// Letters and digits, an optional dash or space in the middle: the flow normalises case and dashes,
// so the pattern is only a hint for the browser, never the check.
const userCodePattern = '\\s*[A-Za-z0-9]{4}(-|\\s)?[A-Za-z0-9]{4}\\s*';

export function deviceCodePage(input: DeviceCodePageInput): PageDocument {
  const invalid = input.problem ? html` aria-invalid="true"` : null;
  return layout({
    title: (w) => w.connectDevice,
    main: (w) => html`<h1>${w.connectDevice}</h1>
<p>${w.enterDeviceCode}</p>
<p class="muted">${w.deviceCodeCaution}</p>
${input.problem ? html`<p class="error" id="device-problem" role="alert" tabindex="-1" autofocus>${w.sentence(input.problem)}</p>` : null}
<form method="post" action="${input.action}">
${csrfField(input.csrfToken)}
<label for="user_code">${w.code}</label>
<input type="text" id="user_code" name="${userCodeField}" class="user-code" value="${input.userCode ?? ''}" autocomplete="off" autocapitalize="characters" spellcheck="false" inputmode="text" maxlength="12" pattern="${userCodePattern}" title="${w.deviceCodeTitle}" placeholder="XXXX-XXXX" aria-describedby="user_code_hint${input.problem ? ' device-problem' : ''}" required${invalid}${input.problem ? null : html` autofocus`}>
<p class="field-hint" id="user_code_hint">${w.deviceCodeHint}</p>
<div class="actions"><button type="submit">${w.continue}</button></div>
</form>`,
  });
}
