import { spawn } from 'node:child_process';
import path from 'node:path';
import { waitUntilReady } from './child-ready';

export interface ProviderClient {
  client_id: string;
  client_secret: string;
  scope?: string;
  /** The extra `roles` claim of this client's tokens. */
  roles?: string[];
}

export interface TestProvider {
  /** Its issuer identifier (the `iss` of its tokens): http://127.0.0.1:<port>. */
  issuer: string;
  /** A client_credentials token for one resource (RFC 8707); JWT for resources ending in /jwt, opaque otherwise. */
  token(client: ProviderClient, resource: string, scope: string): Promise<string>;
  /** RFC 7009 revocation, as the token's own client. */
  revoke(client: ProviderClient, token: string): Promise<void>;
  /** Stops it for good (SIGKILL): the issuer is down from then on. */
  stop(): Promise<void>;
}

const basic = (c: ProviderClient) => 'Basic ' + Buffer.from(`${encodeURIComponent(c.client_id)}:${encodeURIComponent(c.client_secret)}`).toString('base64');

/** node-oidc-provider 9 in a child process (test/helpers/oidc-provider-child.mjs), listening on loopback. */
export async function startOidcProvider(options: { clients: ProviderClient[]; accessTokenTtl?: number }): Promise<TestProvider> {
  const child = spawn(process.execPath, [path.join(__dirname, 'oidc-provider-child.mjs'), JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: path.resolve(__dirname, '..', '..'),
  });
  let issuer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const m = /ready (\S+)/.exec(chunk.toString());
    if (m) issuer = m[1]!;
  });
  await waitUntilReady(child, 'oidc-provider', 'ready ', 20_000);
  if (!issuer) throw new Error('oidc-provider printed no issuer');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    issuer,
    async token(client, resource, scope) {
      const res = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: { authorization: basic(client), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', resource, scope }).toString(),
      });
      const body = (await res.json()) as { access_token?: string };
      if (res.status !== 200 || !body.access_token) throw new Error(`oidc-provider token: ${res.status} ${JSON.stringify(body)}`);
      return body.access_token;
    },
    async revoke(client, token) {
      const res = await fetch(`${issuer}/token/revocation`, {
        method: 'POST',
        headers: { authorization: basic(client), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
      });
      if (res.status !== 200) throw new Error(`oidc-provider revocation: ${res.status}`);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
