export { randomToken, tokenDigest, safeEqual } from './tokens';
export { hashSecret, verifySecret, verifyClientSecret, verifyAgainstDummy } from './passwords';
export { SecretBox } from './sealed';
export { loadOrCreateSecretKey, decodeSecretKey } from './key';
