/**
 * @module jwks/remote
 * `createRemoteJwks`: a key source over a JWK Set fetched from a URL (RFC 7517 §5) or found by
 * issuer discovery (OpenID Connect Discovery 1.0, RFC 8414). One fetch at a time; freshness from
 * HTTP caching headers (RFC 9111) with conditional revalidation; a refetch on an unknown `kid`
 * (key rotation, OpenID Connect Core §10.1.1) limited to one per `cooldownMs`; and stale-if-error
 * (RFC 5861 §4): a failing endpoint never replaces the last good set. Driven by use: no timer
 * runs, so an idle source holds no handle open.
 */
import { JwkitError, isJwkitError } from '../errors.ts'
import type { KeySelectionHeader, KeySource, ResolvedKey } from '../jws/key-source.ts'
import type { JwkSet } from '../jwk/types.ts'
import { createMemoryCache, toCacheEntry, type JwksCache } from './cache-adapter.ts'
import { discover, discoveryUrls } from './discovery.ts'
import { checkJwksDocument, fetchJwksDocument, REMOTE_DEFAULTS } from './fetch-jwks.ts'
import { checkRequestHeaders } from './http-fetch.ts'
import { checkFetchUrl } from './url-policy.ts'
import { redactUrl } from '../util/redact-url.ts'
import { buildState, refreshLead, reportedError, resolveOptions, withDeadline, type RemoteJwksOptions, type RemoteJwksStats, type SetState } from './remote-options.ts'
import { ownOptions } from '../util/dict.ts'

export type { RemoteJwksOptions, RemoteJwksStats, RemoteJwksFetchEvent, RemoteJwksErrorEvent, FetchReason } from './remote-options.ts'

/** A {@link KeySource} over a remote JWK Set, with its cache state on view. */
export interface RemoteKeySource extends KeySource {
  /** The set in use (usable keys only), or undefined before the first successful fetch. */
  jwks(): JwkSet | undefined
  /** Fetches now (joins a fetch in progress). Resolves with the set in use; rejects on failure, keeping the last good set. */
  refresh(): Promise<JwkSet>
  /** The discovery document, for an issuer-configured source that has fetched it. */
  metadata(): Record<string, unknown> | undefined
  /** A snapshot of counters and state. */
  readonly stats: RemoteJwksStats
}

/**
 * Creates a key source over the JWK Set at `source` (a URL) or of `{ issuer }` (discovery).
 * The URL comes from configuration only, never from a token (RFC 8725 §3.10).
 */
