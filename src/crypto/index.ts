export { randomToken, tokenDigest, safeEqual } from './tokens';
export { hashSecret, verifySecret, verifyClientSecret, verifyAgainstDummy } from './passwords';
export { SecretBox, SealedSecretError } from './sealed';
export { loadOrCreateSecretKey, decodeSecretKey } from './key';
export { checkSecretKey, keySource, SecretKeyMismatchError, KEY_CHECK_SETTING, KEY_CHECK_TEXT } from './key-check';
