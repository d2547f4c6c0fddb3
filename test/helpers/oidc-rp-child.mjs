// A real OpenID Connect relying party for the tests: openid-client 6 (ESM only, hence this child
// process), configured by default OpenID discovery (/.well-known/openid-configuration) of the
// gateway. One step per run; argument: JSON { step, server, clientId, clientSecret?, ... }.
// Prints one JSON line: the step's result, or { error: { name, code, message } } when the library
// refused (a wrong nonce, a bad signature...).
//   authorize: { redirectUri, scope } -> { url, verifier, nonce, state }
//   callback:  { currentUrl, verifier, nonce, state } -> { claims, idToken, accessToken, refreshToken, userinfo }
//   refresh:   { refreshToken, sub } -> { claims, idToken, accessToken }
//   device:    { scope, approve: "<user code file>"? } -> handled by the test: start only -> { device }
//   deviceTokens: { device } -> { claims, idToken, accessToken }
import * as client from 'openid-client';

const args = JSON.parse(process.argv[2] ?? '{}');

async function configuration() {
  const auth = args.clientSecret ? client.ClientSecretBasic(args.clientSecret) : client.None();
  return client.discovery(new URL(args.server), args.clientId, args.clientSecret ?? undefined, auth, { execute: [client.allowInsecureRequests] });
}

const steps = {
  async authorize(config) {
    const verifier = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: args.redirectUri,
      scope: args.scope,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      nonce,
      state,
    });
    return { url: url.href, verifier, nonce, state };
  },
  async callback(config) {
    const tokens = await client.authorizationCodeGrant(config, new URL(args.currentUrl), {
      pkceCodeVerifier: args.verifier,
      expectedNonce: args.nonce,
      expectedState: args.state,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    return { claims, idToken: tokens.id_token, accessToken: tokens.access_token, refreshToken: tokens.refresh_token, userinfo };
  },
  async refresh(config) {
    const tokens = await client.refreshTokenGrant(config, args.refreshToken);
    return { claims: tokens.claims(), idToken: tokens.id_token, accessToken: tokens.access_token };
  },
  async deviceStart(config) {
    return { device: await client.initiateDeviceAuthorization(config, { scope: args.scope }) };
  },
  async deviceTokens(config) {
    const tokens = await client.pollDeviceAuthorizationGrant(config, { ...args.device, interval: 0 });
    return { claims: tokens.claims(), idToken: tokens.id_token, accessToken: tokens.access_token };
  },
};

try {
  const config = await configuration();
  process.stdout.write(JSON.stringify(await steps[args.step](config)) + '\n');
} catch (err) {
  process.stdout.write(JSON.stringify({ error: { name: err?.name, code: err?.code, message: err?.message, cause: err?.cause?.message ?? null } }) + '\n');
}
