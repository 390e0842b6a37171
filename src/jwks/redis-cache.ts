/**
 * @module jwks/redis-cache
 * `createRedisJwksCache(client)`: a {@link JwksCache} in Redis, so every instance of a service
 * shares one copy of a remote JWK Set — and one fetch. Before fetching, an instance takes a short
 * lock (`SET lock token NX PX`); the others wait for the set it stores instead of asking the
 * identity provider themselves, on a cold start and on an unknown `kid` alike. What comes out of
 * Redis is re-checked by the key source like any cache. When Redis is slow or gone, `get` reads
 * as empty, `set` is skipped and `beforeFetch` says "fetch": each instance falls back to its own
 * in-memory set and its own fetches (still one per cooldown window).
 *
 * The client is `redis` (node-redis, `sendCommand([...])`) or `ioredis` (`call(...)`); jwkit
 * never imports either.
 */
import { randomBytes } from '#backend'
import { encodeBase64url } from '../util/base64url.ts'
import { parseJsonStrict } from '../util/json.ts'
import { toCacheEntry, type JwksCache, type JwksCacheEntry } from './cache-adapter.ts'
import { ownOptions } from '../util/dict.ts'

/** The part of a Redis client jwkit uses: node-redis' `sendCommand` or ioredis' `call`. */
export type RedisClientLike =
  | { call(command: string, ...args: string[]): Promise<unknown> } // ioredis
  | { sendCommand(args: string[]): Promise<unknown> } // node-redis

/** Sends one command with a deadline; rejects when Redis does not answer in time. */
export async function redisCommand(client: RedisClientLike, args: string[], timeoutMs: number): Promise<unknown> {
  const c = client as { call?: (command: string, ...rest: string[]) => Promise<unknown>; sendCommand?: (a: string[]) => Promise<unknown> }
  // ioredis has a sendCommand too, taking its own Command objects: call() first.
  const sent = typeof c.call === 'function' ? c.call(args[0]!, ...args.slice(1))
    : typeof c.sendCommand === 'function' ? c.sendCommand(args)
    : undefined
  if (sent === undefined) throw new TypeError('the Redis client must be node-redis (sendCommand) or ioredis (call)')
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs)
    timer.unref?.()
  })
  try {
    return await Promise.race([sent, deadline])
  } finally {
    clearTimeout(timer)
  }
}

/** Checks that a value is a usable Redis client (a caller mistake is a TypeError). */
export function checkRedisClient(client: unknown, what: string): asserts client is RedisClientLike {
  const c = client as { call?: unknown; sendCommand?: unknown } | null
  if (typeof client !== 'object' || c === null || (typeof c.call !== 'function' && typeof c.sendCommand !== 'function')) {
    throw new TypeError(`${what}: client must be a connected node-redis or ioredis client`)
  }
}

export interface RedisJwksCacheOptions {
  /** The Redis key of the entry (one per JWK Set); the lock is `<key>:lock`. Default `jwkit:jwks`. */
  key?: string
  /** How long the fetch lock is held at most, ms; default 10 000 (above the fetch timeout). */
  lockMs?: number
  /** How long an instance waits for another's fetch before fetching itself, ms; default lockMs. */
  waitMs?: number
  /** Polling interval while waiting, ms; default 50. */
  pollMs?: number
  /** Deadline of each Redis command, ms; default 1000. */
  timeoutMs?: number
  /** Redis expiry of the entry, ms; default 24 h (the key source applies its own freshness). */
  ttlMs?: number
  /** Called when a Redis command fails (the cache then acts as empty). */
  onError?: (error: unknown) => void
}

const LOCK_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"
const MAX_ENTRY_BYTES = 4 * 1024 * 1024

/** A JWK Set cache shared through Redis, with one fetch across the fleet. */
export function createRedisJwksCache(client: RedisClientLike, options: RedisJwksCacheOptions = {}): JwksCache {
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  checkRedisClient(client, 'createRedisJwksCache')
  const key = options.key ?? 'jwkit:jwks'
  const lockKey = key + ':lock'
  const lockMs = options.lockMs ?? 10_000
  const waitMs = options.waitMs ?? lockMs
  const pollMs = options.pollMs ?? 50
  const timeoutMs = options.timeoutMs ?? 1000
  const ttlMs = options.ttlMs ?? 24 * 3_600_000
  for (const [name, v] of [['lockMs', lockMs], ['waitMs', waitMs], ['pollMs', pollMs], ['timeoutMs', timeoutMs], ['ttlMs', ttlMs]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`createRedisJwksCache: options.${name} must be a positive integer`)
  }
  let heldLock: string | undefined
  const run = (args: string[]) => redisCommand(client, args, timeoutMs)
  const report = (error: unknown) => {
    try {
      options.onError?.(error)
    } catch {
      // a logging hook must not break verification
    }
  }

  async function release(): Promise<void> {
    const token = heldLock
    heldLock = undefined
    if (token !== undefined) await run(['EVAL', LOCK_RELEASE, '1', lockKey, token]).then(() => undefined, report)
  }

  async function read(): Promise<JwksCacheEntry | undefined> {
    const text = await run(['GET', key])
    if (typeof text !== 'string' || text.length > MAX_ENTRY_BYTES) return undefined
    try {
      return toCacheEntry(parseJsonStrict(text, { maxBytes: MAX_ENTRY_BYTES, maxDepth: 16 }))
    } catch {
      return undefined
    }
  }

  return {
    async get() {
      try {
        return await read()
      } catch (error) {
        report(error)
        return undefined
      }
    },
    async set(entry) {
      try {
        await run(['SET', key, JSON.stringify(entry), 'PX', String(ttlMs)])
      } catch (error) {
        report(error)
      }
      await release()
    },
    // The fetch failed: let the next instance in line try at once rather than after lockMs.
    fetchFailed: release,
    async beforeFetch({ fetchedAt }) {
      const since = fetchedAt ?? -1
      const newer = (e: JwksCacheEntry | undefined) => (e !== undefined && e.fetchedAt > since && e.freshUntil > Date.now() ? e : undefined)
      try {
        const stored = newer(await read())
        if (stored) return stored
        const token = encodeBase64url(randomBytes(12))
        if ((await run(['SET', lockKey, token, 'NX', 'PX', String(lockMs)])) === 'OK') {
          heldLock = token
          return undefined // this instance fetches for everyone
        }
        // Another instance is fetching: wait for what it stores. If its lock goes without a new
        // set (its fetch failed, or it died), take the lock in turn: still one fetch at a time.
        const until = Date.now() + waitMs
        while (Date.now() < until) {
          await new Promise((resolve) => setTimeout(resolve, pollMs))
          const e = newer(await read())
          if (e) return e
          if ((await run(['SET', lockKey, token, 'NX', 'PX', String(lockMs)])) === 'OK') {
            heldLock = token
            const late = newer(await read())
            if (late) await release() // stored just before the lock lapsed: no fetch needed
            return late
          }
        }
        return newer(await read())
      } catch (error) {
        report(error)
        return undefined
      }
    },
  }
}
