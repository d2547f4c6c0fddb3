import { z } from 'zod';
import type { GatewayConfig } from './schema';

// The `ldap` section: a directory (OpenLDAP, Active Directory, 389-DS...) as a second user store
// beside the local users (src/accounts/ldap/). Absent (null) by default: local users only.

const seconds = z.number().int().positive();

const ldapUrl = z.string().refine((v) => {
  try {
    const u = new URL(v);
    return (u.protocol === 'ldap:' || u.protocol === 'ldaps:') && u.hostname !== '' && (u.pathname === '' || u.pathname === '/');
  } catch {
    return false;
  }
}, 'must be an ldap:// or ldaps:// URL with a host and no path (ldap://dc1.example.com:389)');

// A filter as operators write it: one placeholder, replaced by the RFC 4515-escaped value.
const filterWith = (placeholder: string) =>
  z
    .string()
    .refine((v) => v.startsWith('(') && v.endsWith(')'), 'must be a parenthesized LDAP filter, e.g. (uid={username})')
    .refine((v) => v.includes(placeholder), `must contain ${placeholder}`);

const scope = z.enum(['base', 'one', 'sub']);

export const ldapSchema = z
  .strictObject({
    url: ldapUrl,
    // The service account that searches for users; null: an anonymous search.
    bindDN: z.string().min(1).nullable().default(null),
    // Its password, given here, in GATEWAY_LDAP_BIND_PASSWORD, or read from bindPasswordFile at start
    // (one of them, never two). It is never logged nor shown.
    bindPassword: z.string().min(1).nullable().default(null),
    bindPasswordFile: z.string().min(1).nullable().default(null),
    searchBase: z.string().min(1),
    searchFilter: filterWith('{username}').default('(uid={username})'),
    scope: scope.default('sub'),
    // ldap:// upgraded with the StartTLS extended operation before any bind (ldaps:// is TLS from the start).
    startTls: z.boolean().default(false),
    // PEM file of the CA(s) that sign the directory's certificate; null: the system's CAs.
    caFile: z.string().min(1).nullable().default(null),
    // Off only for a test directory: a man in the middle would read every password.
    rejectUnauthorized: z.boolean().default(true),
    connectTimeoutSeconds: seconds.default(3),
    // Directory checks at once (each holds a connection), and checks that may wait for one; past both, 503.
    maxConcurrent: z.number().int().positive().max(1024).default(16),
    maxQueued: z.number().int().min(0).max(100_000).default(64),
    // Each LDAP operation (bind, search): a directory that stops answering costs this, then 503.
    operationTimeoutSeconds: seconds.default(5),
    // Attributes copied onto the provisioned user at every login.
    displayNameAttribute: z.string().min(1).default('cn'),
    emailAttribute: z.string().min(1).default('mail'),
    groups: z
      .strictObject({
        // null: no group search (every LDAP user gets defaultProfile).
        searchBase: z.string().min(1).nullable().default(null),
        // {dn}: the user's DN; {username}: the name typed. Both RFC 4515-escaped.
        searchFilter: z
          .string()
          .refine((v) => v.startsWith('(') && v.endsWith(')'), 'must be a parenthesized LDAP filter, e.g. (member={dn})')
          .refine((v) => v.includes('{dn}') || v.includes('{username}'), 'must contain {dn} or {username}')
          .default('(|(member={dn})(uniqueMember={dn})(memberUid={username}))'),
        scope: scope.default('sub'),
      })
      .prefault({}),
    // Group DN -> profile name, first match in this order wins; DNs compare without regard to case.
    profiles: z.array(z.strictObject({ group: z.string().min(1), profile: z.string().min(1) })).default([]),
    // The profile of an LDAP user in none of the mapped groups; null: no profile (no privileges).
    defaultProfile: z.string().min(1).nullable().default(null),
    // Which store answers a username first. The first store that knows the name decides: a wrong
    // password there is wrong, the next store is not asked.
    order: z
      .tuple([z.enum(['local', 'ldap']), z.enum(['local', 'ldap'])])
      .refine(([a, b]) => a !== b, 'must be ["local","ldap"] or ["ldap","local"]')
      .default(['local', 'ldap']),
  })
  .superRefine((ldap, ctx) => {
    if (ldap.bindPassword !== null && ldap.bindPasswordFile !== null) {
      ctx.addIssue({ code: 'custom', path: ['bindPasswordFile'], message: 'set bindPassword (or GATEWAY_LDAP_BIND_PASSWORD) or bindPasswordFile, not both' });
    }
    if (ldap.bindDN !== null && ldap.bindPassword === null && ldap.bindPasswordFile === null) {
      ctx.addIssue({ code: 'custom', path: ['bindPassword'], message: 'bindDN needs a password: bindPassword, GATEWAY_LDAP_BIND_PASSWORD or bindPasswordFile' });
    }
    if (ldap.startTls && ldap.url.startsWith('ldaps:')) {
      ctx.addIssue({ code: 'custom', path: ['startTls'], message: 'ldaps:// is TLS already: StartTLS is for ldap:// URLs' });
    }
  });

/** As the loaded (frozen) configuration holds it. */
export type LdapConfig = NonNullable<GatewayConfig['ldap']>;
