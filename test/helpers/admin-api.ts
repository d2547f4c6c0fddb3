import { form, startTestGateway, type GatewayOptions, type HttpResult, type TestGateway } from './gateway';

/** A gateway with three callers of its admin API: an admin, a read-only auditor and a user with neither privilege. */
export interface AdminApiGateway {
  gw: TestGateway;
  tokens: { admin: string; auditor: string; nobody: string };
  /** A request to /admin/api/v1 with a bearer token (JSON body when given). */
  api(method: string, path: string, options?: { token?: string | null; body?: unknown; headers?: Record<string, string> }): Promise<HttpResult>;
}

async function passwordToken(gw: TestGateway, username: string, password: string): Promise<string> {
  const res = await gw.request('/oauth2/token', { method: 'POST', ...form({ grant_type: 'password', username, password, client_id: 'admin-cli' }) });
  if (res.status !== 200) throw new Error(`no token for ${username}: ${res.status} ${res.text}`);
  return res.json.access_token as string;
}

export async function startAdminApiGateway(options: GatewayOptions = {}): Promise<AdminApiGateway> {
  return adminApiOn(await startTestGateway(options));
}

/** The three callers on a gateway already started (an OAuth 1.0a test gateway, a node sharing another's database). */
export async function adminApiOn<G extends TestGateway>(gw: G): Promise<AdminApiGateway & { gw: G }> {
  const admins = await gw.fixtures.profile('admins', ['admin']);
  const auditors = await gw.fixtures.profile('auditors', ['admin_read']);
  const staff = await gw.fixtures.profile('staff', ['api_access']);
  await gw.fixtures.user('root', 'root-password', { profile: admins });
  await gw.fixtures.user('auditor', 'auditor-password', { profile: auditors });
  await gw.fixtures.user('nobody', 'nobody-password', { profile: staff });
  await gw.fixtures.client({ id: 'admin-cli', name: 'Admin CLI', grants: 'password', public: true });
  const tokens = {
    admin: await passwordToken(gw, 'root', 'root-password'),
    auditor: await passwordToken(gw, 'auditor', 'auditor-password'),
    nobody: await passwordToken(gw, 'nobody', 'nobody-password'),
  };
  async function api(method: string, path: string, opts: { token?: string | null; body?: unknown; headers?: Record<string, string> } = {}): Promise<HttpResult> {
    const token = opts.token === undefined ? tokens.admin : opts.token;
    const headers: Record<string, string> = { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...opts.headers };
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await gw.request('/admin/api/v1' + path, { method, headers, body });
    if (res.json && typeof res.json === 'object') gw.remember(res.json.client_secret, res.json.secret);
    return res;
  }
  return { gw, tokens, api };
}
