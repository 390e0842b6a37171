/**
 * @module jwks/cache-adapter
 * Where a remote JWK Set (RFC 7517 §5) survives restarts and serverless cold starts: an adapter
 * with `get()`/`set()` of one entry. An in-memory adapter (the default) and a file adapter that
 * writes atomically (temp file + rename) and treats a corrupt or foreign file as empty. Whatever
 * an adapter returns is re-checked by the key source before use: a cache is never trusted.
 */
import { randomBytes } from 'node:crypto'
import { readFile, rename, unlink, writeFile } from 'node:fs/promises'
import { isJsonObject, parseJsonStrict } from '../util/json.ts'

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

const MAX_FILE_BYTES = 4 * 1024 * 1024

/**
 * An adapter keeping the entry in a JSON file. Writes go to a temp file in the same directory and
 * are renamed over the target, so a reader sees the old or the new file, never half of one.
 * A missing, unreadable, oversized or malformed file reads as empty.
 */
export function createFileCache(path: string): JwksCache {
  if (typeof path !== 'string' || path === '') throw new TypeError('createFileCache: path must be a non-empty string')
  return {
    async get() {
      let text: Buffer
      try {
        text = await readFile(path)
      } catch {
        return undefined
      }
      if (text.byteLength > MAX_FILE_BYTES) return undefined
      try {
        return toCacheEntry(parseJsonStrict(text, { maxBytes: MAX_FILE_BYTES, maxDepth: 16 }))
      } catch {
        return undefined
      }
    },
    async set(entry) {
      const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
      try {
        await writeFile(temp, JSON.stringify(entry), { mode: 0o644, flag: 'wx' })
        await rename(temp, path)
      } catch (error) {
        await unlink(temp).catch(() => undefined)
        throw error
      }
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