export function createRemoteJwks(source: string | URL | { issuer: string }, options: RemoteJwksOptions = {}): RemoteKeySource {
  if (typeof source === 'object' && source !== null && !(source instanceof URL)) source = ownOptions(source) // own properties only
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  const o = resolveOptions(options)
  const headers = checkRequestHeaders(options.headers)
  let staticUrl: URL | undefined
  let issuer: string | undefined
  if (typeof source === 'string' || source instanceof URL) staticUrl = checkFetchUrl(source, 'JWK Set URL', o)
  else if (typeof source === 'object' && source !== null && typeof source.issuer === 'string') {
    issuer = source.issuer
    discoveryUrls(issuer, o) // checks the issuer now (RFC 8414 §2), not at the first token
  }
  else throw new TypeError('createRemoteJwks: source must be a URL string, a URL, or { issuer: string }')
  const cache: JwksCache = options.cache ?? createMemoryCache()
  const headersOrigin = staticUrl?.origin ?? new URL(issuer!).origin // the caller's headers go there only
  const http = { fetch: options.fetch, headersOrigin, timeoutMs: o.timeoutMs, maxResponseBytes: o.maxResponseBytes, headers, insecureAllowHttp: o.insecureAllowHttp, allowRedirects: o.allowRedirects, cacheMaxAgeMs: o.cacheMaxAgeMs, minTtlMs: o.minTtlMs, maxTtlMs: o.maxTtlMs, now: o.now }

  let current: SetState | undefined
  let discovered: { jwksUri: URL; freshUntil: number; document?: Record<string, unknown> } | undefined
  let pending: Promise<SetState> | undefined
  let loading: Promise<void> | undefined
  let lastKidFetchAt: number | undefined
  /** Counts successful fetches (200 or 304). */
  let generation = 0
  let failing = false
  let nextAttemptAt = 0
  let lastFailure: JwkitError | undefined
  const counters = { fetches: 0, notModified: 0, failures: 0, cacheHits: 0, discoveryFetches: 0 }
  let lastFetchAt: number | undefined
  let lastError: RemoteJwksStats['lastError']

  const fail = (error: unknown, reason: string, url: string | undefined): JwkitError => {
    const e = reportedError(error)
    const now = o.now()
    counters.failures++
    lastError = { code: e.code, message: e.message, at: now }
    lastFailure = e
    failing = true
    nextAttemptAt = now + o.cooldownMs // during an outage, one retry per cooldown window
    const servingStale = current !== undefined && now < current.freshUntil + o.staleIfErrorMs
    try {
      o.onError?.(e, { reason, url: url === undefined ? undefined : redactUrl(url), servingStale })
    } catch {
      // a logging hook must not break verification
    }
    return e
  }

  async function loadCache(): Promise<void> {
    let entry
    try {
      entry = toCacheEntry(await withDeadline(cache.get(), o.timeoutMs))
    } catch {
      return // an unreadable cache is an empty one
    }
    if (!entry || current) return
    adopt(entry)
  }

  /** Takes a cached entry (re-checked: a cache is never trusted) as the set in use; false if unusable. */
  function adopt(entry: NonNullable<ReturnType<typeof toCacheEntry>>): boolean {
    const now = o.now()
    if (issuer !== undefined) {
      if (!entry.discovery || entry.discovery.issuer !== issuer) return false
      try {
        discovered = { jwksUri: checkFetchUrl(entry.discovery.jwksUri, 'cached jwks_uri', o), freshUntil: Math.min(entry.discovery.freshUntil, now + o.maxTtlMs) }
      } catch {
        return false
      }
    } else if (entry.url !== staticUrl!.href) return false
    try {
      const checked = checkJwksDocument(entry.jwks, o.maxKeys, o.strict)
      const freshUntil = Math.min(entry.freshUntil, now + o.maxTtlMs)
      current = buildState(checked, entry.jwks, entry.url ?? discovered?.jwksUri.href ?? '', entry.etag, entry.lastModified, entry.fetchedAt, freshUntil, freshUntil - entry.fetchedAt)
      return true
    } catch {
      return false // never trust a corrupt cache: treat it as empty
    }
  }

  /** A shared cache may hold a set another instance fetched meanwhile: use it instead of fetching. */
  async function fromSharedCache(reason: string): Promise<SetState | undefined> {
    if (typeof cache.beforeFetch !== 'function') return undefined
    const before = current
    let entry
    try {
      entry = toCacheEntry(await cache.beforeFetch({ reason, fetchedAt: before?.fetchedAt }))
    } catch {
      return undefined // the shared cache failed: fetch as usual
    }
    if (!entry || entry.fetchedAt <= (before?.fetchedAt ?? -1) || entry.freshUntil <= o.now()) return undefined
    if (!adopt(entry)) return undefined
    generation++
    failing = false
    nextAttemptAt = 0
    lastFailure = undefined
    counters.cacheHits++
    return current
  }

  async function jwksUrl(reason: string): Promise<URL> {
    if (staticUrl) return staticUrl
    const now = o.now()
    if (discovered && now < discovered.freshUntil) return discovered.jwksUri
    counters.discoveryFetches++
    try {
      const d = await discover(issuer!, http)
      discovered = { jwksUri: d.jwksUri, freshUntil: now + d.freshness.ttlMs, document: d.document }
      return d.jwksUri
    } catch (error) {
      if (!discovered) throw error
      fail(error, reason, undefined) // keep the last known jwks_uri while discovery fails
      return discovered.jwksUri
    }
  }

  async function doFetch(reason: string): Promise<SetState> {
    let url: string | undefined
    const shared = await fromSharedCache(reason)
    if (shared !== undefined) return shared
    try {
      const target = await jwksUrl(reason)
      url = target.href
      const held = current !== undefined && current.url === url ? current : undefined
      counters.fetches++
      const started = o.now()
      lastFetchAt = started
      const result = await fetchJwksDocument(target, { ...http, maxKeys: o.maxKeys, strict: o.strict, etag: held?.etag, lastModified: held?.lastModified })
      const now = o.now()
      let next: SetState
      if (result.status === 304) {
        // RFC 9111 §4.3.4: a 304 freshens the stored response; validators may be updated.
        counters.notModified++
        next = { ...held!, fetchedAt: now, freshUntil: now + result.freshness.ttlMs, refreshAt: now + result.freshness.ttlMs - refreshLead(result.freshness.ttlMs), etag: result.caching.etag ?? held!.etag }
      } else {
        next = buildState(result, result.document as JwkSet, url, result.caching.etag, result.caching['last-modified'], now, now + result.freshness.ttlMs, result.freshness.ttlMs)
      }
      current = next
      generation++
      failing = false
      nextAttemptAt = 0
      lastFailure = undefined
      try {
        await withDeadline(cache.set({
          jwks: next.document as { keys: unknown[] }, etag: next.etag, lastModified: next.lastModified, fetchedAt: next.fetchedAt, freshUntil: next.freshUntil, url,
          discovery: issuer !== undefined && discovered ? { issuer, jwksUri: discovered.jwksUri.href, freshUntil: discovered.freshUntil } : undefined,
        }), o.timeoutMs)
      } catch {
        // persistence is best effort; the set in memory is good
      }
      try {
        o.onFetch?.({ reason, url, status: result.status, durationMs: now - started, keys: next.keys.length, skipped: next.skipped, normalized: next.normalized, freshUntil: next.freshUntil })
      } catch {
        // a logging hook must not break verification
      }
      return next
    } catch (error) {
      if (typeof cache.fetchFailed === 'function') {
        try {
          await withDeadline(cache.fetchFailed(), o.timeoutMs)
        } catch {
          // the shared cache is best effort
        }
      }
      throw fail(error, reason, url)
    }
  }

  function startFetch(reason: string): Promise<SetState> {
    if (pending) return pending // one fetch at a time: every caller shares it
    const p = doFetch(reason).finally(() => {
      if (pending === p) pending = undefined
    })
    pending = p
    return p
  }

  function background(reason: string, now: number): void {
    if (!pending && now >= nextAttemptAt) startFetch(reason).catch(() => undefined)
  }

  /** The set to answer from, fetching first when there is none usable. */
  async function usable(): Promise<SetState> {
    if (!current) {
      loading ??= loadCache()
      await loading
    }
    const now = o.now()
    const held = current
    if (held && now < held.freshUntil) {
      if (now >= held.refreshAt) background('background', now)
      return held
    }
    const staleOk = held !== undefined && now < held.freshUntil + o.staleIfErrorMs
    if (held && staleOk && failing) {
      background('retry', now) // RFC 5861 §4: serve stale while the endpoint fails
      return held
    }
    if (!staleOk && failing && now < nextAttemptAt && !pending) throw lastFailure!
    try {
      return await startFetch(held ? 'expired' : 'initial')
    } catch (error) {
      if (held && staleOk) return held
      throw error
    }
  }

  async function slowPath(header: KeySelectionHeader): Promise<readonly ResolvedKey[]> {
    const before = generation
    const state = await usable()
    const kid = header.kid
    // No kid, a known kid, or a kid that is not a string (the local source refuses it): no refetch.
    // Nor when this very call just waited for a fetch: the set is as new as it gets.
    if (typeof kid !== 'string' || state.kids.has(kid) || generation !== before) return state.local.getKeys(header)
    // An unknown kid: the issuer may have rotated. Refetch at once, but at most once per cooldown
    // window; a storm of made-up kids then costs one upstream request per window.
    let refetchFailure: unknown
    if (pending) {
      await pending.catch((error: unknown) => { refetchFailure = error })
    } else {
      const now = o.now()
      if (lastKidFetchAt === undefined || now - lastKidFetchAt >= o.cooldownMs) {
        lastKidFetchAt = now
        await startFetch('unknown-kid').catch((error: unknown) => { refetchFailure = error })
      }
    }
    const keys = await (current ?? state).local.getKeys(header)
    // Say that the set could not be refetched for this kid: the key may exist upstream.
    if (keys.length === 0 && refetchFailure !== undefined) {
      const why = isJwkitError(refetchFailure) ? refetchFailure.code : 'an error'
      throw new JwkitError('ERR_JWKS_NO_MATCHING_KEY', `no key of the JWK Set has the token's kid, and refetching the set for it failed (${why})`, { cause: refetchFailure })
    }
    return keys
  }

  return {
    getKeys(header: KeySelectionHeader) {
      const held = current
      // Warm path: a fresh set and a known kid cost one clock read and a Set lookup.
      if (held !== undefined) {
        const now = o.now()
        if (now < held.refreshAt && (header.kid === undefined || held.kids.has(header.kid))) {
          counters.cacheHits++
          return held.local.getKeys(header)
        }
      }
      return slowPath(header)
    },
    describeMiss: (header: KeySelectionHeader) => current?.local.describeMiss(header),
    jwks: () => current?.local.jwks(),
    async refresh() {
      if (!current) {
        loading ??= loadCache()
        await loading
      }
      return (await startFetch('refresh')).local.jwks()
    },
    metadata: () => discovered?.document,
    get stats(): RemoteJwksStats {
      const now = o.now()
      return {
        ...counters,
        lastFetchAt,
        lastError,
        fresh: current !== undefined && now < current.freshUntil,
        stale: current !== undefined && now >= current.freshUntil,
        failing,
        freshUntil: current?.freshUntil,
        keys: current?.keys.length ?? 0,
        skipped: current?.skipped.length ?? 0,
        skippedKeys: current?.skipped ?? [],
        normalized: current?.normalized ?? [],
        url: current?.url ?? staticUrl?.href ?? discovered?.jwksUri.href,
      }
    },
  }
}

export { REMOTE_DEFAULTS }
