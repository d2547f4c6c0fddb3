// The pages layer shared by the OAuth 1.0a user_auth flow and the OAuth 2.0 authorize and device flows.
export { pagesRouter } from './router';
export { loadSession, login, logout, forceLogin, BrowserSession, sessionCookieName, type SessionUser } from './session';
export { csrfMatches, verifyCsrf } from './csrf';
export { flowState, type FlowState } from './flow-state';
export { requireLogin, type RequireLoginOptions } from './login-flow';
export { isSafeContinuePath } from './continue-path';
export { readPageForm } from './form';
export { sendPage, seeOther, formTargetFor, pageCsp, setPageHeaders, type PageOptions } from './respond';
export { PageError, badRequest, formExpired } from './errors';
export * from './templates';
