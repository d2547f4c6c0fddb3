import { OAuth1Problem } from '../../src/oauth1/problems';
import { OAuth2Error } from '../../src/oauth2/errors';
import { TokenParams } from '../../src/oauth2/params';
import { asOAuth2Error } from '../../src/oauth2/token-exchange/oauth1-proof';
import { requireOwnTarget } from '../../src/oauth2/token-exchange/targets';
import { pairSubject, subjectKeysOf } from '../../src/revocation/subjects';

// The pure parts of RFC 8693 token exchange: which targets the gateway names, how the bridge's
// OAuth 1.0a refusals read in RFC 6749's words, and the revocation log subjects of one user's
// grants to one client or consumer.

const ISSUER = 'https://gateway.example';
const params = (values: Record<string, string>) => TokenParams.fromPairs(Object.entries(values));
const targetError = (values: Record<string, string>, issuer: string | null = ISSUER): string | null => {
  try {
    requireOwnTarget(params(values), issuer ?? undefined);
    return null;
  } catch (err) {
    return (err as OAuth2Error).error;
  }
};

describe('audience and resource', () => {
  test.each([
    [{}],
    [{ audience: ISSUER }],
    [{ audience: `${ISSUER}/` }],
    [{ resource: ISSUER }],
    [{ resource: `${ISSUER}/api/orders?id=1` }],
    [{ audience: ISSUER, resource: `${ISSUER}/api` }],
  ])('%j names the gateway itself', (values) => {
    expect(targetError(values)).toBeNull();
  });

  test.each([
    [{ audience: 'https://other.example' }],
    [{ audience: 'gateway' }],
    [{ resource: 'https://gateway.example.evil.test/api' }],
    [{ resource: 'https://gateway.example@evil.test/' }],
    [{ resource: `${ISSUER}/api#fragment` }],
    [{ resource: '/api/orders' }],
    [{ audience: ISSUER, resource: 'https://other.example/' }],
  ])('%j is invalid_target', (values) => {
    expect(targetError(values)).toBe('invalid_target');
  });

  test('without a known issuer (an endpoint that does not say) every target is invalid_target', () => {
    expect(targetError({ audience: ISSUER }, null)).toBe('invalid_target');
    expect(targetError({}, null)).toBeNull();
  });
});

describe("the bridge's OAuth 1.0a refusals in RFC 6749's words", () => {
  test.each([
    ['signature_invalid', 'invalid_client', 401],
    ['consumer_key_unknown', 'invalid_client', 401],
    ['consumer_key_rejected', 'invalid_client', 401],
    ['nonce_used', 'invalid_grant', 400],
    ['timestamp_refused', 'invalid_grant', 400],
    ['token_rejected', 'invalid_grant', 400],
    ['token_revoked', 'invalid_grant', 400],
    ['token_expired', 'invalid_grant', 400],
    ['parameter_absent', 'invalid_request', 400],
    ['signature_method_rejected', 'invalid_request', 400],
    ['version_rejected', 'invalid_request', 400],
  ] as const)('%s is %s (%d)', (problem, error, status) => {
    const mapped = asOAuth2Error(new OAuth1Problem(problem, { advice: 'Why.' }), 'realm-x');
    expect([mapped.error, mapped.status]).toEqual([error, status]);
    expect(mapped.description).toBe(`OAuth 1.0a ${problem}: Why.`);
    if (error === 'invalid_client') expect(mapped.challenges).toEqual([{ scheme: 'OAuth', realm: 'realm-x' }]);
  });
});

describe('revocation subjects of one user and one client or consumer', () => {
  test('a credential with a user is named by its user, its client or consumer, and the pair', () => {
    expect(subjectKeysOf({ protocol: 'oauth2', userId: 'u1', clientId: 'web' })).toEqual(['user:u1', 'client:web', `user-client:${pairSubject('u1', 'web')}`]);
    expect(subjectKeysOf({ protocol: 'oauth1', userId: 'u1', clientId: 'ck' })).toEqual(['user:u1', 'consumer:ck', `user-consumer:${pairSubject('u1', 'ck')}`]);
    expect(subjectKeysOf({ protocol: 'oauth2', userId: null, clientId: 'svc' })).toEqual(['client:svc']);
  });

  test('the pair subject fits the log column and tells pairs apart', () => {
    expect(pairSubject('u1', 'web')).toMatch(/^[0-9a-f]{64}$/);
    expect(pairSubject('u1', 'web')).not.toBe(pairSubject('u1', 'web2'));
    expect(pairSubject('u1', 'web')).not.toBe(pairSubject('u2', 'web'));
  });
});
