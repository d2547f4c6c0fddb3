import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './redis';
import { waitUntilReady } from './child-ready';

/**
 * A private OpenLDAP server (slapd from the Debian package) in a temporary directory on a loopback
 * port, with an mdb database loaded by slapadd before the start: an OU of people (uid, cn, mail,
 * userPassword), an OU of groups (groupOfNames) and a service account that may search. Tests may
 * stop, freeze (SIGSTOP: connections are accepted by the kernel, nothing answers) and start it.
 */
export const SUFFIX = 'dc=gateway,dc=test';
export const PEOPLE = `ou=people,${SUFFIX}`;
export const GROUPS = `ou=groups,${SUFFIX}`;
export const SERVICE_DN = `cn=gateway-service,${SUFFIX}`;
const ADMIN_DN = `cn=admin,${SUFFIX}`;

export interface DirectoryUser {
  uid: string;
  password: string;
  cn?: string;
  mail?: string;
}

export interface DirectoryGroup {
  cn: string;
  members: string[];
}

export interface PrivateSlapdOptions {
  users: readonly DirectoryUser[];
  groups?: readonly DirectoryGroup[];
  /**
   * Also TLS: StartTLS on `url` and an ldaps:// port, with a self-signed certificate that names
   * `localhost` only (so a URL with 127.0.0.1 reaches the same server under a name it does not hold).
   */
  tls?: boolean;
}

export interface PrivateSlapd {
  /** ldap://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  /** ldaps://localhost:<port> when started with tls, else null. */
  readonly ldapsUrl: string | null;
  /** The PEM certificate the directory presents (self-signed: it is its own CA) when started with tls. */
  readonly caFile: string | null;
  /** The service account's password (bind as SERVICE_DN). */
  readonly servicePassword: string;
  /** The DN of a user of the directory. */
  userDN(uid: string): string;
  groupDN(cn: string): string;
  /** Applies an LDIF change (ldapmodify as the directory's administrator), e.g. a group membership. */
  modify(changes: string): Promise<void>;
  start(): Promise<void>;
  /** SIGTERM, waits for the exit. */
  stop(): Promise<void>;
  /** SIGSTOP: the listening socket stays, nothing answers. */
  freeze(): void;
  thaw(): void;
  /** SIGKILL, as a crash: no clean close of the connections. */
  kill(): Promise<void>;
  destroy(): Promise<void>;
}

const SLAPD = fs.existsSync('/usr/sbin/slapd') ? '/usr/sbin/slapd' : 'slapd';
const SLAPADD = fs.existsSync('/usr/sbin/slapadd') ? '/usr/sbin/slapadd' : 'slapadd';
const SCHEMA_DIR = '/etc/ldap/schema';
const MODULE_DIR = '/usr/lib/ldap';

function ldif(options: PrivateSlapdOptions, servicePassword: string): string {
  const blocks = [
    `dn: ${SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: gateway\no: Gateway test`,
    `dn: ${SERVICE_DN}\nobjectClass: simpleSecurityObject\nobjectClass: organizationalRole\ncn: gateway-service\nuserPassword: ${servicePassword}`,
    `dn: ${PEOPLE}\nobjectClass: organizationalUnit\nou: people`,
    `dn: ${GROUPS}\nobjectClass: organizationalUnit\nou: groups`,
    ...options.users.map((u) =>
      [
        `dn: uid=${u.uid},${PEOPLE}`,
        'objectClass: inetOrgPerson',
        `uid: ${u.uid}`,
        `cn: ${u.cn ?? u.uid}`,
        `sn: ${u.uid}`,
        ...(u.mail ? [`mail: ${u.mail}`] : []),
        `userPassword: ${u.password}`,
      ].join('\n'),
    ),
    ...(options.groups ?? []).map((g) =>
      [`dn: cn=${g.cn},${GROUPS}`, 'objectClass: groupOfNames', `cn: ${g.cn}`, ...g.members.map((uid) => `member: uid=${uid},${PEOPLE}`)].join('\n'),
    ),
  ];
  return blocks.join('\n\n') + '\n';
}

