import { createHmac } from 'node:crypto';
import type { Context } from '../http/context';
import { safeEqual } from '../crypto';
import { MAX_CONTINUE_PATH_LENGTH } from './continue-path';

// Tickets: what a page hands the browser instead of keeping it server side (the validated request
// behind a login page, the login page's own context, the device code a browser is confirming).
// A ticket is `<base64url JSON>.<HMAC-SHA256>`: readable by whoever holds it (it carries nothing
// the holder did not send or see), unforgeable, bound to one purpose and expiring. The MAC key is
// derived from the cookie-signing keys (themselves derived from the gateway's secret key), so every
// node accepts every node's tickets and a new key invalidates them all. An HMAC, not AES-GCM:
// anyone can have us make tickets, and GCM's random nonces wear a key out after 2^32 of them.

/** A ticket rides in a continue path at most: bigger is not one of ours, and not worth a MAC. */
export const MAX_TICKET_LENGTH = MAX_CONTINUE_PATH_LENGTH;

export interface TicketKeys {
  /** Signs new tickets. */
  current: Buffer;
  /** Every key a ticket may have been signed with (the current one first). */
  accepted: readonly Buffer[];
}

function derive(secret: string | Buffer): Buffer {
  return createHmac('sha256', secret).update('oauth-gateway page tickets v1').digest();
}

export function ticketKeys(secrets: ReadonlyArray<string | Buffer>): TicketKeys {
  if (secrets.length === 0) throw new Error('tickets need at least one key');
  const accepted = secrets.map(derive);
  return { current: accepted[0], accepted };
}

/** The app's ticket keys (Koa's app.keys, set by createApp from the secret key). */
export function ticketKeysOf(ctx: Context): TicketKeys {
  const keys = ctx.app.keys;
  if (!Array.isArray(keys) || keys.length === 0) throw new Error('the app has no signing keys for page tickets');
  return ticketKeys(keys);
}

function mac(key: Buffer, purpose: string, body: string): string {
  // The purpose is signed, not carried: a ticket made for one use never opens for another.
  return createHmac('sha256', key).update(purpose).update('\n').update(body).digest('base64url');
}

interface Envelope<T> {
  exp: number;
  data: T;
}

/** A ticket for `data` (JSON-serialisable) that opens for `purpose` until `expiresAt` (epoch ms). */
export function signTicket<T>(keys: TicketKeys, purpose: string, data: T, expiresAt: number): string {
  const body = Buffer.from(JSON.stringify({ exp: expiresAt, data } satisfies Envelope<T>)).toString('base64url');
  return `${body}.${mac(keys.current, purpose, body)}`;
}

/** The ticket's data when it is ours, for this purpose, and unexpired at `now`; null otherwise. */
export function openTicket<T>(keys: TicketKeys, purpose: string, ticket: unknown, now: number): T | null {
  if (typeof ticket !== 'string' || ticket.length > MAX_TICKET_LENGTH) return null;
  const dot = ticket.indexOf('.');
  if (dot <= 0 || dot !== ticket.lastIndexOf('.')) return null;
  const body = ticket.slice(0, dot);
  const signature = ticket.slice(dot + 1);
  if (!keys.accepted.some((key) => safeEqual(signature, mac(key, purpose, body)))) return null;
  let envelope: Envelope<T>;
  try {
    envelope = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Envelope<T>;
  } catch {
    return null;
  }
  if (!envelope || typeof envelope.exp !== 'number' || !(envelope.exp > now) || envelope.data === undefined) return null;
  return envelope.data;
}
