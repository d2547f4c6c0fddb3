import { AuthorizationError, LocalRefusal } from '../../src/oauth2/authorize/errors';
import {
  requestedResponseType,
  requestedState,
  resolveRedirect,
  stillAcceptable,
  validateAuthorizeRequest,
  type AuthorizeClient,
  type AuthorizeParams,
} from '../../src/oauth2/authorize/request';

// The authorization request checks of RFC 6749 section 4.1.1/4.2.1 and RFC 7636 section 4.3, as
// pure functions: which failures stay on our page, which go back to the client, and with what code.

const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

const confidential: AuthorizeClient = {
  clientId: 'web',
  enabled: true,
  redirectUris: ['https://app.example/cb', 'https://app.example/cb?tab=2'],
  grants: ['authorization_code', 'refresh_token'],
  implicit: false,
  scopes: ['read', 'write'],
  secretHash: 'scrypt$hash',
  allowPlainPkce: false,
};
const spa: AuthorizeClient = { ...confidential, clientId: 'spa', redirectUris: ['https://spa.example/'], implicit: true, secretHash: null };

const params = (values: Record<string, string>): AuthorizeParams => Object.entries(values);

function refusal(fn: () => unknown): LocalRefusal {
  try {
    fn();
  } catch (err) {
    if (err instanceof LocalRefusal) return err;
    throw err;
  }
  throw new Error('expected a LocalRefusal');
}

function authorizationError(fn: () => unknown): AuthorizationError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AuthorizationError) return err;
    throw err;
  }
  throw new Error('expected an AuthorizationError');
}

function validate(client: AuthorizeClient, values: AuthorizeParams) {
  return validateAuthorizeRequest(values, client, resolveRedirect(values, client));
}

const codeRequest = { client_id: 'web', response_type: 'code', redirect_uri: 'https://app.example/cb' };

describe('client and redirect URI (never redirected)', () => {
  test('an unknown client is refused locally', () => {
    expect(refusal(() => resolveRedirect(params(codeRequest), null)).about).toBe('client');
  });

  test('a disabled client is refused locally', () => {
    expect(refusal(() => resolveRedirect(params(codeRequest), { ...confidential, enabled: false })).about).toBe('client');
  });

  test('a missing client_id is refused locally', () => {
    expect(refusal(() => resolveRedirect(params({ response_type: 'code' }), confidential)).about).toBe('client');
  });

  test('a repeated client_id is refused locally', () => {
    const twice: AuthorizeParams = [...params(codeRequest), ['client_id', 'web']];
    expect(refusal(() => resolveRedirect(twice, confidential)).about).toBe('client');
  });

  test('a redirect_uri that is not registered is refused locally', () => {
    expect(refusal(() => resolveRedirect(params({ ...codeRequest, redirect_uri: 'https://evil.example/cb' }), confidential)).about).toBe('redirect_uri');
  });

  test('redirect URIs are compared as exact strings', () => {
    for (const near of ['https://app.example/cb/', 'https://APP.example/cb', 'https://app.example/cb?tab=3', 'https://app.example/cb#x']) {
      expect(refusal(() => resolveRedirect(params({ ...codeRequest, redirect_uri: near }), confidential)).about).toBe('redirect_uri');
    }
  });

  test('a repeated redirect_uri is refused locally', () => {
    const twice: AuthorizeParams = [...params(codeRequest), ['redirect_uri', 'https://app.example/cb']];
    expect(refusal(() => resolveRedirect(twice, confidential)).about).toBe('redirect_uri');
  });

  test('an omitted redirect_uri is refused when several are registered', () => {
    expect(refusal(() => resolveRedirect(params({ client_id: 'web', response_type: 'code' }), confidential)).about).toBe('redirect_uri');
  });

  test('an omitted redirect_uri means the only registered one', () => {
    expect(resolveRedirect(params({ client_id: 'spa', response_type: 'token' }), spa)).toEqual({ redirectUri: 'https://spa.example/', redirectUriSent: false });
  });

  test('a registered redirect_uri with a query is accepted as sent', () => {
    expect(resolveRedirect(params({ ...codeRequest, redirect_uri: 'https://app.example/cb?tab=2' }), confidential)).toEqual({
      redirectUri: 'https://app.example/cb?tab=2',
      redirectUriSent: true,
    });
  });
});

