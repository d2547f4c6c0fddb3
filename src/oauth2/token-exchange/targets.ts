import { OAuth2Error } from '../errors';
import type { TokenParams } from '../params';

const invalidTarget = () =>
  new OAuth2Error('invalid_target', 'This gateway issues tokens only for itself: audience must be its issuer identifier, resource a URL under it.');

/**
 * RFC 8693 section 2.1 audience and RFC 8707 resource: the gateway is the one target its tokens are
 * good for (its protected routes), so it names that target and no other. A token is not bound to a
 * narrower target than the gateway (see README, "Token exchange").
 */
export function requireOwnTarget(params: TokenParams, issuer: string | undefined): void {
  const audience = params.get('audience');
  const resource = params.get('resource');
  if (audience === undefined && resource === undefined) return;
  if (issuer === undefined) throw invalidTarget();
  const base = issuer.replace(/\/+$/, '');
  if (audience !== undefined && audience !== base && audience !== `${base}/`) throw invalidTarget();
  if (resource === undefined) return;
  let url: URL;
  try {
    url = new URL(resource);
  } catch {
    throw new OAuth2Error('invalid_target', 'The resource must be an absolute URI (RFC 8707).');
  }
  if (url.hash !== '' || resource.includes('#')) throw new OAuth2Error('invalid_target', 'The resource must not have a fragment (RFC 8707).');
  if (resource !== base && !resource.startsWith(`${base}/`)) throw invalidTarget();
}
