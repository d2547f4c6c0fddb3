import type { UserRepository } from '../storage/types';

/**
 * Whether a browser sign-in still holds: the user exists, is enabled, and has had no credential
 * change since signing in (a password change or a disable bumps the user's credential version,
 * which the sign-in recorded). A sign-in recorded before versions existed counts as version 0.
 */
export async function signInHolds(users: Pick<UserRepository, 'findById'>, signedIn: { id: string; credentialVersion?: number }): Promise<boolean> {
  const user = await users.findById(signedIn.id);
  return user !== null && user.enabled && user.credentialVersion === (signedIn.credentialVersion ?? 0);
}
