import { ProtocolError } from '../../src/http/protocol-error';
import { authenticateHeader, challengeHeader, safeDescription, quotedString } from '../../src/http/render/challenge';
import { renderGatewayJson } from '../../src/http/render/gateway-json';
import { renderPage } from '../../src/http/render/html-page';
import { renderError } from '../../src/http/render';
import { renderOAuth1Problem } from '../../src/http/render/oauth1-problem-form';
import { renderOAuth2Json } from '../../src/http/render/oauth2-json';
import { renderProblemDetails } from '../../src/http/render/problem-details';
import { OAuth1Problem, timestampRefused } from '../../src/oauth1/problems';
import { BearerError } from '../../src/oauth2/bearer';
import { OAuth2Error } from '../../src/oauth2/errors';
import { PageError } from '../../src/pages/errors';

// Each renderer is pure: protocol data in, status, headers and body out.

const noStore = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };
const outage = () => new ProtocolError('temporarily_unavailable', 'Try again shortly.', { status: 503, headers: { 'Retry-After': '5' } });
const lockout = () => new ProtocolError('too_many_attempts', 'Too many failed attempts; try again later.', { status: 429, headers: { 'Retry-After': '30' } });

describe('challenges', () => {
  test('quoted-string escapes quotes and backslashes', () => {
    expect(quotedString('a "b" \\c')).toBe('"a \\"b\\" \\\\c"');
  });

  test('an error description keeps to RFC 6749 section 5.2 characters: no quote, backslash, control or non-ASCII', () => {
    expect(safeDescription('Bad "x" \\ \r\n caf\u00e9.')).toBe('Bad ?x? ? ?? caf?.');
  });

  test('a Bearer challenge repeats the code and description only when the refusal says so', () => {
    const err = new ProtocolError('invalid_token', 'Expired "now".', { status: 401 });
    expect(challengeHeader({ scheme: 'Bearer', realm: 'api' }, err)).toBe('Bearer realm="api"');
    expect(challengeHeader({ scheme: 'Bearer', realm: 'api', withError: true, scope: ['a', 'b'] }, err)).toBe(
      'Bearer realm="api", error="invalid_token", error_description="Expired ?now?.", scope="a b"',
    );
  });

  test('several challenges become several WWW-Authenticate values, none becomes no field', () => {
    const err = new ProtocolError('unauthorized', 'Sign in.', {
      status: 401,
      challenges: [
        { scheme: 'OAuth', realm: 'one' },
        { scheme: 'Bearer', realm: 'two' },
      ],
    });
    expect(authenticateHeader(err)).toEqual({ 'WWW-Authenticate': ['OAuth realm="one"', 'Bearer realm="two"'] });
    expect(authenticateHeader(outage())).toEqual({});
  });
});

describe('OAuth 1.0a problem report', () => {
  const render = (err: ProtocolError) => renderOAuth1Problem(err, { realm: 'gw "1"' });

  test('is form-encoded with problem, advice and parameters, never cached', () => {
    const out = render(timestampRefused(100, 700));
    expect(out).toEqual({
      status: 401,
      headers: { 'WWW-Authenticate': 'OAuth realm="gw \\"1\\""', ...noStore },
      type: 'application/x-www-form-urlencoded',
      body:
        'oauth_problem=timestamp_refused&oauth_problem_advice=The%20timestamp%20is%20outside%20the%20accepted%20window%3B%20check%20the%20client%20clock.' +
        '&oauth_acceptable_timestamps=100-700',
    });
  });

  test('a 400 carries no challenge; the refusal headers go out', () => {
    const out = render(new OAuth1Problem('parameter_rejected', { status: 405, advice: 'POST only.', headers: { Allow: 'POST' } }));
    expect([out.status, out.headers]).toEqual([405, { Allow: 'POST', ...noStore }]);
  });

  test('a lockout is permission_denied 429 with its Retry-After', () => {
    const out = render(lockout());
    expect([out.status, out.headers['Retry-After'], out.body]).toEqual([429, '30', 'oauth_problem=permission_denied&oauth_problem_advice=Too%20many%20failed%20attempts%3B%20try%20again%20later.']);
  });

  test('an outage has no problem the extension defines: status, advice and Retry-After say it', () => {
    const out = render(outage());
    expect([out.status, out.headers['Retry-After'], out.body]).toEqual([503, '5', 'oauth_problem_advice=Try%20again%20shortly.']);
  });
});

describe('RFC 6749 JSON', () => {
  test('error and error_description, invalid_client with its Basic challenge, never cached', () => {
    expect(renderOAuth2Json(OAuth2Error.invalidClient('gw'))).toEqual({
      status: 401,
      headers: { 'WWW-Authenticate': 'Basic realm="gw"', ...noStore },
      body: { error: 'invalid_client', error_description: 'This client is invalid or must authenticate using a client secret.' },
    });
  });

  test('a lockout is invalid_request 429 (section 5.2 has no word for it)', () => {
    const out = renderOAuth2Json(lockout());
    expect([out.status, out.headers['Retry-After'], out.body]).toEqual([429, '30', { error: 'invalid_request', error_description: 'Too many failed attempts; try again later.' }]);
  });

  test('the description is held to the section 5.2 characters', () => {
    expect(renderOAuth2Json(new OAuth2Error('invalid_request', 'Repeated parameter: "caf\u00e9".')).body).toEqual({
      error: 'invalid_request',
      error_description: 'Repeated parameter: ?caf??.',
    });
  });

  test('a failure of ours carries the request id to quote', () => {
    const err = new ProtocolError('server_error', 'Internal error.', { status: 500, parameters: { request_id: 'req-1' } });
    expect(renderOAuth2Json(err).body).toEqual({ error: 'server_error', error_description: 'Internal error.', request_id: 'req-1' });
  });
});

