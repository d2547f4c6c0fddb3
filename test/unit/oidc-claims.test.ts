import { createHash } from 'node:crypto';
import { accessTokenClaims, halfHash, idTokenClaims, userClaims, type ClaimsUser } from '../../src/oidc/claims';

const user: ClaimsUser = { id: 'u-1', username: 'ada', displayName: 'Ada Lovelace', email: 'ada@example.com', createdAt: 1_000_000, updatedAt: 2_000_000, source: 'local' };

describe('OpenID Connect claims', () => {
  test('sub alone without profile or email', () => {
    expect(userClaims(user, ['openid'])).toEqual({ sub: 'u-1' });
  });

  test('profile gives name, preferred_username and updated_at in seconds', () => {
    expect(userClaims(user, ['openid', 'profile'])).toEqual({ sub: 'u-1', name: 'Ada Lovelace', preferred_username: 'ada', updated_at: 2000 });
  });

  test('email gives the address, unverified for a local user', () => {
    expect(userClaims(user, ['email'])).toEqual({ sub: 'u-1', email: 'ada@example.com', email_verified: false });
  });

  test('a claim the user does not have is left out, never null', () => {
    expect(userClaims({ ...user, displayName: null, email: null, updatedAt: null }, ['profile', 'email'])).toEqual({ sub: 'u-1', preferred_username: 'ada', updated_at: 1000 });
  });

  test('at_hash is the base64url of the left half of the SHA-256 of the token', () => {
    const full = createHash('sha256').update('token-value').digest();
    expect(halfHash('token-value')).toBe(full.subarray(0, 16).toString('base64url'));
  });

  test('the ID token: iss, sub, aud and azp the client, iat and exp from the clock, nonce and auth_time only when known', () => {
    const claims = idTokenClaims({ issuer: 'https://gw.example', clientId: 'rp', user, scope: ['openid'], now: 10_500, lifetime: 3600 });
    expect(claims).toEqual({ iss: 'https://gw.example', sub: 'u-1', aud: 'rp', azp: 'rp', iat: 10, exp: 3610 });
    const full = idTokenClaims({ issuer: 'https://gw.example', clientId: 'rp', user, scope: ['openid'], now: 10_500, lifetime: 3600, nonce: 'n', authTime: 5_000, accessToken: 'at' });
    expect(full).toMatchObject({ nonce: 'n', auth_time: 5, at_hash: halfHash('at') });
  });

  test('a JWT access token of client_credentials has the client as sub', () => {
    const claims = accessTokenClaims({ issuer: 'https://gw.example', clientId: 'svc', userId: null, scope: ['read'], jti: 'j', now: 0, expiresIn: 60 });
    expect(claims).toEqual({ iss: 'https://gw.example', sub: 'svc', aud: 'https://gw.example', client_id: 'svc', iat: 0, exp: 60, jti: 'j', scope: 'read' });
  });
});
