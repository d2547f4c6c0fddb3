import { InvalidInputError, type FieldNames, type InputField } from '../accounts/validation';
import { AccountInUseError, UnknownAccountError } from '../accounts/delete';
import { conflict, invalidInput, notFound } from './problems';

// accounts/ names its fields as its inputs do; the admin API's JSON names them in snake_case.
const apiNames: Record<InputField, string> = {
  name: 'name',
  username: 'username',
  password: 'password',
  grants: 'grants',
  redirectUris: 'redirect_uris',
  id: 'client_id',
  callback: 'callback',
  callbackMatch: 'callback_match',
  accessTtl: 'access_ttl',
  refreshTtl: 'refresh_ttl',
  codeTtl: 'code_ttl',
  rsaPublicKey: 'rsa_public_key',
  allowLegacyRsaKey: 'allow_legacy_rsa_key',
  signatureMethods: 'signature_methods',
  requestor: 'requestor',
  idTokenAlg: 'id_token_alg',
  accessTokenFormat: 'access_token_format',
};

const fieldName: FieldNames = (field, value) => (value === false ? `${apiNames[field]}: null` : apiNames[field]);

/** Runs an account operation, answering its input errors as Problem Details (404 for an unknown account). */
export async function asProblems<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof UnknownAccountError) throw notFound(err.message.replace(/^unknown (\w+).*$/, '$1'));
    if (err instanceof AccountInUseError) throw conflict(err.message);
    if (err instanceof InvalidInputError && /already exists/.test(err.message)) throw conflict(err.describe(fieldName));
    if (err instanceof InvalidInputError) throw invalidInput(err.describe(fieldName));
    throw err;
  }
}
