import type { Context, Next } from '../http/context';
import type { GatewayDeps } from '../deps';
import { cors } from '../cors';
import { fromEarlierStep, type Endpoint } from '../http/endpoint';
import { answersIn } from '../http/error-format';
import { noStore } from '../http/middleware/no-store';
import { routeName } from '../http/middleware/route-name';
import { requireBearer } from '../oauth2/bearer';
import { negotiateJson } from './accept';
import { hasApiAccess } from './api-access';
import { noApiAccess } from './problem';

export const CLEARPASS_PRIVILEGES_PATH = '/api/oauth/privileges';

const privilegesOf = (ctx: Context) => fromEarlierStep(ctx.state.identity, 'requireBearer').privileges;

/** The token's user (or client) must have API access even to read its own privileges. */
async function refuseWithoutApiAccess(ctx: Context, next: Next): Promise<void> {
  if (!hasApiAccess(privilegesOf(ctx))) throw noApiAccess();
  await next();
}

async function answerPrivileges(ctx: Context): Promise<void> {
  ctx.body = { privileges: privilegesOf(ctx) };
}

/** GET /api/oauth/privileges: the privileges of the token's user (or client) from its profile. */
export function clearpassPrivilegesEndpoint(deps: GatewayDeps): Endpoint {
  return {
    paths: [CLEARPASS_PRIVILEGES_PATH],
    common: [routeName('clearpass.privileges'), answersIn('problem-details'), cors({ allowedOrigins: deps.config.cors.allowedOrigins, methods: ['GET'] })],
    methods: { GET: [negotiateJson, requireBearer(deps), refuseWithoutApiAccess, noStore, answerPrivileges] },
  };
}
