/**
 * @module jwks/remote-options
 * Options, defaults, events and held state of the remote JWK Set key source (`remote.ts`).
 * Defaults follow common practice (jose: 30 s cooldown, 10 min cache age) and RFC 5861 §4
 * (stale-if-error: serve the last good set for a day while the endpoint fails).
 */
import { JwkitError, isJwkitError, type ErrorCode, type Problem } from '../errors.ts'
import type { KeySource } from '../jws/key-source.ts'
import type { Jwk, JwkSet } from '../jwk/types.ts'
import type { JwksCache } from './cache-adapter.ts'
import type { CheckedJwkSet } from './fetch-jwks.ts'
import { REMOTE_DEFAULTS } from './fetch-jwks.ts'
import { localJwksFromParsed, type LocalJwks } from './local.ts'
import type { FetchFunction } from './http-fetch.ts'

/** Why a fetch ran. */
export type FetchReason = 'initial' | 'expired' | 'background' | 'retry' | 'unknown-kid' | 'refresh'

export interface RemoteJwksFetchEvent {
  reason: FetchReason | (string & {})
  url: string
  /** 200: a new set; 304: the held set revalidated. */
  status: 200 | 304
  durationMs: number
  /** Usable keys now held. */
  keys: number
  /** Keys the set carried that are not used (RFC 7517 §5), with why. */
  skipped: readonly Problem[]
  /** Members normalised from a non-canonical form (`ERR_JWK_NON_CANONICAL`). */
  normalized: readonly Problem[]
  freshUntil: number
}

export interface RemoteJwksErrorEvent {
  reason: FetchReason | (string & {})
  url: string | undefined
  /** True when the last good set keeps serving (within `staleIfErrorMs`). */
  servingStale: boolean
}

export interface RemoteJwksOptions {
  /** Deadline for one fetch, headers and body (default 5 000). */
  timeoutMs?: number
  /** At most one unknown-kid refetch per window; also the retry interval during an outage (default 30 000). */
  cooldownMs?: number
  /** Freshness when the response carries no Cache-Control max-age or Expires (default 600 000). */
  cacheMaxAgeMs?: number
  /** Least freshness, whatever the response says (`no-cache`, `max-age=0`, ...) (default 60 000). */
  minTtlMs?: number
  /** Most freshness, whatever the response says (default 86 400 000). */
  maxTtlMs?: number
  /** How long past its freshness the last good set keeps serving while fetches fail (default 86 400 000). */
  staleIfErrorMs?: number
  /** Largest response body read (default 524 288). */
  maxResponseBytes?: number
  /** Most keys accepted in the set (passed to `parseJwkSet`). */
  maxKeys?: number
  /**
   * Skip keys with non-canonical members instead of normalising them (see parseJwk); default
   * false. Either way a set keeps working with the keys it can use.
   */
  strict?: boolean
  /** Extra request headers (`authorization`, ...); never `cookie`. */
  headers?: Readonly<Record<string, string>>
  /** A custom fetch (proxies, tests). Called with `redirect: 'manual'` and an AbortSignal. */
  fetch?: FetchFunction
  /** The clock, in ms since the epoch (default `Date.now`). */
  now?: () => number
  /** Where the set persists across restarts (default: in memory). */
  cache?: JwksCache
  /** Allow plain http to any host (loopback hosts are always allowed). */
  insecureAllowHttp?: boolean
  /** Follow up to this many redirects (`true` = 5), each under the URL policy (default: none). */
  allowRedirects?: boolean | number
  /** Called after each successful fetch (200 or 304). */
  onFetch?: (event: RemoteJwksFetchEvent) => void
  /** Called on each failed fetch or discovery, with the error. */
  onError?: (error: JwkitError, event: RemoteJwksErrorEvent) => void
}

export interface RemoteJwksStats {
  /** Upstream JWK Set requests made (successful or not). */
  fetches: number
  /** Of those, how many were answered 304 Not Modified. */
  notModified: number
  /** Failed fetches (and failed discoveries). */
  failures: number
  /** `getKeys` calls answered from the held set without waiting. */
  cacheHits: number
  /** Discovery document requests made. */
  discoveryFetches: number
  lastFetchAt: number | undefined
  lastError: { code: ErrorCode; message: string; at: number } | undefined
  fresh: boolean
  stale: boolean
  /** True while the last fetch failed. */
  failing: boolean
  freshUntil: number | undefined
  keys: number
  skipped: number
  /** The keys of the set in use that are not used, each with the rule that left it out. */
  skippedKeys: readonly Problem[]
  /** The members of the set in use normalised from a non-canonical form (`ERR_JWK_NON_CANONICAL`). */
  normalized: readonly Problem[]
  url: string | undefined
}

/** What the source holds for the set in use. */
export interface SetState {
  local: LocalJwks
  keys: Jwk[]
  /** Keys of the set left out (by parseJwkSet or as unusable to verify), with why. */
  skipped: readonly Problem[]
  normalized: readonly Problem[]
  kids: Set<string>
  document: unknown
  url: string
  etag: string | undefined
  lastModified: string | undefined
  fetchedAt: number
  freshUntil: number
  refreshAt: number
}

