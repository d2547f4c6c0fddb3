import type { Context, Middleware } from '../../http/context';
import type { GatewayDeps } from '../../deps';
import { answersIn } from '../../http/error-format';
import { routeName } from '../../http/middleware/route-name';
import { PageError, badRequest, consentPage, decisionField, loadSession, openPageForm, pageFormOf, requireLogin, seeOther, sendPage } from '../../pages';
import type { ClientRow, DeviceCodeRow } from '../../storage/types';
import { CONFIRM_PATH, DONE_PATH } from '../device/paths';
import { confirmPath, isUndecided, openPendingDevice } from '../device/pending';
import { scopeList } from '../scope';
import { consentDetails } from '../consent-details';
import { formatUserCode } from '../device/codes';
import type { OAuth2Endpoint } from './types';

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

/** GET ?ticket=...: sign in, then allow or deny the device (always asked: RFC 8628 section 5.4). */
function showDeviceConfirm(deps: GatewayDeps): Middleware {
  return async function showDeviceConfirm(ctx: Context): Promise<void> {
    const { ticket, code, client } = await livePending(ctx, deps, ctx.query.ticket);
    const user = await requireLogin(ctx, deps, { continueTo: confirmPath(ticket), appName: client.name });
    if (!user) return;
    const session = await loadSession(ctx, deps);
    sendPage(
      ctx,
      consentPage({
        appName: client.name,
        username: user.username,
        ...consentDetails(ctx, deps, client, { scope: scopeList(code.scope), responseType: 'device' }),
        // The device flow's answer goes to the device, not through this browser: no destination.
        remembered: false,
        userCode: formatUserCode(code.userCode),
        action: CONFIRM_PATH,
        csrfToken: await session.csrfToken(),
        hidden: { ticket },
      }),
    );
    ctx.state.outcome = 'ok';
  };
}

/** POST: the decision, recorded once (atomic in the store), then 303 to the done page. */
function submitDeviceConfirm(deps: GatewayDeps): Middleware {
  return async function submitDeviceConfirm(ctx: Context): Promise<void> {
    const form = pageFormOf(ctx).fields;
    const session = await loadSession(ctx, deps);
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
    ctx.state.log?.info({ clientId: client.clientId, userId: user.id, decision }, 'oauth2 device code decided');
    deps.metrics.consentDecisions.inc({ protocol: 'device', decision });
    ctx.state.outcome = decision === 'approve' ? 'ok' : 'denied';
    seeOther(ctx, `${DONE_PATH}?result=${decision === 'approve' ? 'approved' : 'denied'}`);
  };
}

/** /device/confirm: the signed-in user allows or denies the device whose code this browser typed. */
export function deviceConfirmEndpoint(deps: GatewayDeps): OAuth2Endpoint {
  return {
    paths: [CONFIRM_PATH],
    common: [routeName('oauth2.device'), answersIn('page')],
    methods: {
      GET: [showDeviceConfirm(deps)],
      POST: [openPageForm(deps, { csrf: 'session' }), submitDeviceConfirm(deps)],
    },
    announces: null,
  };
}
