/**
 * @module jwkit
 * The portable public API — keys, formats, tokens, key sources — and nothing else: re-exports
 * only, each name listed (no `export *`), only from the portable layers (util … jwks). The
 * Node-only parts are the subpaths `jwkit/store` (src/store/index.ts) and `jwkit/server`
 * (src/server/index.ts). These names are the contract: test/index.test.ts pins the list, and
 * CHANGELOG.md notes every change to it.
 */
export { JwkitError, isJwkitError } from './errors.ts'
export type { ErrorCode, Problem, JwkitErrorOptions } from './errors.ts'

// keys
export {
  parseJwk, checkJwk, parseJwkSet, toPublicJwk, toPublicJwkSet, thumbprint, thumbprintUri, selectKeys,
  keyFitsAlgorithm, signatureAlgorithmsForKey, jwsAlgorithm, jweAlgorithm,
} from './jwk/index.ts'
export type {
  ParseJwkOptions, CheckJwkResult, ParseJwkSetOptions, ParseJwkSetResult, KeySelection,
  JwsAlgorithmInfo, JweAlgorithmInfo, JwsFamily, JweFamily,
  Jwk, JwkCommon, JwkSet, RsaJwk, EcJwk, OkpJwk, OctJwk, AkpJwk, KeyType, KeyUse, KeyOperation,
  EcCurve, OkpCurve, AkpAlgorithm, HashName, KeySpec,
} from './jwk/index.ts'
export { generateJwk, importJwk, importKeyHandle, exportJwk, jwkToCryptoKey } from './crypto/index.ts'
export type { GenerateJwkOptions, ImportJwkOptions, JwkToCryptoKeyOptions, KeyHandle, KeyLike, CryptoKeyLike, CryptoKeyUsage, MlDsaKey } from './crypto/index.ts'

// formats
export {
  fromPem, toPem, toDer, fromX509, describeX509, fromSsh, toSsh, sshFingerprint, fromCose, toCose, readKey,
  readSshPrivateKey,
} from './formats/index.ts'
export type {
  FromPemOptions, ToPemOptions, PemFormat, ToDerResult, FromX509Options, X509Description, CertificateInput,
  ReadKeyOptions, ReadKeyResult, KeyFormat, ReadSshPrivateKeyOptions, ReadSshPrivateKeyResult,
} from './formats/index.ts'

// tokens
export { signJws, verifyJws, insecureEmbeddedJwkResolver } from './jws/index.ts'
export type {
  SignJwsOptions, JwsSigner, VerifyJwsOptions, VerifyJwsResult, FlattenedJws, GeneralJws, JwsHeader,
  KeySource, KeySelectionHeader, ResolvedKey,
} from './jws/index.ts'
export { signJwt, verifyJwt, decodeJwt } from './jwt/index.ts'
export type { SignJwtOptions, VerifyJwtOptions, VerifyJwtResult, JwtClaims, JwtClaimOptions, DecodedJwt } from './jwt/index.ts'
export { encryptJwe, decryptJwe, encryptJwk, decryptJwk } from './jwe/index.ts'
export type {
  EncryptJweOptions, JweRecipient, DecryptJweOptions, DecryptJweResult, FlattenedJwe, GeneralJwe, JweRecipientJson, JweHeader,
  EncryptJwkOptions, DecryptJwkOptions,
} from './jwe/index.ts'

// key sources
export { createLocalJwks, createRemoteJwks, createMemoryCache, createCacheApiCache, discover } from './jwks/index.ts'
export type {
  LocalJwks, RemoteKeySource, RemoteJwksOptions, RemoteJwksStats, RemoteJwksFetchEvent, RemoteJwksErrorEvent, FetchReason,
  JwksCache, JwksCacheEntry, CacheApiCacheOptions, DiscoveryResult,
} from './jwks/index.ts'
export { createRedisJwksCache } from './jwks/redis-cache.ts'
export type { RedisJwksCacheOptions, RedisClientLike } from './jwks/redis-cache.ts'

// relying-party guards (the Express, Fastify and Hono adapters are the subpaths jwkit/express, jwkit/fastify, jwkit/hono)
export {
  verifyAccessToken, verifyDpopProof, createDpopProof, createDpopNonces, createMemoryReplayCache, createRedisReplayCache,
  verifyIdToken, GuardError, isGuardError, withAccessToken,
} from './guard/index.ts'
export type {
  VerifyAccessTokenOptions, AccessTokenResult, ScopePolicy, RequestLike, DpopOptions, VerifyDpopProofOptions, VerifiedDpopProof,
  CreateDpopProofOptions, DpopNonces, DpopNonceOptions, ReplayCache, MemoryReplayCacheOptions, RedisReplayCacheOptions,
  VerifyIdTokenOptions, OAuthErrorCode, AuthorizedFetchHandler,
} from './guard/index.ts'
