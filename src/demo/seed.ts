import { randomToken } from '../crypto';
import { addClient, addConsumer, addProfile, addUser, type AdminContext } from '../accounts/admin';

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
    id: 'demo-client',
    name: 'Demo client',
    grants: 'authorization_code,password,client_credentials,refresh_token,device_code',
    redirectUris: [`${publicUrl}/demo/callback`],
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
    redirectUris: [`${publicUrl}/demo/callback`],
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
    '# OAuth 2.0 client credentials:',
    `curl -s -u '${c.clientId}:${c.clientSecret}' -d grant_type=client_credentials ${base}/oauth2/token`,
    '# ClearPass-style password grant:',
    `curl -s -X POST ${base}/api/oauth -H 'Content-Type: application/json' -d '{"grant_type": "password", "username": "${c.username}", "password": "${c.password}", "client_id": "${c.publicClientId}"}'`,
    '# Call the demo API with the access_token from above:',
    `curl -s ${base}/api/posts -H 'Authorization: Bearer ACCESS_TOKEN'`,
    ...oauth1,
    '',
  ].join('\n');
}
