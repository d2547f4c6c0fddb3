import Router from '@koa/router';
import type { RequestState } from '../http/context';
import type { GatewayDeps } from '../deps';
import { cors } from '../cors';
import { answersIn } from '../http/error-format';
import { noStore } from '../http/security-headers';
import { authenticatedCaller } from './caller';
import { introspect } from './introspection';
import { readTokenParams } from './read-params';

export const INTROSPECTION_PATH = '/oauth2/introspect';

/** POST /oauth2/introspect (RFC 7662), for authenticated confidential clients, about their own tokens. */
export function introspectionRouter(deps: GatewayDeps): Router {
  const { config } = deps;
  const router = new Router<RequestState>();
  const allowCors = cors({ allowedOrigins: config.cors.allowedOrigins, methods: ['POST'] });
  router.options(INTROSPECTION_PATH, allowCors);
  router.post(INTROSPECTION_PATH, answersIn('oauth2'), allowCors, async (ctx) => {
    ctx.state.routeName = 'oauth2.introspect';
    const params = await readTokenParams(ctx, { bodyLimitBytes: config.server.bodyLimitBytes, query: false });
    const caller = await authenticatedCaller(deps, ctx, params, { confidentialOnly: true });
    const token = params.require('token');
    noStore(ctx);
    ctx.body = await introspect(deps.store, caller, token, params.get('token_type_hint'), deps.clock());
  });
  return router;
}
