import type { Clock } from '../../clock';
import type { Logger } from '../../http/logger';
import type { ClientRow, UserRow } from '../../storage/types';
import type { FamilyRevocation, FamilyTables } from '../families';
import type { IssuedTokens, TokenIssuer } from '../issue';
import type { TokenParams } from '../params';
import type { OAuth1Signature } from '../token-exchange/types';

/** Who a token is about to be issued to: the client, and the resource owner when there is one. */
export interface GrantSubject {
  client: ClientRow;
  user: UserRow | null;
}

/** One token request as a grant sees it: no Koa, no gateway, only what the dispatcher established. */
export interface GrantRequest {
  /** Already authenticated, and registered for this grant. */
  client: ClientRow;
  params: TokenParams;
  /** The caller's address, for rate limits. */
  clientAddress: string;
  /**
   * A policy of the endpoint the request came through, run once the subject is known and before
   * anything is issued (the ClearPass API demands the "Allow API Access" privilege). Throws to refuse.
   */
  admit?: (subject: GrantSubject) => Promise<void>;
  /** The request's OAuth 1.0a signature, when it came through the token endpoint (token exchange of an OAuth 1.0a token). */
  oauth1Signature?: OAuth1Signature;
  /** The issuer identifier the request was answered under, when the endpoint knows it (a token exchange's audience). */
  issuer?: string;
}

/** What a grant may read to find the client itself, before RFC 6749 client authentication. */
export type ClientProofRequest = Pick<GrantRequest, 'params' | 'oauth1Signature'>;

/** What names a grant before it is built: enough for the dispatcher's checks, metrics and metadata. */
export interface GrantType {
  /** The grant_type parameter value. */
  readonly grantType: string;
  /** The name a client is registered with for this grant (ClientRow.grants). */
  readonly registeredAs: string;
  /** Short name for metrics. */
  readonly metricName: string;
}

/**
 * One grant type (RFC 6749 section 4 and extensions), built over the narrow interface its module
 * declares (the tables it reads, the token issuer, the clock...): one module each, behind one
 * dispatcher, and testable without a server.
 */
export interface Grant extends GrantType {
  handle(request: GrantRequest): Promise<IssuedTokens>;
  /**
   * For a grant whose request may prove the client otherwise (the bridge: an OAuth 1.0a signature
   * by a consumer linked to the client): the client, or null to authenticate it as usual.
   */
  clientOf?(request: ClientProofRequest): Promise<ClientRow | null>;
}

/**
 * The tables a grant reads and writes, and transactions over the same tables: a slice of the store,
 * so a grant can be given the store itself or anything that keeps the same contract.
 */
export type GrantStore<Tables> = Tables & {
  transaction<T>(fn: (tx: Tables) => Promise<T>): Promise<T>;
};

/**
 * A grant that redeems something once (a code, a refresh token, a device code): the redemption and
 * the tokens it issues commit in one transaction.
 */
export interface RedeemingGrantDeps<Tables> {
  store: GrantStore<Tables>;
  issuer: Pick<TokenIssuer, 'issueIn'>;
  clock: Clock;
}

/** A redeeming grant that answers a replay by revoking what the first redemption issued, and says so. */
export interface ReplayRevokingGrantDeps<Tables extends FamilyTables> extends RedeemingGrantDeps<Tables>, FamilyRevocation {
  store: GrantStore<Tables>;
  logger: Pick<Logger, 'warn'>;
}
