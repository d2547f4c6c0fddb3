import type { Context } from '../http/context';
import type { GatewayDeps } from '../deps';
import type { CredentialCheck, Identity } from '../identity';
import { privilegesOf } from '../accounts/authenticate';
import { answeringIn } from '../http/error-format';
import type { ConsumerRow, UserRow } from '../storage/types';
import { OAuth1Problem, parameterRejected } from './problems';
import { noteRefusal } from './refusals';
import { credentialsOf, findConsumer, hasOAuthCredentials, readSignedRequest, requireFreshNonce, requireValidSignature, type OAuth1Deps } from './verify-request';
import type { Pair } from './params';

/**
 * Two-legged requests (route accept `oauth1-2legged`): signed by a consumer alone, with no
 * oauth_token or an empty one, as LTI 1.1 launches and server-to-server integrations send them.
 * The caller is the consumer, with its profile's privileges and no user. A consumer registered as a
 * requestor (consumer add --requestor) may instead act for a user it names in xoauth_requestor_id,
 * the Google Apps convention; any other consumer naming one is refused. Same signature methods,
 * nonce and timestamp rules as every other signed request.
 */

type TwoLeggedDeps = OAuth1Deps & Pick<GatewayDeps, 'metrics'>;

export const REQUESTOR_PARAMETER = 'xoauth_requestor_id';

/** The xoauth_requestor_id the request signed, if any; a repeated or empty one is refused. */
export function requestorIdOf(pairs: readonly Pair[]): string | null {
  const values = pairs.filter(([name]) => name === REQUESTOR_PARAMETER).map(([, value]) => value);
  if (values.length === 0) return null;
  if (values.length > 1) throw parameterRejected([REQUESTOR_PARAMETER], `${REQUESTOR_PARAMETER} was given more than once.`);
  if (values[0] === '') throw parameterRejected([REQUESTOR_PARAMETER], `${REQUESTOR_PARAMETER} is empty: name a user or leave it out.`);
  return values[0];
}

/** The user a requestor consumer acts for; refusals are about an authentic caller, hence 403. */
async function requestedUser(deps: TwoLeggedDeps, consumer: ConsumerRow, username: string): Promise<UserRow> {
  if (!consumer.requestor) {
    throw new OAuth1Problem('permission_denied', { advice: `This consumer may not act for a user (${REQUESTOR_PARAMETER}).` });
  }
  const user = await deps.store.users.findByUsername(username);
  if (!user || !user.enabled) throw new OAuth1Problem('permission_denied', { advice: `${REQUESTOR_PARAMETER} names no enabled user.` });
  return user;
}

async function verifyTwoLegged(ctx: Context, deps: TwoLeggedDeps): Promise<Identity | null> {
  const request = await readSignedRequest(ctx, deps, 'two_legged');
  // A token makes it a three-legged request: the `oauth1` check's, if the route takes those.
  if (request.params.token !== null) return null;
  const requestorId = requestorIdOf(request.collected.pairs);
  const known = await findConsumer(deps, request.params.consumerKey);
  const { consumer } = known;
  requireValidSignature(ctx, deps, request, credentialsOf(known), null);
  await requireFreshNonce(deps, request.params);

  const user = requestorId === null ? null : await requestedUser(deps, consumer, requestorId);
  return {
    protocol: 'oauth1',
    userId: user?.id ?? null,
    username: user?.username ?? null,
    clientId: consumer.key,
    scopes: [],
    // Acting for a user, the consumer holds what a three-legged token of that user would give it.
    privileges: await privilegesOf(deps.store, user ? (user.profileId ?? consumer.profileId) : consumer.profileId),
    // Nothing is issued and nothing cached: the signature is good for this request only.
    expiresAt: deps.clock(),
  };
}

export function oauth1TwoLeggedCheck(deps: TwoLeggedDeps): CredentialCheck {
  return async function verifyOAuth1TwoLegged(ctx: Context): Promise<Identity | null> {
    try {
      if (!(await hasOAuthCredentials(ctx, deps))) return null;
      // An OAuth 1.0a client understands problem reports.
      return await answeringIn(ctx, 'oauth1', () => verifyTwoLegged(ctx, deps));
    } catch (err) {
      noteRefusal(err, ctx, deps);
      throw err;
    }
  };
}
