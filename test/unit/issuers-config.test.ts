import { ConfigError, loadConfig } from '../../src/config';

// The `issuers` settings are checked at start like every other: one clear line per mistake.

const base = { issuer: 'https://idp.example/realms/corp', audiences: ['https://api.example'] };

function refusal(overrides: Record<string, unknown>): string {
  try {
    loadConfig({ env: {}, overrides });
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

test('an issuer with a name, an issuer URL and an audience takes the defaults', () => {
  const config = loadConfig({ env: {}, overrides: { issuers: [{ name: 'corp', ...base }] } });
  const [issuer] = config.issuers;
  expect(issuer!.algorithms).toEqual(['RS256', 'PS256', 'ES256', 'EdDSA']);
  expect(issuer!.jwtProfile).toBe('rfc9068');
  expect(issuer!.discovery).toBe(true);
  expect(issuer!.claims).toEqual({ user: 'sub', username: 'preferred_username', client: ['client_id', 'azp'], scopes: ['scope', 'scp'], privileges: null });
  expect(issuer!.introspection).toBeNull();
});

test.each(['none', 'HS256', 'HS512'])('the algorithm %s is refused', (alg) => {
  const message = refusal({ issuers: [{ name: 'corp', ...base, algorithms: [alg] }] });
  expect(message).toContain('config: issuers.0.algorithms.0: ');
  expect(message).toContain('never "none" nor an HMAC algorithm');
});

test('an issuer without an accepted audience is refused', () => {
  expect(refusal({ issuers: [{ name: 'corp', ...base, audiences: [] }] })).toContain('must name at least one accepted audience');
});

test('a route accepting an issuer that is not configured is refused, naming the route', () => {
  const message = refusal({ issuers: [{ name: 'corp', ...base }], routes: [{ prefix: '/api', upstream: 'http://api.internal', accept: ['issuer:other'] }] });
  expect(message).toContain('routes.0.accept.0');
  expect(message).toContain('names no configured issuer');
});

test('an accept value that is neither a protocol nor issuer:<name> is refused', () => {
  expect(refusal({ routes: [{ prefix: '/api', upstream: 'http://api.internal', accept: ['jwt'] }] })).toContain('must be oauth1, oauth2, oauth1-2legged, public or issuer:<name>');
});

test('two issuers with one name are refused', () => {
  expect(refusal({ issuers: [{ name: 'corp', ...base }, { name: 'corp', ...base }] })).toContain('two issuers share the name corp');
});

test('with discovery off, an issuer needs jwksUri or introspection.url', () => {
  expect(refusal({ issuers: [{ name: 'corp', ...base, discovery: false }] })).toContain('with discovery off, set jwksUri');
  const config = loadConfig({ env: {}, overrides: { issuers: [{ name: 'corp', ...base, discovery: false, jwksUri: 'https://idp.example/keys' }] } });
  expect(config.issuers[0]!.jwksUri).toBe('https://idp.example/keys');
});

test('an unknown key in an issuer stops the start', () => {
  expect(refusal({ issuers: [{ name: 'corp', ...base, audience: 'x' }] })).toContain('issuers.0');
});
