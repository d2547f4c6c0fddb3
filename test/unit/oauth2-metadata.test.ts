import { authorizationServerMetadata } from '../../src/oauth2/endpoints/metadata';
import type { OAuth2Endpoint } from '../../src/oauth2/endpoints/types';

// The RFC 8414 document is generated from what the endpoints announce, and from nothing else.

const handle = async () => undefined;

function endpoint(path: string, announces: OAuth2Endpoint['announces']): OAuth2Endpoint {
  return { paths: [path, `${path}/alias`], common: [], methods: { POST: [handle] }, announces };
}

const endpoints = [
  endpoint('/oauth2/authorize', { as: 'authorization_endpoint', supports: { response_types_supported: ['code', 'token'], grant_types_supported: ['implicit'] } }),
  endpoint('/oauth2/token', { as: 'token_endpoint', supports: { grant_types_supported: ['authorization_code', 'password'], token_endpoint_auth_methods_supported: ['none'] } }),
  endpoint('/oauth2/introspect', { as: 'introspection_endpoint' }),
  endpoint('/oauth2/whoami', null),
];

const metadata = authorizationServerMetadata('https://gw.example.com', endpoints, ['a', 'b']);

test('every announcing endpoint is listed under its name, at its first path under the issuer', () => {
  expect(metadata).toMatchObject({
    issuer: 'https://gw.example.com',
    authorization_endpoint: 'https://gw.example.com/oauth2/authorize',
    token_endpoint: 'https://gw.example.com/oauth2/token',
    introspection_endpoint: 'https://gw.example.com/oauth2/introspect',
  });
});

test('an endpoint that announces nothing is not in the document', () => {
  expect(JSON.stringify(metadata)).not.toContain('whoami');
  expect(Object.keys(metadata).filter((k) => k.endsWith('_endpoint'))).toHaveLength(3);
});

test('capabilities several endpoints announce are joined in endpoint order, each once', () => {
  expect(metadata.grant_types_supported).toEqual(['implicit', 'authorization_code', 'password']);
  expect(metadata.response_types_supported).toEqual(['code', 'token']);
  expect(metadata.token_endpoint_auth_methods_supported).toEqual(['none']);
});

test('no endpoint, no document beyond the issuer', () => {
  expect(authorizationServerMetadata('https://gw.example.com', [], [])).toEqual({ issuer: 'https://gw.example.com', authorization_response_iss_parameter_supported: true });
});

test('scopes_supported is left out when no client has a scope', () => {
  expect(metadata.scopes_supported).toEqual(['a', 'b']);
  expect(authorizationServerMetadata('https://gw.example.com', endpoints, [])).not.toHaveProperty('scopes_supported');
});
