import { loadConfig } from '../../src/config';
import { claimAt, identityFromClaims } from '../../src/issuers/claims';
import { introspectionRequest, judgeIntrospection } from '../../src/issuers/introspection';
import { claimedIssuer, looksLikeJwt } from '../../src/issuers/jwt';

// The pure parts of external tokens: reading the caller from claims, judging an introspection answer.

const issuerWith = (extra: Record<string, unknown> = {}) =>
  loadConfig({ env: {}, overrides: { issuers: [{ name: 'corp', issuer: 'https://idp.example', audiences: ['api'], ...extra }] } }).issuers[0]!;

describe('claims', () => {
  test('a dotted path reads nested objects; a flat claim with dots in its name wins', () => {
    expect(claimAt({ realm_access: { roles: ['a'] } }, 'realm_access.roles')).toEqual(['a']);
    expect(claimAt({ 'realm_access.roles': 'flat', realm_access: { roles: ['a'] } }, 'realm_access.roles')).toBe('flat');
    expect(claimAt({ realm_access: ['x'] }, 'realm_access.roles')).toBeUndefined();
  });

  test('the defaults: sub, preferred_username, client_id then azp, scope then scp', () => {
    const identity = identityFromClaims({ sub: 'u1', preferred_username: 'alice', azp: 'web', scp: ['read', 'write'] }, issuerWith(), 1000);
    expect(identity).toEqual({ protocol: 'oauth2', userId: 'u1', username: 'alice', clientId: 'web', scopes: ['read', 'write'], privileges: [], expiresAt: 1000, issuer: 'corp' });
  });

  test('scope as a space-separated string; privileges from the configured claim, comma- or space-separated', () => {
    const config = issuerWith({ claims: { privileges: 'realm_access.roles' } });
    const identity = identityFromClaims({ sub: 'u', client_id: 'c', scope: 'read  admin', realm_access: { roles: 'ops, deploy' } }, config, 0);
    expect(identity.scopes).toEqual(['read', 'admin']);
    expect(identity.privileges).toEqual(['ops', 'deploy']);
    expect(identity.username).toBe('u');
  });

  test('claims of the wrong type are not read as values', () => {
    const config = issuerWith({ claims: { privileges: 'roles' } });
    const identity = identityFromClaims({ sub: 42, client_id: ['x'], scope: 7, roles: [1, 2] }, config, 0);
    expect(identity).toMatchObject({ userId: null, username: null, clientId: '', scopes: [], privileges: [] });
  });
});

describe('introspection answers', () => {
  const config = issuerWith();
  const now = 1_000_000_000;

  test('active true only: anything else is inactive', () => {
    expect(judgeIntrospection({ active: 'true' }, config, now)).toEqual({ ok: false, reason: 'inactive' });
    expect(judgeIntrospection({}, config, now)).toEqual({ ok: false, reason: 'inactive' });
    expect(judgeIntrospection({ active: true }, config, now).ok).toBe(true);
  });

  test('a named issuer must be the configured one, a named audience an accepted one', () => {
    expect(judgeIntrospection({ active: true, iss: 'https://other' }, config, now)).toEqual({ ok: false, reason: 'issuer' });
    expect(judgeIntrospection({ active: true, aud: ['x', 'y'] }, config, now)).toEqual({ ok: false, reason: 'audience' });
    expect(judgeIntrospection({ active: true, aud: ['x', 'api'] }, config, now).ok).toBe(true);
  });

  test('an exp past the skew is expired', () => {
    expect(judgeIntrospection({ active: true, exp: now / 1000 - 31 }, config, now)).toEqual({ ok: false, reason: 'expired' });
    expect(judgeIntrospection({ active: true, exp: now / 1000 - 10 }, config, now).ok).toBe(true);
  });

  test('the gateway authenticates with HTTP Basic, id and secret form-encoded first (RFC 6749 appendix B)', () => {
    const init = introspectionRequest('tok', { url: null, clientId: 'gate way', clientSecret: 's:é', authMethod: 'client_secret_basic' });
    expect((init.headers as Record<string, string>).authorization).toBe('Basic ' + Buffer.from('gate+way:s%3A%C3%A9').toString('base64'));
    expect(init.body).toBe('token=tok&token_type_hint=access_token');
    const post = introspectionRequest('tok', { url: null, clientId: 'g', clientSecret: 's', authMethod: 'client_secret_post' });
    expect(post.body).toBe('token=tok&token_type_hint=access_token&client_id=g&client_secret=s');
  });
});

describe('token shape', () => {
  test('three base64url parts look like a JWT; the gateway\'s own tokens do not', () => {
    expect(looksLikeJwt('eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0.')).toBe(true);
    expect(looksLikeJwt('A'.repeat(43))).toBe(false);
    expect(claimedIssuer('eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0.')).toBe('x');
    expect(claimedIssuer('a.b.c')).toBeNull();
  });
});
