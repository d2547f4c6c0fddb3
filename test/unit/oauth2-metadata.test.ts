import { authorizationServerMetadata } from '../../src/oauth2/metadata';

const metadata = authorizationServerMetadata('https://gw.example.com', ['a', 'b']);

test('every endpoint is under the issuer', () => {
  expect(metadata).toMatchObject({
    issuer: 'https://gw.example.com',
    authorization_endpoint: 'https://gw.example.com/oauth2/authorize',
    token_endpoint: 'https://gw.example.com/oauth2/token',
    device_authorization_endpoint: 'https://gw.example.com/oauth2/device_authorization',
    introspection_endpoint: 'https://gw.example.com/oauth2/introspect',
    revocation_endpoint: 'https://gw.example.com/oauth2/revoke',
  });
});

test('every grant, response type, client authentication and PKCE method is listed', () => {
  expect(metadata.grant_types_supported).toEqual(
    expect.arrayContaining(['authorization_code', 'implicit', 'password', 'client_credentials', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code']),
  );
  expect(metadata.response_types_supported).toEqual(['code', 'token']);
  expect(metadata.token_endpoint_auth_methods_supported).toEqual(['client_secret_basic', 'client_secret_post', 'none']);
  expect(metadata.code_challenge_methods_supported).toEqual(['S256', 'plain']);
});

test('scopes_supported is left out when no client has a scope', () => {
  expect(metadata.scopes_supported).toEqual(['a', 'b']);
  expect(authorizationServerMetadata('https://gw.example.com', [])).not.toHaveProperty('scopes_supported');
});
