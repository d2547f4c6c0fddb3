import type { Context } from '../http/context';
import type { GatewayDeps } from '../deps';
import type { CredentialCheck, Identity } from '../identity';
import { privilegesOf } from '../accounts/authenticate';
import { tokenDigest } from '../crypto';
import { answeringIn } from '../http/error-format';
import { OAuth1Problem } from './problems';
import { noteRefusal } from './refusals';
import type { VerifiedCredentials } from '../revocation/verified-credentials';
import {
  credentialsOf,
  findConsumer,
  hasOAuthCredentials,
  readSignedRequest,
  requireFreshNonce,
  requireValidSignature,
  tokenRejected,
  type ConsumerCredentials,
  type OAuth1Deps,
  type SignedRequest,
} from './verify-request';

/**
 * Signed resource requests (RFC 5849 section 3): the gateway's OAuth 1.0a credential check. A
 * request with no OAuth 1.0a credentials at all is not ours (null, so another protocol's check may
 * try); one that has them is verified or refused with a problem report.
 */

type ResourceRequestDeps = OAuth1Deps & Pick<GatewayDeps, 'metrics' | 'logger' | 'verifiedTokens'>;

/**
 * A verified access token as this node caches it (deps.verifiedTokens.oauth1): with the two secrets
 * its signatures need, a repeat request is checked without a SQL round trip (the nonce is then the
 * one shared-state call).
 */
export interface VerifiedOAuth1Token {
  consumerKey: string;
  /** The consumer's secret, RSA key and allowed methods: what its signatures are checked with. */
  consumer: ConsumerCredentials;
  tokenSecret: string;
  identity: Identity;
}

type VerifiedTokens = VerifiedCredentials<VerifiedOAuth1Token>;

const copy = (identity: Identity): Identity => ({ ...identity, scopes: [...identity.scopes], privileges: [...identity.privileges] });

/** Cache hit: the secrets are in process, so only the nonce leaves it. */
async function fromCache(ctx: Context, deps: ResourceRequestDeps, request: SignedRequest, tokens: VerifiedTokens, digest: string): Promise<Identity | null> {
  const hit = tokens.get(digest);
  // Another consumer presenting this token takes the full path, which refuses it.
  if (!hit || hit.consumerKey !== request.params.consumerKey) return null;
  requireValidSignature(ctx, deps, request, hit.consumer, hit.tokenSecret);
  await requireFreshNonce(deps, request.params);
  return copy(hit.identity);
}

async function fromStore(ctx: Context, deps: ResourceRequestDeps, request: SignedRequest, tokens: VerifiedTokens, digest: string): Promise<Identity> {
  const lookup = tokens.lookup();
  const known = await findConsumer(deps, request.params.consumerKey);
  const { consumer } = known;
  const credentials = credentialsOf(known);
  const token = await deps.store.oauth1AccessTokens.find(digest);
  if (!token || token.consumerKey !== consumer.key) throw tokenRejected();
  const tokenSecret = deps.secrets.open(token.secretEnc);
  requireValidSignature(ctx, deps, request, credentials, tokenSecret);
  await requireFreshNonce(deps, request.params);

  const now = deps.clock();
  if (token.revokedAt !== null) throw new OAuth1Problem('token_revoked', { advice: 'The token was revoked or replaced by a refresh.' });
  if (token.expiresAt <= now) {
    throw new OAuth1Problem('token_expired', { advice: 'The access token has expired; refresh it with the session handle.' });
  }
  const user = await deps.store.users.findById(token.userId);
  if (!user || !user.enabled) throw tokenRejected();

  const identity: Identity = {
    protocol: 'oauth1',
    userId: user.id,
    username: user.username,
    clientId: consumer.key,
    scopes: [],
    privileges: await privilegesOf(deps.store, user.profileId ?? consumer.profileId),
    expiresAt: token.expiresAt,
  };
  tokens.remember(digest, { consumerKey: consumer.key, consumer: credentials, tokenSecret, identity: copy(identity) }, lookup);
  return identity;
}

async function verifyResourceRequest(ctx: Context, deps: ResourceRequestDeps, tokens: VerifiedTokens): Promise<Identity> {
  const request = await readSignedRequest(ctx, deps, 'resource');
  // checks.ts requires oauth_token for a resource request, so it is there.
  const digest = tokenDigest(request.params.token as string);
  return (await fromCache(ctx, deps, request, tokens, digest)) ?? (await fromStore(ctx, deps, request, tokens, digest));
}

export function oauth1CredentialCheck(deps: ResourceRequestDeps): CredentialCheck {
  const tokens = deps.verifiedTokens.oauth1;
  return async function verifyOAuth1(ctx: Context): Promise<Identity | null> {
    // The gateway's own OAuth 1.0a routes count their refusals themselves (oauth1Refusals).
    const onOAuth1Route = ctx.state.errorFormat === 'oauth1';
    try {
      if (!(await hasOAuthCredentials(ctx, deps))) return null;
      // An OAuth 1.0a client understands problem reports, on a proxied route too.
      return await answeringIn(ctx, 'oauth1', () => verifyResourceRequest(ctx, deps, tokens));
    } catch (err) {
      if (!onOAuth1Route) noteRefusal(err, ctx, deps);
      throw err;
    }
  };
}
