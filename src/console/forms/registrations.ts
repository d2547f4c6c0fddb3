import { grantNames } from '../../accounts/validation';
import { SIGNATURE_METHODS } from '../../oauth1/signature';
import type { FormField } from './model';

// What each create and edit form of the console holds, and which admin API operations it runs.
// Field names are the operations' JSON body names; the operations' schemas and handlers do the rest.
// An edit form holds what the operation's PATCH can change; the rest is shown beside it, unchanged.

export type RegistrationKind = 'clients' | 'consumers' | 'users' | 'profiles';

export interface Registration {
  kind: RegistrationKind;
  /** "client": for headings and button labels. */
  one: string;
  /** Where the list is (profiles are listed with the users). */
  listPath: string;
  create: { operation: string; submit: string; fields(profiles: readonly string[]): FormField[] };
  edit: {
    /** The operation that reads one (its answer's ETag is the edit form's version). */
    read: string;
    operation: string;
    /** The path parameter naming the registration. */
    param: string;
    idLabel: string;
    fields(profiles: readonly string[]): FormField[];
    /** What the edit form shows but does not change: [label, the view's property]. */
    fixed: ReadonlyArray<readonly [string, string]>;
  };
}

const profileField = (profiles: readonly string[], whenEmpty: 'absent' | 'null'): FormField => ({
  name: 'profile',
  label: 'Operator profile',
  kind: 'choice',
  options: profiles,
  emptyOption: 'none',
  whenEmpty,
  hint: 'The privileges its tokens carry.',
});

const lifetime = (name: string, label: string, whenEmpty: 'absent' | 'null', hint = 'Seconds; empty: the gateway\u2019s default.'): FormField => ({ name, label, kind: 'number', whenEmpty, hint });

// In the order of ClearPass's client form: description, operator profile, lifetimes; then the URIs and scopes.
const clientEditable = (profiles: readonly string[], whenEmpty: 'absent' | 'null'): { head: FormField[]; lifetimes: FormField[]; tail: FormField[] } => ({
  head: [{ name: 'name', label: 'Description', kind: 'text', hint: 'The name users see on the consent page.' }, profileField(profiles, whenEmpty)],
  lifetimes: [
    lifetime('access_ttl', 'Access token lifetime', whenEmpty),
    lifetime('refresh_ttl', 'Refresh token lifetime', whenEmpty),
    lifetime('code_ttl', 'Authorization code lifetime', whenEmpty, 'Seconds, at most 600; empty: the gateway\u2019s default.'),
  ],
  tail: [
    { name: 'redirect_uris', label: 'Redirect URIs', kind: 'list', hint: 'One a line; needed for authorization_code and implicit.' },
    { name: 'scopes', label: 'Scopes', kind: 'list', hint: 'One a line; none: any scope.' },
  ],
});

export const clients: Registration = {
  kind: 'clients',
  one: 'client',
  listPath: '/console/clients',
  create: {
    operation: 'createClient',
    submit: 'Register client',
    fields: (profiles) => {
      const { head, lifetimes, tail } = clientEditable(profiles, 'absent');
      return [
        { name: 'client_id', label: 'Client ID', kind: 'text', hint: 'Empty: a random one.', autocomplete: 'off' },
        ...head,
        { name: 'grants', label: 'Grant types', kind: 'checkboxes', options: grantNames },
        { name: 'implicit', label: 'Implicit (response_type=token)', kind: 'checkbox' },
        { name: 'public', label: 'Public client (no secret: mobile and browser apps)', kind: 'checkbox' },
        { name: 'refresh', label: 'Refresh token', kind: 'checkbox' },
        ...lifetimes,
        ...tail,
        { name: 'allow_plain_pkce', label: 'Allow plain PKCE', kind: 'checkbox' },
      ];
    },
  },
  edit: {
    read: 'getClient',
    operation: 'updateClient',
    param: 'client_id',
    idLabel: 'Client ID',
    fields: (profiles) => {
      const { head, lifetimes, tail } = clientEditable(profiles, 'null');
      return [...head, ...lifetimes, ...tail];
    },
    fixed: [
      ['Client ID', 'client_id'],
      ['Enabled', 'enabled'],
      ['Public client', 'public'],
      ['Grant types', 'grants'],
      ['Refresh token', 'refresh'],
      ['Created', 'created_at'],
    ],
  },
};

