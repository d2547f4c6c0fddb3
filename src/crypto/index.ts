export { randomIdentifier, randomToken, tokenDigest, safeEqual } from './tokens';
export { hashSecret, verifySecret, unmatchableHash } from './passwords';
export { SecretHashing, HashingBusyError, type HashingLimits } from './hashing';
export { SecretBox, SealedSecretError } from './sealed';
export { loadOrCreateSecretKey, decodeSecretKey, SECRET_KEY_RULE } from './key';
export { checkSecretKey, keySource, SecretKeyMismatchError, KEY_CHECK_SETTING, KEY_CHECK_TEXT } from './key-check';
