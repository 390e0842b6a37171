/**
 * @module guard
 * Relying-party guards: access tokens in HTTP requests (RFC 6750, RFC 9068), DPoP (RFC 9449),
 * certificate-bound tokens (RFC 8705), ID tokens (OpenID Connect Core §3.1.3.7), replay caches,
 * and a fetch-handler wrapper. The Express, Fastify and Hono adapters are at `jwkit/express`,
 * `jwkit/fastify`, `jwkit/hono`. Re-exports only.
 */
export { verifyAccessToken, type VerifyAccessTokenOptions, type AccessTokenResult, type ScopePolicy, type RequestLike } from './access-token.ts'
export { verifyDpopProof, DEFAULT_DPOP_ALGORITHMS, type DpopOptions, type VerifyDpopProofOptions, type VerifiedDpopProof } from './dpop-proof.ts'
export { createDpopProof, type CreateDpopProofOptions } from './create-proof.ts'
export { createDpopNonces, type DpopNonces, type DpopNonceOptions } from './nonce.ts'
export { createMemoryReplayCache, type ReplayCache, type MemoryReplayCacheOptions } from './replay-cache.ts'
export { createRedisReplayCache, type RedisReplayCacheOptions } from './redis-replay-cache.ts'
export { verifyIdToken, type VerifyIdTokenOptions } from './id-token.ts'
export { certificateThumbprint } from './mtls.ts'
export { normalizeHtu } from './htu.ts'
export { GuardError, isGuardError, type OAuthErrorCode } from './errors.ts'
export { formatChallenge, formatChallenges, type Challenge } from './challenge.ts'
export { withAccessToken, type AuthorizedFetchHandler } from './fetch-handler.ts'
