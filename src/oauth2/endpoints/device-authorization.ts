import type { Context, Middleware, Next } from '../../http/context';
import type { GatewayDeps } from '../../deps';
import { randomToken, tokenDigest } from '../../crypto';
import { answersIn } from '../../http/error-format';
import { noStore } from '../../http/middleware/no-store';
import { routeName } from '../../http/middleware/route-name';
import { MAX_REQUEST_BYTES, exceedsCap, oversizedDescription, parameterCap } from '../../http/parameter-limits';
import { DuplicateError, type DeviceCodeRow } from '../../storage/types';
import { formatUserCode, generateUserCode } from '../device/codes';
import { ENTRY_PATH } from '../device/paths';
import { OAuth2Error } from '../errors';
import { issuerFor } from '../issuer';
import { authenticateClient, clientCredentialsOf, clientOf, readClientCredentials } from '../middleware/authenticate-client';
import { readTokenParams, tokenParamsOf } from '../middleware/read-token-params';
import { formatScope, grantScope, parseScope } from '../scope';
import type { OAuth2Endpoint } from './types';

export const DEVICE_AUTHORIZATION_PATH = '/oauth2/device_authorization';

/** A user code collides with a live one about never; a few fresh draws make it never. */
const userCodeAttempts = 5;

/** Where the user goes: our code entry page, absolute (the device shows it to be typed elsewhere). */
function verificationUri(ctx: Context, deps: Pick<GatewayDeps, 'origin'>): string {
  return issuerFor(ctx, deps) + ENTRY_PATH;
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

/** The same caps as the authorization endpoint's, before the client is looked up. */
async function refuseOversized(ctx: Context, next: Next): Promise<void> {
  const values = [['client_id', clientCredentialsOf(ctx)?.clientId], ['scope', tokenParamsOf(ctx).get('scope')]] as const;
  for (const [name, value] of values) {
    if (value !== undefined && exceedsCap(name, value)) throw new OAuth2Error('invalid_request', oversizedDescription({ name, inName: false, cap: parameterCap(name) }));
  }
  await next();
}

async function requireDeviceGrant(ctx: Context, next: Next): Promise<void> {
  if (!clientOf(ctx).grants.includes('device_code')) {
    throw new OAuth2Error('unauthorized_client', 'This client is not allowed to use the device authorization grant.');
  }
  await next();
}

function startDeviceAuthorization(deps: GatewayDeps): Middleware {
  const { config } = deps;
  return async function startDeviceAuthorization(ctx: Context): Promise<void> {
    const client = clientOf(ctx);
    const scope = grantScope(parseScope(tokenParamsOf(ctx).get('scope')), client.scopes);
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
    ctx.body = {
      device_code: deviceCode,
      user_code: shown,
      verification_uri: verification,
      verification_uri_complete: `${verification}?user_code=${encodeURIComponent(shown)}`,
      expires_in: expiresIn,
      interval,
    };
    ctx.state.outcome = 'ok';
    ctx.state.log?.info({ clientId: client.clientId }, 'oauth2 device authorization started');
  };
}

/**
 * POST /oauth2/device_authorization (RFC 8628 section 3.1/3.2). The client authenticates as at the
 * token endpoint (a public client by its id) and must be registered for the device grant. The
 * device's polling is a grant of the token endpoint.
 */
export function deviceAuthorizationEndpoint(deps: GatewayDeps): OAuth2Endpoint {
  const { config } = deps;
  return {
    paths: [DEVICE_AUTHORIZATION_PATH],
    common: [routeName('oauth2.device_authorization'), answersIn('oauth2')],
    methods: {
      POST: [
        readTokenParams({ bodyLimitBytes: Math.min(MAX_REQUEST_BYTES, config.server.bodyLimitBytes), bodies: deps.bufferedBodies, query: false }),
        readClientCredentials(config.oauth2.realm),
        refuseOversized,
        authenticateClient(deps, { confidentialOnly: false }),
        requireDeviceGrant,
        noStore,
        startDeviceAuthorization(deps),
      ],
    },
    announces: { as: 'device_authorization_endpoint' },
  };
}
