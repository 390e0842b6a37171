/**
 * @module jwks
 * Key sources for verification: a local JWK Set, a remote one (RFC 7517 §5 over HTTP, RFC 9111
 * caching), and OpenID Connect Discovery / RFC 8414 metadata. Re-exports only.
 */
export { createLocalJwks, type LocalJwks, type LocalJwksOptions } from './local.ts'
export { createRemoteJwks, REMOTE_DEFAULTS } from './remote.ts'
export type { RemoteKeySource, RemoteJwksOptions, RemoteJwksStats, RemoteJwksFetchEvent, RemoteJwksErrorEvent, FetchReason } from './remote.ts'
export { createMemoryCache, createFileCache, type JwksCache, type JwksCacheEntry } from './cache-adapter.ts'
export { fetchJwks, type FetchJwksOptions, type FetchJwksResult } from './fetch-jwks.ts'
export { discover, discoveryUrls, type DiscoveryResult } from './discovery.ts'
