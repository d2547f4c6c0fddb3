import type { Context } from '../../http/context';
import type { GatewayDeps } from '../../deps';
import { tokenDigest } from '../../crypto';
import type { DeviceCodeRow } from '../../storage/types';
import { LOGIN_PAGE_LIFETIME_MS, openTicket, sentBrowserCsrf, signTicket, ticketKeysOf } from '../../pages';
import { CONFIRM_PATH } from './paths';

// The device code a browser is confirming, between the code entry page and the decision: carried in
// a ticket in the confirmation URL and form, never stored (the browser may not be signed in yet).

/** A device code still waiting for the user: pending, not redeemed, not expired. */
export function isUndecided(code: DeviceCodeRow | null, now: number): code is DeviceCodeRow {
  return code !== null && code.status === 'pending' && code.consumedAt === null && code.expiresAt > now;
}

export interface PendingDevice {
  digest: string;
  clientId: string;
}

/**
 * The ticket is bound to the browser that typed the code (its gw_csrf cookie): a confirmation link
 * sent to someone else opens nothing, so nobody can be walked past typing the code themselves.
 */
const purpose = (browserCsrf: string) => `oauth2-device-confirm:${tokenDigest(browserCsrf)}`;

/** A ticket for this browser (the gw_csrf value its form was just checked against), good while the code lives. */
export function signPendingDevice(ctx: Context, deps: Pick<GatewayDeps, 'clock'>, code: DeviceCodeRow, browserCsrf: string): string {
  const expiresAt = Math.min(code.expiresAt, deps.clock() + LOGIN_PAGE_LIFETIME_MS);
  return signTicket<PendingDevice>(ticketKeysOf(ctx), purpose(browserCsrf), { digest: code.digest, clientId: code.clientId }, expiresAt);
}

/** The device code of a ticket made for this browser, or null. */
export function openPendingDevice(ctx: Context, deps: Pick<GatewayDeps, 'clock'>, ticket: unknown): PendingDevice | null {
  const browserCsrf = sentBrowserCsrf(ctx);
  return browserCsrf ? openTicket<PendingDevice>(ticketKeysOf(ctx), purpose(browserCsrf), ticket, deps.clock()) : null;
}

export const confirmPath = (ticket: string) => `${CONFIRM_PATH}?ticket=${encodeURIComponent(ticket)}`;
