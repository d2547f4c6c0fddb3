import type { Context, Middleware, Next } from '../http/context';
import type { GatewayDeps } from '../deps';
import type { CredentialCheck, Identity } from '../identity';
import { MalformedEncodingError, parseForm } from '../http/form';
import { ProtocolError } from '../http/protocol-error';
import { MalformedBearerError, extractBearer } from './bearer-credential';
import { hasScopes } from './scope';
import { checkAccessToken } from './verify-token';

type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

/**
 * A refusal on a protected resource (RFC 6750 section 3), as data: the Bearer challenge repeats the
 * code and description, except when no credential was sent at all (code `unauthorized`, a challenge
 * with the realm alone). Every format renders the challenge (http/render/challenge.ts).
 */
export class BearerError extends ProtocolError {
  constructor(status: 400 | 401 | 403, error: BearerErrorCode | null, description: string, realm: string, scope: readonly string[] = []) {
    super(error ?? 'unauthorized', description, {
      status,
      title: error === null ? 'Unauthorized' : undefined,
      challenges: [{ scheme: 'Bearer', realm, withError: error !== null, scope }],
    });
  }

  static missing(realm: string): BearerError {
    return new BearerError(401, null, 'This resource needs a bearer access token.', realm);
  }

  static insufficientScope(realm: string, required: readonly string[]): BearerError {
    return new BearerError(403, 'insufficient_scope', 'The access token does not carry the scope this resource needs.', realm, required);
  }
}

/**
 * A bearer token this authorization server does not know at all (not one it revoked or that
 * expired): on a route that also accepts an external issuer's tokens, that issuer may still know it
 * (gateway/route-access.ts), so the refusal stands only when no check takes the token.
 */
export class UnrecognisedTokenError extends BearerError {}

const rejectionText = {
  unknown: 'The access token is not recognised.',
  revoked: 'The access token has been revoked.',
  expired: 'The access token has expired.',
  client_disabled: 'The access token is no longer active.',
  user_disabled: 'The access token is no longer active.',
} as const;

/** Every access_token value in the query (RFC 6750 section 2.3); also read by the external issuers' check. */
export function queryTokens(ctx: Context): string[] {
  if (!ctx.querystring.includes('access_token')) return [];
  try {
    return parseForm(ctx.querystring)
      .filter(([name]) => name === 'access_token')
      .map(([, value]) => value);
  } catch (err) {
    if (err instanceof MalformedEncodingError) throw new MalformedBearerError('The query string has a malformed percent-encoding.');
    throw err;
  }
}

/**
 * The OAuth 2.0 verifier for protected routes: null when the request carries no bearer token, the
 * caller's identity for an active token, BearerError otherwise.
 */
export function bearerCredentialCheck(deps: GatewayDeps): CredentialCheck {
  const { realm, bearerInQuery } = deps.config.oauth2;
  const failed = (reason: string) => deps.metrics.verificationFailures.inc({ protocol: 'oauth2', reason });
  return async function verifyBearer(ctx: Context): Promise<Identity | null> {
    let token: string | null;
    try {
      token = extractBearer({
        authorization: ctx.get('authorization') || undefined,
        queryTokens: bearerInQuery ? queryTokens(ctx) : [],
        queryAllowed: bearerInQuery,
      });
    } catch (err) {
      if (!(err instanceof MalformedBearerError)) throw err;
      failed('malformed');
      throw new BearerError(400, 'invalid_request', err.message, realm);
    }
    if (token === null) return null;
    const check = await checkAccessToken(deps, token);
    if (!check.ok) {
      failed(check.reason);
      if (check.reason === 'unknown') throw new UnrecognisedTokenError(401, 'invalid_token', rejectionText.unknown, realm);
      throw new BearerError(401, 'invalid_token', rejectionText[check.reason], realm);
    }
    return check.identity;
  };
}

export interface RequireBearerOptions {
  /** Scopes the token must carry, all of them. */
  scopes?: readonly string[];
}

/** Koa middleware: lets the request through only with an active bearer token; the identity goes to ctx.state.identity. */
export function requireBearer(deps: GatewayDeps, options: RequireBearerOptions = {}): Middleware {
  const verify = bearerCredentialCheck(deps);
  const required = options.scopes ?? [];
  const { realm } = deps.config.oauth2;
  return async function requireBearerMiddleware(ctx: Context, next: Next): Promise<void> {
    const identity = await verify(ctx);
    if (identity === null) throw BearerError.missing(realm);
    if (!hasScopes(identity.scopes, required)) {
      deps.metrics.verificationFailures.inc({ protocol: 'oauth2', reason: 'insufficient_scope' });
      throw BearerError.insufficientScope(realm, required);
    }
    ctx.state.identity = identity;
    await next();
  };
}
