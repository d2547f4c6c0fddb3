import { OAuth2Error } from './errors';

// RFC 6749 section 3.3: scope = scope-token *( SP scope-token ), scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
const scopeToken = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** Whether a value may be one scope token (clients are registered with these, requests carry them). */
export const isScopeToken = (value: string): boolean => scopeToken.test(value);

/** The scope parameter as a list (order kept, repeats dropped); null when the client sent none. */
export function parseScope(value: string | undefined): string[] | null {
  if (value === undefined) return null;
  const tokens = value.split(' ').filter((t) => t !== '');
  if (tokens.length === 0) return null;
  for (const t of tokens) {
    if (!scopeToken.test(t)) throw new OAuth2Error('invalid_scope', 'The scope has characters RFC 6749 does not allow.');
  }
  return [...new Set(tokens)];
}

export function formatScope(scopes: readonly string[]): string {
  return scopes.join(' ');
}

/** A stored scope string back into its list. */
export function scopeList(stored: string): string[] {
  return stored.split(' ').filter((t) => t !== '');
}

/**
 * What a new grant receives. A client is registered with the scopes it may ever hold; a request
 * without a scope gets all of them (RFC 6749 section 3.3 lets the server pick a default), and a
 * client registered with none can only hold tokens without scope.
 */
export function grantScope(requested: string[] | null, registered: readonly string[]): string[] {
  if (requested === null) return [...registered];
  const unknown = requested.filter((s) => !registered.includes(s));
  if (unknown.length > 0) throw new OAuth2Error('invalid_scope', 'The requested scope exceeds what this client is registered for.');
  return requested;
}

/** A refresh may narrow the original grant, never widen it (RFC 6749 section 6). */
export function narrowScope(requested: string[] | null, original: readonly string[]): string[] {
  if (requested === null) return [...original];
  const wider = requested.filter((s) => !original.includes(s));
  if (wider.length > 0) throw new OAuth2Error('invalid_scope', 'The requested scope exceeds the scope originally granted.');
  return requested;
}

/** True when every required scope is held. */
export function hasScopes(held: readonly string[], required: readonly string[]): boolean {
  return required.every((s) => held.includes(s));
}
