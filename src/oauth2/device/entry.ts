import type { Context } from '../../http/context';
import type { GatewayDeps } from '../../deps';
import { clientAddress } from '../../http/client-address';
import { retryAfter } from '../../http/protocol-error';
import type { DeviceCodeRow } from '../../storage/types';
import {
  PageError,
  browserCsrfToken,
  csrfFieldName,
  deviceCodePage,
  readPageForm,
  seeOther,
  sendPage,
  userCodeField,
  verifyBrowserCsrf,
} from '../../pages';
import { normaliseUserCode } from './codes';
import { confirmPath, signPendingDevice } from './pending';

export const ENTRY_PATH = '/device';
export { CONFIRM_PATH } from './pending';

export function isUndecided(code: DeviceCodeRow | null, now: number): code is DeviceCodeRow {
  return code !== null && code.status === 'pending' && code.consumedAt === null && code.expiresAt > now;
}

const wrongCode = 'That code is not valid or has expired. Check the code on your device and try again.';

function showEntry(ctx: Context, deps: GatewayDeps, input: { userCode?: string; problem?: string; status?: number }): void {
  // Anyone may open this page: its form carries the browser's gw_csrf token, not a session's.
  sendPage(ctx, deviceCodePage({ csrfToken: browserCsrfToken(ctx, deps), action: ENTRY_PATH, userCode: input.userCode, problem: input.problem }), {
    status: input.status,
  });
}

/** GET /device: the code entry page, prefilled from verification_uri_complete's ?user_code=. */
export function showEntryEndpoint(deps: GatewayDeps) {
  return async function showDeviceEntry(ctx: Context): Promise<void> {
    ctx.state.routeName = 'oauth2.device';
    const prefill = ctx.query.user_code;
    showEntry(ctx, deps, { userCode: typeof prefill === 'string' && prefill.length <= 32 ? prefill : undefined });
    ctx.state.outcome = 'ok';
  };
}

/**
 * POST /device: the typed code. Limited per address (429 past the limit); a code that is live and
 * undecided leads on (303) to sign-in and the approve-or-deny page.
 */
export function submitEntryEndpoint(deps: GatewayDeps) {
  return async function submitDeviceEntry(ctx: Context): Promise<void> {
    ctx.state.routeName = 'oauth2.device';
    const form = await readPageForm(ctx, deps);
    const browserCsrf = verifyBrowserCsrf(ctx, form.get(csrfFieldName));
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
    seeOther(ctx, confirmPath(signPendingDevice(ctx, deps, code, browserCsrf)));
  };
}
