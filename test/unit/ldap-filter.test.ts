import { escapeFilterValue, fillFilter } from '../../src/accounts/ldap/filter';
import { normalizeDN, profileForGroups } from '../../src/accounts/ldap/profiles';

describe('RFC 4515 escaping', () => {
  test.each([
    ['alice', 'alice'],
    ['*', '\\2a'],
    ['*)(uid=*', '\\2a\\29\\28uid=\\2a'],
    ['a\\b', 'a\\5cb'],
    ['nul\u0000', 'nul\\00'],
    ['(admin)', '\\28admin\\29'],
    ['zoë', 'zoë'],
  ])('%j -> %j', (value, escaped) => {
    expect(escapeFilterValue(value)).toBe(escaped);
  });

  test('placeholders are filled with escaped values; $ patterns in values are literal', () => {
    expect(fillFilter('(&(objectClass=person)(uid={username}))', { username: '*)(uid=*' })).toBe('(&(objectClass=person)(uid=\\2a\\29\\28uid=\\2a))');
    expect(fillFilter('(uid={username})', { username: "$&$'" })).toBe("(uid=$&$')");
    expect(fillFilter('(|(member={dn})(memberUid={username}))', { dn: 'uid=a*,ou=p', username: 'a*' })).toBe('(|(member=uid=a\\2a,ou=p)(memberUid=a\\2a))');
  });

  test('a placeholder without a value stays as written', () => {
    expect(fillFilter('(member={dn})', { username: 'x' })).toBe('(member={dn})');
  });
});

describe('group -> profile mapping', () => {
  const mapping = {
    profiles: [
      { group: 'cn=Admins,ou=groups,dc=example,dc=com', profile: 'Admin' },
      { group: 'cn=staff, ou=groups, dc=example, dc=com', profile: 'Staff' },
    ],
    defaultProfile: 'Guest',
  };

  test('DNs compare without case or spaces around separators', () => {
    expect(normalizeDN('CN=Admins, OU=Groups,DC=Example ,dc=com')).toBe('cn=admins,ou=groups,dc=example,dc=com');
  });

  test('the first mapped group holding the user wins; none: the default', () => {
    expect(profileForGroups(['cn=staff,ou=groups,dc=example,dc=com', 'CN=ADMINS,OU=GROUPS,DC=EXAMPLE,DC=COM'], mapping)).toBe('Admin');
    expect(profileForGroups(['cn=staff,ou=groups,dc=example,dc=com'], mapping)).toBe('Staff');
    expect(profileForGroups(['cn=other,ou=groups,dc=example,dc=com'], mapping)).toBe('Guest');
    expect(profileForGroups([], { ...mapping, defaultProfile: null })).toBeNull();
  });
});
