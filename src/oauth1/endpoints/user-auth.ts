import type { Context } from '../../http/context';
import type { GatewayDeps } from '../../deps';
import type { Endpoint } from '../../http/endpoint';
import { answersIn } from '../../http/error-format';
import { routeName } from '../../http/middleware/route-name';
import type { ConsumerRow, RequestTokenRow } from '../../storage/types';
import { randomToken, tokenDigest } from '../../crypto';
import {
  PageError,
  consentPage,
  decisionField,
  formTargetFor,
  loadSession,
  messagePage,
  openPageForm,
  pageFormOf,
  requireLogin,
  seeOther,
  sendPage,
  oobVerifierPage,
} from '../../pages';
import { callbackDestination, callbackRefusal } from '../callback';
import { exceedsCap } from '../../http/parameter-limits';
import { percentEncode } from '../encoding';
import { formatOobVerifier, generateOobVerifier } from '../oob-verifier';

/**
 * Resource owner authorization (RFC 5849 section 2.2, WebEx "Get User Authorization"): the user
 * signs in, sees which consumer asks, and allows or denies. The answer goes to the callback given
 * at request_token, or onto the page for "oob". A request token is decided once, by one user
 * (the store's authorize/deny are atomic). Nothing here ever redirects for a token we can't vouch
 * for: those get an error page.
 */

type Deps = Pick<GatewayDeps, 'config' | 'store' | 'cache' | 'clock' | 'metrics' | 'bufferedBodies'>;

/** The two names of the page (WebEx's user_auth; RFC 5849's authorize). */
const USER_AUTH_PATHS = ['/oauth/user_auth', '/oauth/authorize'];

const linkInvalid = () =>
  new PageError(400, 'This authorization link is not valid', 'The link is unknown, expired or already used. Go back to the application and start again.');

function requestTokenParameter(ctx: Context): string {
  const value = ctx.query.oauth_token;
  // An oversized token is not one of ours: refused before any lookup.
  if (typeof value !== 'string' || value === '' || exceedsCap('oauth_token', value)) throw linkInvalid();
  return value;
}

interface Pending {
  token: string;
  record: RequestTokenRow;
  consumer: ConsumerRow;
}

/** The request token named in the query, while it is still waiting for the user's decision. */
async function pendingRequest(ctx: Context, deps: Deps): Promise<Pending> {
  const token = requestTokenParameter(ctx);
  const record = await deps.store.requestTokens.find(tokenDigest(token));
  const undecided = record && record.authorizedAt === null && record.deniedAt === null && record.usedAt === null;
  if (!record || !undecided || record.expiresAt <= deps.clock()) throw linkInvalid();
  const consumer = await deps.store.consumers.findByKey(record.consumerKey);
  if (!consumer || !consumer.enabled) throw linkInvalid();
  // The registration may have been tightened since request_token: hold the token to today's.
  if (callbackRefusal(record.callback, consumer) !== null) throw linkInvalid();
  return { token, record, consumer };
}

/** Appends parameters to the callback, keeping its own query and fragment as they are. */
export function callbackWith(callback: string, params: ReadonlyArray<readonly [string, string]>): string {
  const hash = callback.indexOf('#');
  const base = hash < 0 ? callback : callback.slice(0, hash);
  const fragment = hash < 0 ? '' : callback.slice(hash);
  const query = params.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return base + separator + query + fragment;
}

function formTargets(callback: string): string[] {
  const target = callback === 'oob' ? null : formTargetFor(callback);
  return target ? [target] : [];
}

/** GET /oauth/user_auth?oauth_token=...: sign in if needed, then the consent page. */
function showUserAuthEndpoint(deps: Deps) {
  return async function showUserAuth(ctx: Context): Promise<void> {
    const { token, record, consumer } = await pendingRequest(ctx, deps);
    const user = await requireLogin(ctx, deps, { continueTo: ctx.originalUrl, appName: consumer.name, formTargets: formTargets(record.callback) });
    if (!user) return;
    const session = await loadSession(ctx, deps);
    const page = consentPage({
      appName: consumer.name,
      username: user.username,
      destination: callbackDestination(record.callback),
      // An access token lives accessTtl; the session extension renews it without the user until the session ends.
      lasts: {
        accessSeconds: consumer.accessTtl ?? deps.config.lifetimes.oauth1AccessToken,
        renewal: { seconds: deps.config.lifetimes.oauth1Session, sliding: false },
      },
      remembered: false,
      action: `${ctx.path}?oauth_token=${percentEncode(token)}`,
      csrfToken: await session.csrfToken(),
    });
    // The decision's 303 goes to the callback: CSP form-action must allow that hop.
    sendPage(ctx, page, { formTargets: formTargets(record.callback) });
    ctx.state.outcome = 'ok';
  };
}

/** POST /oauth/user_auth?oauth_token=...: the consent form's decision, after openPageForm (the session's CSRF token). */
function decideUserAuthEndpoint(deps: Deps) {
  return async function decideUserAuth(ctx: Context): Promise<void> {
    const form = pageFormOf(ctx).fields;
    const { token, record, consumer } = await pendingRequest(ctx, deps);
    const user = await requireLogin(ctx, deps, { continueTo: ctx.originalUrl, appName: consumer.name, formTargets: formTargets(record.callback) });
    if (!user) return;
    const decision = form.get(decisionField);
    const now = deps.clock();

    if (decision === 'approve') {
      // A person types an oob verifier: short, with its guesses limited at access_token. One that
      // travels in the callback URL is a full-length token.
      const oob = record.callback === 'oob';
      const verifier = oob ? generateOobVerifier() : randomToken();
      if (!(await deps.store.requestTokens.authorize(record.digest, user.id, tokenDigest(verifier), now))) throw linkInvalid();
      ctx.state.log?.info({ consumerKey: consumer.key, userId: user.id }, 'oauth1 request token authorized');
      ctx.state.outcome = 'ok';
      deps.metrics.consentDecisions.inc({ protocol: 'oauth1', decision: 'approve' });
      if (oob) return sendPage(ctx, oobVerifierPage({ appName: consumer.name, verifier: formatOobVerifier(verifier) }), { scripts: true });
      return seeOther(ctx, callbackWith(record.callback, [['oauth_token', token], ['oauth_verifier', verifier]]));
    }
    if (decision === 'deny') {
      if (!(await deps.store.requestTokens.deny(record.digest, now))) throw linkInvalid();
      ctx.state.log?.info({ consumerKey: consumer.key, userId: user.id }, 'oauth1 request token denied');
      ctx.state.outcome = 'denied';
      deps.metrics.consentDecisions.inc({ protocol: 'oauth1', decision: 'deny' });
      if (record.callback === 'oob') {
        return sendPage(ctx, messagePage({ title: 'Access denied', message: `${consumer.name} was not given access to your account.` }));
      }
      return seeOther(ctx, callbackWith(record.callback, [['oauth_problem', 'permission_denied'], ['oauth_token', token]]));
    }
    throw new PageError(400, 'Something is wrong with this request', 'The form did not say whether to allow or deny. Go back and try again.');
  };
}

/** The resource owner authorization page: a browser page, so it answers with pages. */
export function userAuthEndpoint(deps: Deps): Endpoint {
  return {
    paths: USER_AUTH_PATHS,
    common: [routeName('oauth1.user_auth'), answersIn('page')],
    methods: {
      GET: [showUserAuthEndpoint(deps)],
      POST: [openPageForm(deps, { csrf: 'session' }), decideUserAuthEndpoint(deps)],
    },
  };
}
