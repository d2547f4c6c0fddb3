import type { Next, ParameterizedContext } from 'koa';
import type { Identity } from '../identity';
import type { ClientCredentials } from '../oauth2/client-auth';
import type { TokenParams } from '../oauth2/params';
import type { PageForm } from '../pages/form';
import type { ClientRow, ConsumerRow } from '../storage/types';
import type { BrowserSession } from '../pages/session';
import type { PageChrome } from '../pages/templates/layout';
import type { RawBody } from './body';
import type { ErrorFormat } from './error-format';
import type { Logger } from './logger';
import type { Span } from '@opentelemetry/api';

/**
 * Everything a request carries in ctx.state, declared: Koa's own DefaultState admits any name, so
 * `ctx.state.routname = ...` would compile and silently do nothing. The gateway's code takes its
 * Context from here instead of from koa.
 */
export interface RequestState {
  /** The X-Request-Id of this exchange (request-context.ts). */
  readonly requestId: string;
  /** The request's child logger, bound to its id. */
  readonly log: Logger;
  /**
   * The socket peer's address, read when the request started: node detaches the socket from a request
   * whose connection closes (Connection: close, HTTP/1.0) before its access line is written.
   */
  readonly peer?: string;
  /** How the request ended, for the access log and metrics (issued, rejected, proxied, ...). */
  outcome?: string;
  /** The endpoint or route that took the request, for the access log and metrics. */
  routeName?: string;
  /** Set (to routeName) when one of the gateway's own endpoints took the request, not a proxied route. */
  endpoint?: string;
  /** The protocol error code the request was refused with (the error mapper), for the access line. */
  errorCode?: string;
  /** The format the route answers errors in (error-format.ts); the gateway's JSON when unset. */
  errorFormat?: ErrorFormat;
  /** The body, once read (http/body.ts): a signature check and the proxy share the same bytes. */
  rawBody?: RawBody;
  /** Who is calling, once a bearer token was verified (requireBearer). */
  identity?: Identity;
  /** Set once the response came from an upstream: the gateway's own headers are then not imposed. */
  proxied?: boolean;
  /** The request's server span, when tracing is on (src/tracing/). */
  span?: Span;
  /** Set when the proxy wrote this request's access line itself. */
  accessLogged?: boolean;
  /** The frame of the gateway's pages (branding), set for every request by pages/chrome.ts. */
  pageChrome?: PageChrome;
  /** The browser session, loaded once per request (pages/session.ts). */
  pageSession?: BrowserSession;
  /** A gw_csrf token made for this response, so a second form on the page gets the same one (pages/csrf.ts). */
  browserCsrfToken?: string;
  /** A page's POSTed form, once read and its CSRF token checked (openPageForm). */
  pageForm?: PageForm;
  /** The parameters of a token-side request (OAuth 2.0, ClearPass), once read (readTokenParams). */
  tokenParams?: TokenParams;
  /** The credentials the calling OAuth 2.0 client presented, once read (readClientCredentials). */
  clientCredentials?: ClientCredentials | null;
  /** The OAuth 2.0 client those credentials authenticated (authenticateClient). */
  client?: ClientRow;
  /** The oauth_consumer_key a signed OAuth 1.0a request named, known or not (readSignedRequest): the access line's. */
  consumerKey?: string;
  /**
   * The OAuth 1.0a consumer the store holds under that key (findConsumer), enabled or not, before
   * the signature is checked: the client label of gateway_oauth_errors_total (known keys only).
   */
  consumer?: ConsumerRow;
}

export type Context = ParameterizedContext<RequestState>;
export type Middleware = (ctx: Context, next: Next) => Promise<void>;
export type { Next };
