import { renderOAuth1Problem } from '../../src/http/render/oauth1-problem-form';
import { OAuth1Problem, PROBLEM_STATUS, parameterAbsent, problemCodeFor, timestampRefused } from '../../src/oauth1/problems';

const toForm = (problem: OAuth1Problem) => renderOAuth1Problem(problem, { realm: 'test' }).body;

describe('OAuth1Problem', () => {
  test('takes its status from RFC 5849 section 3.2 by default: 400 for a malformed request', () => {
    expect(new OAuth1Problem('parameter_absent').status).toBe(400);
  });

  test('takes its status from RFC 5849 section 3.2 by default: 401 for an invalid signature', () => {
    expect(new OAuth1Problem('signature_invalid').status).toBe(401);
  });

  test('lets the caller override the status', () => {
    expect(new OAuth1Problem('consumer_key_refused', { status: 503 }).status).toBe(503);
  });

  test('serializes as a form with problem, advice and extra parameters in that order', () => {
    const problem = new OAuth1Problem('token_expired', { advice: 'Refresh it & retry.', extra: { oauth_session_handle_expired: 'false' } });
    expect(toForm(problem)).toBe('oauth_problem=token_expired&oauth_problem_advice=Refresh%20it%20%26%20retry.&oauth_session_handle_expired=false');
  });

  test('serializes a problem without advice as just oauth_problem', () => {
    expect(toForm(new OAuth1Problem('nonce_used'))).toBe('oauth_problem=nonce_used');
  });

  test('is an Error carrying its problem code', () => {
    const problem = new OAuth1Problem('token_rejected');
    expect([problem instanceof Error, problem.problem, problem.name]).toEqual([true, 'token_rejected', 'OAuth1Problem']);
  });

  test('knows every problem code the gateway reports', () => {
    expect(Object.keys(PROBLEM_STATUS).sort()).toEqual(
      [
        'version_rejected', 'parameter_absent', 'parameter_rejected', 'timestamp_refused', 'nonce_used',
        'signature_method_rejected', 'signature_invalid', 'consumer_key_unknown', 'consumer_key_rejected',
        'consumer_key_refused', 'token_used', 'token_expired', 'token_revoked', 'token_rejected', 'verifier_invalid',
        'permission_denied', 'permission_unknown', 'additional_authorization_required',
      ].sort(),
    );
  });

  test('parameter_absent lists the names encoded and joined by & (encoded again in the form)', () => {
    expect(toForm(parameterAbsent(['oauth_nonce', 'oauth_timestamp']))).toBe(
      'oauth_problem=parameter_absent&oauth_problem_advice=Required%20parameter%20missing%3A%20oauth_nonce%2C%20oauth_timestamp.' +
        '&oauth_parameters_absent=oauth_nonce%26oauth_timestamp',
    );
  });

  test('timestamp_refused carries oauth_acceptable_timestamps as min-max', () => {
    expect(timestampRefused(100, 700).extra).toEqual({ oauth_acceptable_timestamps: '100-700' });
  });

  test('a refusal of the shared vocabulary is reported as its nearest problem, or with none (the extension forbids new codes)', () => {
    expect(problemCodeFor('signature_invalid')).toBe('signature_invalid');
    expect(problemCodeFor('invalid_request')).toBe('parameter_rejected');
    expect(problemCodeFor('too_many_attempts')).toBe('permission_denied');
    expect(problemCodeFor('temporarily_unavailable')).toBeNull();
    expect(problemCodeFor('constructor')).toBeNull();
  });
});
