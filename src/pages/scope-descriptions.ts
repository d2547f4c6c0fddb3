import type { ScopesConfig } from '../config/pages';
import type { ScopeLine } from './templates/consent';

/**
 * Plain words for the OpenID Connect scopes, so the consent page names the claims an application
 * would receive (the user's name, email address) instead of showing `openid`. The `scopes` config
 * overrides them like any other scope.
 */
export const BUILT_IN_SCOPE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  openid: 'Sign you in with your account',
  profile: 'Your name and username',
  email: 'Your email address',
};

/**
 * Chooses among the languages a description offers: Koa's ctx.acceptsLanguages (RFC 9110 section
 * 12.5.4 with q-values and prefixes), given as a function so this stays a pure function.
 */
export type LanguageChooser = (offered: string[]) => string | false;

function describe(name: string, scopes: ScopesConfig, choose: LanguageChooser): string | undefined {
  const configured = scopes[name];
  if (typeof configured === 'string') return configured;
  if (configured) {
    const offered = Object.keys(configured).filter((tag) => tag !== 'default');
    const chosen = offered.length > 0 ? choose(offered) : false;
    return chosen ? configured[chosen] : configured.default;
  }
  return BUILT_IN_SCOPE_DESCRIPTIONS[name];
}

/** The consent page's lines for the requested scopes: each described, or shown by name when nobody described it. */
export function scopeLines(requested: readonly string[], scopes: ScopesConfig, choose: LanguageChooser): ScopeLine[] {
  return requested.map((name) => ({ name, description: describe(name, scopes, choose) }));
}
