// The pages layer shared by the OAuth 1.0a user_auth flow and the OAuth 2.0 authorize and device flows.
export { pagesRouter } from './router';
export { pageChrome } from './chrome';
export { brandAssets, type BrandAssets } from './brand-assets';
export { scopeLines, BUILT_IN_SCOPE_DESCRIPTIONS, type LanguageChooser } from './scope-descriptions';
export { loadSession, login, logout, BrowserSession, AnonymousStateError, sessionCookieName, type SessionUser } from './session';
export { liveSessionsOf, endIndexedSession, type LiveSession } from './user-sessions';
export { MAX_INDEXED_SESSIONS } from './session-index';
// CSRF is checked by openPageForm, the one opening of every form POST; flows only make tokens.
export { csrfMatches, browserCsrfToken, sentBrowserCsrf, browserCsrfCookieName } from './csrf';
export { signTicket, openTicket, ticketKeysOf, ticketKeys, type TicketKeys } from './ticket';
export { flowState, type FlowState } from './flow-state';
export { requireLogin, LOGIN_PAGE_LIFETIME_MS, type RequireLoginOptions } from './login-flow';
export { isSafeContinuePath } from './continue-path';
export { openPageForm, pageFormOf, checkedBrowserCsrfOf, type PageForm } from './form';
export { sendPage, seeOther, formTargetFor, pageCsp, setPageHeaders, type PageOptions } from './respond';
export { PageError, badRequest, formExpired } from './errors';
export * from './templates';
