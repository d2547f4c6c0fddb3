import type { ResponseType } from './authorize/request';
import type { Context } from '../http/context';
import type { GatewayDeps } from '../deps';
import type { ClientRow } from '../storage/types';
import { scopeLines, type ConsentPageInput, type LanguageChooser } from '../pages';
import { callbackDestination } from '../oauth1/callback';
import { configuredLifetimes, issuesRefreshTokens } from './lifetimes';
import { consentIsRemembered } from './consent';

/**
 * The browser's choice among the languages a description offers. A browser that names no language
 * (no Accept-Language, or only `*`) gets the `default` entry: Koa would hand it the first one offered.
 */
function browserLanguage(ctx: Context): LanguageChooser {
  const header = ctx.get('accept-language').trim();
  if (header === '' || header === '*') return () => false;
  return (offered) => ctx.acceptsLanguages(offered);
}

/**
 * What the OAuth 2.0 consent pages tell the user besides the question: the scopes in words (config
 * `scopes`, in the browser's language), how long access lasts (this client's token lifetimes),
 * whether the choice is remembered, and the host the browser goes to next.
 */
export function consentDetails(
  ctx: Context,
  deps: Pick<GatewayDeps, 'config'>,
  client: ClientRow,
  input: { scope: readonly string[]; responseType: ResponseType | 'device'; redirectUri?: string },
): Pick<ConsentPageInput, 'scopes' | 'lasts' | 'remembered' | 'destination'> {
  const lifetimes = configuredLifetimes(deps.config.lifetimes)(client);
  // The implicit grants never carry a refresh token (RFC 6749 section 4.2.2).
  const renewable = (input.responseType === 'code' || input.responseType === 'device') && issuesRefreshTokens(client) ? { seconds: lifetimes.refreshToken, sliding: true } : null;
  return {
    scopes: scopeLines(input.scope, deps.config.scopes, browserLanguage(ctx)),
    lasts: { accessSeconds: lifetimes.accessToken, renewal: renewable },
    remembered: consentIsRemembered(client),
    destination: input.redirectUri ? callbackDestination(input.redirectUri) : null,
  };
}
