/**
 * @module crypto
 * The node:crypto bridge (RFC 7517/7518/8037/8812, draft-ietf-cose-dilithium): JWK ↔ KeyObject
 * and CryptoKey, key generation, ML-DSA key handles. Re-exports only.
 */
export { importJwk, importKeyHandle, type ImportJwkOptions } from './import.ts'
export { exportJwk, isCryptoKey } from './export.ts'
export { jwkToCryptoKey, type JwkToCryptoKeyOptions } from './crypto-key.ts'
export { generateJwk, RSA_MIN_GENERATE_BITS, type GenerateJwkOptions } from './generate.ts'
export { isMlDsaKey, type KeyHandle, type KeyLike, type MlDsaKey } from './key-handle.ts'
export type { CryptoKeyLike, CryptoKeyUsage } from '../backend/types.ts'
export { ML_DSA_ALGORITHMS, isMlDsaAlgorithm, mlDsa, mlDsaKeyFromJwk, mlDsaPublicJwk, generateMlDsaJwk } from './ml-dsa.ts'
