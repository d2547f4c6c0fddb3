import { checkProtocolParameters, nonceKey, nonceTtlSeconds, type EndpointKind } from '../../src/oauth1/checks';
import { OAuth1Problem } from '../../src/oauth1/problems';

const NOW = 1_700_000_000_500; // epoch ms; whole seconds 1700000000
const NOW_S = 1_700_000_000;
const config = { signatureMethods: ['HMAC-SHA1', 'PLAINTEXT'] as Array<'HMAC-SHA1' | 'PLAINTEXT'>, timestampWindowSeconds: 300, plaintextOverHttp: false };
// Most checks are the same on either transport; PLAINTEXT's need for TLS has its own tests below.
const TLS = { tls: true };
const HTTP = { tls: false };

function resourceParams(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const params: Record<string, string | undefined> = {
    oauth_consumer_key: 'ck',
    oauth_token: 'tok',
    oauth_signature_method: 'HMAC-SHA1',
    oauth_signature: 'sig',
    oauth_timestamp: String(NOW_S),
    oauth_nonce: 'nonce',
    oauth_version: '1.0',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

function problemOf(fn: () => unknown): OAuth1Problem {
  try {
    fn();
  } catch (err) {
    if (err instanceof OAuth1Problem) return err;
    throw err;
  }
  throw new Error('expected an OAuth1Problem');
}

describe('checkProtocolParameters', () => {
  test('returns the normalized values of a good resource request', () => {
    expect(checkProtocolParameters('resource', resourceParams(), config, NOW, TLS)).toEqual({
      consumerKey: 'ck',
      signatureMethod: 'HMAC-SHA1',
      signature: 'sig',
      timestamp: NOW_S,
      nonce: 'nonce',
      token: 'tok',
      callback: null,
      verifier: null,
      sessionHandle: null,
    });
  });

  test.each<[EndpointKind, Record<string, string>, string]>([
    ['request_token', { oauth_callback: 'oob' }, 'oauth_callback'],
    ['access_token', { oauth_token: 't', oauth_verifier: 'v' }, 'oauth_token&oauth_verifier'],
    ['refresh', { oauth_token: 't', oauth_session_handle: 'h' }, 'oauth_token&oauth_session_handle'],
    ['resource', { oauth_token: 't' }, 'oauth_token'],
    ['xauth', { x_auth_username: 'u', x_auth_password: 'p', x_auth_mode: 'client_auth' }, 'x_auth_username&x_auth_password&x_auth_mode'],
  ])('%s reports its own required parameters as absent', (kind, _extra, absent) => {
    const bare = { oauth_consumer_key: 'ck', oauth_signature_method: 'HMAC-SHA1', oauth_signature: 's', oauth_timestamp: String(NOW_S), oauth_nonce: 'n' };
    const problem = problemOf(() => checkProtocolParameters(kind, bare, config, NOW, TLS));
    expect([problem.problem, problem.status, problem.extra.oauth_parameters_absent]).toEqual(['parameter_absent', 400, absent]);
  });

  test.each<[EndpointKind, Record<string, string>]>([
    ['request_token', { oauth_callback: 'oob' }],
    ['access_token', { oauth_token: 't', oauth_verifier: 'v' }],
    ['refresh', { oauth_token: 't', oauth_session_handle: 'h' }],
    ['xauth', { x_auth_username: 'u', x_auth_password: 'p', x_auth_mode: 'client_auth' }],
  ])('%s passes with its required parameters', (kind, extra) => {
    const params = { oauth_consumer_key: 'ck', oauth_signature_method: 'HMAC-SHA1', oauth_signature: 's', oauth_timestamp: String(NOW_S), oauth_nonce: 'n', ...extra };
    expect(checkProtocolParameters(kind, params, config, NOW, TLS).consumerKey).toBe('ck');
  });

  test('reports every missing common parameter at once', () => {
    const problem = problemOf(() => checkProtocolParameters('resource', { oauth_token: 't' }, config, NOW, TLS));
    expect(problem.extra.oauth_parameters_absent).toBe(
      'oauth_consumer_key&oauth_signature_method&oauth_signature&oauth_timestamp&oauth_nonce',
    );
  });

  test('treats an empty required parameter as absent', () => {
    const problem = problemOf(() => checkProtocolParameters('resource', resourceParams({ oauth_token: '' }), config, NOW, TLS));
    expect([problem.problem, problem.extra.oauth_parameters_absent]).toEqual(['parameter_absent', 'oauth_token']);
  });

  test('requires timestamp and nonce for HMAC-SHA1', () => {
    const params = resourceParams({ oauth_timestamp: undefined, oauth_nonce: undefined });
    const problem = problemOf(() => checkProtocolParameters('resource', params, config, NOW, TLS));
    expect(problem.extra.oauth_parameters_absent).toBe('oauth_timestamp&oauth_nonce');
  });

  test('lets PLAINTEXT leave out timestamp and nonce', () => {
    const params = resourceParams({ oauth_signature_method: 'PLAINTEXT', oauth_timestamp: undefined, oauth_nonce: undefined });
    const checked = checkProtocolParameters('resource', params, config, NOW, TLS);
    expect([checked.timestamp, checked.nonce]).toEqual([null, null]);
  });

  test('still checks a timestamp that PLAINTEXT chose to send', () => {
    const params = resourceParams({ oauth_signature_method: 'PLAINTEXT', oauth_timestamp: String(NOW_S - 1000) });
    expect(problemOf(() => checkProtocolParameters('resource', params, config, NOW, TLS)).problem).toBe('timestamp_refused');
  });

  test('accepts a missing oauth_version', () => {
    expect(checkProtocolParameters('resource', resourceParams({ oauth_version: undefined }), config, NOW, TLS).token).toBe('tok');
  });

  test.each([['1.0'], ['1.0a'], ['1.0A']])('accepts oauth_version %p (1.0a is the same protocol)', (version) => {
    expect(checkProtocolParameters('resource', resourceParams({ oauth_version: version }), config, NOW, TLS).token).toBe('tok');
  });

  test.each([['2.0'], ['1.0b'], ['1.1'], ['1'], ['1.0 '], ['']])('rejects oauth_version %p with version_rejected (400)', (version) => {
    const problem = problemOf(() => checkProtocolParameters('resource', resourceParams({ oauth_version: version }), config, NOW, TLS));
    expect([problem.problem, problem.status, problem.extra.oauth_acceptable_versions]).toEqual(['version_rejected', 400, '1.0-1.0']);
  });

  test('rejects an unknown signature method with signature_method_rejected (400)', () => {
    const problem = problemOf(() => checkProtocolParameters('resource', resourceParams({ oauth_signature_method: 'RSA-SHA1' }), config, NOW, TLS));
    expect([problem.problem, problem.status]).toEqual(['signature_method_rejected', 400]);
  });

  test('rejects a known signature method the configuration does not allow', () => {
    const hmacOnly = { ...config, signatureMethods: ['HMAC-SHA1'] as Array<'HMAC-SHA1'> };
    const params = resourceParams({ oauth_signature_method: 'PLAINTEXT' });
    const problem = problemOf(() => checkProtocolParameters('resource', params, hmacOnly, NOW, TLS));
    expect([problem.problem, problem.extra.oauth_acceptable_signature_methods]).toEqual(['signature_method_rejected', 'HMAC-SHA1']);
  });

  describe('PLAINTEXT needs TLS (RFC 5849 section 3.4.4)', () => {
    const plaintext = () => resourceParams({ oauth_signature_method: 'PLAINTEXT', oauth_timestamp: undefined, oauth_nonce: undefined });

    test('is refused over plain http, naming what is acceptable instead', () => {
      const problem = problemOf(() => checkProtocolParameters('resource', plaintext(), config, NOW, HTTP));
      expect([problem.problem, problem.status, problem.extra.oauth_acceptable_signature_methods]).toEqual(['signature_method_rejected', 400, 'HMAC-SHA1']);
      expect(problem.advice).toMatch(/needs TLS/);
    });

    test('is refused over plain http even with timestamp and nonce', () => {
      const problem = problemOf(() => checkProtocolParameters('resource', resourceParams({ oauth_signature_method: 'PLAINTEXT' }), config, NOW, HTTP));
      expect(problem.problem).toBe('signature_method_rejected');
    });

    test('is accepted over TLS', () => {
      expect(checkProtocolParameters('resource', plaintext(), config, NOW, TLS).signatureMethod).toBe('PLAINTEXT');
    });

    test('is accepted over plain http with plaintextOverHttp (local development)', () => {
      expect(checkProtocolParameters('resource', plaintext(), { ...config, plaintextOverHttp: true }, NOW, HTTP).signatureMethod).toBe('PLAINTEXT');
    });

    test('leaves HMAC-SHA1 over plain http alone', () => {
      expect(checkProtocolParameters('resource', resourceParams(), config, NOW, HTTP).signatureMethod).toBe('HMAC-SHA1');
    });

    test('with only PLAINTEXT configured, plain http accepts no method and says why', () => {
      const plainOnly = { ...config, signatureMethods: ['PLAINTEXT'] as Array<'PLAINTEXT'> };
      const problem = problemOf(() => checkProtocolParameters('resource', resourceParams(), plainOnly, NOW, HTTP));
      expect([problem.problem, problem.extra.oauth_acceptable_signature_methods]).toEqual(['signature_method_rejected', undefined]);
      expect(problem.advice).toMatch(/needs TLS/);
    });

    test('a parameter missing for the endpoint is still reported first', () => {
      const noToken = problemOf(() => checkProtocolParameters('resource', { ...plaintext(), oauth_token: '' }, config, NOW, HTTP));
      expect(noToken.problem).toBe('parameter_absent');
    });
  });

  test('matches the signature method case-sensitively', () => {
    const problem = problemOf(() => checkProtocolParameters('resource', resourceParams({ oauth_signature_method: 'hmac-sha1' }), config, NOW, TLS));
    expect(problem.problem).toBe('signature_method_rejected');
  });

  test.each([
    ['the oldest accepted second', NOW_S - 300],
    ['the newest accepted second', NOW_S + 300],
  ])('accepts a timestamp at %s', (_label, ts) => {
    expect(checkProtocolParameters('resource', resourceParams({ oauth_timestamp: String(ts) }), config, NOW, TLS).timestamp).toBe(ts);
  });

  test.each([
    ['one second too old', NOW_S - 301],
    ['one second too new', NOW_S + 301],
  ])('refuses a timestamp %s with timestamp_refused (401) and the acceptable range', (_label, ts) => {
    const problem = problemOf(() => checkProtocolParameters('resource', resourceParams({ oauth_timestamp: String(ts) }), config, NOW, TLS));
    expect([problem.problem, problem.status, problem.extra.oauth_acceptable_timestamps]).toEqual([
      'timestamp_refused',
      401,
      `${NOW_S - 300}-${NOW_S + 300}`,
    ]);
  });

  test.each([['12.5'], ['-5'], ['1e9'], [' 1700000000'], ['0x1'], ['9999999999999999']])(
    'refuses a timestamp that is not whole seconds (%p) as malformed (400)',
    (ts) => {
      const problem = problemOf(() => checkProtocolParameters('resource', resourceParams({ oauth_timestamp: ts }), config, NOW, TLS));
      expect([problem.problem, problem.status]).toEqual(['timestamp_refused', 400]);
    },
  );

  test('accepts a nonce of 255 characters', () => {
    const nonce = 'n'.repeat(255);
    expect(checkProtocolParameters('resource', resourceParams({ oauth_nonce: nonce }), config, NOW, TLS).nonce).toBe(nonce);
  });

  test('rejects a nonce longer than 255 characters with parameter_rejected (400)', () => {
    const problem = problemOf(() => checkProtocolParameters('resource', resourceParams({ oauth_nonce: 'n'.repeat(256) }), config, NOW, TLS));
    expect([problem.problem, problem.status, problem.extra.oauth_parameters_rejected]).toEqual(['parameter_rejected', 400, 'oauth_nonce']);
  });

  test('rejects an empty nonce sent with PLAINTEXT', () => {
    const params = resourceParams({ oauth_signature_method: 'PLAINTEXT', oauth_timestamp: undefined, oauth_nonce: '' });
    expect(problemOf(() => checkProtocolParameters('resource', params, config, NOW, TLS)).extra.oauth_parameters_rejected).toBe('oauth_nonce');
  });

  test('rejects an xAuth mode other than client_auth', () => {
    const params = {
      oauth_consumer_key: 'ck', oauth_signature_method: 'HMAC-SHA1', oauth_signature: 's', oauth_timestamp: String(NOW_S), oauth_nonce: 'n',
      x_auth_username: 'u', x_auth_password: 'p', x_auth_mode: 'reverse_auth',
    };
    const problem = problemOf(() => checkProtocolParameters('xauth', params, config, NOW, TLS));
    expect([problem.problem, problem.extra.oauth_parameters_rejected]).toEqual(['parameter_rejected', 'x_auth_mode']);
  });

  test('returns the callback, verifier and session handle when sent', () => {
    const params = resourceParams({ oauth_callback: 'oob', oauth_verifier: 'v', oauth_session_handle: 'h' });
    const checked = checkProtocolParameters('resource', params, config, NOW, TLS);
    expect([checked.callback, checked.verifier, checked.sessionHandle]).toEqual(['oob', 'v', 'h']);
  });
});

describe('nonceKey', () => {
  test('is a fixed-length digest however long the nonce is', () => {
    expect(nonceKey('ck', 'tok', 1, 'x'.repeat(10_000))).toMatch(/^oauth1:nonce:[0-9a-f]{64}$/);
  });

  test('is the same for the same consumer, token, timestamp and nonce', () => {
    expect(nonceKey('ck', 'tok', 1700000000, 'n')).toBe(nonceKey('ck', 'tok', '1700000000', 'n'));
  });

  type NonceKeyArgs = Parameters<typeof nonceKey>;
  test.each<[string, NonceKeyArgs]>([
    ['consumer', ['ck2', 'tok', 1, 'n']],
    ['token', ['ck', 'tok2', 1, 'n']],
    ['timestamp', ['ck', 'tok', 2, 'n']],
    ['nonce', ['ck', 'tok', 1, 'n2']],
    ['absent token', ['ck', null, 1, 'n']],
  ])('differs when the %s differs', (_label, args) => {
    expect(nonceKey(...args)).not.toBe(nonceKey('ck', 'tok', 1, 'n'));
  });

  test('cannot be forged by moving an ampersand between parts', () => {
    expect(nonceKey('a&b', 'c', 1, 'n')).not.toBe(nonceKey('a', 'b&c', 1, 'n'));
  });
});

describe('nonceTtlSeconds', () => {
  test('covers a timestamp from the far edge of the window until it leaves the other edge', () => {
    expect(nonceTtlSeconds(300)).toBe(601);
  });
});
