import type { Context } from '../../http/context';
import type { GatewayDeps } from '../../deps';
import { randomToken, tokenDigest } from '../../crypto';
import { clientAddress } from '../../http/client-address';
import { MAX_REQUEST_BYTES, exceedsCap, oversizedDescription, parameterCap } from '../../http/parameter-limits';
import { noStore } from '../../http/security-headers';
import { DuplicateError, type DeviceCodeRow } from '../../storage/types';
import { issuerFor } from '../authorize/issuer';
import { authenticateClient, parseClientCredentials } from '../client-auth';
import { OAuth2Error } from '../errors';
import { readTokenParams } from '../read-params';
import { formatScope, grantScope, parseScope } from '../scope';
import { formatUserCode, generateUserCode } from './codes';

export { DEVICE_AUTHORIZATION_PATH } from '../metadata';
/** The page where the user types the code (RFC 8628 verification_uri). */
export const VERIFICATION_PATH = '/device';

/** A user code collides with a live one about never; a few fresh draws make it never. */
const userCodeAttempts = 5;

/** Where the user goes: our /device page, absolute (the device shows it to be typed elsewhere). */
export function verificationUri(ctx: Context, deps: Pick<GatewayDeps, 'origin'>): string {
  return issuerFor(ctx, deps) + VERIFICATION_PATH;
}

async function storeDeviceCode(deps: GatewayDeps, fields: Omit<DeviceCodeRow, 'userCode'>): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const userCode = generateUserCode();
    try {
      await deps.store.deviceCodes.insert({ ...fields, userCode });
      return userCode;
    } catch (err) {
      if (!(err instanceof DuplicateError) || attempt >= userCodeAttempts) throw err;
    }
  }
}

/**
 * POST /oauth2/device_authorization (RFC 8628 section 3.1/3.2). The client authenticates as at the
 * token endpoint (a public client by its id) and must be registered for the device grant.
 */
export function deviceAuthorizationEndpoint(deps: GatewayDeps) {
  const { config } = deps;
  return async function deviceAuthorization(ctx: Context): Promise<void> {
    ctx.state.routeName = 'oauth2.device_authorization';
    const params = await readTokenParams(ctx, { bodyLimitBytes: Math.min(MAX_REQUEST_BYTES, config.server.bodyLimitBytes), query: false });
    const credentials = parseClientCredentials(ctx.get('authorization') || undefined, params, config.oauth2.realm);
    // The same caps as the authorization endpoint's, before the client is looked up.
    for (const [name, value] of [['client_id', credentials?.clientId], ['scope', params.get('scope')]] as const) {
      if (value !== undefined && exceedsCap(name, value)) throw new OAuth2Error('invalid_request', oversizedDescription({ name, inName: false, cap: parameterCap(name) }));
    }
    const client = await authenticateClient(deps, credentials, clientAddress(ctx, config.server.trustedProxies));
    if (!client.grants.includes('device_code')) {
      throw new OAuth2Error('unauthorized_client', 'This client is not allowed to use the device authorization grant.');
    }
    const scope = grantScope(parseScope(params.get('scope')), client.scopes);
    const now = deps.clock();
    const deviceCode = randomToken();
    const expiresIn = config.lifetimes.deviceCode;
    const interval = config.oauth2.deviceCodeInterval;
    const userCode = await storeDeviceCode(deps, {
      digest: tokenDigest(deviceCode),
      clientId: client.clientId,
      scope: formatScope(scope),
      status: 'pending',
      userId: null,
      interval,
      lastPolledAt: null,
      expiresAt: now + expiresIn * 1000,
      consumedAt: null,
      createdAt: now,
    });
    const shown = formatUserCode(userCode);
    const verification = verificationUri(ctx, deps);
    noStore(ctx);
    ctx.body = {
      device_code: deviceCode,
      user_code: shown,
      verification_uri: verification,
      verification_uri_complete: `${verification}?user_code=${encodeURIComponent(shown)}`,
      expires_in: expiresIn,
      interval,
    };
    ctx.state.outcome = 'ok';
    ctx.state.log?.info({ client_id: client.clientId }, 'oauth2 device authorization started');
  };
}
