export { randomToken, tokenDigest, safeEqual } from './tokens';
export { hashSecret, verifySecret, unmatchableHash } from './passwords';
export { SecretHashing, HashingBusyError, type HashingLimits } from './hashing';
export { SecretBox } from './sealed';
export { loadOrCreateSecretKey, decodeSecretKey } from './key';