const consumerEditable = (profiles: readonly string[], whenEmpty: 'absent' | 'null'): FormField[] => [
  { name: 'name', label: 'Name', kind: 'text' },
  { name: 'callback', label: 'Callback', kind: 'text', whenEmpty, hint: 'oob, an https URL or an app\u2019s scheme; empty: given per request.' },
  { name: 'callback_match', label: 'Callback match', kind: 'choice', options: ['prefix', 'exact'], ...(whenEmpty === 'absent' ? { emptyOption: 'prefix (default)' } : {}) },
  { name: 'xauth', label: 'Trusted for xAuth', kind: 'checkbox' },
  profileField(profiles, whenEmpty),
  lifetime('access_ttl', 'Access token lifetime', whenEmpty),
];

export const consumers: Registration = {
  kind: 'consumers',
  one: 'consumer',
  listPath: '/console/consumers',
  create: {
    operation: 'createConsumer',
    submit: 'Register consumer',
    fields: (profiles) => [
      ...consumerEditable(profiles, 'absent'),
      { name: 'signature_methods', label: 'Signature methods', kind: 'checkboxes', options: SIGNATURE_METHODS, whenEmpty: 'absent', hint: 'None ticked: the gateway\u2019s list.' },
      { name: 'rsa_public_key', label: 'RSA public key (PEM)', kind: 'multiline', hint: 'For RSA-SHA1 only.' },
      { name: 'allow_legacy_rsa_key', label: 'Accept a 1024-bit RSA key', kind: 'checkbox' },
      { name: 'requestor', label: 'May name a requestor (two-legged)', kind: 'checkbox' },
    ],
  },
  edit: {
    read: 'getConsumer',
    operation: 'updateConsumer',
    param: 'key',
    idLabel: 'Consumer key',
    fields: (profiles) => consumerEditable(profiles, 'null'),
    fixed: [
      ['Consumer key', 'key'],
      ['Enabled', 'enabled'],
      ['Signature methods', 'signature_methods'],
      ['RSA public key', 'rsa_public_key'],
      ['May name a requestor', 'requestor'],
      ['Created', 'created_at'],
    ],
  },
};

export const users: Registration = {
  kind: 'users',
  one: 'user',
  listPath: '/console/users',
  create: {
    operation: 'createUser',
    submit: 'Create user',
    fields: (profiles) => [
      { name: 'username', label: 'Username', kind: 'text', autocomplete: 'off' },
      { name: 'password', label: 'Password', kind: 'password', hint: 'At least 8 characters.', autocomplete: 'new-password' },
      profileField(profiles, 'absent'),
    ],
  },
  edit: {
    read: 'getUser',
    operation: 'updateUser',
    param: 'username',
    idLabel: 'Username',
    fields: (profiles) => [profileField(profiles, 'null')],
    fixed: [
      ['Username', 'username'],
      ['Source', 'source'],
      ['Enabled', 'enabled'],
      ['Created', 'created_at'],
    ],
  },
};

const privileges: FormField = { name: 'privileges', label: 'Privileges', kind: 'list', hint: 'One a line: admin opens the console, admin_read opens it read-only.' };

export const profiles: Registration = {
  kind: 'profiles',
  one: 'profile',
  listPath: '/console/users',
  create: { operation: 'createProfile', submit: 'Create profile', fields: () => [{ name: 'name', label: 'Name', kind: 'text' }, privileges] },
  edit: { read: 'getProfile', operation: 'updateProfile', param: 'name', idLabel: 'Name', fields: () => [privileges], fixed: [['Name', 'name'], ['Created', 'created_at']] },
};

export const registrations: readonly Registration[] = [clients, consumers, users, profiles];
