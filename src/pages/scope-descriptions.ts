import type { ScopesConfig } from '../config/pages';
import type { ScopeLine } from './templates/consent';

/**
 * Plain words for the OpenID Connect scopes, so the consent page names the claims an application
 * would receive (the user's name, email address) instead of showing `openid`. The `scopes` config
 * overrides them like any other scope.
 */
export const BUILT_IN_SCOPE_DESCRIPTIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  openid: { default: 'Sign you in with your account', de: 'Sie mit Ihrem Konto anmelden', fr: 'Vous connecter avec votre compte' },
  profile: { default: 'Your name and username', de: 'Ihr Name und Benutzername', fr: 'Votre nom et votre nom d’utilisateur' },
  email: { default: 'Your email address', de: 'Ihre E-Mail-Adresse', fr: 'Votre adresse e-mail' },
};

/**
 * Chooses among the languages a description offers: Koa's ctx.acceptsLanguages (RFC 9110 section
 * 12.5.4 with q-values and prefixes), given as a function so this stays a pure function.
 */
export type LanguageChooser = (offered: string[]) => string | false;

function describe(name: string, scopes: ScopesConfig, choose: LanguageChooser): string | undefined {
  // The built-in words speak the pages' languages (en, de, fr) like an operator's per-language entry.
  const configured = scopes[name] ?? BUILT_IN_SCOPE_DESCRIPTIONS[name];
  if (typeof configured === 'string') return configured;
  if (configured) {
    const offered = Object.keys(configured).filter((tag) => tag !== 'default');
    // English is offered as the default's language (the pages' own): a browser preferring English
    // over German gets the default, not the German words it accepts second.
    if (offered.length > 0 && !offered.includes('en') && configured.default !== undefined) offered.unshift('en');
    const chosen = offered.length > 0 ? choose(offered) : false;
    return chosen && configured[chosen] !== undefined ? configured[chosen] : configured.default;
  }
  return undefined;
}

/** The consent page's lines for the requested scopes: each described, or shown by name when nobody described it. */
export function scopeLines(requested: readonly string[], scopes: ScopesConfig, choose: LanguageChooser): ScopeLine[] {
  return requested.map((name) => ({ name, description: describe(name, scopes, choose) }));
}
