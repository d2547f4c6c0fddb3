import Router from '@koa/router';
import type { RequestState } from '../../http/context';
import type { GatewayDeps } from '../../deps';
import { mountEndpoint } from '../../http/endpoint';
import { authorizationEndpoint } from './authorize';
import { authorizationDecisionEndpoint } from './authorize-decision';
import { authorizationResumeEndpoint } from './authorize-resume';
import { deviceAuthorizationEndpoint } from './device-authorization';
import { deviceConfirmEndpoint } from './device-confirm';
import { deviceDoneEndpoint } from './device-done';
import { deviceEntryEndpoint } from './device-entry';
import { introspectionEndpoint } from './introspect';
import { metadataEndpoint } from './metadata';
import { pushedAuthorizationRequestEndpoint } from './par';
import { revocationEndpoint } from './revoke';
import { tokenEndpoint } from './token';
import type { OAuth2Endpoint } from './types';
import { whoamiEndpoint } from './whoami';
import { jwksEndpoint } from './jwks';
import { userinfoEndpoint } from './userinfo';
import { openidConfigurationEndpoint } from './openid-configuration';
import { endSessionEndpoint } from './end-session';
import { requireBearer } from '../bearer';

/**
 * Every OAuth 2.0 endpoint of the gateway: the browser flows (authorization code and implicit, the
 * device flow's pages), the token side, and the metadata, which announces exactly the others.
 */
export function oauth2Endpoints(deps: GatewayDeps): OAuth2Endpoint[] {
  const endpoints = [
    authorizationEndpoint(deps),
    authorizationResumeEndpoint(deps),
    authorizationDecisionEndpoint(deps),
    pushedAuthorizationRequestEndpoint(deps),
    tokenEndpoint(deps),
    introspectionEndpoint(deps),
    revocationEndpoint(deps),
    deviceAuthorizationEndpoint(deps),
    deviceEntryEndpoint(deps),
    deviceConfirmEndpoint(deps),
    deviceDoneEndpoint,
    whoamiEndpoint(deps),
    jwksEndpoint(deps),
    userinfoEndpoint(deps, (scopes) => requireBearer(deps, { scopes })),
    endSessionEndpoint(deps),
  ];
  return [...endpoints, metadataEndpoint(deps, endpoints), openidConfigurationEndpoint(deps, endpoints)];
}

/** The one place the OAuth 2.0 endpoints are mounted. */
export function oauth2Router(deps: GatewayDeps, endpoints = oauth2Endpoints(deps)): Router<RequestState> {
  const router = new Router<RequestState>();
  for (const endpoint of endpoints) mountEndpoint(router, endpoint);
  return router;
}

export type { Announcement, OAuth2Endpoint } from './types';
