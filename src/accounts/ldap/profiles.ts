/** Group -> profile mapping (config `ldap.profiles`, `ldap.defaultProfile`): pure. */

export interface ProfileMapping {
  readonly profiles: readonly { readonly group: string; readonly profile: string }[];
  readonly defaultProfile: string | null;
}

/**
 * A DN in one spelling for comparison: attribute names and values compare without regard to case
 * in the directories this serves (cn, ou, dc are case-insensitive), and spaces around ',' and '='
 * are not part of the DN (RFC 4514 readers accept them).
 */
export function normalizeDN(dn: string): string {
  return dn
    .split(',')
    .map((rdn) =>
      rdn
        .split('=')
        .map((part) => part.trim())
        .join('='),
    )
    .join(',')
    .toLowerCase();
}

/** The profile name of a user in these groups: the first mapping whose group holds them, else the default. */
export function profileForGroups(groupDNs: readonly string[], mapping: ProfileMapping): string | null {
  const held = new Set(groupDNs.map(normalizeDN));
  const match = mapping.profiles.find((m) => held.has(normalizeDN(m.group)));
  return match ? match.profile : mapping.defaultProfile;
}
