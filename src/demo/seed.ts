import { randomToken } from '../crypto';
import { addClient, addConsumer, addProfile, addUser, type AdminContext } from '../accounts/admin';
import { DEMO_CALLBACK_PATH, DEMO_CLIENT_ID } from './callback-page';

export interface DemoCredentials {
  username: string;
  password: string;
  consumerKey: string;
  consumerSecret: string;
  clientId: string;
  clientSecret: string;
  publicClientId: string;
}

const demoProfileName = 'demo';

/**
 * First run only: a demo profile, user, OAuth1 consumer (xAuth allowed) and OAuth2 clients. Returns
 * the credentials to print once, or null when the demo accounts already exist.
 */
export async function seedDemo(ctx: AdminContext, publicUrl: string): Promise<DemoCredentials | null> {
  if (await ctx.store.profiles.findByName(demoProfileName)) return null;
  await addProfile(ctx, { name: demoProfileName, privileges: 'api_access,posts_read,posts_write' });
  const password = randomToken(12);
  await addUser(ctx, { username: 'demo', password, profile: demoProfileName });
  const { consumer, secret: consumerSecret } = await addConsumer(ctx, {
    name: 'Demo consumer',
    callback: 'oob',
    xauth: true,
    profile: demoProfileName,
  });
  const { client, secret: clientSecret } = await addClient(ctx, {
    id: DEMO_CLIENT_ID,
    name: 'Demo client',
    grants: 'authorization_code,password,client_credentials,refresh_token,device_code',
    redirectUris: [`${publicUrl}${DEMO_CALLBACK_PATH}`],
    refresh: true,
    scopes: 'posts_read,posts_write',
    profile: demoProfileName,
  });
  const { client: publicClient } = await addClient(ctx, {
    id: 'demo-public',
    name: 'Demo public client',
    grants: 'authorization_code,password,refresh_token,device_code',
    public: true,
    implicit: true,
    redirectUris: [`${publicUrl}${DEMO_CALLBACK_PATH}`],
    scopes: 'posts_read,posts_write',
    profile: demoProfileName,
  });
  return {
    username: 'demo',
    password,
    consumerKey: consumer.key,
    consumerSecret,
    clientId: client.clientId,
    clientSecret: clientSecret as string,
    publicClientId: publicClient.clientId,
  };
}

/** The authorization code flow in a browser: the URL to open, ending on the demo's callback page. */
export function demoAuthorizeUrl(c: Pick<DemoCredentials, 'clientId'>, base: string): string {
  const params = new URLSearchParams({ response_type: 'code', client_id: c.clientId, redirect_uri: `${base}${DEMO_CALLBACK_PATH}`, scope: 'posts_read', state: 'demo' });
  return `${base}/oauth2/authorize?${params}`;
}

/**
 * The three legs of OAuth 1.0a with the demo consumer (callback oob): a request token, the user's
 * consent in a browser (which shows the verifier), the access token, a signed call. PLAINTEXT
 * signatures, so each step is one curl; where PLAINTEXT is not accepted the steps are named only.
 */
function threeLegged(c: DemoCredentials, base: string, plaintext: boolean): string[] {
  const steps = [
    '# OAuth 1.0a three-legged (the demo consumer\'s callback is oob: the browser shows the verifier):',
  ];
  if (!plaintext) {
    return [
      ...steps,
      `#  1. POST ${base}/oauth/request_token with oauth_callback=oob, signed HMAC-SHA1 with the consumer secret`,
      `#  2. open ${base}/oauth/user_auth?oauth_token=REQUEST_TOKEN, sign in as ${c.username}, allow, note the code`,
      `#  3. POST ${base}/oauth/access_token with oauth_token=REQUEST_TOKEN and oauth_verifier=CODE, signed with both secrets`,
    ];
  }
  const header = (extra: string, secrets: string) =>
    `-H 'Authorization: OAuth oauth_consumer_key="${c.consumerKey}", oauth_signature_method="PLAINTEXT", oauth_signature="${secrets}"${extra}'`;
  return [
    ...steps,
    '#  1. a request token (answers oauth_token=REQUEST_TOKEN&oauth_token_secret=REQUEST_SECRET):',
    `curl -s -X POST ${base}/oauth/request_token ${header(', oauth_callback="oob"', `${c.consumerSecret}%26`)}`,
    `#  2. open in a browser, sign in as ${c.username}, allow, and note the code it shows:`,
    `#     ${base}/oauth/user_auth?oauth_token=REQUEST_TOKEN`,
    '#  3. the access token (answers oauth_token=ACCESS_TOKEN&oauth_token_secret=ACCESS_SECRET):',
    `curl -s -X POST ${base}/oauth/access_token ${header(', oauth_token="REQUEST_TOKEN", oauth_verifier="CODE"', `${c.consumerSecret}%26REQUEST_SECRET`)}`,
    '#  4. a signed call to the demo API:',
    `curl -s ${base}/api/posts ${header(', oauth_token="ACCESS_TOKEN"', `${c.consumerSecret}%26ACCESS_SECRET`)}`,
  ];
}

/** The once-only banner: credentials and copy-paste curl examples (PLAINTEXT only where the gateway accepts it). */
export function demoBanner(c: DemoCredentials, base: string, options: { plaintext: boolean }): string {
  const oauth1 = options.plaintext
    ? [
        '# OAuth 1.0a xAuth with a PLAINTEXT signature (over plain http only in this local demo; PLAINTEXT needs https):',
        `curl -s -X POST ${base}/oauth/xauth_access_token -H 'Authorization: OAuth oauth_consumer_key="${c.consumerKey}", oauth_signature_method="PLAINTEXT", oauth_signature="${c.consumerSecret}%26"' -d x_auth_mode=client_auth -d x_auth_username=${c.username} -d 'x_auth_password=${c.password}'`,
      ]
    : ['# OAuth 1.0a: sign with HMAC-SHA1 (PLAINTEXT needs https, or oauth1.plaintextOverHttp for local development).'];
  return [
    '',
    '=== oauth-gateway demo accounts (shown once; they are not printed again) ===',
    `user:            ${c.username} / ${c.password}`,
    `OAuth2 client:   ${c.clientId} / ${c.clientSecret}   (public client: ${c.publicClientId})`,
    `OAuth1 consumer: ${c.consumerKey} / ${c.consumerSecret}   (xAuth allowed)`,
    '',
    '# OAuth 2.0 authorization code in a browser: open this, sign in, allow; the demo callback page shows the code and the curl that exchanges it:',
    demoAuthorizeUrl(c, base),
    '# OAuth 2.0 client credentials:',
    `curl -s -u '${c.clientId}:${c.clientSecret}' -d grant_type=client_credentials ${base}/oauth2/token`,
    '# ClearPass-style password grant:',
    `curl -s -X POST ${base}/api/oauth -H 'Content-Type: application/json' -d '{"grant_type": "password", "username": "${c.username}", "password": "${c.password}", "client_id": "${c.publicClientId}"}'`,
    '# Call the demo API with the access_token from above:',
    `curl -s ${base}/api/posts -H 'Authorization: Bearer ACCESS_TOKEN'`,
    ...oauth1,
    ...threeLegged(c, base, options.plaintext),
    '',
  ].join('\n');
}
