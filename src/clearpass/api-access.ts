import { privilegesOf } from '../accounts/authenticate';
import type { GrantSubject } from '../oauth2/grants';
import type { Store } from '../storage/types';
import { noApiAccess } from './problem';

/**
 * ClearPass operator profiles carry an "Allow API Access" switch that overrides every other
 * privilege. Here it is the profile privilege `api_access`, on the user's profile (or the client's,
 * for a token without a user).
 */
export const API_ACCESS_PRIVILEGE = 'api_access';

export function hasApiAccess(privileges: readonly string[]): boolean {
  return privileges.includes(API_ACCESS_PRIVILEGE);
}

/** The admission policy /api/oauth hands to the grants: no token for a subject without API access. */
export function requireApiAccess(store: Store) {
  return async function admit(subject: GrantSubject): Promise<void> {
    const profileId = subject.user ? subject.user.profileId : subject.client.profileId;
    if (!hasApiAccess(await privilegesOf(store, profileId))) throw noApiAccess();
  };
}
