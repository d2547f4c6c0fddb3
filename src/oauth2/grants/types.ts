import type { GatewayDeps } from '../../deps';
import type { ClientRow, UserRow } from '../../storage/types';
import type { IssuedTokens } from '../issue';
import type { TokenParams } from '../params';

/** Who a token is about to be issued to: the client, and the resource owner when there is one. */
export interface GrantSubject {
  client: ClientRow;
  user: UserRow | null;
}

export interface GrantRequest {
  deps: GatewayDeps;
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
}

/** One grant type (RFC 6749 section 4 and extensions): one module each, behind one dispatcher. */
export interface Grant {
  /** The grant_type parameter value. */
  readonly grantType: string;
  /** The name a client is registered with for this grant (ClientRow.grants). */
  readonly registeredAs: string;
  /** Short name for metrics. */
  readonly metricName: string;
  handle(request: GrantRequest): Promise<IssuedTokens>;
}
