import { groupByApp } from '../../src/account/apps';
import { accountPage } from '../../src/account/page';
import type { UserGrant } from '../../src/accounts/user-grants';
import { operatorRole } from '../../src/console/access';
import { barChart, barWidths } from '../../src/console/chart';
import { totalsBy } from '../../src/console/dashboard';

// The pure parts of /account and /console: grouping grants into applications, who is an operator,
// the charts' scaling and escaping, and the dashboard's totals.

const grant = (over: Partial<UserGrant>): UserGrant => ({ id: 'tf_0', protocol: 'oauth2', kind: 'token_family', party: 'notes', scope: [], createdAt: 1000, expiresAt: 5000, ...over });

describe('groupByApp', () => {
  test('one line per application, scopes merged, since the oldest grant, named from the registry', () => {
    const apps = groupByApp(
      [grant({ scope: ['write'], createdAt: 2000 }), grant({ kind: 'consent', scope: ['read', 'write'], createdAt: 1500, expiresAt: null }), grant({ protocol: 'oauth1', kind: 'oauth1_session', party: 'ck', createdAt: 3000, expiresAt: 9000 })],
      new Map([['oauth2:notes', 'Notes App']]),
    );
    expect(apps).toEqual([
      { protocol: 'oauth2', party: 'notes', name: 'Notes App', scopes: ['read', 'write'], since: 1500, until: null, tokenIssued: 2000 },
      { protocol: 'oauth1', party: 'ck', name: 'ck', scopes: [], since: 3000, until: 9000, tokenIssued: 3000 },
    ]);
  });

  test('the newest token issue counts tokens only: an application with only a consent has none', () => {
    const apps = groupByApp([grant({ createdAt: 1000 }), grant({ kind: 'access_token', createdAt: 4000 }), grant({ kind: 'consent', createdAt: 6000, expiresAt: null }), grant({ party: 'other', kind: 'consent', expiresAt: null })], new Map());
    expect(apps.map((a) => [a.party, a.tokenIssued])).toEqual([['notes', 4000], ['other', null]]);
  });

  test('a client and a consumer with the same identifier stay two applications', () => {
    expect(groupByApp([grant({ party: 'x' }), grant({ protocol: 'oauth1', kind: 'oauth1_session', party: 'x' })], new Map())).toHaveLength(2);
  });
});

describe('operatorRole', () => {
  test.each([
    [['admin'], 'admin'],
    [['admin_read', 'admin'], 'admin'],
    [['admin_read'], 'read'],
    [['read_things', 'Admin'], null],
    [[], null],
  ])('%j -> %s', (privileges, role) => expect(operatorRole(privileges)).toBe(role));
});

describe('barChart', () => {
  test('bars scale to the largest value; zero draws nothing; a non-zero value is at least one unit', () => {
    expect(barWidths([{ label: 'a', value: 10 }, { label: 'b', value: 5 }, { label: 'c', value: 0 }, { label: 'd', value: 0.001 }], 100)).toEqual([100, 50, 0, 1]);
    expect(barWidths([{ label: 'a', value: 0 }], 100)).toEqual([0]);
  });

  test('labels are escaped, and the numbers are in the accessible name too', () => {
    const svg = barChart({ id: 'c', title: 'Routes', bars: [{ label: '<script>x</script>', value: 3 }] }).value;
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toMatch(/role="img" aria-label="Routes: &lt;script&gt;x&lt;\/script&gt;: 3"/);
  });

  test('an empty chart says so instead of drawing an empty picture', () => {
    expect(barChart({ id: 'c', title: 'Tokens', bars: [], empty: 'No token issued yet.' }).value).toContain('No token issued yet.');
  });
});

describe('totalsBy', () => {
  const samples = [
    { labels: { route: '/api', status: 200 }, value: 5 },
    { labels: { route: '/api', status: 401 }, value: 2 },
    { labels: { route: 'oauth2.token', status: 200 }, value: 9 },
    { labels: { route: 'idle', status: 200 }, value: 0 },
  ];
  test('sums by the key, largest first, zeros left out', () => {
    expect(totalsBy(samples, (l) => String(l.route))).toEqual([
      { label: 'oauth2.token', value: 9 },
      { label: '/api', value: 7 },
    ]);
  });
  test('past the limit the tail folds into "other"', () => {
    expect(totalsBy(samples, (l) => `${l.route} ${l.status}`, 2)).toEqual([
      { label: 'oauth2.token 200', value: 9 },
      { label: 'other', value: 7 },
    ]);
  });
});

describe('accountPage', () => {
  const base = { username: 'alice', operator: false, apps: [], csrfToken: 't'.repeat(43) };
  test('a directory user is told the directory owns the password, and gets no form for it', () => {
    const page = accountPage({ ...base, source: 'ldap' }).value;
    expect(page).toContain('change it there');
    expect(page).not.toContain('action="/account/password"');
  });
  test('a local user gets the form asking for the current password', () => {
    const page = accountPage({ ...base, source: 'local' }).value;
    expect(page).toContain('action="/account/password"');
    expect(page).toContain('name="current_password"');
  });
  test('the console link shows only for operators', () => {
    expect(accountPage({ ...base, source: 'local' }).value).not.toContain('href="/console"');
    expect(accountPage({ ...base, source: 'local', operator: true }).value).toContain('href="/console"');
  });
});
