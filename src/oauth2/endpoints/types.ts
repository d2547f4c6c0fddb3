import type { Endpoint } from '../../http/endpoint';

/**
 * What an endpoint announces in the authorization server metadata (RFC 8414 section 2): its URL
 * under a metadata name, and the capabilities that are its to state. The metadata document is
 * made of these and nothing else, so it can name only what is mounted.
 */
export interface Announcement {
  /** The metadata name of the endpoint's URL (token_endpoint, revocation_endpoint, ...): its first path under the issuer. */
  as: string;
  /** Its capabilities (auth methods, response types, grant types, ...); lists several endpoints give are joined. */
  supports?: Readonly<Record<string, readonly string[]>>;
  /** Its yes/no facts (require_pushed_authorization_requests, ...), as booleans. */
  flags?: Readonly<Record<string, boolean>>;
}

/**
 * An OAuth 2.0 endpoint module's export. `announces` is required, null for what the metadata has no
 * name for (pages, whoami, the metadata itself): a new endpoint can't be added and forgotten there.
 */
export interface OAuth2Endpoint extends Endpoint {
  announces: Announcement | null;
}