export type ResolvedRemoteOptions = Required<Pick<RemoteJwksOptions, 'timeoutMs' | 'cooldownMs' | 'cacheMaxAgeMs' | 'minTtlMs' | 'maxTtlMs' | 'staleIfErrorMs' | 'maxResponseBytes' | 'now'>> &
  Pick<RemoteJwksOptions, 'maxKeys' | 'onFetch' | 'onError'> & { insecureAllowHttp: boolean; allowRedirects: boolean | number; strict: boolean }

function ms(options: RemoteJwksOptions, name: keyof typeof REMOTE_DEFAULTS): number {
  const value = options[name]
  if (value === undefined) return REMOTE_DEFAULTS[name]
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new RangeError(`options.${name} must be a non-negative finite number`)
  return value
}

/** Checks option types (TypeError/RangeError: caller mistakes) and fills defaults. */
export function resolveOptions(options: RemoteJwksOptions): ResolvedRemoteOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object')
  for (const name of ['fetch', 'now', 'onFetch', 'onError'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') throw new TypeError(`options.${name} must be a function`)
  }
  if (options.cache !== undefined && (typeof options.cache?.get !== 'function' || typeof options.cache?.set !== 'function')) {
    throw new TypeError('options.cache must have get() and set()')
  }
  if (options.maxKeys !== undefined && (!Number.isInteger(options.maxKeys) || options.maxKeys < 1)) throw new RangeError('options.maxKeys must be a positive integer')
  const resolved: ResolvedRemoteOptions = {
    timeoutMs: ms(options, 'timeoutMs'),
    cooldownMs: ms(options, 'cooldownMs'),
    cacheMaxAgeMs: ms(options, 'cacheMaxAgeMs'),
    minTtlMs: ms(options, 'minTtlMs'),
    maxTtlMs: ms(options, 'maxTtlMs'),
    staleIfErrorMs: ms(options, 'staleIfErrorMs'),
    maxResponseBytes: ms(options, 'maxResponseBytes'),
    now: options.now ?? Date.now,
    maxKeys: options.maxKeys,
    onFetch: options.onFetch,
    onError: options.onError,
    insecureAllowHttp: options.insecureAllowHttp === true,
    allowRedirects: options.allowRedirects ?? false,
    strict: options.strict === true,
  }
  if (resolved.timeoutMs === 0) throw new RangeError('options.timeoutMs must be positive')
  if (resolved.minTtlMs > resolved.maxTtlMs) throw new RangeError('options.minTtlMs must not exceed options.maxTtlMs')
  return resolved
}

/** How long before freshness ends a background refresh starts: a tenth of the TTL, at most a minute. */
export function refreshLead(ttlMs: number): number {
  return Math.min(Math.floor(ttlMs / 10), 60_000)
}

/**
 * The held state for a checked set: a local key source over it (keys imported once, so a warm
 * remote source verifies as fast as a local one). Throws `ERR_JWKS_INVALID` when no key of the
 * set can verify a signature (only `enc` keys, say): such a set never replaces a good one.
 */
export function buildState(
  checked: CheckedJwkSet, document: unknown, url: string,
  etag: string | undefined, lastModified: string | undefined, fetchedAt: number, freshUntil: number, ttlMs: number,
): SetState {
  // The keys as checkJwksDocument parsed them, beside the document's own entries (so that a
  // skipped key's kid can be named when a token asks for it).
  const raw = (document as { keys?: unknown }).keys
  const local = localJwksFromParsed(checked, Array.isArray(raw) ? raw : [])
  const usable = local.jwks().keys
  if (usable.length === 0) {
    throw new JwkitError('ERR_JWKS_INVALID', 'the fetched JWK Set has no key usable to verify signatures', { path: '/keys', problems: local.skipped() })
  }
  const kids = new Set<string>()
  for (const k of usable) if (typeof k.kid === 'string') kids.add(k.kid)
  return { local, keys: usable, skipped: local.skipped(), normalized: local.normalized(), kids, document, url, etag, lastModified, fetchedAt, freshUntil, refreshAt: freshUntil - refreshLead(Math.max(0, ttlMs)) }
}

/** Any failure as a JwkitError (a custom fetch or cache may throw anything). */
export function reportedError(error: unknown): JwkitError {
  if (isJwkitError(error)) return error as JwkitError
  return new JwkitError('ERR_JWKS_FETCH_FAILED', 'fetching the JWK Set failed', { cause: error })
}

/** Waits for a cache adapter call at most `ms`; a slow adapter then reads as empty (undefined). */
export async function withDeadline<T>(value: T | Promise<T>, ms: number): Promise<T | undefined> {
  if (typeof (value as { then?: unknown } | undefined)?.then !== 'function') return value as T
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([value, new Promise<undefined>((resolve) => { timer = setTimeout(resolve, ms, undefined) })])
  } finally {
    clearTimeout(timer)
  }
}
