/**
 * @module jwkit
 * The public API (../shared/DESIGN.md is the contract): re-exports only. Database drivers are
 * loaded lazily by openKeyStore, so importing this module never loads better-sqlite3 or pg.
 */
export { JwkitError, isJwkitError, ERROR_CODES } from './errors.ts'
export type { ErrorCode, Problem, JwkitErrorOptions } from './errors.ts'
export { encodeBase64url, decodeBase64url } from './util/base64url.ts'

// keys
export * from './jwk/index.ts'
export * from './crypto/index.ts'

// formats
export * from './formats/index.ts'

// tokens
export * from './jws/index.ts'
export * from './jwt/index.ts'
export * from './jwe/index.ts'
export { signBytes, verifyBytes, SIGNATURE_ALGORITHMS } from './crypto/sign.ts'

// key sources
export * from './jwks/index.ts'
export { createRedisJwksCache, type RedisJwksCacheOptions, type RedisClientLike } from './jwks/redis-cache.ts'

// relying-party guards
export * from './guard/index.ts'

// issuer side
export * from './store/index.ts'
export * from './server/index.ts'