function slapdConf(dir: string, adminPassword: string, tls: boolean): string {
  return [
    ...(tls ? [`TLSCertificateFile ${dir}/cert.pem`, `TLSCertificateKeyFile ${dir}/key.pem`] : []),
    `include ${SCHEMA_DIR}/core.schema`,
    `include ${SCHEMA_DIR}/cosine.schema`,
    `include ${SCHEMA_DIR}/inetorgperson.schema`,
    `pidfile ${dir}/slapd.pid`,
    `argsfile ${dir}/slapd.args`,
    `modulepath ${MODULE_DIR}`,
    'moduleload back_mdb',
    'database mdb',
    'maxsize 16777216',
    `suffix "${SUFFIX}"`,
    `directory ${dir}/db`,
    `rootdn "${ADMIN_DN}"`,
    `rootpw ${adminPassword}`,
    // Passwords are only ever compared by a bind; everyone else reads the rest.
    'access to attrs=userPassword by self =x by anonymous auth by * none',
    `access to * by dn.exact="${SERVICE_DN}" read by users read by * none`,
    '',
  ].join('\n');
}

export async function startPrivateSlapd(options: PrivateSlapdOptions): Promise<PrivateSlapd> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oauth-gateway-slapd-'));
  fs.mkdirSync(path.join(dir, 'db'));
  const servicePassword = 'service-' + Math.random().toString(36).slice(2);
  const adminPassword = 'admin-' + Math.random().toString(36).slice(2);
  const tls = options.tls === true;
  if (tls) {
    await promisify(execFile)('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
      '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost',
    ]);
  }
  const conf = path.join(dir, 'slapd.conf');
  fs.writeFileSync(conf, slapdConf(dir, adminPassword, tls));
  fs.writeFileSync(path.join(dir, 'data.ldif'), ldif(options, servicePassword));
  await promisify(execFile)(SLAPADD, ['-f', conf, '-l', path.join(dir, 'data.ldif')]);

  const url = `ldap://127.0.0.1:${port}`;
  const ldapsPort = tls ? await freePort() : null;
  const ldapsUrl = ldapsPort ? `ldaps://localhost:${ldapsPort}` : null;
  const listen = ldapsPort ? `${url}/ ldaps://127.0.0.1:${ldapsPort}/` : `${url}/`;
  let child: ChildProcess | undefined;
  let frozen = false;

  const start = async () => {
    if (child) throw new Error('private slapd is already running');
    // -d: stay in the foreground and log to stderr; 256 (stats) includes the "slapd starting" line.
    const proc = spawn(SLAPD, ['-d', '256', '-h', listen, '-f', conf], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    try {
      await waitUntilReady(proc, `slapd on port ${port}`, 'slapd starting', 20_000);
    } catch (err) {
      if (child === proc) child = undefined;
      throw err;
    }
  };

  const signalChild = (sig: NodeJS.Signals) => {
    try {
      if (child?.pid) process.kill(child.pid, sig);
    } catch {
      // Already gone.
    }
  };

  const end = async (sig: NodeJS.Signals) => {
    const running = child;
    if (!running) return;
    if (frozen) {
      frozen = false;
      signalChild('SIGCONT');
    }
    child = undefined;
    if (running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill(sig);
    const forced = setTimeout(() => running.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(forced);
  };

  const onExit = () => {
    signalChild('SIGCONT');
    signalChild('SIGKILL');
  };
  process.once('exit', onExit);

  try {
    await start();
  } catch (err) {
    process.off('exit', onExit);
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  return {
    url,
    port,
    ldapsUrl,
    caFile: tls ? path.join(dir, 'cert.pem') : null,
    servicePassword,
    userDN: (uid) => `uid=${uid},${PEOPLE}`,
    groupDN: (cn) => `cn=${cn},${GROUPS}`,
    async modify(changes) {
      const file = path.join(dir, `change-${Date.now()}.ldif`);
      fs.writeFileSync(file, changes);
      await promisify(execFile)('ldapmodify', ['-x', '-H', url, '-D', ADMIN_DN, '-w', adminPassword, '-f', file]);
    },
    start,
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
    freeze() {
      if (!child?.pid) throw new Error('private slapd is not running');
      frozen = true;
      signalChild('SIGSTOP');
    },
    thaw() {
      if (!frozen) return;
      frozen = false;
      signalChild('SIGCONT');
    },
    async destroy() {
      await end('SIGTERM');
      process.off('exit', onExit);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
