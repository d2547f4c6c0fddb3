import { tokenDigest } from '../../crypto';
import type { DeviceCodeRepository, DeviceCodeRow, UserRepository } from '../../storage/types';
import { DEVICE_CODE_GRANT_TYPE, SLOW_DOWN_STEP_SECONDS } from '../device/codes';
import { OAuth2Error } from '../errors';
import type { IssuedTokens, TokenWrites } from '../issue';
import { issuesRefreshTokens } from '../lifetimes';
import { scopeList } from '../scope';
import type { Grant, GrantType, RedeemingGrantDeps } from './types';

/** The tables the device grant reads and writes (the consume and the tokens in one transaction). */
export interface DeviceTables extends TokenWrites {
  deviceCodes: Pick<DeviceCodeRepository, 'find' | 'recordPoll' | 'setInterval' | 'consume'>;
  users: Pick<UserRepository, 'findById'>;
}

export type DeviceCodeGrantDeps = RedeemingGrantDeps<DeviceTables>;

export const DEVICE_CODE: GrantType = { grantType: DEVICE_CODE_GRANT_TYPE, registeredAs: 'device_code', metricName: 'device_code' };

const invalidGrant = () => new OAuth2Error('invalid_grant', 'The device code is invalid, already used or was issued to another client.');

/** RFC 8628 section 3.5: polled sooner than the interval allows; from now on the interval is 5 s longer. */
function tooSoon(code: DeviceCodeRow, previousPoll: number | null, now: number): boolean {
  return previousPoll !== null && now - previousPoll < code.interval * 1000;
}

/**
 * RFC 8628 section 3.4/3.5, the device polling the token endpoint: authorization_pending until the
 * user decides, slow_down (and a longer interval) when it polls too fast, access_denied or
 * expired_token when it is over, and the tokens exactly once when approved (atomic consume: a second
 * poll after success is invalid_grant).
 */
export function deviceCodeGrant(deps: DeviceCodeGrantDeps): Grant {
  return {
    ...DEVICE_CODE,
    async handle({ client, params, admit, issuer }) {
      const digest = tokenDigest(params.require('device_code'));
      const { deviceCodes } = deps.store;
      const now = deps.clock();
      const code = await deviceCodes.find(digest);
      if (!code || code.clientId !== client.clientId || code.consumedAt !== null) throw invalidGrant();
      if (code.expiresAt <= now) throw new OAuth2Error('expired_token', 'The device code has expired; start again.');
      if (code.status === 'denied') throw new OAuth2Error('access_denied', 'The user denied the request.');
      if (code.status === 'pending') {
        if (tooSoon(code, await deviceCodes.recordPoll(digest, now), now)) {
          await deviceCodes.setInterval(digest, code.interval + SLOW_DOWN_STEP_SECONDS);
          throw new OAuth2Error('slow_down', 'Polling too fast; wait longer between requests.');
        }
        throw new OAuth2Error('authorization_pending', 'The user has not decided yet.');
      }
      if (code.status !== 'approved' || code.userId === null) throw invalidGrant();

      const user = await deps.store.users.findById(code.userId);
      if (!user || !user.enabled) throw invalidGrant();
      await admit?.({ client, user });
      const issued = await deps.store.transaction(async (tx): Promise<IssuedTokens | null> => {
        if (!(await tx.deviceCodes.consume(digest, now))) return null;
        const refresh = issuesRefreshTokens(client);
        return deps.issuer.issueIn(tx, { client, userId: user.id, scope: scopeList(code.scope), grantType: DEVICE_CODE_GRANT_TYPE, refresh, issuer }, now);
      });
      if (!issued) throw invalidGrant();
      return issued;
    },
  };
}