describe('the rest of the request (errors go back to the client)', () => {
  test('a valid code request keeps state unchanged and defaults to the registered scopes', () => {
    const request = validate(confidential, params({ ...codeRequest, state: 'a b&c=d' }));
    expect(request).toEqual({
      clientId: 'web',
      redirectUri: 'https://app.example/cb',
      redirectUriSent: true,
      responseType: 'code',
      scope: ['read', 'write'],
      state: 'a b&c=d',
      codeChallenge: null,
      codeChallengeMethod: null,
      prompt: { none: false, login: false, consent: false },
      maxAge: null,
      loginHint: null,
      nonce: null,
      idTokenHint: null,
    });
  });

  test('any repeated parameter is invalid_request', () => {
    const twice: AuthorizeParams = [...params(codeRequest), ['scope', 'read'], ['scope', 'write']];
    expect(authorizationError(() => validate(confidential, twice)).error).toBe('invalid_request');
  });

  test('a missing response_type is invalid_request', () => {
    expect(authorizationError(() => validate(confidential, params({ client_id: 'web', redirect_uri: 'https://app.example/cb' }))).error).toBe('invalid_request');
  });

  test('an unknown response_type is unsupported_response_type', () => {
    expect(authorizationError(() => validate(confidential, params({ ...codeRequest, response_type: 'code id_token' }))).error).toBe('unsupported_response_type');
  });

  test('token for a client without implicit is unauthorized_client', () => {
    expect(authorizationError(() => validate(confidential, params({ ...codeRequest, response_type: 'token' }))).error).toBe('unauthorized_client');
  });

  test('code for a client without the authorization_code grant is unauthorized_client', () => {
    const implicitOnly = { ...spa, grants: [] };
    expect(authorizationError(() => validate(implicitOnly, params({ client_id: 'spa', response_type: 'code', code_challenge: challenge, code_challenge_method: 'S256' }))).error).toBe(
      'unauthorized_client',
    );
  });

  test('a scope beyond the registered ones is invalid_scope', () => {
    expect(authorizationError(() => validate(confidential, params({ ...codeRequest, scope: 'read admin' }))).error).toBe('invalid_scope');
  });

  test('a requested subset of the scopes is kept as asked', () => {
    expect(validate(confidential, params({ ...codeRequest, scope: 'write' })).scope).toEqual(['write']);
  });

  test('a public client without code_challenge is invalid_request', () => {
    expect(authorizationError(() => validate(spa, params({ client_id: 'spa', response_type: 'code' }))).error).toBe('invalid_request');
  });

  test('a public client with an S256 challenge is accepted', () => {
    const request = validate(spa, params({ client_id: 'spa', response_type: 'code', code_challenge: challenge, code_challenge_method: 'S256' }));
    expect([request.codeChallenge, request.codeChallengeMethod]).toEqual([challenge, 'S256']);
  });

  test('a challenge without a method means plain, refused unless the client allows plain', () => {
    const values = params({ client_id: 'spa', response_type: 'code', code_challenge: challenge });
    expect(authorizationError(() => validate(spa, values)).error).toBe('invalid_request');
    expect(validate({ ...spa, allowPlainPkce: true }, values).codeChallengeMethod).toBe('plain');
  });

  test('an explicit plain method is refused unless the client allows it', () => {
    const values = params({ client_id: 'spa', response_type: 'code', code_challenge: challenge, code_challenge_method: 'plain' });
    expect(authorizationError(() => validate(spa, values)).error).toBe('invalid_request');
  });

  test('an unknown challenge method is invalid_request', () => {
    const values = params({ client_id: 'spa', response_type: 'code', code_challenge: challenge, code_challenge_method: 'S512' });
    expect(authorizationError(() => validate(spa, values)).error).toBe('invalid_request');
  });

  test('a challenge that is too short is invalid_request', () => {
    const values = params({ client_id: 'spa', response_type: 'code', code_challenge: 'abc', code_challenge_method: 'S256' });
    expect(authorizationError(() => validate(spa, values)).error).toBe('invalid_request');
  });

  test('a method without a challenge is invalid_request', () => {
    expect(authorizationError(() => validate(confidential, params({ ...codeRequest, code_challenge_method: 'S256' }))).error).toBe('invalid_request');
  });

  test('an implicit request needs no PKCE', () => {
    const request = validate(spa, params({ client_id: 'spa', response_type: 'token' }));
    expect([request.responseType, request.codeChallenge]).toEqual(['token', null]);
  });

  test('prompt values are read; prompt=none cannot be combined', () => {
    expect(validate(confidential, params({ ...codeRequest, prompt: 'login consent' })).prompt).toEqual({ none: false, login: true, consent: true });
    expect(authorizationError(() => validate(confidential, params({ ...codeRequest, prompt: 'none login' }))).error).toBe('invalid_request');
  });

  test('an unknown prompt value, or a max_age that is not a number, is invalid_request', () => {
    expect(authorizationError(() => validate(confidential, params({ ...codeRequest, prompt: 'login select_account' }))).error).toBe('invalid_request');
    expect(authorizationError(() => validate(confidential, params({ ...codeRequest, max_age: '-1' }))).error).toBe('invalid_request');
  });

  test('max_age and login_hint are read', () => {
    expect(validate(confidential, params({ ...codeRequest, max_age: '300', login_hint: 'alice' }))).toMatchObject({ maxAge: 300, loginHint: 'alice' });
  });

  test('an empty parameter counts as omitted', () => {
    expect(validate(confidential, params({ ...codeRequest, scope: '', state: '' }))).toMatchObject({ scope: ['read', 'write'], state: null });
  });
});

