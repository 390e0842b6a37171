/**
 * @module guard/redis-replay-cache
 * `createRedisReplayCache(client)`: DPoP `jti`s shared by every instance behind a load balancer
 * (`SET key 1 NX PX ttl`: atomic, one instance wins), so a proof replayed to another instance is
 * refused too (RFC 9449 §11.1).
 *
 * When Redis is unreachable or slow (each command has a deadline), a replay check cannot be
 * made. The default, `onUnavailable: 'reject'`, refuses the request (503,
 * `ERR_REPLAY_CACHE_UNAVAILABLE`): no proof is accepted unchecked. `onUnavailable: 'memory'`
 * keeps serving from a per-instance memory cache — replays to the same instance are still
 * refused, replays to another instance during the outage are not — and calls `onError` on every
 * failed command, so the degradation is never silent. In that mode every `jti` is also recorded
 * locally, so one seen during an outage stays refused here after Redis returns.
 */
import { JwkitError } from '../errors.ts'
import { checkRedisClient, redisCommand, type RedisClientLike } from '../jwks/redis-cache.ts'
import { createMemoryReplayCache, type ReplayCache } from './replay-cache.ts'

export interface RedisReplayCacheOptions {
  /** Key prefix; default `jwkit:dpop:`. */
  prefix?: string
  /** Deadline of each command, ms; default 500. */
  timeoutMs?: number
  /** What to do when Redis fails: refuse (default) or fall back to this instance's memory. */
  onUnavailable?: 'reject' | 'memory'
  /** Called on every failed command. */
  onError?: (error: unknown) => void
}

/** A replay cache in Redis. */
export function createRedisReplayCache(client: RedisClientLike, options: RedisReplayCacheOptions = {}): ReplayCache {
  checkRedisClient(client, 'createRedisReplayCache')
  const prefix = options.prefix ?? 'jwkit:dpop:'
  const timeoutMs = options.timeoutMs ?? 500
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new RangeError('createRedisReplayCache: options.timeoutMs must be a positive integer')
  const mode = options.onUnavailable ?? 'reject'
  if (mode !== 'reject' && mode !== 'memory') throw new TypeError('createRedisReplayCache: options.onUnavailable must be "reject" or "memory"')
  const local = mode === 'memory' ? createMemoryReplayCache() : undefined
  return {
    async claim(key, ttlMs) {
      let answer: unknown
      try {
        answer = await redisCommand(client, ['SET', prefix + key, '1', 'NX', 'PX', String(Math.max(1, Math.ceil(ttlMs)))], timeoutMs)
      } catch (error) {
        try {
          options.onError?.(error)
        } catch {
          // a logging hook must not decide the answer
        }
        if (local !== undefined) return local.claim(key, ttlMs)
        throw new JwkitError('ERR_REPLAY_CACHE_UNAVAILABLE', 'the Redis replay cache did not answer, so the DPoP proof cannot be checked for replay', { cause: error })
      }
      const firstHere = local === undefined ? true : (local.claim(key, ttlMs) as boolean)
      return answer === 'OK' && firstHere
    },
  }
}
