/**
 * @module jwks/fetch-jwks
 * One fetch of a JWK Set (RFC 7517 §5), checked: bounded HTTP GET, strict JSON, keys parsed with
 * unknown key types skipped (§5: "ignore JWKs ... that contain unsupported key types"), private
 * keys refused, and a set with no usable key refused. Also `fetchJwks(url | { issuer })`, the
 * one-shot entry point `jwk fetch` uses (discovery included). No state: the remote key source
 * (`remote.ts`) adds caching, cooldown and stale-if-error on top.
 */
import { JwkitError, type Problem } from '../errors.ts'
import { parseJwkSet } from '../jwk/set.ts'
import type { Jwk } from '../jwk/types.ts'
import { parseJsonStrict } from '../util/json.ts'
import { discover, type DiscoveryResult } from './discovery.ts'
import { cachingHeaders, freshnessOf, type CachingHeaders, type Freshness, type FreshnessPolicy } from './http-cache.ts'
import { fetchBounded, type BoundedFetchOptions } from './http-fetch.ts'
import { checkFetchUrl } from './url-policy.ts'
import { ownOptions } from '../util/dict.ts'

/** The keys a JWK Set document yields. */
export interface CheckedJwkSet {
  keys: Jwk[]
  skipped: Problem[]
  warnings: Problem[]
}

export type JwksFetchOptions = Omit<BoundedFetchOptions, 'accept' | 'what'> &
  FreshnessPolicy & { now: () => number; maxKeys?: number | undefined; strict?: boolean | undefined }

export type JwksFetchResult =
  | ({ status: 200; url: URL; document: Record<string, unknown>; freshness: Freshness; caching: CachingHeaders } & CheckedJwkSet)
  | { status: 304; url: URL; freshness: Freshness; caching: CachingHeaders }

/**
 * Checks a parsed JWK Set document. Throws `ERR_JWKS_INVALID` when it is malformed or leaves no
 * usable key (every problem in `problems`).
 */
export function checkJwksDocument(document: unknown, maxKeys?: number, strict = false): CheckedJwkSet {
  // A published set holds public keys only: a key with private or secret members (and every
  // `oct` key) is skipped and reported, never used (RFC 7517 §9.2 / §9.3 on exposing private keys).
  // Non-canonical members with one reading are normalised (reported in warnings) unless strict.
  const options: { maxKeys?: number; requirePublic: boolean; strict: boolean } = { requirePublic: true, strict }
  if (maxKeys !== undefined) options.maxKeys = maxKeys
  let parsed: { keys: Jwk[]; skipped: Problem[]; warnings?: Problem[] }
  try {
    parsed = parseJwkSet(document as object, options)
  } catch (error) {
    if (error instanceof JwkitError && error.code === 'ERR_JWKS_INVALID') throw error
    throw new JwkitError('ERR_JWKS_INVALID', 'the fetched JWK Set is malformed', {
      cause: error,
      problems: error instanceof JwkitError ? error.problems : [],
    })
  }
  if (parsed.keys.length === 0) {
    throw new JwkitError('ERR_JWKS_INVALID', 'the fetched JWK Set has no usable key', { path: '/keys', problems: parsed.skipped })
  }
  return { keys: parsed.keys, skipped: parsed.skipped, warnings: parsed.warnings ?? [] }
}

/** One conditional GET of a JWK Set and its check. See {@link checkJwksDocument} for the errors. */
export async function fetchJwksDocument(url: URL, options: JwksFetchOptions): Promise<JwksFetchResult> {
  const response = await fetchBounded(url, { ...options, accept: 'application/jwk-set+json, application/json', what: 'JWK Set' })
  const now = options.now()
  const freshness = freshnessOf(response.headers, now, options)
  const caching = cachingHeaders(response.headers)
  if (response.status === 304) return { status: 304, url: response.url, freshness, caching }
  const document = parseJsonStrict(response.body!, { maxBytes: options.maxResponseBytes, maxDepth: 16, code: 'ERR_JWKS_INVALID', what: 'JWK Set' })
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new JwkitError('ERR_JWKS_INVALID', 'the fetched JWK Set is not a JSON object')
  }
  const checked = checkJwksDocument(document, options.maxKeys, options.strict === true)
  return { status: 200, url: response.url, document: document as Record<string, unknown>, freshness, caching, ...checked }
}

