// A real external authorization server for the tests: node-oidc-provider (ESM only, hence this
// child process) on 127.0.0.1, port 0. It issues access tokens by client_credentials with resource
// indicators: JWT access tokens (RFC 9068) for the resource ending in /jwt, opaque ones for the
// resource ending in /opaque, with RFC 7662 introspection and RFC 7009 revocation. Tokens carry
// `roles` (from the client's metadata) as an extra claim, for privilege checks.
// Argument: JSON { clients: [{ client_id, client_secret, scope, roles? }], accessTokenTtl }.
// Prints "ready <issuer URL>" once listening.
import http from 'node:http';
import Provider from 'oidc-provider';

const options = JSON.parse(process.argv[2] ?? '{}');
let handler = (_req, res) => res.writeHead(503).end();
const server = http.createServer((req, res) => handler(req, res));
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const rolesOf = new Map((options.clients ?? []).map((c) => [c.client_id, c.roles ?? []]));
  const provider = new Provider(issuer, {
    clients: (options.clients ?? []).map((c) => ({
      client_id: c.client_id,
      client_secret: c.client_secret,
      ...(c.scope ? { scope: c.scope } : {}),
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    scopes: ['openid', 'offline_access', 'read', 'write', 'admin'],
    ttl: { ClientCredentials: options.accessTokenTtl ?? 300 },
    features: {
      devInteractions: { enabled: false },
      introspection: { enabled: true },
      revocation: { enabled: true },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => undefined,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => ({
          scope: 'read write admin',
          audience: resource,
          accessTokenTTL: options.accessTokenTtl ?? 300,
          accessTokenFormat: resource.endsWith('/jwt') ? 'jwt' : 'opaque',
        }),
      },
    },
    extraTokenClaims: (_ctx, token) => ({ roles: rolesOf.get(token.clientId) ?? [] }),
  });
  provider.on('server_error', (_ctx, err) => process.stderr.write(`server_error ${err.stack}\n`));
  handler = provider.callback();
  process.stdout.write(`ready ${issuer}\n`);
});
