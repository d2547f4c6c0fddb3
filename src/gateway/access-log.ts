import type { Context } from '../http/context';
import type { GatewayDeps } from '../deps';
import { parameterNames } from '../http/form';
import { redactQuery, writeInfoLine, type Logger } from '../http/logger';
import type { Route } from './routes';
import type { Identity } from '../identity';
import { clientAddress } from '../http/client-address';

// Header names that carry credentials or session state: their values never reach a log line.
const secretHeader = /^(authorization|proxy-authorization|cookie|set-cookie)$|token|secret|password|session|signature|api-?key/i;

function sanitizedHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = secretHeader.test(name) ? '[redacted]' : value;
  }
  return out;
}

// What JSON.stringify escapes in a string: controls, quote, backslash, and (lone) surrogates.
const needsEscape = /[\u0000-\u001f"\\\ud800-\udfff]/;

/** A value as pino writes it: JSON, and nothing (the field left out) for undefined. */
function jsonField(name: string, value: string | null | undefined): string {
  if (value === undefined) return '';
  return `,"${name}":${value === null ? 'null' : needsEscape.test(value) ? JSON.stringify(value) : '"' + value + '"'}`;
}

/** A number as JSON.stringify writes it (null for NaN and infinities). */
function jsonNumber(value: number | null): string {
  return value !== null && Number.isFinite(value) ? String(value) : 'null';
}

/**
 * Math.round(ms * 10) / 10 as JSON.stringify writes it, made from two integers: V8 caches the strings
 * of small integers, while writing a fraction's shortest form runs its double-to-decimal conversion
 * (about half a microsecond for the two durations of every access line). For a whole number of
 * tenths below 2^53 the shortest form of tenths / 10 is exactly "whole.digit".
 */
function jsonTenths(ms: number): string {
  const tenths = Math.round(ms * 10);
  if (!(tenths >= 0 && tenths <= Number.MAX_SAFE_INTEGER)) return jsonNumber(tenths / 10);
  const digit = tenths % 10;
  const whole = (tenths - digit) / 10;
  return digit === 0 ? String(whole) : String(whole) + '.' + String(digit);
}

/**
 * The fields of a standard proxied line (no failure) as JSON, in logExchange's order: reqId, method,
 * url, ms, route, status, outcome, upstreamMs, bytes, clientAddress, then user and clientId or
 * consumerKey. test/unit/access-line.test.ts checks it against pino's line for the same facts.
 */
function leanFields(deps: GatewayDeps, ctx: Context, facts: ExchangeFacts): string {
  let out =
    jsonField('reqId', ctx.state.requestId) +
    jsonField('method', ctx.method) +
    jsonField('url', redactQuery(ctx.originalUrl)) +
    `,"ms":${jsonTenths(facts.totalMs)}` +
    jsonField('route', facts.route.name) +
    `,"status":${jsonNumber(facts.status)}` +
    jsonField('outcome', facts.outcome) +
    `,"upstreamMs":${facts.upstreamMs === null ? 'null' : jsonTenths(facts.upstreamMs)}` +
    `,"bytes":${jsonNumber(facts.bytes)}` +
    jsonField('clientAddress', clientAddress(ctx, deps.config.server.trustedProxies));
  const { identity } = facts;
  if (identity) {
    if (identity.username) out += jsonField('user', identity.username);
    out += jsonField(identity.protocol === 'oauth1' ? 'consumerKey' : 'clientId', identity.clientId);
  }
  return out;
}

export interface ExchangeFacts {
  route: Route;
  outcome: string;
  status: number;
  upstreamMs: number | null;
  bytes: number | null;
  failure: string | null;
  /** From the gateway router taking the request to the end of the response. */
  totalMs: number;
  /** Who the route's credential check said is calling (null: a public route). */
  identity: Identity | null;
}

/**
 * The access line of a proxied request (ClearPass "API Logging"): route, status, upstream time and
 * bytes, outcome, the client's address and who called (user, clientId or consumerKey) at the standard level; the request's method, path, parameter names and sanitized headers,
 * and the response's size, at the extended level. Never a credential value.
 */
export function logExchange(deps: GatewayDeps, log: Logger, ctx: Context, facts: ExchangeFacts): void {
  // The common line (standard level, info) is serialised here, field by field, rather than by pino:
  // the same fields in the same order, the values JSON.stringify'd as pino does (leanFields above).
  const extended = deps.config.log.api === 'extended';
  if (!extended && facts.status < 500 && !facts.failure && writeInfoLine(log, leanFields(deps, ctx, facts), '"proxied"')) {
    ctx.state.accessLogged = true;
    return;
  }
  const line: Record<string, unknown> = {
    reqId: ctx.state.requestId,
    method: ctx.method,
    url: redactQuery(ctx.originalUrl),
    ms: Math.round(facts.totalMs * 10) / 10,
    route: facts.route.name,
    status: facts.status,
    outcome: facts.outcome,
    upstreamMs: facts.upstreamMs === null ? null : Math.round(facts.upstreamMs * 10) / 10,
    bytes: facts.bytes,
    clientAddress: clientAddress(ctx, deps.config.server.trustedProxies),
  };
  const { identity } = facts;
  if (identity) {
    if (identity.username) line.user = identity.username;
    if (identity.protocol === 'oauth1') line.consumerKey = identity.clientId;
    else line.clientId = identity.clientId;
  }
  if (facts.failure) line.failure = facts.failure;
  if (extended) {
    line.request = {
      method: ctx.method,
      path: ctx.path,
      // Names only: values may be credentials (oauth_signature, access_token) or personal data.
      query: parameterNames(ctx.querystring),
      headers: sanitizedHeaders(ctx.req.headers),
    };
    line.response = { status: facts.status, bytes: facts.bytes };
  }
  if (facts.status >= 500 || facts.failure) log.warn(line, 'proxied');
  else log.info(line, 'proxied');
  // Tells the request-context middleware this request already has its access line.
  ctx.state.accessLogged = true;
}
