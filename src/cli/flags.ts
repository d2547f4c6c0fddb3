import type { FieldNames, InputField } from '../accounts/validation';

// The flag each field of an administration input comes from, so that an error about a field names
// what the operator typed (`--redirect-uri`), while accounts/ speaks only of its fields.
const flags: Record<InputField, string> = {
  name: '--name',
  username: '--username',
  password: '--password',
  grants: '--grants',
  redirectUris: '--redirect-uri',
  id: '--id',
  callback: '--callback',
  callbackMatch: '--callback-match',
  accessTtl: '--access-ttl',
  refreshTtl: '--refresh-ttl',
  codeTtl: '--code-ttl',
  rsaPublicKey: '--rsa-public-key',
  allowLegacyRsaKey: '--allow-1024-bit-key',
  signatureMethods: '--signature-methods',
  requestor: '--requestor',
  idTokenAlg: '--id-token-alg',
  accessTokenFormat: '--access-token-format',
};

/** A field as its flag; given as false, as commander's negation (`--no-callback`). */
export const flagFor: FieldNames = (field, value) => (value === false ? flags[field].replace(/^--/, '--no-') : flags[field]);