describe('what the error response can still use', () => {
  test('state is echoed only when it is unambiguous', () => {
    expect(requestedState(params({ state: 'xyz' }))).toBe('xyz');
    expect(requestedState([['state', 'a'], ['state', 'b']])).toBeNull();
  });

  test('the response type decides the error response mode only when it is valid', () => {
    expect(requestedResponseType(params({ response_type: 'token' }))).toBe('token');
    expect(requestedResponseType(params({ response_type: 'token id_token' }))).toBe('id_token token');
    expect(requestedResponseType(params({ response_type: 'code id_token' }))).toBeNull();
  });
});

describe('parameter caps', () => {
  const redirect = { redirectUri: 'https://app.example/cb', redirectUriSent: true };

  test('a state with a control character is invalid_request and is not echoed', () => {
    const values = params({ response_type: 'code', state: 'a\nb' });
    expect(authorizationError(() => validateAuthorizeRequest(values, confidential, redirect)).error).toBe('invalid_request');
    expect(requestedState(values)).toBeNull();
  });

  test('an oversized state is not echoed, one at the cap is', () => {
    expect(requestedState(params({ state: 's'.repeat(4097) }))).toBeNull();
    expect(requestedState(params({ state: 's'.repeat(4096) }))).toBe('s'.repeat(4096));
  });

  test('the cap counts UTF-8 bytes, not characters', () => {
    const values = params({ response_type: 'code', state: '\u00e9'.repeat(2049) });
    expect(authorizationError(() => validateAuthorizeRequest(values, confidential, redirect)).description).toBe('The state parameter is longer than 4096 bytes.');
  });

  test('an oversized parameter name is invalid_request without naming it', () => {
    const values = params({ response_type: 'code', ['n'.repeat(65)]: '1' });
    expect(authorizationError(() => validateAuthorizeRequest(values, confidential, redirect)).description).toBe('A parameter name is longer than 64 bytes.');
  });

  test('an oversized client_id or redirect_uri stays on our page', () => {
    expect(refusal(() => resolveRedirect(params({ client_id: 'c'.repeat(256) }), confidential)).about).toBe('client');
    expect(refusal(() => resolveRedirect(params({ client_id: 'web', redirect_uri: 'https://app.example/' + 'x'.repeat(2048) }), confidential)).about).toBe('redirect_uri');
  });
});

describe('a request accepted before the sign-in page, checked again after it', () => {
  const request = validateAuthorizeRequest(params({ response_type: 'code', scope: 'read', code_challenge: challenge, code_challenge_method: 'S256' }), confidential, {
    redirectUri: 'https://app.example/cb',
    redirectUriSent: true,
  });

  test('is still acceptable for the unchanged client', () => {
    expect(stillAcceptable(request, confidential)).toBe(true);
  });

  test.each([
    ['disabled', { enabled: false }],
    ['without that redirect URI', { redirectUris: ['https://app.example/other'] }],
    ['without the code grant', { grants: ['refresh_token'] }],
    ['without that scope', { scopes: ['write'] }],
  ])('is not for a client since %s', (_label, change) => {
    expect(stillAcceptable(request, { ...confidential, ...change })).toBe(false);
  });

  test('an implicit request needs the client to keep implicit', () => {
    const implicit = { ...request, responseType: 'token' as const };
    expect([stillAcceptable(implicit, { ...spa, redirectUris: [request.redirectUri] }), stillAcceptable(implicit, confidential)]).toEqual([true, false]);
  });
});