describe('Problem Details (ClearPass)', () => {
  const type = 'http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html';

  test('titles an OAuth 2.0 refusal with its code', () => {
    expect(renderProblemDetails(outage())).toEqual({
      status: 503,
      headers: { 'Retry-After': '5', ...noStore },
      body: { type, title: 'temporarily_unavailable', status: 503, detail: 'Try again shortly.' },
    });
  });

  test('a failed client authentication is 400 without the Basic challenge', () => {
    const out = renderProblemDetails(OAuth2Error.invalidClient('gw'));
    expect([out.status, out.headers, out.body]).toEqual([400, noStore, expect.objectContaining({ status: 400, title: 'invalid_client' })]);
  });

  test('a locked-out client stays 429; a bearer challenge stays', () => {
    const locked = new OAuth2Error('invalid_client', 'Too many.', { status: 429, headers: { 'Retry-After': '9' } });
    expect([renderProblemDetails(locked).status, renderProblemDetails(locked).headers['Retry-After']]).toEqual([429, '9']);
    const missing = renderProblemDetails(BearerError.missing('gw'));
    expect([missing.status, missing.headers['WWW-Authenticate'], missing.body]).toEqual([401, 'Bearer realm="gw"', expect.objectContaining({ title: 'Unauthorized' })]);
  });

  test("a refusal's own title wins", () => {
    const err = new ProtocolError('not_acceptable', 'Cannot honor Accept type specified', { status: 406, title: 'Not Acceptable' });
    expect(renderProblemDetails(err).body).toEqual({ type, title: 'Not Acceptable', status: 406, detail: 'Cannot honor Accept type specified' });
  });
});

describe('HTML page', () => {
  test("shows the refusal's title and message with every page header, as HTML", () => {
    const out = renderPage(new PageError(403, 'This form has expired', 'Go back & reload.'));
    expect(out.status).toBe(403);
    expect(out.type).toBe('text/html; charset=utf-8');
    expect(out.headers).toMatchObject({ 'X-Frame-Options': 'DENY', 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    expect(out.headers['Content-Security-Policy']).toContain("frame-ancestors 'none'");
    expect(out.body).toContain('<h1>This form has expired</h1>');
    expect(out.body).toContain('Go back &amp; reload.');
  });

  test('a refusal without a title gets one by its status; its Retry-After stays', () => {
    const out = renderPage(outage());
    expect(out.body).toContain('<h1>Please try again shortly</h1>');
    expect(out.headers['Retry-After']).toBe('5');
    expect(renderPage(lockout()).body).toContain('<h1>Too many attempts</h1>');
  });

  test('never sends a challenge (a browser would open its own sign-in dialog)', () => {
    expect(renderPage(OAuth2Error.invalidClient('gw')).headers['WWW-Authenticate']).toBeUndefined();
  });
});

describe('gateway JSON', () => {
  test('error and error_description with one challenge per accepted protocol', () => {
    const err = new ProtocolError('unauthorized', 'This resource needs an OAuth credential.', {
      status: 401,
      challenges: [
        { scheme: 'OAuth', realm: 'gw' },
        { scheme: 'Bearer', realm: 'gw' },
      ],
    });
    expect(renderGatewayJson(err)).toEqual({
      status: 401,
      headers: { 'WWW-Authenticate': ['OAuth realm="gw"', 'Bearer realm="gw"'], ...noStore },
      body: { error: 'unauthorized', error_description: 'This resource needs an OAuth credential.' },
    });
  });

  test('a bearer refusal names its error in the challenge and the body', () => {
    const out = renderGatewayJson(BearerError.insufficientScope('gw', ['admin']));
    expect(out.status).toBe(403);
    expect(out.headers['WWW-Authenticate']).toBe(
      'Bearer realm="gw", error="insufficient_scope", error_description="The access token does not carry the scope this resource needs.", scope="admin"',
    );
    expect(out.body).toEqual({ error: 'insufficient_scope', error_description: 'The access token does not carry the scope this resource needs.' });
  });
});

test('renderError picks the renderer of the declared format', () => {
  const err = outage();
  const options = { oauth1Realm: 'gw' };
  expect(renderError('oauth1', err, options).type).toBe('application/x-www-form-urlencoded');
  expect(renderError('oauth2', err, options).body).toEqual({ error: 'temporarily_unavailable', error_description: 'Try again shortly.' });
  expect(renderError('problem-details', err, options).body).toMatchObject({ title: 'temporarily_unavailable', status: 503 });
  expect(renderError('page', err, options).type).toBe('text/html; charset=utf-8');
  expect(renderError('gateway', err, options).body).toEqual({ error: 'temporarily_unavailable', error_description: 'Try again shortly.' });
});
