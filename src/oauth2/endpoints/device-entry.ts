import type { Context, Middleware } from '../../http/context';
import type { GatewayDeps } from '../../deps';
import { clientAddress } from '../../http/client-address';
import { answersIn } from '../../http/error-format';
import { routeName } from '../../http/middleware/route-name';
import { retryAfter } from '../../http/protocol-error';
import { PageError, browserCsrfToken, checkedBrowserCsrfOf, deviceCodePage, openPageForm, pageFormOf, seeOther, sendPage, userCodeField } from '../../pages';
import { normaliseUserCode } from '../device/codes';
import { ENTRY_PATH } from '../device/paths';
import { confirmPath, isUndecided, signPendingDevice } from '../device/pending';
import type { OAuth2Endpoint } from './types';

const wrongCode = 'That code is not valid or has expired. Check the code on your device and try again.';

function showEntry(ctx: Context, deps: GatewayDeps, input: { userCode?: string; problem?: string; status?: number }): void {
  // Anyone may open this page: its form carries the browser's gw_csrf token, not a session's.
  sendPage(ctx, deviceCodePage({ csrfToken: browserCsrfToken(ctx, deps), action: ENTRY_PATH, userCode: input.userCode, problem: input.problem }), {
    status: input.status,
  });
}

/** GET: the code entry page, prefilled from verification_uri_complete's ?user_code=. */
function showDeviceEntry(deps: GatewayDeps): Middleware {
  return async function showDeviceEntry(ctx: Context): Promise<void> {
    const prefill = ctx.query.user_code;
    showEntry(ctx, deps, { userCode: typeof prefill === 'string' && prefill.length <= 32 ? prefill : undefined });
    ctx.state.outcome = 'ok';
  };
}

/**
 * POST: the typed code. Limited per address (429 past the limit); a code that is live and undecided
 * leads on (303) to sign-in and the approve-or-deny page, in a ticket bound to this browser.
 */
function submitDeviceEntry(deps: GatewayDeps): Middleware {
  return async function submitDeviceEntry(ctx: Context): Promise<void> {
    const form = pageFormOf(ctx).fields;
    const limit = deps.deviceEntryLimit;
    const address = clientAddress(ctx, deps.config.server.trustedProxies);
    const wait = await limit.admit(address);
    if (wait !== null) {
      const minutes = Math.ceil(wait / 60);
      throw new PageError(429, 'Too many attempts', `Too many wrong codes were entered. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`, retryAfter(wait));
    }
    const typed = form.get(userCodeField) ?? '';
    const userCode = normaliseUserCode(typed);
    const code = userCode ? await deps.store.deviceCodes.findByUserCode(userCode) : null;
    if (code !== null) await limit.notAGuess(address);
    if (!isUndecided(code, deps.clock())) {
      ctx.state.outcome = 'rejected';
      return showEntry(ctx, deps, { userCode: typed.slice(0, 32), problem: wrongCode, status: 400 });
    }
    seeOther(ctx, confirmPath(signPendingDevice(ctx, deps, code, checkedBrowserCsrfOf(ctx))));
  };
}

/** /device: where the user types the code the device shows (RFC 8628 verification_uri). */
export function deviceEntryEndpoint(deps: GatewayDeps): OAuth2Endpoint {
  return {
    paths: [ENTRY_PATH],
    common: [routeName('oauth2.device'), answersIn('page')],
    methods: {
      GET: [showDeviceEntry(deps)],
      POST: [openPageForm(deps, { csrf: 'browser' }), submitDeviceEntry(deps)],
    },
    announces: null,
  };
}
