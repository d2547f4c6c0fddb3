export { html, raw, escapeHtml, SafeHtml, type HtmlValue } from './html';
export { layout, PageDocument, type LayoutInput, type PageChrome } from './layout';
export { loginPage, type LoginPageInput } from './login';
export { csrfField, csrfFieldName, hiddenFields } from './fields';
export { consentPage, decisionField, accessDuration, durationWords, revokePath, type ConsentPageInput, type ScopeLine } from './consent';
export { oobVerifierPage, type OobVerifierPageInput } from './oob-verifier';
export { deviceCodePage, userCodeField, type DeviceCodePageInput } from './device';
export { messagePage, errorPage, logoutPage, type MessagePageInput, type ErrorPageInput } from './message';
