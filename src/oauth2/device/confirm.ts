import type { Context } from '../../http/context';
import type { GatewayDeps } from '../../deps';
import {
  PageError,
  badRequest,
  consentPage,
  csrfFieldName,
  decisionField,
  loadSession,
  messagePage,
  readPageForm,
  requireLogin,
  seeOther,
  sendPage,
  verifyCsrf,
} from '../../pages';
import type { ClientRow, DeviceCodeRow } from '../../storage/types';
import { scopeList } from '../scope';
import { isUndecided } from './entry';
import { CONFIRM_PATH, confirmPath, openPendingDevice } from './pending';

export const DONE_PATH = '/device/done';

const codeGone = () =>
  new PageError(400, 'This code can no longer be used', 'The code has expired or was already used. Start again on your device.');

interface Live {
  ticket: string;
  code: DeviceCodeRow;
  client: ClientRow;
}

/** The device code this browser's ticket names, still undecided, for a client still enabled. */
async function livePending(ctx: Context, deps: GatewayDeps, ticket: unknown): Promise<Live> {
  const pending = openPendingDevice(ctx, deps, ticket);
  if (typeof ticket !== 'string' || !pending) throw codeGone();
  const code = await deps.store.deviceCodes.find(pending.digest);
  if (!isUndecided(code, deps.clock())) throw codeGone();
  const client = await deps.store.clients.findById(code.clientId);
  if (!client || !client.enabled) throw codeGone();
  return { ticket, code, client };
}

/** GET /device/confirm?ticket=...: sign in, then allow or deny the device (always asked: RFC 8628 section 5.4). */
export function showConfirmEndpoint(deps: GatewayDeps) {
  return async function showDeviceConfirm(ctx: Context): Promise<void> {
    ctx.state.routeName = 'oauth2.device';
    const { ticket, code, client } = await livePending(ctx, deps, ctx.query.ticket);
    const user = await requireLogin(ctx, deps, { continueTo: confirmPath(ticket), appName: client.name });
    if (!user) return;
    const session = await loadSession(ctx, deps);
    sendPage(
      ctx,
      consentPage({
        appName: client.name,
        username: user.username,
        scopes: scopeList(code.scope),
        action: CONFIRM_PATH,
        csrfToken: await session.csrfToken(),
        hidden: { ticket },
      }),
    );
    ctx.state.outcome = 'ok';
  };
}

/** POST /device/confirm: the decision, recorded once (atomic in the store), then 303 to the done page. */
export function submitConfirmEndpoint(deps: GatewayDeps) {
  return async function submitDeviceConfirm(ctx: Context): Promise<void> {
    ctx.state.routeName = 'oauth2.device';
    const form = await readPageForm(ctx, deps);
    const session = await loadSession(ctx, deps);
    verifyCsrf(ctx, session, form.get(csrfFieldName));
    const { ticket, code, client } = await livePending(ctx, deps, form.get('ticket'));
    const decision = form.get(decisionField);
    if (decision !== 'approve' && decision !== 'deny') {
      throw badRequest('The form did not say whether to allow or deny. Go back and try again.');
    }
    const user = session.user ? await deps.store.users.findById(session.user.id) : null;
    if (!user || !user.enabled) return seeOther(ctx, confirmPath(ticket));
    const now = deps.clock();
    const decided = decision === 'approve' ? await deps.store.deviceCodes.approve(code.digest, user.id, now) : await deps.store.deviceCodes.deny(code.digest, now);
    if (!decided) throw codeGone();
    ctx.state.log?.info({ client_id: client.clientId, user_id: user.id, decision }, 'oauth2 device code decided');
    ctx.state.outcome = decision === 'approve' ? 'ok' : 'denied';
    seeOther(ctx, `${DONE_PATH}?result=${decision === 'approve' ? 'approved' : 'denied'}`);
  };
}

/** GET /device/done: the last page; the device learns the outcome by polling. */
export function doneEndpoint() {
  return async function deviceDone(ctx: Context): Promise<void> {
    ctx.state.routeName = 'oauth2.device';
    const result = ctx.query.result;
    if (result === 'approved') {
      sendPage(ctx, messagePage({ title: 'Device connected', message: 'Your device is now connected to your account. Return to it to continue.' }));
    } else if (result === 'denied') {
      sendPage(ctx, messagePage({ title: 'Access denied', message: 'The device was not given access to your account.' }));
    } else {
      throw badRequest('This page shows the result of connecting a device. Start again on your device.');
    }
    ctx.state.outcome = 'ok';
  };
}