/** Options of the one-shot {@link fetchJwks}; every member has the remote source's default. */
export interface FetchJwksOptions {
  timeoutMs?: number
  maxResponseBytes?: number
  maxKeys?: number
  headers?: Readonly<Record<string, string>>
  fetch?: BoundedFetchOptions['fetch']
  insecureAllowHttp?: boolean
  allowRedirects?: boolean | number
  cacheMaxAgeMs?: number
  minTtlMs?: number
  maxTtlMs?: number
  now?: () => number
  /** Skip keys with non-canonical members instead of normalising them (see parseJwk). */
  strict?: boolean
}

export const REMOTE_DEFAULTS = {
  timeoutMs: 5_000,
  cooldownMs: 30_000,
  cacheMaxAgeMs: 10 * 60_000,
  minTtlMs: 60_000,
  maxTtlMs: 24 * 3_600_000,
  staleIfErrorMs: 24 * 3_600_000,
  maxResponseBytes: 512 * 1024,
} as const

/** The result of {@link fetchJwks}: the checked set, what was skipped, the caching headers seen. */
export interface FetchJwksResult extends CheckedJwkSet {
  /** The warnings about members normalised from a non-canonical form (`ERR_JWK_NON_CANONICAL`). */
  normalized: Problem[]
  url: string
  /** The JWK Set of the usable keys. */
  jwks: { keys: Jwk[] }
  freshness: Freshness
  caching: CachingHeaders
  discovery?: { issuer: string; url: string; jwksUri: string; freshness: Freshness; caching: CachingHeaders }
}

/** Fetches and checks a JWK Set once, from a URL or an issuer (discovery). No cache, no retry. */
export async function fetchJwks(source: string | URL | { issuer: string }, options: FetchJwksOptions = {}): Promise<FetchJwksResult> {
  if (typeof source === 'object' && source !== null && !(source instanceof URL)) source = ownOptions(source) // own properties only
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  const base = {
    fetch: options.fetch,
    timeoutMs: options.timeoutMs ?? REMOTE_DEFAULTS.timeoutMs,
    maxResponseBytes: options.maxResponseBytes ?? REMOTE_DEFAULTS.maxResponseBytes,
    headers: options.headers ?? {},
    insecureAllowHttp: options.insecureAllowHttp === true,
    allowRedirects: options.allowRedirects ?? false,
    cacheMaxAgeMs: options.cacheMaxAgeMs ?? REMOTE_DEFAULTS.cacheMaxAgeMs,
    minTtlMs: options.minTtlMs ?? REMOTE_DEFAULTS.minTtlMs,
    maxTtlMs: options.maxTtlMs ?? REMOTE_DEFAULTS.maxTtlMs,
    now: options.now ?? Date.now,
  }
  let url: URL
  let discovery: DiscoveryResult | undefined
  if (typeof source === 'object' && !(source instanceof URL)) {
    discovery = await discover(source.issuer, base)
    url = discovery.jwksUri
  } else {
    url = checkFetchUrl(source, 'JWK Set URL', base)
  }
  // The caller's headers are for the configured origin (the URL's, or the issuer's) only.
  const headersOrigin = discovery ? new URL(discovery.issuer).origin : url.origin
  const result = await fetchJwksDocument(url, { ...base, headersOrigin, maxKeys: options.maxKeys, strict: options.strict === true })
  if (result.status !== 200) throw new JwkitError('ERR_JWKS_FETCH_FAILED', 'unexpected HTTP status 304', { detail: { status: 304 } })
  const out: FetchJwksResult = {
    url: result.url.href,
    jwks: { keys: result.keys },
    keys: result.keys,
    skipped: result.skipped,
    warnings: result.warnings,
    normalized: result.warnings.filter((w) => w.code === 'ERR_JWK_NON_CANONICAL'),
    freshness: result.freshness,
    caching: result.caching,
  }
  if (discovery) {
    out.discovery = { issuer: discovery.issuer, url: discovery.url.href, jwksUri: discovery.jwksUri.href, freshness: discovery.freshness, caching: discovery.caching }
  }
  return out
}
