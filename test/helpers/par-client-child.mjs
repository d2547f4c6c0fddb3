// openid-client 6 (ESM only, hence this child process) as a relying party pushing an authorization
// request (RFC 9126): RFC 8414 discovery of the gateway, then buildAuthorizationUrlWithPAR, which
// POSTs the request to the announced pushed_authorization_request_endpoint and builds the
// authorization URL from the request_uri it gets back.
// Argument: JSON { issuer, clientId, clientSecret (null: a public client), params }.
// Prints one JSON line: { url } on success, { error, status, body } when the library refused.
import * as client from 'openid-client';

const { issuer, clientId, clientSecret, params } = JSON.parse(process.argv[2] ?? '{}');
try {
  const config = await client.discovery(
    new URL(issuer),
    clientId,
    undefined,
    clientSecret ? client.ClientSecretBasic(clientSecret) : client.None(),
    { algorithm: 'oauth2', execute: [client.allowInsecureRequests] },
  );
  const url = await client.buildAuthorizationUrlWithPAR(config, params);
  process.stdout.write(JSON.stringify({ url: url.href }) + '\n');
} catch (err) {
  process.stdout.write(JSON.stringify({ error: err.error ?? err.code ?? err.name, status: err.status ?? null, message: err.message }) + '\n');
}
