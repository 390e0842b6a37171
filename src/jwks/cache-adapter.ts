/**
 * @module jwks/cache-adapter
 * Where a remote JWK Set (RFC 7517 §5) survives restarts and serverless cold starts: an adapter
 * with `get()`/`set()` of one entry. An in-memory adapter (the default) and a file adapter that
 * writes atomically (temp file + rename) and treats a corrupt or foreign file as empty. Whatever
 * an adapter returns is re-checked by the key source before use: a cache is never trusted.
 */
import { JwkitError } from '../errors.ts'
import { ownOptions } from '../util/dict.ts'
import { isJsonObject, parseJsonStrict } from '../util/json.ts'

/** The largest cache entry an adapter reads back (4 MiB). */
export const MAX_CACHE_ENTRY_BYTES = 4 * 1024 * 1024

/** What a key source persists: the set as fetched, its validators and its freshness. */
export interface JwksCacheEntry {
  /** The JWK Set document as received (re-validated on load; skipped keys are skipped again). */
  jwks: { keys: unknown[]; [member: string]: unknown }
  /** `ETag` of the response, for `If-None-Match`. */
  etag?: string | undefined
  /** `Last-Modified` of the response, for `If-Modified-Since`. */
  lastModified?: string | undefined
  /** When the set was fetched or last revalidated (ms since the epoch). */
  fetchedAt: number
  /** When it stops being fresh (ms since the epoch). */
  freshUntil: number
  /** The URL it came from; an entry for another URL is ignored. */
  url?: string | undefined
  /** For an issuer-configured source: the discovery result. */
  discovery?: { issuer: string; jwksUri: string; freshUntil: number } | undefined
}

export interface JwksCache {
  get(): JwksCacheEntry | undefined | Promise<JwksCacheEntry | undefined>
  set(entry: JwksCacheEntry): void | Promise<void>
  /**
   * Optional, for caches shared by many instances (e.g. `createRedisJwksCache`): called before
   * each fetch. Resolve with an entry another instance stored since `fetchedAt` (the source then
   * uses it, re-checked, instead of fetching), or with undefined to fetch (and `set()` after).
   * This is how one instance fetches for the fleet; failing here means fetching as usual.
   */
  beforeFetch?(context: { reason: string; fetchedAt: number | undefined }): Promise<JwksCacheEntry | undefined>
  /** Optional: the fetch that `beforeFetch` let through failed (a shared cache releases its lock). */
  fetchFailed?(): void | Promise<void>
}

/** An adapter holding the entry in memory (share one between sources to share the set). */
export function createMemoryCache(): JwksCache {
  let entry: JwksCacheEntry | undefined
  return {
    get: () => entry,
    set: (value) => {
      entry = value
    },
  }
}

/** Checks the shape of a cache entry; undefined for anything that is not one. */
export function toCacheEntry(value: unknown): JwksCacheEntry | undefined {
  if (!isJsonObject(value)) return undefined
  const { jwks, etag, lastModified, fetchedAt, freshUntil, url, discovery } = value
  if (!isJsonObject(jwks) || !Array.isArray(jwks['keys'])) return undefined
  if (!isTime(fetchedAt) || !isTime(freshUntil)) return undefined
  if (!optionalString(etag) || !optionalString(lastModified) || !optionalString(url)) return undefined
  let disc: JwksCacheEntry['discovery']
  if (discovery !== undefined && discovery !== null) {
    if (!isJsonObject(discovery)) return undefined
    const { issuer, jwksUri, freshUntil: discoveryFresh } = discovery
    if (typeof issuer !== 'string' || typeof jwksUri !== 'string' || !isTime(discoveryFresh)) return undefined
    disc = { issuer, jwksUri, freshUntil: discoveryFresh }
  }
  return {
    jwks: jwks as JwksCacheEntry['jwks'],
    etag: (etag ?? undefined) as string | undefined,
    lastModified: (lastModified ?? undefined) as string | undefined,
    fetchedAt,
    freshUntil,
    url: (url ?? undefined) as string | undefined,
    discovery: disc,
  }
}

const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0
const optionalString = (v: unknown) => v === undefined || v === null || typeof v === 'string'

/** The part of the Cache API (`caches`, W3C Service Workers §5.4) the adapter uses. */
interface CacheLike {
  match(request: string): Promise<{ arrayBuffer(): Promise<ArrayBuffer> } | undefined>
  put(request: string, response: Response): Promise<void>
}
interface CacheStorageLike {
  open(name: string): Promise<CacheLike>
}

export interface CacheApiCacheOptions {
  /** The cache to open (default `jwkit-jwks`). */
  cacheName?: string
  /** The request URL the entry is stored under (default one fixed URL; use one per key source). */
  key?: string
  /** The CacheStorage (default the global `caches` of Workers, Deno and browsers). */
  caches?: CacheStorageLike
}

/**
 * An adapter keeping the entry in the Cache API (`caches`): Cloudflare Workers, Deno, browsers
 * and service workers, where there is no file system. The entry is stored as a JSON response
 * under `key` and read back through the same strict JSON reader as the file adapter; an absent,
 * oversized or malformed entry reads as empty, and the key source re-checks whatever it gets.
 */
export function createCacheApiCache(options: CacheApiCacheOptions = {}): JwksCache {
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  const storage = options.caches ?? (globalThis as { caches?: CacheStorageLike }).caches
  if (storage === undefined || typeof storage.open !== 'function') {
    throw new JwkitError('ERR_JWK_UNSUPPORTED', 'this runtime lacks the Cache API (caches): use createMemoryCache, or createFileCache on Node')
  }
  const name = options.cacheName ?? 'jwkit-jwks'
  const key = options.key ?? 'https://jwkit.invalid/jwks-cache-entry'
  let opened: Promise<CacheLike> | undefined
  const cache = () => (opened ??= storage.open(name))
  return {
    async get() {
      try {
        const response = await (await cache()).match(key)
        if (response === undefined) return undefined
        const bytes = new Uint8Array(await response.arrayBuffer())
        if (bytes.byteLength > MAX_CACHE_ENTRY_BYTES) return undefined
        return toCacheEntry(parseJsonStrict(bytes, { maxBytes: MAX_CACHE_ENTRY_BYTES, maxDepth: 16 }))
      } catch {
        return undefined
      }
    },
    async set(entry) {
      // Workers' cache keeps a response only as long as its Cache-Control allows: a year here;
      // freshness is the entry's own freshUntil, checked by the key source.
      await (await cache()).put(key, new Response(JSON.stringify(entry), { headers: { 'content-type': 'application/json', 'cache-control': 'max-age=31536000' } }))
    },
  }
}
