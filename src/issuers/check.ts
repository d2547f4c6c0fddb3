import type { Context } from '../http/context';
import type { GatewayDeps } from '../deps';
import type { CredentialCheck, Identity } from '../identity';
import { BearerError, UnrecognisedTokenError, queryTokens } from '../oauth2/bearer';
import { MalformedBearerError, extractBearer } from '../oauth2/bearer-credential';
import type { ExternalIssuer, IssuerVerdict } from './issuer';

type Refusal = Exclude<IssuerVerdict, { ok: true }>['reason'];

// Fixed sentences: never the token, the claims or the issuer's own words.
const refusalText: Record<Refusal, string> = {
  not_mine: 'The access token is not recognised.',
  malformed: 'The access token is not a well-formed JWT.',
  algorithm: 'The access token is signed with an algorithm this gateway does not accept.',
  unknown_key: 'The access token is signed with a key the issuer does not publish.',
  signature: 'The access token signature is invalid.',
  expired: 'The access token has expired.',
  not_yet_valid: 'The access token is not valid yet.',
  audience: 'The access token is not meant for this API.',
  issuer: 'The access token comes from another issuer.',
  type: 'The access token is not typed as an access token (at+jwt).',
  claims: 'The access token lacks a claim this gateway needs.',
};

/**
 * The credential check of `issuer:<name>` on protected routes: null without a bearer token, the
 * caller for a token the issuer vouches for, and invalid_token otherwise (a token it does not know
 * as UnrecognisedTokenError, so another bearer check of the route may still take it). An issuer
 * that cannot be reached fails the request closed (503, http/conditions.ts).
 */
export function issuerCredentialCheck(deps: GatewayDeps, issuer: ExternalIssuer): CredentialCheck {
  const { realm, bearerInQuery } = deps.config.oauth2;
  const failed = (reason: string) => deps.metrics.verificationFailures.inc({ protocol: `issuer:${issuer.name}`, reason });
  return async function verifyExternalBearer(ctx: Context): Promise<Identity | null> {
    let token: string | null;
    try {
      token = extractBearer({ authorization: ctx.get('authorization') || undefined, queryTokens: bearerInQuery ? queryTokens(ctx) : [], queryAllowed: bearerInQuery });
    } catch (err) {
      if (!(err instanceof MalformedBearerError)) throw err;
      failed('malformed');
      throw new BearerError(400, 'invalid_request', err.message, realm);
    }
    if (token === null) return null;
    const verdict = await issuer.verify(token);
    if (verdict.ok) return verdict.identity;
    failed(verdict.reason);
    if (verdict.reason === 'not_mine') throw new UnrecognisedTokenError(401, 'invalid_token', refusalText.not_mine, realm);
    throw new BearerError(401, 'invalid_token', refusalText[verdict.reason], realm);
  };
}
