/**
 * @module guard/replay-cache
 * Where DPoP `jti`s are remembered for as long as a proof could be accepted (RFC 9449 §11.1):
 * `claim(key, ttlMs)` records the key and answers true the first time, false for a replay.
 * The memory cache serves one process; `createRedisReplayCache` (guard/redis) shares one set
 * across instances.
 */

/** A store of seen proof identifiers. `claim` must be atomic: one caller wins per key. */
export interface ReplayCache {
  /** Records `key` for `ttlMs`; true if it was not already there, false for a replay. */
  claim(key: string, ttlMs: number): boolean | Promise<boolean>
}

export interface MemoryReplayCacheOptions {
  /** Most keys held; when full, expired keys are swept, then the oldest dropped. Default 100,000. */
  maxEntries?: number
  /** The clock, in ms. */
  now?: () => number
}

/** An in-process replay cache: a Map of key → expiry, bounded, swept as it fills. */
export function createMemoryReplayCache(options: MemoryReplayCacheOptions = {}): ReplayCache {
  const max = options.maxEntries ?? 100_000
  if (!Number.isInteger(max) || max < 1) throw new RangeError('createMemoryReplayCache: maxEntries must be a positive integer')
  const now = options.now ?? Date.now
  const seen = new Map<string, number>()
  return {
    claim(key, ttlMs) {
      const t = now()
      const until = seen.get(key)
      if (until !== undefined && until > t) return false
      if (until !== undefined) seen.delete(key)
      if (seen.size >= max) {
        for (const [k, exp] of seen) if (exp <= t) seen.delete(k)
        // Still full: the oldest insertions go first (a Map iterates in insertion order).
        for (const k of seen.keys()) {
          if (seen.size < max) break
          seen.delete(k)
        }
      }
      seen.set(key, t + ttlMs)
      return true
    },
  }
}
