import type { Store } from '../storage/types';
import { userGrantList, type UserGrant } from '../accounts/user-grants';

// What /account shows: the applications a user allowed, one line per OAuth 2.0 client or OAuth 1.0a
// consumer whatever kinds of grant it holds (a token family, a consent, an OAuth 1.0a session):
// people think in applications, and revoking one ends all of them (accounts/user-grants.ts).

export interface AllowedApp {
  protocol: 'oauth1' | 'oauth2';
  /** client_id or consumer key: what the revoke form names. */
  party: string;
  /** The registered name (the party itself when it was deleted meanwhile). */
  name: string;
  scopes: string[];
  /** The oldest live grant (epoch ms). */
  since: number;
  /** The latest expiry of its grants, or null when one lasts until revoked (a consent). */
  until: number | null;
  /**
   * When its newest live token was issued (epoch ms), or null with only a consent left. Not when it
   * was last used: that is not recorded, as a request served from a node's token cache touches no
   * database. A token family's live refresh token is issued with each refresh, so this follows the
   * refreshes; an OAuth 1.0a session counts from its start.
   */
  tokenIssued: number | null;
}

/** Groups the grants by application, oldest first; pure, so the page's logic is tested without a store. */
export function groupByApp(grants: readonly UserGrant[], names: ReadonlyMap<string, string>): AllowedApp[] {
  const apps = new Map<string, AllowedApp & { lasting: boolean }>();
  for (const g of grants) {
    const key = `${g.protocol}:${g.party}`;
    const app = apps.get(key) ?? { protocol: g.protocol, party: g.party, name: names.get(key) ?? g.party, scopes: [], since: g.createdAt, until: null, tokenIssued: null, lasting: false };
    for (const s of g.scope) if (!app.scopes.includes(s)) app.scopes.push(s);
    app.since = Math.min(app.since, g.createdAt);
    // A consent is a decision, not a token; an approved device code not yet redeemed is no token either.
    if (g.kind !== 'consent' && g.kind !== 'device_grant') app.tokenIssued = Math.max(app.tokenIssued ?? 0, g.createdAt);
    if (g.expiresAt === null) app.lasting = true;
    else app.until = Math.max(app.until ?? 0, g.expiresAt);
    apps.set(key, app);
  }
  return [...apps.values()]
    .map(({ lasting, ...app }) => ({ ...app, scopes: [...app.scopes].sort(), until: lasting ? null : app.until }))
    .sort((a, b) => a.since - b.since || a.name.localeCompare(b.name));
}

/** The applications the user allowed that still hold a live grant. */
export async function allowedApps(store: Pick<Store, 'userGrants' | 'clients' | 'consumers'>, userId: string, now: number): Promise<AllowedApp[]> {
  const grants = userGrantList(await store.userGrants.listUser(userId, now));
  const names = new Map<string, string>();
  for (const party of new Set(grants.filter((g) => g.protocol === 'oauth2').map((g) => g.party))) {
    const client = await store.clients.findById(party);
    if (client) names.set(`oauth2:${party}`, client.name);
  }
  for (const party of new Set(grants.filter((g) => g.protocol === 'oauth1').map((g) => g.party))) {
    const consumer = await store.consumers.findByKey(party);
    if (consumer) names.set(`oauth1:${party}`, consumer.name);
  }
  return groupByApp(grants, names);
}
