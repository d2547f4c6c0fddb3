import type { Context } from '../../http/context';
import type { GatewayDeps } from '../../deps';
import type { ConsumerRow, Repositories } from '../../storage/types';
import { randomToken, tokenDigest } from '../../crypto';
import { publicBase } from '../../http/public-base';

/**
 * Issuing the session extension's pair: a session (named by oauth_session_handle, the user's
 * authorization of this consumer) and an access token under it. Values go to the client once;
 * the store keeps digests, and the token secret sealed (HMAC-SHA1 needs it back).
 */

type IssueDeps = Pick<GatewayDeps, 'config' | 'secrets'>;

export interface IssuedAccess {
  token: string;
  secret: string;
  sessionHandle: string;
  userId: string;
  expiresAt: number;
  sessionExpiresAt: number;
}

export interface SessionRef {
  handle: string;
  handleDigest: string;
  expiresAt: number;
}

/** A new access token under an existing session; it never outlives the session. */
export async function issueAccessToken(
  tx: Repositories,
  deps: IssueDeps,
  input: { consumer: ConsumerRow; userId: string; session: SessionRef; now: number },
): Promise<IssuedAccess> {
  const { consumer, userId, session, now } = input;
  const token = randomToken();
  const secret = randomToken();
  const ttlMs = (consumer.accessTtl ?? deps.config.lifetimes.oauth1AccessToken) * 1000;
  const expiresAt = Math.min(now + ttlMs, session.expiresAt);
  await tx.oauth1AccessTokens.insert({
    digest: tokenDigest(token),
    sessionDigest: session.handleDigest,
    consumerKey: consumer.key,
    userId,
    secretEnc: deps.secrets.seal(secret),
    expiresAt,
    revokedAt: null,
    createdAt: now,
  });
  return { token, secret, sessionHandle: session.handle, userId, expiresAt, sessionExpiresAt: session.expiresAt };
}

/** A new session and its first access token (access_token and xauth_access_token). */
export async function issueSessionAndToken(
  tx: Repositories,
  deps: IssueDeps,
  input: { consumer: ConsumerRow; userId: string; now: number },
): Promise<IssuedAccess> {
  const handle = randomToken();
  const session: SessionRef = {
    handle,
    handleDigest: tokenDigest(handle),
    expiresAt: input.now + deps.config.lifetimes.oauth1Session * 1000,
  };
  await tx.oauth1Sessions.insert({
    handleDigest: session.handleDigest,
    consumerKey: input.consumer.key,
    userId: input.userId,
    expiresAt: session.expiresAt,
    revokedAt: null,
    createdAt: input.now,
  });
  return issueAccessToken(tx, deps, { ...input, session });
}

const secondsUntil = (at: number, now: number) => String(Math.max(0, Math.floor((at - now) / 1000)));

/** The WebEx Social answer of access_token, refresh_access_token and xauth_access_token. */
export function accessAnswer(ctx: Context, deps: Pick<GatewayDeps, 'config' | 'origin'>, issued: IssuedAccess, now: number): Array<[string, string]> {
  const apiBaseUrl = deps.config.oauth1.apiBaseUrl ?? `${publicBase(ctx, deps)}/api`;
  return [
    ['oauth_token', issued.token],
    ['oauth_token_secret', issued.secret],
    ['oauth_session_handle', issued.sessionHandle],
    ['oauth_expires_in', secondsUntil(issued.expiresAt, now)],
    ['oauth_authorization_expires_in', secondsUntil(issued.sessionExpiresAt, now)],
    ['xoauth_user_id', issued.userId],
    [deps.config.oauth1.apiBaseUrlParameter, apiBaseUrl],
  ];
}
